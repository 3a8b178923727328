import { Construct } from 'constructs';
import { LocalBackend, S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DeploymentConfig, primaryCluster } from '@tts-ecs/config';
import { REQUIRED_TERRAFORM_VERSION } from './layer-stack';
import { BackupPlan, SecureBucket } from '@tts-ecs/data';
import { StateBucket } from './state-bucket';

/** Where the bootstrap stack keeps its own state. */
export type BootstrapBackend = 'local' | 's3';

export interface BootstrapStackProps {
  readonly config: DeploymentConfig;
  /**
   * `local` (default): state in `.tts-ecs/bootstrap/<stack>.tfstate` next to the synth output folder, outside it
   * so a new synth never deletes it. `s3`: in the bucket it creates, key `<environment>/bootstrap.tfstate`, for
   * `terraform init -migrate-state` once the bucket exists.
   * @default 'local'
   */
  readonly backend?: BootstrapBackend;
}

/** `<prefix>-<environment>-bootstrap`. */
export function bootstrapStackName(config: Pick<DeploymentConfig, 'prefix' | 'environment'>): string {
  return `${config.prefix}-${config.environment}-bootstrap`;
}

/**
 * The stack applied once before all others: the state bucket of `config.stateBackend` (and its lock table when
 * `lockTable` is set), in the state bucket's region and the primary cluster's account.
 */
export class BootstrapStack extends TerraformStack {
  readonly stateBucket: StateBucket;
  /** `<prefix>-<environment>-tfstate-logs-<account>`: S3 server access logs of the state bucket (SSE-S3, 365 days). */
  readonly stateAccessLogs: SecureBucket;
  /** Daily AWS Backup of the state bucket into its own KMS-encrypted vault `<prefix>-<environment>-tfstate`, 35 days. */
  readonly stateBackup: BackupPlan;

  constructor(scope: Construct, props: BootstrapStackProps) {
    const { config } = props;
    const name = bootstrapStackName(config);
    super(scope, name);
    this.addOverride('terraform.required_version', REQUIRED_TERRAFORM_VERSION);
    if ((props.backend ?? 'local') === 's3') {
      new S3Backend(this, {
        bucket: config.stateBackend.bucket,
        region: config.stateBackend.region,
        key: `${config.environment}/bootstrap.tfstate`,
        encrypt: true,
      });
      this.addOverride('terraform.backend.s3.use_lockfile', true);
    } else {
      // The synth output is replaced on every synth: keep the state beside it, not in it (<out>/bootstrap/stacks/<name>).
      new LocalBackend(this, { path: `../../../../.tts-ecs/bootstrap/${name}.tfstate` });
    }
    const accountId = primaryCluster(config).accountId;
    const region = config.stateBackend.region;
    new AwsProvider(this, 'aws', {
      region,
      allowedAccountIds: [accountId],
      defaultTags: [
        {
          tags: {
            ...config.tags,
            Deployment: config.prefix,
            Environment: config.environment,
            Layer: 'bootstrap',
            ManagedBy: 'tts-ecs',
          },
        },
      ],
    });
    const environment = { accountId, region };
    const logsBucketName = `${config.prefix}-${config.environment}-tfstate-logs-${accountId}`;
    this.stateBucket = new StateBucket(this, 'StateBucket', {
      environment,
      bucketName: config.stateBackend.bucket,
      lockTableName: config.stateBackend.lockTable,
      accessLogsBucket: logsBucketName,
    });
    // Who read or wrote which state file; the log bucket itself is not logged (that would log its own writes).
    this.stateAccessLogs = new SecureBucket(this, 'StateAccessLogs', {
      environment,
      bucketName: logsBucketName,
      encryption: 's3-managed',
      expirationDays: 365,
      noncurrentVersionExpirationDays: 30,
    });
    this.stateAccessLogs.allowServerAccessLogs([config.stateBackend.bucket]);
    // Versions already keep the last 10 states; a vault also survives the bucket's deletion.
    this.stateBackup = new BackupPlan(this, 'StateBackup', {
      environment,
      name: `${config.prefix}-${config.environment}-tfstate`,
      resourceArns: [this.stateBucket.arn],
      retentionDays: config.data.backup.retentionDays,
    });
    new TerraformOutput(this, 'state_bucket', { value: this.stateBucket.bucketName }).overrideLogicalId('state_bucket');
    new TerraformOutput(this, 'state_kms_key_arn', { value: this.stateBucket.key.arn }).overrideLogicalId(
      'state_kms_key_arn',
    );
  }
}
