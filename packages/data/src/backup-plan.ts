import { Construct } from 'constructs';
import { TerraformProvider, Token } from 'cdktf';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { BackupPlan as BackupPlanResource } from '@cdktf/provider-aws/lib/backup-plan';
import { BackupSelection } from '@cdktf/provider-aws/lib/backup-selection';
import { BackupVault } from '@cdktf/provider-aws/lib/backup-vault';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import {
  AwsEnvironment,
  EncryptionKey,
  assumeRolePolicy,
  partitionOf,
  requireEnvironment,
  requireIntegerInRange,
  requireNonEmpty,
  requireProp,
} from '@tts-ecs/core';

/**
 * A copy of every recovery point to a vault elsewhere (another region, for disaster recovery): an existing vault
 * (`vaultArn`), or a new one created through `provider` (an AWS provider of the other region) under a new customer key
 * of that region, named `<name>-copy`, with `prevent_destroy`.
 */
export type BackupCopy = (
  | {
      /** ARN of the destination vault (`arn:<partition>:backup:<region>:<account>:backup-vault:<name>`). */
      readonly vaultArn: string;
    }
  | {
      /** AWS provider of the destination region; the vault and its key are created through it. */
      readonly provider: TerraformProvider;
    }
) & {
  /** Days the copies are kept. @default the plan's `retentionDays` */
  readonly retentionDays?: number;
};

export interface BackupPlanProps {
  /** Account and region of the vault and plan. */
  readonly environment: AwsEnvironment;
  /** Name of the vault, plan and role: letters, digits, hyphens and underscores (1-50). */
  readonly name: string;
  /** ARNs of what to back up: Aurora clusters, EFS file systems, S3 buckets, DynamoDB tables, EBS volumes... */
  readonly resourceArns: readonly string[];
  /** KMS key of the vault (recovery points are encrypted with it). @default a new EncryptionKey */
  readonly kmsKeyArn?: string;
  /** When the daily backup starts: an AWS Backup cron expression in UTC. @default 'cron(0 3 * * ? *)' (03:00 UTC) */
  readonly schedule?: string;
  /** Days each recovery point is kept (1-36500). @default 35 */
  readonly retentionDays?: number;
  /** Copy every recovery point to another vault. @default no copy */
  readonly copy?: BackupCopy;
  /** Add `lifecycle.prevent_destroy` to the vault (deleting it needs every recovery point gone first). @default true */
  readonly preventDestroy?: boolean;
}

/**
 * Daily AWS Backup of the given resources into a KMS-encrypted vault, kept `retentionDays`, optionally copied to a
 * vault in another region. The plan's role gets AWS's managed backup and restore policies (plus the S3 ones when an
 * S3 bucket is selected; S3 backups need versioning on the bucket).
 */
