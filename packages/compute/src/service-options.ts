import { ITerraformDependable } from 'cdktf';

/** What a service or scheduled task needs to know about its cluster. `EcsCluster` satisfies it. */
export interface IEcsCluster {
  readonly clusterName: string;
  readonly clusterArn: string;
  /**
   * Resource that associates the capacity providers with the cluster; services depend on it so they are not created
   * (with a capacity provider strategy) before the association exists.
   * @default no extra dependency
   */
  readonly capacityProviders?: ITerraformDependable;
}

/** One entry of a capacity provider strategy. */
export interface CapacityProviderStrategyItem {
  /** `FARGATE`, `FARGATE_SPOT` or an EC2 capacity provider name registered on the cluster. */
  readonly capacityProvider: string;
  /** Relative share of tasks. @default 1 */
  readonly weight?: number;
  /** Tasks placed on this provider before weights apply. @default 0 */
  readonly base?: number;
}

/**
 * ECS Exec access for a service: the cluster's session encryption key and audit log group
 * (`EcsCluster.executeCommand` provides both).
 */
export interface ExecuteCommandAccess {
  /** Key that encrypts exec sessions; the task role may kms:Decrypt with it. */
  readonly kmsKeyArn: string;
  /** Log group receiving session transcripts; the task role may write to it. */
  readonly logGroupName: string;
}

/** Target-tracking auto scaling of the desired count. */
export interface ServiceAutoScaling {
  /** Fewest tasks (>= 1 keeps the service up). */
  readonly minCapacity: number;
  /** Most tasks. */
  readonly maxCapacity: number;
  /** Average CPU utilization to hold (1-100). @default no CPU policy */
  readonly cpuTargetPercent?: number;
  /** Average memory utilization to hold (1-100). @default no memory policy */
  readonly memoryTargetPercent?: number;
  /** @default 300 */
  readonly scaleInCooldownSeconds?: number;
  /** @default 60 */
  readonly scaleOutCooldownSeconds?: number;
}

/** Registers tasks in a Cloud Map private DNS namespace (A records, one per task). */
export interface ServiceDiscoveryOptions {
  /** Id of an existing private DNS namespace. */
  readonly namespaceId: string;
  /** Name within the namespace. @default the service name */
  readonly name?: string;
  /** Record TTL in seconds. @default 10 */
  readonly dnsTtlSeconds?: number;
}

/** Registers one container port in a load balancer target group (target type `ip`). */
export interface LoadBalancerTarget {
  readonly targetGroupArn: string;
  readonly containerName: string;
  readonly containerPort: number;
}

/** One named port mapping published to a Service Connect namespace. */
export interface ServiceConnectService {
  /** `name` of a port mapping of one of the task's containers. */
  readonly portName: string;
  /** Host name clients use (`<dnsName>:<port>`). @default the port name */
  readonly dnsName?: string;
  /** Port clients use. @default the container port of the mapping */
  readonly port?: number;
  /** Name of the Cloud Map service the tasks register in. @default the DNS name */
  readonly discoveryName?: string;
}

/**
 * ECS Service Connect: the tasks join a Cloud Map namespace, reach other services of it by their client aliases
 * through the Service Connect proxy, and publish `services` (none: the service is a client only). The proxy logs to
 * the task's own log group (stream prefix `service-connect`).
 */
export interface ServiceConnectOptions {
  /** ARN of the Cloud Map namespace (e.g. an `aws_service_discovery_http_namespace`). */
  readonly namespaceArn: string;
  /** Named port mappings published to the namespace. @default none (client only) */
  readonly services?: ServiceConnectService[];
}
