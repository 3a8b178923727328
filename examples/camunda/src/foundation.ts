import { Construct } from 'constructs';
import { ServiceDiscoveryHttpNamespace } from '@cdktf/provider-aws/lib/service-discovery-http-namespace';
import { AwsEnvironment, EncryptionKey } from '@tts-ecs/core';
import { Network } from '@tts-ecs/network';
import { SecureBucket } from '@tts-ecs/data';
import { EcsCluster } from '@tts-ecs/compute';
import { CamundaConfig } from './config';

/** What every part of the example shares: the VPC, keys, the ECS cluster, Service Connect and the log bucket. */
export class Foundation extends Construct {
  readonly environment: AwsEnvironment;
  readonly network: Network;
  /** Encrypts every log group (task logs, ECS Exec audit log). */
  readonly logsKey: EncryptionKey;
  /** Encrypts the Secrets Manager secrets. */
  readonly secretsKey: EncryptionKey;
  readonly cluster: EcsCluster;
  /** Service Connect namespace (ref: OC dns.tf aws_service_discovery_http_namespace.service_connect). */
  readonly serviceConnectNamespaceArn: string;
  /** SSE-S3 bucket for the ALB and NLB access logs (ELB writes to SSE-S3 buckets). */
  readonly lbLogs: SecureBucket;

  constructor(scope: Construct, id: string, config: CamundaConfig) {
    super(scope, id);
    this.environment = { accountId: config.accountId, region: config.region };
    const environment = this.environment;

    // ref: SR vpc.tf: 3 AZs, one NAT gateway per AZ.
    this.network = new Network(this, 'Network', {
      name: config.prefix,
      environment,
      cidr: config.vpcCidr,
      availabilityZones: config.availabilityZones,
      natMode: 'per-az',
    });

    this.logsKey = new EncryptionKey(this, 'LogsKey', {
      environment,
      description: `${config.prefix} log groups`,
      alias: `${config.prefix}-logs`,
      allowCloudWatchLogs: true,
    });
    this.secretsKey = new EncryptionKey(this, 'SecretsKey', {
      environment,
      description: `${config.prefix} Secrets Manager secrets`,
      alias: `${config.prefix}-secrets`,
    });

    // ref: SR ecs.tf: Container Insights enabled.
    this.cluster = new EcsCluster(this, 'Cluster', {
      environment,
      clusterName: `${config.prefix}-cluster`,
      kmsKeyArn: this.logsKey.arn,
      containerInsights: 'enabled',
      executeCommandLogRetentionInDays: config.logRetentionDays,
    });

    // No construct owns a Cloud Map HTTP namespace: this one resource is example glue.
    this.serviceConnectNamespaceArn = new ServiceDiscoveryHttpNamespace(this, 'ServiceConnect', {
      name: `${config.prefix}-sc`,
      description: `Service Connect namespace of ${config.prefix}`,
    }).arn;

    this.lbLogs = new SecureBucket(this, 'LoadBalancerLogs', {
      environment,
      bucketName: config.buckets.lbLogs,
      encryption: 's3-managed',
      expirationDays: 365,
    });
  }
}
