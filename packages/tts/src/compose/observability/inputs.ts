/**
 * Parts of `ObservabilityLayerInputs` (observability-layer.ts): plain identifiers, literal or Terraform references
 * into the other stacks.
 */

/** One ECS service of the cluster. */
export interface ObservedService {
  /**
   * Short name of the service: a catalog component id (`gs`, `ns`, ...) or another service's name (`router`).
   * Used in construct ids, alarm names and as the Prometheus job name: 1-32 lower-case letters, digits and `-`.
   */
  readonly component: string;
  /** ECS service name (the `ServiceName` metric dimension). */
  readonly serviceName: string;
  /**
   * Tasks the service is meant to run. The running-tasks alarm fires when fewer run; 0 (a service switched off)
   * gets CPU and memory alarms only.
   */
  readonly desiredCount: number;
  /**
   * The service's metrics endpoint, scraped by Prometheus with basic auth user `metrics`.
   * @default not scraped (e.g. Envoy, which has no TTS metrics endpoint)
   */
  readonly metrics?: {
    /** DNS name resolving to every task (Cloud Map, e.g. `gs.eu1.tts.internal`). */
    readonly dnsName: string;
    /** Port of the endpoint (TTS serves `/metrics` on its internal HTTP port 1885). */
    readonly port: number;
    /**
     * Security group of the service's tasks: the layer admits Prometheus on `port` there (and nothing else, so
     * Prometheus never joins the tasks group that the databases admit).
     * @default no rule (the service must admit Prometheus some other way)
     */
    readonly securityGroupId?: string;
  };
}

/** The Aurora cluster (primary only). */
export interface ObservedDatabase {
  readonly clusterIdentifier: string;
  /** Every instance, writer and readers. */
  readonly instanceIdentifiers: readonly string[];
}

/** One Redis replication group. */
export interface ObservedCache {
  /** What the group serves (`general`, `cache`, `events`); used in construct ids and alarm names. */
  readonly purpose: string;
  readonly replicationGroupId: string;
  /** Member cluster ids, `<group>-001` ... (every member gets every alarm: roles move on failover). */
  readonly memberClusterIds: readonly string[];
}

/** The cluster's Network Load Balancer. */
export interface ObservedLoadBalancer {
  /** `arn_suffix` of the load balancer (`net/<name>/<id>`). */
  readonly arnSuffix: string;
  /** Target groups to watch: a short literal name (1-32 letters, digits, `-`) and the group's `arn_suffix`. */
  readonly targetGroups: readonly { readonly name: string; readonly arnSuffix: string }[];
}

/** What Prometheus needs (required when `features.monitoring` is on). */
export interface PrometheusInputs {
  /** EFS file system holding the TSDB (data layer). */
  readonly fileSystemId: string;
  /** Access point of the TSDB directory; its POSIX user must be 65534 (the image runs as `nobody`). */
  readonly accessPointId: string;
  /** Security group of the file system's mount targets; this layer admits Prometheus on NFS (2049). */
  readonly fileSystemSecurityGroupId: string;
  /** ARN of the Secrets Manager secret holding the password of the `metrics` user (secrets layer). */
  readonly metricsPasswordSecretArn: string;
  /** KMS key of that secret, for the execution role to decrypt it. */
  readonly secretsKmsKeyArn: string;
  /**
   * Cloud Map private DNS namespace: Prometheus registers as `prometheus.<namespace>`.
   * @default not registered
   */
  readonly cloudMapNamespace?: { readonly id: string; readonly name: string };
}
