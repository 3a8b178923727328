import { Testing, TerraformStack } from 'cdktf';
import { inNamedTest, synth } from '@tts-ecs/testing';
import { EncryptedLogGroup, EncryptionKey, InvalidPropError, partitionOf } from '../src';

const env = { accountId: '111111111111', region: 'eu-west-1' };

describe('EncryptionKey', () => {
  const resources = synth((stack) => {
    const key = new EncryptionKey(stack, 'Logs', {
      environment: env,
      description: 'logs',
      alias: 'acme-logs',
      allowCloudWatchLogs: true,
    });
    key.allowService('sns.amazonaws.com');
    key.allowService('cloudwatch.amazonaws.com', undefined, ['kms:GenerateDataKey*', 'kms:Decrypt']);
    new EncryptedLogGroup(stack, 'Group', { name: '/acme/app', kmsKeyArn: key.arn });
  });
  const key = inNamedTest('finds the key', () => Object.values(resources.aws_kms_key)[0]);
  const policy = inNamedTest('reads the key policy', () => JSON.parse(key.policy as string));

  it('is a single-Region key unless asked (multiRegion defaults to false)', () => {
    expect(key.multi_region).toBe(false);
  });

  it('rotates, keeps the longest deletion window and refuses terraform destroy', () => {
    expect(key.enable_key_rotation).toBe(true);
    expect(key.deletion_window_in_days).toBe(30);
    expect(key.lifecycle).toEqual({ prevent_destroy: true });
  });

  it('keeps the account root as administrator and admits CloudWatch Logs of this account and region only', () => {
    expect(policy.Statement[0].Principal).toEqual({ AWS: 'arn:aws:iam::111111111111:root' });
    const logs = policy.Statement.find(
      (s: { Principal: { Service?: string } }) => s.Principal.Service === 'logs.eu-west-1.amazonaws.com',
    );
    expect(logs.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn']).toBe(
      'arn:aws:logs:eu-west-1:111111111111:log-group:*',
    );
    const sns = policy.Statement.find(
      (s: { Principal: { Service?: string } }) => s.Principal.Service === 'sns.amazonaws.com',
    );
    expect(sns.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '111111111111' } });
  });

  it('grants services the default action set, or exactly the actions asked for', () => {
    const byService = (service: string) =>
      policy.Statement.find((s: { Principal: { Service?: string } }) => s.Principal.Service === service);
    expect(byService('sns.amazonaws.com').Action).toEqual([
      'kms:Encrypt*',
      'kms:Decrypt*',
      'kms:ReEncrypt*',
      'kms:GenerateDataKey*',
      'kms:Describe*',
    ]);
    expect(byService('cloudwatch.amazonaws.com').Action).toEqual(['kms:GenerateDataKey*', 'kms:Decrypt']);
    expect(byService('cloudwatch.amazonaws.com').Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': '111111111111' },
    });
  });

  it('creates the alias', () => {
    expect(Object.values(resources.aws_kms_alias)[0]).toMatchObject({ name: 'alias/acme-logs' });
  });

  it('gives log groups a retention and the key', () => {
    const group = Object.values(resources.aws_cloudwatch_log_group)[0] as Record<string, unknown>;
    expect(group.retention_in_days).toBe(365);
    expect(group.kms_key_id).toMatch(/aws_kms_key\..*\.arn/);
  });
});

describe('validation', () => {
  it('rejects a deletion window outside 7-30 days, naming path, field, value and fix', () => {
    expect(() =>
      synth((s) => new EncryptionKey(s, 'K', { environment: env, description: 'x', deletionWindowInDays: 3 })),
    ).toThrow(new InvalidPropError('test/K', 'deletionWindowInDays', 3, 'Use a whole number from 7 to 30.'));
    expect(() =>
      synth((s) => new EncryptionKey(s, 'K', { environment: env, description: 'x', deletionWindowInDays: 3 })),
    ).toThrow('test/K: invalid deletionWindowInDays 3. Use a whole number from 7 to 30.');
  });

  it('rejects an alias given with its prefix', () => {
    expect(() =>
      synth((s) => new EncryptionKey(s, 'K', { environment: env, description: 'x', alias: 'alias/x' })),
    ).toThrow(/test\/K: invalid alias "alias\/x"\. Give the alias name without the "alias\/" prefix/);
  });

  it('rejects service grants that are empty, not KMS actions, or kms:*', () => {
    const grant = (actions: string[]) =>
      synth((s) =>
        new EncryptionKey(s, 'K', { environment: env, description: 'x' }).allowService(
          'sns.amazonaws.com',
          undefined,
          actions,
        ),
      );
    expect(() => grant([])).toThrow(
      /test\/K: invalid allowService\(sns\.amazonaws\.com\)\.actions \[\]\. List one or more KMS actions/,
    );
    expect(() => grant(['s3:GetObject'])).toThrow(
      /invalid allowService\(sns\.amazonaws\.com\)\.actions \["s3:GetObject"\]/,
    );
    expect(() => grant(['kms:*'])).toThrow(
      /invalid allowService\(sns\.amazonaws\.com\)\.actions \["kms:\*"\]\. Do not grant "kms:\*"/,
    );
  });

  it('rejects a retention CloudWatch does not accept', () => {
    expect(() =>
      synth((s) => new EncryptedLogGroup(s, 'G', { name: '/a', kmsKeyArn: 'arn', retentionInDays: 10 })),
    ).toThrow(/test\/G: invalid retentionInDays 10\. Use one of: 1, 3, 5, 7, 14/);
  });
});

it('derives the partition from the region', () => {
  expect(partitionOf('cn-north-1')).toBe('aws-cn');
  expect(partitionOf('us-gov-west-1')).toBe('aws-us-gov');
  expect(partitionOf('eu-west-1')).toBe('aws');
});

describe('account and region of a construct', () => {
  const keyWith = (environment: { accountId: string; region: string }) => () =>
    new EncryptionKey(new TerraformStack(Testing.app(), 'test'), 'Key', { environment, description: 'x' });

  it('rejects an account id that is not 12 digits, at synth', () => {
    expect(keyWith({ accountId: '12345', region: 'eu-west-1' })).toThrow(
      'test/Key: invalid environment.accountId "12345". Give the 12-digit AWS account id as a string (keep leading zeros), e.g. "012345678901".',
    );
  });

  it('rejects a malformed region', () => {
    expect(keyWith({ accountId: '111111111111', region: 'eu-west' })).toThrow(
      'test/Key: invalid environment.region "eu-west". Give an AWS region name such as "eu-west-1".',
    );
  });

  it('accepts every partition', () => {
    for (const region of ['eu-west-1', 'us-gov-west-1', 'cn-north-1', 'us-isob-east-1'])
      expect(keyWith({ accountId: '012345678901', region })).not.toThrow();
  });
});
