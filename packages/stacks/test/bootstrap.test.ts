import * as path from 'path';
import { Testing } from 'cdktf';
import { loadDeploymentConfig } from '@tts-ecs/config';
import { inNamedTest } from '@tts-ecs/testing';
import { BootstrapStack, StateBucket } from '../src';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const example = loadDeploymentConfig(path.join(__dirname, '../../../deployments/example.json'));
const config = { ...example, stateBackend: { ...example.stateBackend, lockTable: 'acme-tf-locks' } };
// The state bucket's resource of a type (the stack also holds its access-log bucket and backup vault).
const one = (stack: Json, type: string): Json => {
  const entries = Object.entries(stack.resource[type] ?? {}) as [string, Json][];
  return (entries.find(([id]) => id.startsWith('StateBucket_')) ?? entries[0])?.[1];
};
const byId = (stack: Json, type: string, prefix: string): Json[] =>
  (Object.entries(stack.resource[type] ?? {}) as [string, Json][])
    .filter(([id]) => id.startsWith(prefix))
    .map(([, r]) => r);

describe('BootstrapStack', () => {
  const stack: Json = inNamedTest('synthesizes the bootstrap stack', () =>
    JSON.parse(Testing.synth(new BootstrapStack(Testing.app(), { config }))),
  );

  it('logs every access to the state bucket into its own SSE-S3 log bucket, which is not logged itself', () => {
    expect(one(stack, 'aws_s3_bucket_logging')).toMatchObject({
      target_bucket: 'acme-prod-tfstate-logs-111111111111',
      target_prefix: 'acme-tts-ecs-state/',
    });
    expect(Object.keys(stack.resource.aws_s3_bucket_logging)).toHaveLength(1);
    const [logs] = byId(stack, 'aws_s3_bucket', 'StateAccessLogs_');
    expect(logs).toMatchObject({ bucket: 'acme-prod-tfstate-logs-111111111111', lifecycle: { prevent_destroy: true } });
    const [encryption] = byId(stack, 'aws_s3_bucket_server_side_encryption_configuration', 'StateAccessLogs_');
    expect(encryption.rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: 'AES256' });
    const [lifecycle] = byId(stack, 'aws_s3_bucket_lifecycle_configuration', 'StateAccessLogs_');
    expect(lifecycle.rule[0].expiration).toEqual([{ days: 365 }]);
    const [policy] = byId(stack, 'aws_s3_bucket_policy', 'StateAccessLogs_');
    const admit = JSON.parse(policy.policy).Statement.find(
      (st: Json) => st.Principal?.Service === 'logging.s3.amazonaws.com',
    );
    expect(admit.Condition.ArnLike['aws:SourceArn']).toEqual(['arn:aws:s3:::acme-tts-ecs-state']);
  });

  it('backs the state bucket up daily into its own encrypted vault, for data.backup.retentionDays', () => {
    expect(one(stack, 'aws_backup_vault')).toMatchObject({
      name: 'acme-prod-tfstate',
      lifecycle: { prevent_destroy: true },
    });
    expect(one(stack, 'aws_backup_selection').resources).toEqual(['arn:aws:s3:::acme-tts-ecs-state']);
    expect(one(stack, 'aws_backup_plan').rule[0].lifecycle).toEqual({ delete_after: 35 });
  });

  it('keeps its own state locally, outside the synth output folder', () => {
    expect(stack.terraform.backend).toEqual({
      local: { path: '../../../../.tts-ecs/bootstrap/acme-prod-bootstrap.tfstate' },
    });
  });

  it('uses the state bucket region and the primary account', () => {
    expect(stack.provider.aws[0]).toMatchObject({ region: 'eu-west-1', allowed_account_ids: ['111111111111'] });
  });

  it('creates the state bucket with prevent_destroy, versioning and KMS encryption', () => {
    expect(one(stack, 'aws_s3_bucket')).toMatchObject({
      bucket: 'acme-tts-ecs-state',
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
    expect(one(stack, 'aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
    const rule = one(stack, 'aws_s3_bucket_server_side_encryption_configuration').rule[0];
    expect(rule.apply_server_side_encryption_by_default.sse_algorithm).toBe('aws:kms');
    expect(rule.apply_server_side_encryption_by_default.kms_master_key_id).toMatch(/aws_kms_key\..*\.arn/);
    expect(one(stack, 'aws_kms_key')).toMatchObject({
      enable_key_rotation: true,
      lifecycle: { prevent_destroy: true },
    });
  });

  it('blocks public access and denies requests without TLS 1.2', () => {
    expect(one(stack, 'aws_s3_bucket_public_access_block')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    const policy = JSON.parse(one(stack, 'aws_s3_bucket_policy').policy);
    expect(policy.Statement.map((s: Json) => [s.Effect, s.Condition])).toEqual([
      ['Deny', { Bool: { 'aws:SecureTransport': 'false' } }],
      ['Deny', { NumericLessThan: { 's3:TlsVersion': '1.2' } }],
    ]);
  });

  it('expires old state versions but keeps the newest ten', () => {
    const rule = one(stack, 'aws_s3_bucket_lifecycle_configuration').rule[0];
    expect(rule.noncurrent_version_expiration).toEqual([{ noncurrent_days: 90, newer_noncurrent_versions: 10 }]);
  });

  it('creates the optional lock table, encrypted and protected', () => {
    expect(one(stack, 'aws_dynamodb_table')).toMatchObject({
      name: 'acme-tf-locks',
      hash_key: 'LockID',
      billing_mode: 'PAY_PER_REQUEST',
      server_side_encryption: { enabled: true },
      point_in_time_recovery: { enabled: true },
      deletion_protection_enabled: true,
      lifecycle: { prevent_destroy: true },
    });
  });

  it('can keep its state in the bucket it created', () => {
    const s3: Json = JSON.parse(Testing.synth(new BootstrapStack(Testing.app(), { config: example, backend: 's3' })));
    expect(s3.terraform.backend.s3).toEqual({
      bucket: 'acme-tts-ecs-state',
      key: 'prod/bootstrap.tfstate',
      region: 'eu-west-1',
      encrypt: true,
      use_lockfile: true,
    });
    expect(s3.resource.aws_dynamodb_table).toBeUndefined();
  });
});

describe('StateBucket rejects', () => {
  const environment = { accountId: '111111111111', region: 'eu-west-1' };
  const make = (props: Partial<ConstructorParameters<typeof StateBucket>[2]>) => () =>
    new StateBucket(Testing.stubVersion(Testing.app()) as never, 'State', {
      environment,
      bucketName: 'state-bucket',
      ...props,
    });

  it('a retention of 0 days', () => {
    expect(make({ noncurrentVersionExpirationDays: 0 })).toThrow(
      'State: invalid noncurrentVersionExpirationDays 0. Use a whole number from 1 to 36500.',
    );
  });

  it('keeping no old versions', () => {
    expect(make({ newerNoncurrentVersions: 0 })).toThrow(
      'State: invalid newerNoncurrentVersions 0. Use a whole number from 1 to 100.',
    );
  });

  it('an invalid bucket name', () => {
    expect(make({ bucketName: 'Bad_Bucket' })).toThrow(
      'State: invalid bucketName "Bad_Bucket". Use only lower-case letters, digits and hyphens, starting and ending with a letter or digit.',
    );
  });
});
