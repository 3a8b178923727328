import { Construct } from 'constructs';
import { Annotations, Lazy, Token } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import {
  AwsEnvironment,
  EncryptionKey,
  partitionOf,
  requireIntegerInRange,
  requireOneOf,
  requireProp,
  PolicyStatement,
  policyDocument,
  requireEnvironment,
} from '@tts-ecs/core';
import { validateBucketName } from './bucket-name';
import { SeedObject } from './seed-object';
import { albLogDeliveryStatement } from './alb-log-delivery';
import { logDeliveryStatements, serverAccessLogStatement } from './bucket-log-statements';
import { cloudFrontReadStatement } from './bucket-cloudfront-statement';

export type BucketEncryption = 'kms' | 's3-managed';

export interface SecureBucketProps {
  /** Account and region of the bucket (used for ARNs, the created key and log delivery conditions). */
  readonly environment: AwsEnvironment;
  /**
   * Globally unique bucket name: 3-63 characters, lower-case letters, digits and hyphens, starting and ending with a
   * letter or digit. Dots are rejected because they break TLS for virtual-hosted-style URLs.
   */
  readonly bucketName: string;
  /**
   * Server-side encryption. `kms` uses a customer-managed key (`kmsKeyArn`, or a new {@link EncryptionKey}).
   * `s3-managed` (SSE-S3) is for consumers that cannot use a customer key: S3 server access logs, ALB access logs,
   * and anonymous readers of {@link SecureBucket.allowPublicObjectRead}.
   * @default 'kms'
   */
  readonly encryption?: BucketEncryption;
  /**
   * ARN of the KMS key for `encryption: 'kms'`. Its key policy must admit whoever reads and writes the bucket.
   * @default a new EncryptionKey (rotation on, prevent_destroy)
   */
  readonly kmsKeyArn?: string;
  /**
   * Keep every version of every object, so overwrites and deletes can be undone.
   * @default true
   */
  readonly versioned?: boolean;
  /**
   * Days after which non-current object versions are deleted.
   * @default 90
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Non-current versions of each object kept whatever their age (the newest ones), e.g. for Terraform state.
   * @default none: age alone decides
   */
  readonly newerNoncurrentVersions?: number;
  /**
   * Description of the KMS key the bucket creates (without `kmsKeyArn`).
   * @default `S3 bucket <bucketName>`
   */
  readonly keyDescription?: string;
  /**
   * Days after which current objects expire (become non-current, or are deleted when unversioned), e.g. for a log
   * bucket. Non-current versions then follow `noncurrentVersionExpirationDays`.
   * @default none: objects are kept until deleted
   */
  readonly expirationDays?: number;
  /**
   * Days after which incomplete multipart uploads are aborted (their parts cost money and are invisible).
   * @default 7
   */
  readonly abortIncompleteMultipartUploadDays?: number;
  /**
   * Deliver S3 server access logs to another bucket. The target must use `s3-managed` encryption
   * (S3 server access logging does not support SSE-KMS destinations) and allow `logging.s3.amazonaws.com`.
   * @default no access logging
   */
  readonly accessLogs?: { readonly targetBucket: string; readonly prefix?: string };
  /**
   * Add `lifecycle.prevent_destroy` so `terraform destroy` cannot delete the bucket (nor the key it creates).
   * `force_destroy` is never set.
   * @default true
   */
  readonly preventDestroy?: boolean;
}

/** Options for {@link SecureBucket.allowLogDelivery}. */
export interface LogDeliveryOptions {
  /** Key prefix the load balancer writes under (without `AWSLogs`, no leading or trailing slash). @default no prefix */
  readonly prefix?: string;
  /** Account that owns the load balancer. @default the bucket's account */
  readonly sourceAccountId?: string;
}

/**
 * An S3 bucket with the settings a security review expects: encryption (KMS by default), versioning, all four public
 * access blocks, BucketOwnerEnforced (no ACLs), a bucket policy that denies non-TLS requests, lifecycle rules for
 * non-current versions and multipart uploads, and `prevent_destroy`.
 */
