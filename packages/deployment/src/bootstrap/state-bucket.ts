import { Construct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { AwsEnvironment, EncryptionKey, partitionOf, requireIntegerInRange, requireProp } from '@tts-ecs/core';

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
  /** Add `lifecycle.prevent_destroy` to the bucket, its key and the lock table. @default true */
  readonly preventDestroy?: boolean;
}

/**
 * The S3 bucket that holds every stack's Terraform state: versioned, encrypted with its own KMS key (bucket key
 * on), public access blocked, ACLs disabled, TLS 1.2+ only, old state versions expired after a grace period,
 * `prevent_destroy`; optionally a KMS-encrypted DynamoDB lock table with point-in-time recovery.
 */
export class StateBucket extends Construct {
  readonly bucketName: string;
  readonly arn: string;
  readonly key: EncryptionKey;
  readonly lockTable?: DynamodbTable;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    const noncurrentDays = props.noncurrentVersionExpirationDays ?? 90;
    requireIntegerInRange(this, 'noncurrentVersionExpirationDays', noncurrentDays, 1, 36500);
    const keep = props.newerNoncurrentVersions ?? 10;
    requireIntegerInRange(this, 'newerNoncurrentVersions', keep, 1, 100);
    requireProp(
      this,
      /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(props.bucketName),
      'bucketName',
      props.bucketName,
      'Use 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.',
    );
    const preventDestroy = props.preventDestroy ?? true;
    this.arn = `arn:${partitionOf(props.environment.region)}:s3:::${props.bucketName}`;

    this.key = new EncryptionKey(this, 'Key', {
      environment: props.environment,
      description: `Terraform state in s3://${props.bucketName}`,
      preventDestroy,
    });
    const bucketResource = new S3Bucket(this, 'Bucket', {
      bucket: props.bucketName,
      forceDestroy: false,
      lifecycle: { preventDestroy },
    });
    this.bucketName = bucketResource.bucket;
    const bucket = bucketResource.id;

    new S3BucketVersioningA(this, 'Versioning', { bucket, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'Encryption', {
      bucket,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: this.key.arn },
          bucketKeyEnabled: true,
        },
      ],
    });
    const publicAccessBlock = new S3BucketPublicAccessBlock(this, 'PublicAccessBlock', {
      bucket,
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'Ownership', { bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketLifecycleConfiguration(this, 'Lifecycle', {
      bucket,
      rule: [
        {
          id: 'expire-old-state-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays, newerNoncurrentVersions: keep }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    const resources = [this.arn, `${this.arn}/*`];
    new S3BucketPolicy(this, 'Policy', {
      bucket,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: resources,
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
          {
            Sid: 'DenyOutdatedTls',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: resources,
            Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } },
          },
        ],
      }),
      dependsOn: [publicAccessBlock],
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
