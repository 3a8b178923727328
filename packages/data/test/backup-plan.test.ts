import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { BackupPlan, BackupPlanProps } from '../src';
import { all, env, only, synth } from '@tts-ecs/testing';

const AURORA = 'arn:aws:rds:eu-west-1:111111111111:cluster:acme-prod';
const BUCKET = 'arn:aws:s3:::acme-state';

describe('BackupPlan defaults', () => {
  const resources = synth(
    (stack) => new BackupPlan(stack, 'Backup', { environment: env, name: 'acme-prod', resourceArns: [AURORA] }),
  );

  it('backs up daily at 03:00 UTC and keeps each recovery point 35 days, without a copy', () => {
    const [rule] = only(resources, 'aws_backup_plan').rule as Record<string, unknown>[];
    expect(rule).toMatchObject({ rule_name: 'daily', schedule: 'cron(0 3 * * ? *)', lifecycle: { delete_after: 35 } });
    expect(rule.copy_action).toBeUndefined();
  });

  it('keeps the vault under a new customer key, refusing terraform destroy of either', () => {
    const vault = only(resources, 'aws_backup_vault');
    expect(vault).toMatchObject({ name: 'acme-prod', force_destroy: false, lifecycle: { prevent_destroy: true } });
    expect(vault.kms_key_arn).toMatch(/^\$\{aws_kms_key\.Backup_Key_\w+\.arn\}$/);
    expect(only(resources, 'aws_kms_key')).toMatchObject({
      enable_key_rotation: true,
      lifecycle: { prevent_destroy: true },
    });
  });

  it('selects exactly the given resources with a role only AWS Backup of this account can assume', () => {
    expect(only(resources, 'aws_backup_selection').resources).toEqual([AURORA]);
    const trust = JSON.parse(only(resources, 'aws_iam_role').assume_role_policy as string);
    expect(trust.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'backup.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
      },
    ]);
    expect(all(resources, 'aws_iam_role_policy_attachment').map((a) => a.policy_arn)).toEqual([
      'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
      'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores',
    ]);
  });
});

describe('BackupPlan with an S3 bucket, a given key, a copy and another schedule', () => {
  const resources = synth(
    (stack) =>
      new BackupPlan(stack, 'Backup', {
        environment: env,
        name: 'acme-state',
        resourceArns: [BUCKET],
        kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/k',
        schedule: 'cron(30 1 * * ? *)',
        retentionDays: 90,
        copy: { vaultArn: 'arn:aws:backup:eu-central-1:111111111111:backup-vault:acme-copy', retentionDays: 30 },
      }),
  );

  it('copies every recovery point to the other vault with its own retention', () => {
    const [rule] = only(resources, 'aws_backup_plan').rule as Record<string, unknown>[];
    expect(rule).toMatchObject({
      schedule: 'cron(30 1 * * ? *)',
      lifecycle: { delete_after: 90 },
      copy_action: [
        {
          destination_vault_arn: 'arn:aws:backup:eu-central-1:111111111111:backup-vault:acme-copy',
          lifecycle: { delete_after: 30 },
        },
      ],
    });
    expect(only(resources, 'aws_backup_vault').kms_key_arn).toBe('arn:aws:kms:eu-west-1:111111111111:key/k');
    expect(resources.aws_kms_key).toBeUndefined();
  });

  it('adds the S3 backup and restore policies for a bucket', () => {
    expect(all(resources, 'aws_iam_role_policy_attachment').map((a) => a.policy_arn)).toContain(
      'arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup',
    );
  });
});

describe('BackupPlan copying to a vault it creates in another region', () => {
  const resources = synth((stack) => {
    const provider = new AwsProvider(stack, 'dr', { region: 'eu-central-1', alias: 'dr' });
    new BackupPlan(stack, 'Backup', {
      environment: env,
      name: 'acme-prod',
      resourceArns: [AURORA],
      copy: { provider },
    });
  });

  it('creates the vault <name>-copy under a new rotating key of that region, both refusing terraform destroy', () => {
    const copyVault = all(resources, 'aws_backup_vault').find((v) => v.name === 'acme-prod-copy')!;
    expect(copyVault).toMatchObject({ provider: 'aws.dr', force_destroy: false, lifecycle: { prevent_destroy: true } });
    const copyKey = all(resources, 'aws_kms_key').find((k) => k.provider === 'aws.dr')!;
    expect(copyKey).toMatchObject({
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      lifecycle: { prevent_destroy: true },
    });
    expect(copyVault.kms_key_arn).toMatch(/^\$\{aws_kms_key\.Backup_CopyKey_\w+\.arn\}$/);
    const [rule] = only(resources, 'aws_backup_plan').rule as Record<string, unknown>[];
    expect(rule.copy_action).toEqual([
      {
        destination_vault_arn: expect.stringMatching(/^\$\{aws_backup_vault\.Backup_CopyVault_\w+\.arn\}$/),
        lifecycle: { delete_after: 35 },
      },
    ]);
  });
});

describe('BackupPlan validation', () => {
  const make = (props: Partial<BackupPlanProps>) => () =>
    synth((s) => new BackupPlan(s, 'B', { environment: env, name: 'acme', resourceArns: [AURORA], ...props }));

  it('names the construct, the field, the value and the fix', () => {
    expect(make({ name: 'acme prod' })).toThrow('test/B: invalid name "acme prod". Use 1-50 letters, digits, hyphens');
    expect(make({ resourceArns: [] })).toThrow('test/B: invalid resourceArns []. Give at least one resource ARN');
    expect(make({ resourceArns: ['vol-123'] })).toThrow('test/B: invalid resourceArns "vol-123". Give resource ARNs');
    expect(make({ schedule: 'daily' })).toThrow('test/B: invalid schedule "daily". Use an AWS cron expression');
    expect(make({ retentionDays: 0 })).toThrow('test/B: invalid retentionDays 0. Use a whole number from 1 to 36500.');
    expect(make({ copy: { vaultArn: 'acme-copy' } })).toThrow(
      'test/B: invalid copy.vaultArn "acme-copy". Give the destination vault ARN',
    );
  });
});