export class SecureBucket extends Construct {
  /** Bucket name. */
  readonly bucketName: string;
  /** Bucket ARN (`arn:<partition>:s3:::<name>`). */
  readonly arn: string;
  /** Regional domain name, e.g. for public object URLs. */
  readonly regionalDomainName: string;
  /** ARN of the KMS key when `encryption` is `kms`. */
  readonly kmsKeyArn?: string;
  /** The key created for the bucket, when none was given. */
  readonly key?: EncryptionKey;
  /** The bucket resource, for escape hatches. */
  readonly resource: S3Bucket;
  /** Encryption in use. */
  readonly encryption: BucketEncryption;

  private readonly environment: AwsEnvironment;
  private readonly statements: PolicyStatement[] = [];
  private publicReadPrefix?: string;
  private readonly cloudFrontGrants: { readonly arn: string; readonly prefix: string }[] = [];
  private readonly cloudFrontSourceArns: string[] = [];

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    requireEnvironment(this, props.environment);
    this.environment = props.environment;
    validateBucketName(this, props.bucketName);
    this.encryption = props.encryption ?? 'kms';
    requireOneOf(this, 'encryption', this.encryption, ['kms', 's3-managed'] as BucketEncryption[]);
    requireProp(
      this,
      !(this.encryption === 's3-managed' && props.kmsKeyArn !== undefined),
      'kmsKeyArn',
      props.kmsKeyArn,
      'A KMS key is only used with encryption "kms"; remove kmsKeyArn or set encryption to "kms".',
    );
    const noncurrentDays = props.noncurrentVersionExpirationDays ?? 90;
    requireIntegerInRange(this, 'noncurrentVersionExpirationDays', noncurrentDays, 1, 36500);
    if (props.newerNoncurrentVersions !== undefined)
      requireIntegerInRange(this, 'newerNoncurrentVersions', props.newerNoncurrentVersions, 1, 100);
    if (props.expirationDays !== undefined)
      requireIntegerInRange(this, 'expirationDays', props.expirationDays, 1, 36500);
    const abortDays = props.abortIncompleteMultipartUploadDays ?? 7;
    requireIntegerInRange(this, 'abortIncompleteMultipartUploadDays', abortDays, 1, 365);