export class BackupPlan extends Construct {
  /** ARN of the vault. */
  readonly vaultArn: string;
  /** Name of the vault. */
  readonly vaultName: string;
  /** ARN of the KMS key of the vault. */
  readonly kmsKeyArn: string;
  /** ARN of the role AWS Backup assumes. */
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: BackupPlanProps) {
    super(scope, id);
    requireEnvironment(this, props.environment);
    requireProp(
      this,
      /^[A-Za-z0-9_-]{1,50}$/.test(props.name),
      'name',
      props.name,
      'Use 1-50 letters, digits, hyphens and underscores.',
    );
    requireNonEmpty(this, 'resourceArns', props.resourceArns, 'Give at least one resource ARN to back up.');
    for (const arn of props.resourceArns) {
      requireProp(
        this,
        Token.isUnresolved(arn) || /^arn:aws[\w-]*:[a-z0-9-]+:/.test(arn),
        'resourceArns',
        arn,
        'Give resource ARNs (arn:aws:rds:..., arn:aws:elasticfilesystem:..., arn:aws:s3:::...).',
      );
    }
    const schedule = props.schedule ?? 'cron(0 3 * * ? *)';
    requireProp(
      this,
      /^cron\((\S+ ){5}\S+\)$/.test(schedule),
      'schedule',
      schedule,
      'Use an AWS cron expression with six fields, e.g. "cron(0 3 * * ? *)" for 03:00 UTC daily.',
    );
    const retentionDays = props.retentionDays ?? 35;
    requireIntegerInRange(this, 'retentionDays', retentionDays, 1, 36500);
    if (props.copy && 'vaultArn' in props.copy) {
      requireProp(
        this,
        Token.isUnresolved(props.copy.vaultArn) ||
          /^arn:aws[\w-]*:backup:[a-z0-9-]+:\d{12}:backup-vault:/.test(props.copy.vaultArn),
        'copy.vaultArn',
        props.copy.vaultArn,
        'Give the destination vault ARN: arn:aws:backup:<region>:<account>:backup-vault:<name>.',
      );
    }
    if (props.copy)
      requireIntegerInRange(this, 'copy.retentionDays', props.copy.retentionDays ?? retentionDays, 1, 36500);
    const partition = partitionOf(props.environment.region);
    const preventDestroy = props.preventDestroy ?? true;

    this.kmsKeyArn =
      props.kmsKeyArn ??
      new EncryptionKey(this, 'Key', {
        environment: props.environment,
        description: `AWS Backup vault ${props.name}`,
        preventDestroy,
      }).arn;
    const vault = new BackupVault(this, 'Vault', {
      name: props.name,
      kmsKeyArn: this.kmsKeyArn,
      forceDestroy: false,
      lifecycle: { preventDestroy },
    });
    this.vaultArn = vault.arn;
    this.vaultName = vault.name;
    const copyVaultArn =
      props.copy && ('vaultArn' in props.copy ? props.copy.vaultArn : this.copyVault(props, props.copy.provider));

    const plan = new BackupPlanResource(this, 'Plan', {
      name: props.name,
      rule: [
        {
          ruleName: 'daily',
          targetVaultName: vault.name,
          schedule,
          startWindow: 60,
          completionWindow: 360,
          lifecycle: { deleteAfter: retentionDays },
          ...(props.copy && copyVaultArn
            ? {
                copyAction: [
                  {
                    destinationVaultArn: copyVaultArn,
                    lifecycle: { deleteAfter: props.copy.retentionDays ?? retentionDays },
                  },
                ],
              }
            : {}),
        },
      ],
    });

    const role = new IamRole(this, 'Role', {
      name: `${props.name}-backup`,
      assumeRolePolicy: assumeRolePolicy('backup.amazonaws.com', props.environment.accountId),
    });
    this.roleArn = role.arn;
    const s3 = props.resourceArns.some((arn) => /^arn:aws[\w-]*:s3:::/.test(arn));
    // AWS managed policies: the backup and restore ones sit under service-role/, the S3 ones do not.
    const policies = [
      'service-role/AWSBackupServiceRolePolicyForBackup',
      'service-role/AWSBackupServiceRolePolicyForRestores',
      ...(s3 ? ['AWSBackupServiceRolePolicyForS3Backup', 'AWSBackupServiceRolePolicyForS3Restore'] : []),
    ];
    for (const policy of policies) {
      new IamRolePolicyAttachment(this, `Policy-${policy.replace('service-role/', '')}`, {
        role: role.name,
        policyArn: `arn:${partition}:iam::aws:policy/${policy}`,
      });
    }
    new BackupSelection(this, 'Selection', {
      name: props.name,
      planId: plan.id,
      iamRoleArn: role.arn,
      resources: [...props.resourceArns],
    });
  }

  /** The destination vault `<name>-copy` and its key, created through the other region's provider. */
  private copyVault(props: BackupPlanProps, provider: TerraformProvider): string {
    const preventDestroy = props.preventDestroy ?? true;
    // No key policy given: the default one keeps the account root as administrator, like EncryptionKey's.
    const key = new KmsKey(this, 'CopyKey', {
      provider,
      description: `AWS Backup copies of ${props.name}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      lifecycle: { preventDestroy },
    });
    return new BackupVault(this, 'CopyVault', {
      provider,
      name: `${props.name}-copy`,
      kmsKeyArn: key.arn,
      forceDestroy: false,
      lifecycle: { preventDestroy },
    }).arn;
  }
}
