/**
 * Plain identifiers of the monitored resources. Alarm sets and the dashboard take the same shapes, so one set of
 * inputs feeds both. Values may be Terraform references (tokens) or literals.
 */

/** An ECS service. */
export interface EcsServiceRef {
  /** ECS cluster name (the `ClusterName` metric dimension). */
  readonly clusterName: string;
  /** ECS service name (the `ServiceName` metric dimension). */
  readonly serviceName: string;
}

/** An Aurora cluster and its instances. */
export interface AuroraClusterRef {
  /** Cluster identifier (the `DBClusterIdentifier` dimension). */
  readonly clusterIdentifier: string;
  /** Every instance of the cluster, writer and readers (the `DBInstanceIdentifier` dimension). */
  readonly instanceIdentifiers: readonly string[];
  /**
   * Reader instances, which report `AuroraReplicaLag`. List them among `instanceIdentifiers` too.
   * @default none (no replica lag alarms)
   */
  readonly readerInstanceIdentifiers?: readonly string[];
}

/** An ElastiCache (Redis / Valkey) replication group. */
export interface CacheRef {
  /** Replication group id, used in names and the dashboard title. */
  readonly replicationGroupId: string;
  /**
   * Member cluster ids (one per node, e.g. `<group>-001`, `<group>-002`): the `CacheClusterId` dimension.
   * Primary and replica roles move on failover, so every member gets every alarm.
   */
  readonly memberClusterIds: readonly string[];
}

/** A target group behind a Network Load Balancer. */
export interface TargetGroupRef {
  /** Short literal name used in construct ids and alarm names, e.g. `gs-udp`. */
  readonly name: string;
  /** `arn_suffix` of the target group (the `TargetGroup` dimension, `targetgroup/<name>/<id>`). */
  readonly arnSuffix: string;
}

/** A Network Load Balancer and the target groups to watch. */
export interface NetworkLoadBalancerRef {
  /** `arn_suffix` of the load balancer (the `LoadBalancer` dimension, `net/<name>/<id>`). */
  readonly loadBalancerArnSuffix: string;
  /** Target groups attached to the load balancer. */
  readonly targetGroups: readonly TargetGroupRef[];
}
