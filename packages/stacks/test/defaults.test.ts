// Every documented `@default` of the stacks constructs that no other test pins: each construct is built once (one
// synth) with its required props only, and each default has an assertion naming the prop, so changing a default fails
// here. BootstrapStack.backend ('local') is pinned by bootstrap.test.ts.
import { Resources, env, synth } from '@tts-ecs/testing';
import { StateBucket } from '../src';

/** The resource of `type` under the construct `id` (its logical id starts with `<id>_`). */
const under = (r: Resources, type: string, id: string): Record<string, unknown>[] =>
  Object.entries(r[type] ?? {})
    .filter(([key]) => key.startsWith(`${id}_`))
    .map(([, resource]) => resource);

describe('StateBucket defaults', () => {
  const r = synth((s) => {
    // Required props only.
    new StateBucket(s, 'State', { environment: env, bucketName: 'acme-state' });
    // A lock table, to read its prevent_destroy default.
    new StateBucket(s, 'Locked', { environment: env, bucketName: 'acme-locked-state', lockTableName: 'acme-locks' });
  });
  it('expires superseded versions after 90 days, keeping the newest 10', () => {
    const [lifecycle] = under(r, 'aws_s3_bucket_lifecycle_configuration', 'State');
    const [rule] = lifecycle.rule as Record<string, unknown>[];
    // noncurrentVersionExpirationDays @default 90; newerNoncurrentVersions @default 10
    expect(rule.noncurrent_version_expiration).toEqual([{ noncurrent_days: 90, newer_noncurrent_versions: 10 }]);
  });

  it('creates no lock table', () => {
    // lockTableName @default none
    expect(under(r, 'aws_dynamodb_table', 'State')).toEqual([]);
  });

  it('writes no access logs', () => {
    // accessLogsBucket @default none
    expect(under(r, 'aws_s3_bucket_logging', 'State')).toEqual([]);
  });

  it('refuses terraform destroy of the bucket, its key and the lock table', () => {
    // preventDestroy @default true
    expect(under(r, 'aws_s3_bucket', 'State')).toEqual([
      expect.objectContaining({ bucket: 'acme-state', lifecycle: { prevent_destroy: true } }),
    ]);
    expect(under(r, 'aws_kms_key', 'State')).toEqual([
      expect.objectContaining({ lifecycle: { prevent_destroy: true } }),
    ]);
    expect(under(r, 'aws_dynamodb_table', 'Locked')).toEqual([
      expect.objectContaining({ name: 'acme-locks', lifecycle: { prevent_destroy: true } }),
    ]);
  });
});
