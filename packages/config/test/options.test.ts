import { GENERATED_SECRETS, loadDeploymentConfig, parseDeploymentConfig } from '../src';
import { EXAMPLE, errorOf, validInput as input } from './helpers';

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
