import { Construct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { AwsEnvironment, EncryptionKey } from '@tts-ecs/core';
import { SecureBucket } from '@tts-ecs/data';

export interface StateBucketProps {
  /** Account and region of the bucket. Required. */
  readonly environment: AwsEnvironment;
  /** Bucket name (the deployment config's `stateBackend.bucket`). Required. */
  readonly bucketName: string;
  /**
   * Days a superseded state version is kept before it expires (the way back from a bad apply).
   * @default 90
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Superseded versions of each state file kept regardless of age.
   * @default 10
   */
  readonly newerNoncurrentVersions?: number;
  /**
   * DynamoDB lock table, only for Terraform < 1.10 (newer versions lock with `use_lockfile` in the bucket).
   * @default none
   */
  readonly lockTableName?: string;
  /**
   * Bucket that receives the S3 server access logs of the state bucket (who read or wrote which state file), under
   * `<bucketName>/`. It must use SSE-S3 and admit `logging.s3.amazonaws.com` (`SecureBucket.allowServerAccessLogs`).
   * @default none: pass one (BootstrapStack does)
   */
  readonly accessLogsBucket?: string;
  /** Add `lifecycle.prevent_destroy` to the bucket, its key and the lock table. @default true */
  readonly preventDestroy?: boolean;
}

/**
 * The S3 bucket that holds every stack's Terraform state: a {@link SecureBucket} (versioned, its own KMS key with the
 * bucket key on, public access blocked, ACLs disabled, TLS 1.2+ only, `prevent_destroy`, so a hardening of the generic
 * bucket reaches the state bucket too) that keeps the last 10 state versions whatever their age; optionally a
 * KMS-encrypted DynamoDB lock table with point-in-time recovery.
 */
export class StateBucket extends SecureBucket {
  /** The bucket's own KMS key. */
  declare readonly key: EncryptionKey;
  readonly lockTable?: DynamodbTable;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    const preventDestroy = props.preventDestroy ?? true;
    super(scope, id, {
      environment: props.environment,
      bucketName: props.bucketName,
      encryption: 'kms',
      keyDescription: `Terraform state in s3://${props.bucketName}`,
      versioned: true,
      noncurrentVersionExpirationDays: props.noncurrentVersionExpirationDays ?? 90,
      newerNoncurrentVersions: props.newerNoncurrentVersions ?? 10,
      preventDestroy,
      ...(props.accessLogsBucket !== undefined ? { accessLogs: { targetBucket: props.accessLogsBucket } } : {}),
    });
    if (props.lockTableName !== undefined) {
      this.lockTable = new DynamodbTable(this, 'LockTable', {
        name: props.lockTableName,
        billingMode: 'PAY_PER_REQUEST',
        hashKey: 'LockID', // the attribute Terraform's S3 backend locks on
        attribute: [{ name: 'LockID', type: 'S' }],
        serverSideEncryption: { enabled: true, kmsKeyArn: this.key.arn },
        pointInTimeRecovery: { enabled: true },
        deletionProtectionEnabled: true,
        lifecycle: { preventDestroy },
      });
    }
  }
}
