import { Construct } from 'constructs';
import { S3Backend, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { AwsEnvironment } from '@tts-ecs/core';
import { ClusterConfig, DeploymentConfig, Layer, clusterResourcePrefix, stackName, stateKey } from '@tts-ecs/config';

/** Terraform versions before 1.10 lack S3 native state locking (`use_lockfile`). */
export const REQUIRED_TERRAFORM_VERSION = '>= 1.10';

export interface LayerStackProps {
  readonly config: DeploymentConfig;
  readonly cluster: ClusterConfig;
  readonly layer: Layer;
}

/**
 * One layer of one cluster: a Terraform stack named `<prefix>-<environment>-<cluster>-<layer>` with the S3 backend
 * (encrypted, native lock file, key `<environment>/<cluster>/<layer>.tfstate`) and an AWS provider pinned to the
 * cluster's account and region that tags every resource with deployment, environment, cluster and layer.
 */
export class LayerStack extends TerraformStack {
  readonly config: DeploymentConfig;
  readonly cluster: ClusterConfig;
  readonly layer: Layer;
  /** Account and region of the cluster, for constructs that build ARNs. */
  readonly environment: AwsEnvironment;
  /** `<prefix>-<environment>-<cluster>`, the start of every resource name in this cluster. */
  readonly resourcePrefix: string;
  readonly provider: AwsProvider;

  constructor(scope: Construct, props: LayerStackProps) {
    const { config, cluster, layer } = props;
    super(scope, stackName(config, cluster, layer));
    this.config = config;
    this.cluster = cluster;
    this.layer = layer;
    this.environment = { accountId: cluster.accountId, region: cluster.region };
    this.resourcePrefix = clusterResourcePrefix(config, cluster);

    this.addOverride('terraform.required_version', REQUIRED_TERRAFORM_VERSION);
    configureStateBackend(this, config, cluster, layer);
    this.provider = createAwsProvider(this, 'aws', config, cluster, layer);
  }
}

/** S3 backend for a layer's state: encrypted, S3 native locking, optional DynamoDB table for old Terraform. */
export function configureStateBackend(
  stack: TerraformStack,
  config: DeploymentConfig,
  cluster: ClusterConfig,
  layer: Layer,
): S3Backend {
  const backend = new S3Backend(stack, {
    bucket: config.stateBackend.bucket,
    region: config.stateBackend.region,
    key: stateKey(config, cluster, layer),
    encrypt: true,
    dynamodbTable: config.stateBackend.lockTable,
  });
  // cdktf 0.21's S3BackendConfig predates `use_lockfile` (Terraform 1.10).
  stack.addOverride('terraform.backend.s3.use_lockfile', true);
  return backend;
}

/** Default tags every resource of a layer carries. */
export function defaultTags(config: DeploymentConfig, cluster: ClusterConfig, layer: Layer): Record<string, string> {
  return {
    ...config.tags,
    Deployment: config.prefix,
    Environment: config.environment,
    Cluster: cluster.id,
    Layer: layer,
    ManagedBy: 'tts-ecs',
  };
}

/**
 * AWS provider for a cluster: its region, `allowed_account_ids` = the cluster's account (applying with other
 * credentials fails before any change), and default tags.
 */
export function createAwsProvider(
  scope: Construct,
  id: string,
  config: DeploymentConfig,
  cluster: ClusterConfig,
  layer: Layer,
  options: { alias?: string; region?: string } = {},
): AwsProvider {
  return new AwsProvider(scope, id, {
    region: options.region ?? cluster.region,
    alias: options.alias,
    allowedAccountIds: [cluster.accountId],
    defaultTags: [{ tags: defaultTags(config, cluster, layer) }],
  });
}
