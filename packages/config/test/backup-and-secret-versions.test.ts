import * as fs from 'fs';
import * as path from 'path';
import {
  ConfigError,
  DeploymentConfigInput,
  GENERATED_SECRETS,
  loadDeploymentConfig,
  parseDeploymentConfig,
} from '../src';

const EXAMPLE = path.join(__dirname, '../../../deployments/example.json');
const input = (): DeploymentConfigInput & Record<string, unknown> => JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));

function errorOf(mutate: (config: ReturnType<typeof input>) => void): string {
  const config = input();
  mutate(config);
  try {
    parseDeploymentConfig(config, 'test.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the config to be rejected');
}

describe('data.backup and secretVersions', () => {
  it('default to 35 days of backups without a copy, and every generated secret at version 1', () => {
    const config = loadDeploymentConfig(EXAMPLE);
    expect(config.data.backup).toEqual({ retentionDays: 35 });
    expect(config.secretVersions).toEqual({});
  });

  it('names every generated secret, Redis tokens per purpose', () => {
    expect(GENERATED_SECRETS).toEqual([
      'cookie-block-key',
      'cookie-hash-key',
      'metrics-password',
      'pprof-password',
      'cluster-keys',
      'tenant-admin-key',
      'database-password',
      'redis-general-auth-token',
      'redis-cache-auth-token',
      'redis-events-auth-token',
    ]);
  });

  it('accepts raised versions and a copy region', () => {
    const config = input();
    config.secretVersions = { 'database-password': 2 };
    config.data = { backup: { retentionDays: 90, copyToRegion: 'eu-central-1' } };
    const parsed = parseDeploymentConfig(config, 'test.json');
    expect(parsed.secretVersions).toEqual({ 'database-password': 2 });
    expect(parsed.data.backup).toEqual({ retentionDays: 90, copyToRegion: 'eu-central-1' });
  });

  it('refuses unknown secrets, versions below 1, bad or same-region copies, with the field and the fix', () => {
    expect(errorOf((c) => (c.secretVersions = { 'db-password': 2 } as never))).toMatch(
      /secretVersions\.db-password = 2: is not a known field\. .*known fields here: cookie-block-key, .*database-password/,
    );
    expect(errorOf((c) => (c.secretVersions = { 'metrics-password': 0 }))).toMatch(/secretVersions\.metrics-password/);
    expect(errorOf((c) => (c.data = { backup: { copyToRegion: 'Frankfurt' } }))).toMatch(
      /data\.backup\.copyToRegion = "Frankfurt": must be an AWS region such as "eu-central-1"/,
    );
    expect(errorOf((c) => (c.data = { backup: { copyToRegion: 'eu-west-1' } }))).toMatch(
      /data\.backup\.copyToRegion = "eu-west-1": is the primary's own region: a copy there does not survive a regional outage/,
    );
    expect(errorOf((c) => (c.data = { backup: { retentionDays: 0 } }))).toMatch(/data\.backup\.retentionDays = 0/);
  });
});
