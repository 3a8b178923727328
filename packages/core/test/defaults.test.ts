// Every documented `@default` of the core constructs that no other test pins: each construct is built once with its
// required props only, and each default has an assertion naming the prop, so changing a default fails here.
// Already pinned elsewhere: EncryptedLogGroup.retentionInDays (core.test.ts), PolicyStatement (iam.test.ts).
import { env, inNamedTest, only, synth } from '@tts-ecs/testing';
import { EncryptionKey } from '../src';

describe('EncryptionKey defaults', () => {
  let key!: EncryptionKey;
  const r = synth((stack) => {
    key = new EncryptionKey(stack, 'Key', { environment: env, description: 'defaults' });
  });
  const kms = inNamedTest('finds the aws_kms_key', () => only(r, 'aws_kms_key'));

  it('has no alias', () => {
    // alias @default no alias
    expect(r.aws_kms_alias).toBeUndefined();
    expect(key.aliasName).toBeUndefined();
  });

  it('does not admit CloudWatch Logs', () => {
    // allowCloudWatchLogs @default false
    const policy = JSON.parse(kms.policy as string);
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['AccountRootAdministers']);
    expect(kms.policy).not.toContain('logs.eu-west-1.amazonaws.com');
  });

  it('waits 30 days before deletion', () => {
    // deletionWindowInDays @default 30 (the maximum)
    expect(kms.deletion_window_in_days).toBe(30);
  });

  it('is a single-Region key', () => {
    // multiRegion @default false
    expect(kms.multi_region).toBe(false);
  });

  it('refuses terraform destroy', () => {
    // preventDestroy @default true
    expect(kms.lifecycle).toEqual({ prevent_destroy: true });
  });
});
