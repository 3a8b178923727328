import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, DeploymentConfigInput, loadDeploymentConfig, parseDeploymentConfig } from '../src';

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

describe('monitoring: alerting and long-term storage', () => {
  it('defaults to no Alertmanager and no long-term storage (395 days when turned on)', () => {
    expect(loadDeploymentConfig(EXAMPLE).monitoring).toEqual({ longTermStorage: false, longTermRetentionDays: 395 });
  });

  it('accepts an https Alertmanager and long-term storage', () => {
    const config = input();
    config.monitoring = {
      alertmanagerUrl: 'https://am.example.com:9093/am',
      longTermStorage: true,
      longTermRetentionDays: 90,
    };
    expect(parseDeploymentConfig(config, 'test.json').monitoring).toEqual(config.monitoring);
  });

  it('refuses a URL that is not http(s), one with credentials, a short retention, and settings without Prometheus', () => {
    expect(errorOf((c) => (c.monitoring = { alertmanagerUrl: 'ftp://am.example.com' }))).toMatch(
      /monitoring\.alertmanagerUrl = "ftp:\/\/am\.example\.com": must be an http\(s\) URL/,
    );
    expect(errorOf((c) => (c.monitoring = { alertmanagerUrl: 'https://u:p@am.example.com' }))).toMatch(
      /monitoring\.alertmanagerUrl = "https:\/\/u:p@am\.example\.com": must not contain credentials/,
    );
    expect(errorOf((c) => (c.monitoring = { longTermRetentionDays: 7 }))).toMatch(
      /monitoring\.longTermRetentionDays = 7: must be at least 30 days/,
    );
    expect(
      errorOf((c) => {
        c.features = { ...c.features, monitoring: false };
        c.monitoring = { longTermStorage: true };
      }),
    ).toMatch(/monitoring\.longTermStorage = true: needs Prometheus: set features\.monitoring to true/);
  });
});
