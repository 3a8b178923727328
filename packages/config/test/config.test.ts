import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, clusterDomain, loadDeploymentConfig, parseDeploymentConfig } from '../src';
import { EXAMPLE, errorOf, validInput } from './helpers';

describe('the example deployment', () => {
  const config = loadDeploymentConfig(EXAMPLE);

  it('has one primary in eu-west-1 and two secondaries in other regions', () => {
    expect(config.clusters.map((c) => [c.id, c.role, c.region])).toEqual([
      ['eu1', 'primary', 'eu-west-1'],
      ['us1', 'secondary', 'us-east-1'],
      ['ap1', 'secondary', 'ap-southeast-1'],
    ]);
  });

  it('applies safe defaults', () => {
    expect(config.clusters[0].natMode).toBe('per-az');
    expect(config.features).toMatchObject({ opsgenie: false, certbot: false, monitoring: true, bastion: true });
    expect(config.stateBackend.lockTable).toBeUndefined();
    expect(config.data.aurora).toEqual({
      instanceClass: 'db.t4g.medium',
      readers: 1,
      backupRetentionDays: 7,
      engineVersion: '16.6',
      autoMinorVersionUpgrade: true,
    });
    expect(config.data.redis).toEqual({
      purposes: ['general'],
      nodeType: 'cache.t4g.medium',
      replicas: 2,
      snapshotRetentionDays: 7,
    });
    expect(config.data.netId).toBe('000000');
    expect(config.data.rateLimiting.length).toBeGreaterThan(0);
  });

  it('fills defaults inside a partial data section', () => {
    const input = validInput();
    input.data = { redis: { purposes: ['general', 'events'] } };
    const parsed = parseDeploymentConfig(input, 'test.json');
    expect(parsed.data.redis).toEqual({
      purposes: ['general', 'events'],
      nodeType: 'cache.t4g.medium',
      replicas: 2,
      snapshotRetentionDays: 7,
    });
    expect(parsed.data.aurora.readers).toBe(1);
  });

  it('has no e-mail by default and accepts an SMTP or SendGrid section', () => {
    expect(config.email).toBeUndefined();
    const smtp = {
      provider: 'smtp',
      senderAddress: 'noreply@lns.example.com',
      smtp: { address: 'mail.example.com:587' },
    };
    expect(parseDeploymentConfig({ ...validInput(), email: smtp }, 'test.json').email).toEqual(smtp);
    const sendgrid = { provider: 'sendgrid', senderAddress: 'noreply@lns.example.com', senderName: 'Acme LNS' };
    expect(parseDeploymentConfig({ ...validInput(), email: sendgrid }, 'test.json').email).toEqual(sendgrid);
  });

  it('derives each cluster domain', () => {
    expect(config.clusters.map((c) => clusterDomain(config, c))).toEqual([
      'lns.example.com',
      'us1.lns.example.com',
      'ap1.lns.example.com',
    ]);
  });
});

