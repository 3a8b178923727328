import { Construct } from 'constructs';
import { EcsCluster as EcsClusterResource } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EcsClusterCapacityProviders } from '@cdktf/provider-aws/lib/ecs-cluster-capacity-providers';
import {
  AwsEnvironment,
  EncryptedLogGroup,
  requireNonEmpty,
  requireOneOf,
  requireProp,
  requireEnvironment,
} from '@tts-ecs/core';
import { Ec2Capacity, Ec2CapacityOptions } from './ec2-capacity';
import { CapacityProviderStrategyItem, ExecuteCommandAccess, IEcsCluster } from './service-options';

export interface EcsClusterProps {
  /** Account and region (for ARNs in the EC2 capacity's policies). */
  readonly environment: AwsEnvironment;
  /** Cluster name (letters, digits, '-', '_'; at most 255). */
  readonly clusterName: string;
  /**
   * KMS key encrypting ECS Exec sessions and their audit log group; its policy must admit CloudWatch Logs
   * (`EncryptionKey` with `allowCloudWatchLogs: true`).
   */
  readonly kmsKeyArn: string;
  /** Container Insights level; 'enhanced' adds task- and container-level metrics at higher cost. @default 'enabled' */
  readonly containerInsights?: 'enabled' | 'enhanced';
  /** Register FARGATE_SPOT (interruptible, cheaper) next to FARGATE. @default false */
  readonly fargateSpot?: boolean;
  /** EC2 container instances in an Auto Scaling group, registered as a capacity provider. @default Fargate only */
  readonly ec2Capacity?: Ec2CapacityOptions;
  /** @default 'FARGATE' with weight 1 */
  readonly defaultCapacityProviderStrategy?: CapacityProviderStrategyItem[];
  /** Retention of the ECS Exec audit log. @default 365 */
  readonly executeCommandLogRetentionInDays?: number;
}

/**
 * An ECS cluster with Container Insights, Fargate capacity providers, ECS Exec sessions encrypted with a customer key
 * and logged to an encrypted log group, and optional EC2 capacity with managed scaling and task draining.
 */
export class EcsCluster extends Construct implements IEcsCluster {
  readonly clusterName: string;
  readonly clusterArn: string;
  /** Capacity providers registered on the cluster. */
  readonly capacityProviderNames: string[];
  /** Name of the EC2 capacity provider, when `ec2Capacity` is set. */
  readonly ec2CapacityProviderName?: string;
  /** The EC2 capacity, when `ec2Capacity` is set. */
  readonly ec2Capacity?: Ec2Capacity;
  /** Pass to `ContainerService.executeCommand` to allow ECS Exec into a service. */
  readonly executeCommand: ExecuteCommandAccess;
  readonly resource: EcsClusterResource;
  readonly capacityProviders: EcsClusterCapacityProviders;

  constructor(scope: Construct, id: string, props: EcsClusterProps) {
    super(scope, id);
    requireEnvironment(this, props.environment);
    const name = props.clusterName;
    requireProp(
      this,
      /^[a-zA-Z0-9_-]{1,255}$/.test(name),
      'clusterName',
      name,
      'Use 1-255 letters, digits, "-" and "_".',
    );
    const insights = props.containerInsights ?? 'enabled';
    requireOneOf(this, 'containerInsights', insights, ['enabled', 'enhanced']);

    const execLogName = `/ecs/${name}/execute-command`;
    new EncryptedLogGroup(this, 'ExecLogs', {
      name: execLogName,
      kmsKeyArn: props.kmsKeyArn,
      retentionInDays: props.executeCommandLogRetentionInDays,
    });
    this.executeCommand = { kmsKeyArn: props.kmsKeyArn, logGroupName: execLogName };

    this.resource = new EcsClusterResource(this, 'Cluster', {
      name,
      setting: [{ name: 'containerInsights', value: insights }],
      configuration: {
        executeCommandConfiguration: {
          kmsKeyId: props.kmsKeyArn,
          logging: 'OVERRIDE',
          logConfiguration: { cloudWatchEncryptionEnabled: true, cloudWatchLogGroupName: execLogName },
        },
      },
    });
    this.clusterName = this.resource.name;
    this.clusterArn = this.resource.arn;

    const providers = ['FARGATE', ...(props.fargateSpot ? ['FARGATE_SPOT'] : [])];
    if (props.ec2Capacity) {
      this.ec2Capacity = new Ec2Capacity(this, 'Ec2', {
        ...props.ec2Capacity,
        clusterName: name,
        environment: props.environment,
      });
      this.ec2CapacityProviderName = this.ec2Capacity.capacityProviderName;
      providers.push(this.ec2Capacity.capacityProviderName);
    }
    this.capacityProviderNames = providers;

    const strategy = props.defaultCapacityProviderStrategy ?? [{ capacityProvider: 'FARGATE', weight: 1 }];
    requireNonEmpty(
      this,
      'defaultCapacityProviderStrategy',
      strategy,
      'Give at least one capacity provider, or omit the prop.',
    );
    strategy.forEach((s, i) =>
      requireProp(
        this,
        providers.includes(s.capacityProvider),
        `defaultCapacityProviderStrategy[${i}].capacityProvider`,
        s.capacityProvider,
        `Use a provider registered on this cluster: ${providers.join(', ')}.`,
      ),
    );
    this.capacityProviders = new EcsClusterCapacityProviders(this, 'CapacityProviders', {
      clusterName: this.resource.name,
      capacityProviders: providers,
      defaultCapacityProviderStrategy: strategy.map((s) => ({
        capacityProvider: s.capacityProvider,
        weight: s.weight ?? 1,
        base: s.base ?? 0,
      })),
      dependsOn: this.ec2Capacity ? [this.ec2Capacity.capacityProvider] : undefined,
    });
  }
}