    this.resource = new S3Bucket(this, 'Bucket', {
      bucket: props.bucketName,
      forceDestroy: false,
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    this.bucketName = this.resource.bucket;
    this.arn = `arn:${partitionOf(props.environment.region)}:s3:::${props.bucketName}`;
    this.regionalDomainName = this.resource.bucketRegionalDomainName;
    const bucket = this.resource.id;

    if (this.encryption === 'kms') {
      if (props.kmsKeyArn === undefined) {
        this.key = new EncryptionKey(this, 'Key', {
          environment: props.environment,
          description: props.keyDescription ?? `S3 bucket ${props.bucketName}`,
          preventDestroy: props.preventDestroy ?? true,
        });
      }
      this.kmsKeyArn = props.kmsKeyArn ?? this.key!.arn;
    }
    new S3BucketServerSideEncryptionConfigurationA(this, 'Encryption', {
      bucket,
      rule: [
        this.encryption === 'kms'
          ? {
              applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: this.kmsKeyArn },
              bucketKeyEnabled: true,
            }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } },
      ],
    });
    const versioned = props.versioned ?? true;
    if (versioned) {
      new S3BucketVersioningA(this, 'Versioning', { bucket, versioningConfiguration: { status: 'Enabled' } });
    }
    // Public policies stay blocked unless allowPublicObjectRead() is called; ACLs are blocked always. That call is a
    // deliberate exception to checkov CKV_AWS_54 (block_public_policy), CKV_AWS_56 (restrict_public_buckets) and
    // CKV2_AWS_6 ("Ensure that S3 bucket has a Public Access block"), which want both true.
    const publicAccessBlock = new S3BucketPublicAccessBlock(this, 'PublicAccessBlock', {
      bucket,
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: Lazy.anyValue({ produce: () => this.publicReadPrefix === undefined }) as unknown as boolean,
      restrictPublicBuckets: Lazy.anyValue({
        produce: () => this.publicReadPrefix === undefined,
      }) as unknown as boolean,
    });
    new S3BucketOwnershipControls(this, 'Ownership', { bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketLifecycleConfiguration(this, 'Lifecycle', {
      bucket,
      rule: [
        {
          id: 'expire-noncurrent-versions-and-abort-uploads',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [
            {
              noncurrentDays,
              ...(props.newerNoncurrentVersions ? { newerNoncurrentVersions: props.newerNoncurrentVersions } : {}),
            },
          ],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: abortDays }],
          ...(props.expirationDays !== undefined ? { expiration: [{ days: props.expirationDays }] } : {}),
        },
      ],
    });
    if (props.accessLogs) {
      new S3BucketLoggingA(this, 'AccessLogs', {
        bucket,
        targetBucket: props.accessLogs.targetBucket,
        targetPrefix: props.accessLogs.prefix ?? `${props.bucketName}/`,
      });
    }

    // Every request without TLS, or with TLS older than 1.2, is refused whoever makes it.
    const denyAll = (Sid: string, Condition: PolicyStatement['Condition']): PolicyStatement => ({
      Sid,
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [this.arn, `${this.arn}/*`],
      Condition,
    });
    this.statements.push(
      denyAll('DenyInsecureTransport', { Bool: { 'aws:SecureTransport': 'false' } }),
      denyAll('DenyOutdatedTls', { NumericLessThan: { 's3:TlsVersion': '1.2' } }),
    );
    new S3BucketPolicy(this, 'Policy', {
      bucket,
      policy: Lazy.stringValue({ produce: () => policyDocument(this.statements) }),
      // S3 rejects a public policy while the public access block still blocks it.
      dependsOn: [publicAccessBlock],
    });
  }

  /** Adds a statement to the bucket policy (a resource policy: include a `Principal`). */
  addToResourcePolicy(statement: PolicyStatement): void {
    this.statements.push(statement);
  }

  /**
   * Identity-policy statements that let a role read objects (optionally under `prefix`) and list the bucket,
   * plus kms:Decrypt on the bucket key.
   */
  readStatements(prefix?: string): PolicyStatement[] {
    return [
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: this.objectsArn(prefix) },
      this.listStatement(prefix),
      ...this.keyStatements(['kms:Decrypt']),
    ];
  }

  /** Like {@link readStatements}, plus writing and deleting objects and encrypting with the bucket key. */
  readWriteStatements(prefix?: string): PolicyStatement[] {
    return [
      {
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        Resource: this.objectsArn(prefix),
      },
      this.listStatement(prefix),
      ...this.keyStatements(['kms:Decrypt', 'kms:GenerateDataKey']),
    ];
  }

  /**
   * Lets the Application Load Balancers of an account (default: the bucket's) in the bucket's region write access
   * logs under `<prefix>/AWSLogs/<account>/`. ALB access logs support SSE-S3 only (AWS: "The only server-side
   * encryption option supported is Amazon S3-managed keys"), so the bucket must use `encryption: 's3-managed'`.
   * Network Load Balancers deliver differently: {@link allowLogDelivery}.
   */
  allowAlbLogDelivery(options: LogDeliveryOptions = {}): void {
    const account = options.sourceAccountId ?? this.environment.accountId;
    const prefix = options.prefix ?? '';
    requireProp(
      this,
      this.encryption === 's3-managed',
      'encryption',
      this.encryption,
      'Application Load Balancers write access logs only to SSE-S3 buckets: give this bucket encryption "s3-managed".',
    );
    requireProp(
      this,
      !/(^\/|\/$)/.test(prefix) && !prefix.includes('AWSLogs'),
      'allowAlbLogDelivery.prefix',
      prefix,
      'Give the prefix without leading or trailing "/" and without "AWSLogs" (the service appends AWSLogs/<account>/).',
    );
    this.addStatements([albLogDeliveryStatement(this.arn, this.environment, account, prefix)]);
  }

  /**
   * Lets Network Load Balancer access logs (legacy S3 delivery) be written under `<prefix>/AWSLogs/<account>/`, by the
   * `delivery.logs.amazonaws.com` principal limited to the source account. NLBs write access logs for TLS listeners only.
   * Works with `s3-managed` encryption and with a customer-managed KMS key: a key created by this bucket is extended to
   * admit the log delivery service; a key passed in as `kmsKeyArn` must admit `delivery.logs.amazonaws.com` itself.
   * (Application Load Balancer logs support SSE-S3 only and use other principals; they are not covered here.)
   */
  allowLogDelivery(options: LogDeliveryOptions = {}): void {
    const account = options.sourceAccountId ?? this.environment.accountId;
    const prefix = options.prefix ?? '';
    requireProp(
      this,
      !/(^\/|\/$)/.test(prefix) && !prefix.includes('AWSLogs'),
      'allowLogDelivery.prefix',
      prefix,
      'Give the prefix without leading or trailing "/" and without "AWSLogs" (the service appends AWSLogs/<account>/).',
    );
    this.addStatements(logDeliveryStatements(this.arn, this.environment, account, prefix));
    if (this.key) {
      this.key.allowService('delivery.logs.amazonaws.com', { StringEquals: { 'aws:SourceAccount': account } });
    } else if (this.encryption === 'kms') {
      Annotations.of(this).addInfo(
        'allowLogDelivery: the KMS key passed as kmsKeyArn must allow delivery.logs.amazonaws.com to use it (kms:GenerateDataKey*).',
      );
    }
  }

  /**
   * Makes this bucket a destination of S3 server access logs from `sourceBucketNames` (same account), written under
   * `prefix` by `logging.s3.amazonaws.com`. S3 server access logging cannot write to SSE-KMS buckets, so this
   * requires `encryption: 's3-managed'`.
   */
  allowServerAccessLogs(sourceBucketNames: readonly string[], prefix = ''): void {
    requireProp(
      this,
      this.encryption === 's3-managed',
      'encryption',
      this.encryption,
      'S3 server access logs can only be delivered to a bucket with encryption "s3-managed".',
    );
    this.addStatements([serverAccessLogStatement(this.arn, this.environment, sourceBucketNames, prefix)]);
  }

  /**
   * Lets the CloudFront distribution `distributionArn` read objects (under `prefix`) through an origin access control:
   * a bucket policy statement for `cloudfront.amazonaws.com` limited by `AWS:SourceArn`. A key created by this bucket
   * lets the granted distributions use kms:Decrypt (same condition); a key passed in as `kmsKeyArn` must admit
   * `cloudfront.amazonaws.com` itself. Repeating a call adds nothing.
   */
  grantCloudFrontRead(distributionArn: string, prefix = ''): void {
    requireProp(
      this,
      Token.isUnresolved(distributionArn) ||
        /^arn:aws[a-z-]*:cloudfront::\d{12}:distribution\/[A-Z0-9]+$/.test(distributionArn ?? ''),
      'grantCloudFrontRead.distributionArn',
      distributionArn,
      'Give the distribution ARN, "arn:aws:cloudfront::<account>:distribution/<id>" (Distribution.distributionArn).',
    );
    requireProp(
      this,
      !prefix.includes('*') && !prefix.startsWith('/'),
      'grantCloudFrontRead.prefix',
      prefix,
      'Give a plain key prefix without wildcards or leading "/".',
    );
    if (this.cloudFrontGrants.some((g) => g.arn === distributionArn && g.prefix === prefix)) return;
    this.cloudFrontGrants.push({ arn: distributionArn, prefix });
    const sid = `CloudFrontRead${this.cloudFrontGrants.length}`;
    this.statements.push(cloudFrontReadStatement(sid, this.arn, distributionArn, prefix));
    if (!this.cloudFrontSourceArns.includes(distributionArn)) this.cloudFrontSourceArns.push(distributionArn);
    if (this.key) {
      // The condition holds the array itself: the key policy is rendered at synth, listing every distribution by then.
      const condition = { StringEquals: { 'AWS:SourceArn': this.cloudFrontSourceArns } };
      this.key.allowService('cloudfront.amazonaws.com', condition, ['kms:Decrypt']);
    } else if (this.encryption === 'kms') {
      Annotations.of(this).addInfo(
        'grantCloudFrontRead: the KMS key passed as kmsKeyArn must allow cloudfront.amazonaws.com kms:Decrypt (AWS:SourceArn = the distribution).',
      );
    }
  }

  /**
   * DELIBERATE EXCEPTION to "no public access": makes objects (under `prefix`, if given) readable by anyone on the
   * internet through s3:GetObject. Listing and writing stay private. This relaxes the public access block's
   * `block_public_policy` and `restrict_public_buckets` for this bucket only (ACLs stay blocked), so use it only for
   * content meant to be public, such as profile pictures served by URL. Requires `encryption: 's3-managed'`:
   * anonymous callers cannot use a KMS key, so SSE-KMS objects could not be served.
   */
  allowPublicObjectRead(options: { readonly prefix?: string } = {}): void {
    requireProp(
      this,
      this.encryption === 's3-managed',
      'encryption',
      this.encryption,
      'allowPublicObjectRead needs encryption "s3-managed": anonymous readers cannot decrypt objects encrypted with a KMS key.',
    );
    requireProp(
      this,
      this.publicReadPrefix === undefined,
      'allowPublicObjectRead',
      options.prefix ?? '',
      'Call allowPublicObjectRead at most once per bucket.',
    );
    const prefix = options.prefix ?? '';
    requireProp(
      this,
      !prefix.includes('*'),
      'allowPublicObjectRead.prefix',
      prefix,
      'Give a plain key prefix without wildcards.',
    );
    this.publicReadPrefix = prefix;
    // Deliberate exception to checkov CKV_AWS_70 ("Ensure S3 bucket does not allow an action with any Principal"), and
    // through the relaxed public access block to CKV_AWS_54, CKV_AWS_56 and CKV2_AWS_6: anonymous s3:GetObject is the
    // point of this method (content served by URL); listing, writing and ACLs stay blocked.
    this.statements.push({
      Sid: 'PublicObjectRead',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: `${this.arn}/${prefix}*`,
    });
    const name = this.arn.slice(this.arn.indexOf(':::') + 3);
    Annotations.of(this).addWarning(
      prefix === ''
        ? `Every object of bucket ${name} is publicly readable by URL, by design.`
        : `Objects under "${prefix}" in bucket ${name} are publicly readable by URL, by design.`,
    );
  }

  /**
   * Creates an object (empty by default) once, e.g. a `config.yml` operators edit afterwards: Terraform ignores later
   * changes to its content, so an apply never overwrites the operator's version.
   */
  addSeedObject(id: string, key: string, content = ''): SeedObject {
    return new SeedObject(this, id, { bucket: this.resource.id, key, content });
  }

  // Statement ids must be unique in a bucket policy; a repeated helper call adds nothing.
  private addStatements(statements: PolicyStatement[]): void {
    for (const st of statements)
      if (!this.statements.some((existing) => existing.Sid === st.Sid)) this.statements.push(st);
  }

  private objectsArn(prefix?: string): string {
    if (prefix !== undefined)
      requireProp(this, !prefix.includes('*'), 'prefix', prefix, 'Give a plain key prefix without wildcards.');
    return `${this.arn}/${prefix ?? ''}*`;
  }

  private listStatement(prefix?: string): PolicyStatement {
    const statement: PolicyStatement = { Effect: 'Allow', Action: 's3:ListBucket', Resource: this.arn };
    if (prefix === undefined || Token.isUnresolved(prefix)) return statement;
    return { ...statement, Condition: { StringLike: { 's3:prefix': `${prefix}*` } } };
  }

  private keyStatements(actions: string[]): PolicyStatement[] {
    return this.kmsKeyArn === undefined ? [] : [{ Effect: 'Allow', Action: actions, Resource: this.kmsKeyArn }];
  }
}