describe('rejections name the field, the value and the fix', () => {
  it.each<[string, (c: ReturnType<typeof validInput>) => void, RegExp]>([
    [
      'no primary',
      (c) => (c.clusters[0].role = 'secondary'),
      /clusters = \["eu1:secondary","us1:secondary","ap1:secondary"\]: must contain exactly one cluster with role "primary" \(found 0\)/,
    ],
    [
      'two primaries',
      (c) => (c.clusters[1].role = 'primary'),
      /must contain exactly one cluster with role "primary" \(found 2\)/,
    ],
    [
      'duplicate cluster id',
      (c) => (c.clusters[2].id = 'us1'),
      /clusters\[2\]\.id = "us1": duplicates clusters\[1\]\.id\. .*make each unique/,
    ],
    [
      'account id not 12 digits',
      (c) => (c.clusters[0].accountId = '12345'),
      /clusters\[0\]\.accountId = "12345": must be a 12-digit AWS account id/,
    ],
    [
      'account id as number',
      (c) => ((c.clusters[0] as Record<string, unknown>).accountId = 111111111111),
      /clusters\[0\]\.accountId = 111111111111: must be a string/,
    ],
    [
      'bad region',
      (c) => (c.clusters[1].region = 'us-east'),
      /clusters\[1\]\.region = "us-east": must be an AWS region code such as "eu-west-1"/,
    ],
    [
      'AZ of another region',
      (c) => (c.clusters[1].availabilityZones = ['us-east-1a', 'us-west-2b']),
      /clusters\[1\]\.availabilityZones\[1\] = "us-west-2b": is not an availability zone of the cluster region us-east-1\. Use a zone such as "us-east-1a"/,
    ],
    [
      'one AZ only',
      (c) => (c.clusters[1].availabilityZones = ['us-east-1a']),
      /clusters\[1\]\.availabilityZones = \["us-east-1a"\]: must list 2 or 3 availability zones of us-east-1 \(found 1\)/,
    ],
    [
      'four AZs',
      (c) => (c.clusters[1].availabilityZones = ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d']),
      /must list 2 or 3 availability zones of us-east-1 \(found 4\)/,
    ],
    [
      'duplicate AZ',
      (c) => (c.clusters[1].availabilityZones = ['us-east-1a', 'us-east-1a']),
      /clusters\[1\]\.availabilityZones\[1\] = "us-east-1a": is listed twice/,
    ],
    [
      'invalid CIDR',
      (c) => (c.clusters[0].vpcCidr = '10.10.0.0/33'),
      /clusters\[0\]\.vpcCidr = "10.10.0.0\/33": is not an IPv4 CIDR block: the prefix length must be 0-32/,
    ],
    [
      'CIDR larger than /16',
      (c) => (c.clusters[0].vpcCidr = '10.0.0.0/8'),
      /clusters\[0\]\.vpcCidr = "10.0.0.0\/8": is larger than \/16/,
    ],
    [
      'CIDR not on a network boundary',
      (c) => (c.clusters[0].vpcCidr = '10.10.1.0/16'),
      /clusters\[0\]\.vpcCidr = "10.10.1.0\/16": /,
    ],
    [
      'CIDR too small for subnets',
      (c) => (c.clusters[0].vpcCidr = '10.10.0.0/26'),
      /clusters\[0\]\.vpcCidr = "10.10.0.0\/26": cannot hold the cluster subnets\. A \/26 VPC is too small .* it needs a \/23 or larger/,
    ],
    [
      'overlapping CIDRs',
      (c) => (c.clusters[2].vpcCidr = '10.20.128.0/17'),
      /clusters\[2\]\.vpcCidr = "10.20.128.0\/17": overlaps clusters\[1\]\.vpcCidr "10.20.0.0\/16" \(cluster "us1"\)/,
    ],
    [
      'bad domain',
      (c) => (c.domain = 'https://lns.example.com'),
      /domain = "https:\/\/lns.example.com": must be a lowercase DNS name/,
    ],
    [
      'uppercase domain',
      (c) => (c.domain = 'LNS.example.com'),
      /domain = "LNS.example.com": must be a lowercase DNS name/,
    ],
    [
      'two clusters on one domain',
      (c) => (c.clusters[1].domain = 'lns.example.com'),
      /clusters\[1\]\.domain = "lns.example.com": is also served by cluster "eu1"/,
    ],
    [
      'floating version tag',
      (c) => (c.tts.version = 'latest'),
      /tts\.version = "latest": must be an exact version "3\.x\.y"/,
    ],
    ['minor-only version', (c) => (c.tts.version = '3.33'), /tts\.version = "3.33": must be an exact version/],
    [
      'v-prefixed version',
      (c) => (c.tts.version = 'v3.33.1'),
      /tts\.version = "v3.33.1": must be an exact version "3\.x\.y" \(no "v" prefix/,
    ],
    [
      'unknown edition',
      (c) => ((c.tts as Record<string, unknown>).edition = 'community'),
      /tts\.edition = "community": must be one of "enterprise", "open-source"/,
    ],
    [
      'unknown top-level key',
      (c) => (c.prefx = 'acme'),
      /prefx = "acme": is not a known field; did you mean "prefix"\? Remove it or fix its spelling/,
    ],
    [
      'unknown cluster key',
      (c) => ((c.clusters[0] as Record<string, unknown>).regoin = 'eu-west-1'),
      /clusters\[0\]\.regoin = "eu-west-1": is not a known field; did you mean "region"\?/,
    ],
    [
      'unknown feature',
      (c) => ((c.features as Record<string, unknown>).bastian = true),
      /features\.bastian = true: is not a known field; did you mean "bastion"\?/,
    ],
    [
      'unknown key of a component override (a record value)',
      (c) => ((c.tts as Record<string, unknown>).components = { gs: { cpuu: 512 } }),
      /tts\.components\.gs\.cpuu = 512: is not a known field; did you mean "cpu"\?/,
    ],
    [
      'missing field',
      (c) => delete (c as Record<string, unknown>).hostedZoneId,
      /hostedZoneId missing: is required \(string\)/,
    ],
    ['bad prefix', (c) => (c.prefix = 'Acme_Corp'), /prefix = "Acme_Corp": must be 2-12 lowercase letters or digits/],
    [
      'bad state bucket',
      (c) => (c.stateBackend.bucket = 'Bad_Bucket'),
      /stateBackend\.bucket = "Bad_Bucket": must be an S3 bucket name of 3-63 lowercase letters, digits and hyphens/,
    ],
    [
      'a tag key AWS reserves',
      (c) => (c.tags = { 'aws:cost-center': 'x' }),
      /tags\.aws:cost-center.*not starting with "aws:" \(AWS reserves it\)/,
    ],
    ['a tag value AWS refuses', (c) => (c.tags = { Team: 'a;b' }), /tags\.Team = "a;b": must be a tag value/],
    [
      'dotted state bucket (the bootstrap stack creates it as a SecureBucket, which refuses dots)',
      (c) => (c.stateBackend.bucket = 'acme.tf-state'),
      /stateBackend\.bucket = "acme\.tf-state": .*no dots: they break TLS for the S3 backend/,
    ],
    [
      'TBS on open source',
      (c) => {
        c.tts.edition = 'open-source';
        c.features = { ...c.features, tbs: true };
      },
      /features\.tbs = true: the Tenant Billing Server exists only in the enterprise edition/,
    ],
    [
      'secondary in another account',
      (c) => (c.clusters[1].accountId = '222222222222'),
      /clusters\[1\]\.accountId = "222222222222": differs from the primary's account 111111111111\. .*Secrets Manager replication, which works only within one account/,
    ],
    [
      'unknown Redis purpose',
      (c) => (c.data = { redis: { purposes: ['general', 'sessions' as never] } }),
      /data\.redis\.purposes\[1\] = "sessions": must be one of "general", "cache", "events"/,
    ],
    [
      'Redis without the general purpose',
      (c) => (c.data = { redis: { purposes: ['cache'] } }),
      /data\.redis\.purposes = \["cache"\]: must include "general"/,
    ],
    [
      'Redis purpose twice',
      (c) => (c.data = { redis: { purposes: ['general', 'cache', 'cache'] } }),
      /data\.redis\.purposes\[2\] = "cache": is listed twice/,
    ],
    [
      'Redis Multi-AZ without replicas',
      (c) => (c.data = { redis: { replicas: 0 } }),
      /data\.redis\.replicas = 0: must be at least 1 \(Multi-AZ failover needs at least one replica\)/,
    ],
    [
      'Aurora backups off',
      (c) => (c.data = { aurora: { backupRetentionDays: 0 } }),
      /data\.aurora\.backupRetentionDays = 0: must be at least 1 \(days of automated backups; 0 would disable point-in-time recovery\)/,
    ],
    [
      'Aurora engine outside 16.x',
      (c) => (c.data = { aurora: { engineVersion: '15.4' } }),
      /data\.aurora\.engineVersion = "15.4": must be an Aurora PostgreSQL 16\.x version/,
    ],
    ['bad NetID', (c) => (c.data = { netId: '13' }), /data\.netId = "13": must be a NetID of 6 hex digits/],
    [
      'bad DevAddr prefix',
      (c) => (c.data = { devAddrPrefixes: ['26000000'] }),
      /data\.devAddrPrefixes\[0\] = "26000000": must be a DevAddr prefix such as "26000000\/7"/,
    ],
    [
      'no rate limiting',
      (c) => (c.data = { rateLimiting: [] }),
      /data\.rateLimiting = \[\]: must list at least one profile: the official guide makes rate limiting mandatory/,
    ],
    [
      'interop without CIDRs',
      (c) => (c.ingress = { interop: true }),
      /ingress\.interopCidrs = \[\]: must list your roaming partners' CIDRs when ingress\.interop is true/,
    ],
    [
      'ingress CIDR that is not IPv4',
      (c) => (c.ingress = { apiCidrs: ['2001:db8::/32'] }),
      /ingress\.apiCidrs\[0\] = "2001:db8::\/32": must be an IPv4 CIDR block such as "203\.0\.113\.0\/24"/,
    ],
    [
      'e-mail sender that is not an address',
      (c) => (c.email = { provider: 'sendgrid', senderAddress: 'Acme <noreply@example.com>' }),
      /email\.senderAddress = "Acme <noreply@example\.com>": must be an e-mail address such as "noreply@lns\.example\.com"/,
    ],
    [
      'e-mail provider that is not supported',
      (c) => ((c as Record<string, unknown>).email = { provider: 'ses', senderAddress: 'noreply@example.com' }),
      /email\.provider = "ses": .*"sendgrid".*"smtp"/,
    ],
    [
      'SMTP without a server',
      (c) => (c.email = { provider: 'smtp', senderAddress: 'noreply@example.com' }),
      /email\.smtp missing: is required when email\.provider is "smtp"\. Add \{"address": "host:port"\}/,
    ],
    [
      'SMTP server with a scheme',
      (c) =>
        (c.email = {
          provider: 'smtp',
          senderAddress: 'noreply@example.com',
          smtp: { address: 'smtp://mail.example.com:587' },
        }),
      /email\.smtp\.address = "smtp:\/\/mail\.example\.com:587": must be "host:port" such as "email-smtp\.eu-west-1\.amazonaws\.com:587" \(no scheme\)/,
    ],
    [
      'SMTP server without a port',
      (c) =>
        (c.email = { provider: 'smtp', senderAddress: 'noreply@example.com', smtp: { address: 'mail.example.com' } }),
      /email\.smtp\.address = "mail\.example\.com": must be "host:port"/,
    ],
    [
      'SMTP server next to SendGrid',
      (c) =>
        (c.email = {
          provider: 'sendgrid',
          senderAddress: 'noreply@example.com',
          smtp: { address: 'mail.example.com:587' },
        }),
      /email\.smtp = \{"address":"mail\.example\.com:587"\}: is used only with email\.provider "smtp".*Remove it, or set email\.provider to "smtp"/,
    ],
    [
      'sender name with a line break',
      (c) => (c.email = { provider: 'sendgrid', senderAddress: 'noreply@example.com', senderName: 'Acme\nBcc: x' }),
      /email\.senderName = "Acme\\nBcc: x": must be 1-100 characters without quotes/,
    ],
    [
      'component override with a fractional count',
      (c) => (c.tts.components = { gs: { desiredCount: 1.5 } }),
      /tts\.components\.gs\.desiredCount = 1\.5: must be an int\./,
    ],
  ])('%s', (_name, mutate, expected) => {
    expect(errorOf(mutate)).toMatch(expected);
  });

  it('reports every problem at once, prefixed with the file', () => {
    const message = errorOf((c) => {
      c.clusters[0].accountId = '1';
      c.clusters[1].region = 'nowhere';
    });
    expect(message).toMatch(/^Invalid deployment config test\.json \(2 problems\):/);
  });

  it('reports an unreadable file and invalid JSON', () => {
    expect(() => loadDeploymentConfig('/nonexistent.json')).toThrow(
      /\/nonexistent.json \(1 problem\):\n {2}- the file cannot be read \(ENOENT\)\. Pass an existing file with --config or TTS_ECS_CONFIG/,
    );
    const file = path.join(fs.mkdtempSync(path.join(require('os').tmpdir(), 'cfg-')), 'bad.json');
    fs.writeFileSync(file, '{ "prefix": ');
    expect(() => loadDeploymentConfig(file)).toThrow(
      /the file is not valid JSON at line 1, column 13: Unexpected end of JSON input\./,
    );
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  it('lists the problems of both rounds (schema and cross-field rules) of one file in one run', () => {
    const config = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
    config.tts.components = { gs: { cpu: 300 } };
    config.clusters[1].vpcCidr = '10.10.0.0/16'; // overlaps the primary
    let error: ConfigError | undefined;
    try {
      parseDeploymentConfig(config, 'x.json');
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.problems.map((p) => p.path)).toEqual(['tts.components.gs.cpu', 'clusters[1].vpcCidr']);
    expect(error?.message).toContain('overlaps clusters[0].vpcCidr "10.10.0.0/16"');
  });

  it('names the line and column of a JSON syntax error (a missing comma)', () => {
    const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'cfg-'));
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, fs.readFileSync(EXAMPLE, 'utf8').replace('"environment": "prod",', '"environment": "prod"'));
    expect(() => loadDeploymentConfig(file)).toThrow(
      /the file is not valid JSON at line 5, column 3: Expected ',' or '}' after property value\./,
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('says a CIDR has host bits set and gives the network address', () => {
    const config = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
    config.clusters[1].vpcCidr = '10.20.5.0/16';
    expect(() => parseDeploymentConfig(config, 'x.json')).toThrow(
      'clusters[1].vpcCidr = "10.20.5.0/16": has host bits set; the network address of that block is "10.20.0.0/16".',
    );
  });
});
