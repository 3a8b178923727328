import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { EncryptionKey, Peer, requireProp } from '@tts-ecs/core';
import { SecureBucket } from '@tts-ecs/data';
import { LayerStack } from '@tts-ecs/stacks';
import {
  AlarmSet,
  AlarmTopic,
  CacheAlarms,
  Dashboard,
  DatabaseAlarms,
  LoadBalancerAlarms,
  Prometheus,
  ServiceAlarms,
} from '@tts-ecs/observability';
import {
  ObservedCache,
  ObservedDatabase,
  ObservedLoadBalancer,
  ObservedService,
  PrometheusInputs,
} from './observability/inputs';

export * from './observability/inputs';

/** Everything the observability layer reads from the network, secrets, data and compute layers. */
export interface ObservabilityLayerInputs {
  /** ECS cluster name (the `ClusterName` dimension). */
  readonly clusterName: string;
  /** ECS cluster ARN (Prometheus runs in it). */
  readonly clusterArn: string;
  /** VPC of the cluster. */
  readonly vpcId: string;
  /** Private subnets for the Prometheus task. */
  readonly privateSubnetIds: readonly string[];
  /** Every ECS service of the cluster. */
  readonly services: readonly ObservedService[];
  /** @default no database alarms (secondaries have no database) */
  readonly database?: ObservedDatabase;
  /** Redis replication groups. */
  readonly caches: readonly ObservedCache[];
  /** @default no load balancer alarms */
  readonly loadBalancer?: ObservedLoadBalancer;
  /** @default no Prometheus; required when `features.monitoring` is on */
  readonly prometheus?: PrometheusInputs;
  /**
   * Security group of the bastion, admitted to the Prometheus UI (9090) for Session Manager port forwarding.
   * @default no access from a bastion
   */
  readonly bastionSecurityGroupId?: string;
}

/** Name of the sensitive variable holding the Opsgenie integration URL (`TF_VAR_opsgenie_endpoint_url`). */
export const OPSGENIE_VARIABLE = 'opsgenie_endpoint_url';

const SHORT_NAME = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

/**
 * Observability layer of one cluster (official templates 1-3 and 5-6): a KMS-encrypted alarm topic (with the Opsgenie
 * subscription when `features.opsgenie`), alarms for every ECS service, the Aurora instances (where a database
 * exists), every Redis member and every NLB target group, one CloudWatch dashboard, and Prometheus on EFS scraping
 * every service with a metrics endpoint (when `features.monitoring`). Alarm names start with the cluster resource
 * prefix, so several deployments can share an account and region.
 */
export class ObservabilityLayer extends Construct {
  /** Key of the alarm topic and of Prometheus's log group. */
  readonly key: EncryptionKey;
  readonly alarmTopic: AlarmTopic;
  /** Every alarm set, by construct id. */
  readonly alarmSets: Record<string, AlarmSet> = {};
  readonly dashboard: Dashboard;
  readonly prometheus?: Prometheus;

  constructor(stack: LayerStack, id: string, inputs: ObservabilityLayerInputs) {
    super(stack, id);
    const { config, environment, resourcePrefix: prefix } = stack;
    this.validate(inputs, config.features.monitoring);

    this.key = new EncryptionKey(this, 'Key', {
      environment,
      description: `${prefix} observability (alarm topic, Prometheus logs)`,
      alias: `${prefix}-observability`,
      allowCloudWatchLogs: true,
    });
    this.alarmTopic = new AlarmTopic(this, 'AlarmTopic', {
      environment,
      topicName: `${prefix}-alarms`,
      encryptionKey: this.key,
      opsgenie: config.features.opsgenie ? { variableName: OPSGENIE_VARIABLE } : undefined,
    });
    const alarmTopicArn = this.alarmTopic.topicArn;
    const { clusterName } = inputs;

    const services = [...inputs.services];
    if (config.features.monitoring) {
      this.prometheus = this.buildPrometheus(stack, inputs, inputs.prometheus!);
      services.push({ component: 'prometheus', serviceName: this.prometheus.service.serviceName, desiredCount: 1 });
    }

    for (const s of services) {
      this.alarmSets[`Service-${s.component}`] = new ServiceAlarms(this, `Service-${s.component}`, {
        alarmTopicArn,
        alarmNamePrefix: `${prefix}-${s.component}`,
        clusterName,
        serviceName: s.serviceName,
        minRunningTasks: Math.max(1, s.desiredCount),
        runningTasks: { enabled: s.desiredCount > 0 },
      });
    }
    if (inputs.database) {
      const db = inputs.database;
      this.alarmSets.Database = new DatabaseAlarms(this, 'Database', {
        alarmTopicArn,
        alarmNamePrefix: `${prefix}-db`,
        clusterIdentifier: db.clusterIdentifier,
        instanceIdentifiers: db.instanceIdentifiers,
        // Writer and reader roles move on failover; the writer reports no lag, which is not breaching.
        readerInstanceIdentifiers: db.instanceIdentifiers.length > 1 ? db.instanceIdentifiers : [],
      });
    }
    for (const c of inputs.caches) {
      this.alarmSets[`Cache-${c.purpose}`] = new CacheAlarms(this, `Cache-${c.purpose}`, {
        alarmTopicArn,
        alarmNamePrefix: `${prefix}-redis-${c.purpose}`,
        replicationGroupId: c.replicationGroupId,
        memberClusterIds: c.memberClusterIds,
      });
    }
    const lb = inputs.loadBalancer;
    if (lb && lb.targetGroups.length > 0) {
      this.alarmSets.LoadBalancer = new LoadBalancerAlarms(this, 'LoadBalancer', {
        alarmTopicArn,
        alarmNamePrefix: `${prefix}-nlb`,
        loadBalancerArnSuffix: lb.arnSuffix,
        targetGroups: lb.targetGroups,
      });
    }

    this.dashboard = new Dashboard(this, 'Dashboard', {
      environment,
      dashboardName: prefix,
      services: services.map((s) => ({ clusterName, serviceName: s.serviceName })),
      database: inputs.database && {
        ...inputs.database,
        readerInstanceIdentifiers:
          inputs.database.instanceIdentifiers.length > 1 ? inputs.database.instanceIdentifiers : [],
      },
      caches: inputs.caches,
      loadBalancer: lb && { loadBalancerArnSuffix: lb.arnSuffix, targetGroups: lb.targetGroups },
    });

    // Stable output names for `terraform output dashboard_url` and the docs.
    output(this, 'dashboard_url', this.dashboard.consoleUrl, 'CloudWatch dashboard of the cluster in the AWS console');
    output(this, 'alarm_topic_arn', alarmTopicArn, 'SNS topic of the alarms (subscribe more endpoints here)');
  }

  /** `<prefix>-metrics-<account>`: Thanos blocks under this layer's key, expiring after the configured retention. */
  private metricsBucket(stack: LayerStack): { bucketName: string; kmsKeyArn: string } {
    const { cluster, environment, resourcePrefix: prefix } = stack;
    const bucket = new SecureBucket(this, 'MetricsBucket', {
      environment,
      bucketName: `${prefix}-metrics-${cluster.accountId}`,
      kmsKeyArn: this.key.arn,
      expirationDays: stack.config.monitoring.longTermRetentionDays,
      // The network layer's log bucket admits every `<prefix>-*-<account>` bucket of the cluster.
      accessLogs: { targetBucket: `${prefix}-s3-logs-${cluster.accountId}` },
    });
    return { bucketName: bucket.bucketName, kmsKeyArn: this.key.arn };
  }

  private buildPrometheus(stack: LayerStack, inputs: ObservabilityLayerInputs, p: PrometheusInputs): Prometheus {
    const { cluster, environment, resourcePrefix: prefix } = stack;
    const scraped = inputs.services.filter((s) => s.metrics !== undefined);
    const prometheus = new Prometheus(this, 'Prometheus', {
      environment,
      cluster: { clusterName: inputs.clusterName, clusterArn: inputs.clusterArn },
      vpcId: inputs.vpcId,
      subnetIds: [...inputs.privateSubnetIds],
      // Task definition families and log groups are per account and region: keep the deployment's prefix.
      serviceName: `${prefix}-prometheus`,
      logKmsKeyArn: this.key.arn,
      fileSystemId: p.fileSystemId,
      accessPointId: p.accessPointId,
      scrapeTargets: scraped.map((s) => ({ jobName: s.component, dnsName: s.metrics!.dnsName, port: s.metrics!.port })),
      metricsPasswordSecretArn: p.metricsPasswordSecretArn,
      secretsKmsKeyArns: [p.secretsKmsKeyArn],
      externalLabels: { deployment: stack.config.prefix, environment: stack.config.environment, cluster: cluster.id },
      alertmanagerUrl: stack.config.monitoring.alertmanagerUrl,
      longTermStorage: stack.config.monitoring.longTermStorage ? this.metricsBucket(stack) : undefined,
      serviceDiscovery: p.cloudMapNamespace && { namespaceId: p.cloudMapNamespace.id, name: 'prometheus' },
    });
    // The mount targets admit NFS only from listed groups; Prometheus's group is created here, so it is listed here.
    new VpcSecurityGroupIngressRule(this, 'PrometheusToFileSystem', {
      securityGroupId: p.fileSystemSecurityGroupId,
      referencedSecurityGroupId: prometheus.service.securityGroupId,
      ipProtocol: 'tcp',
      fromPort: 2049,
      toPort: 2049,
      description: `NFS from ${prefix} Prometheus`,
    });
    // Scraping needs the metrics port of each service and nothing more.
    for (const s of scraped) {
      if (!s.metrics!.securityGroupId) continue;
      new VpcSecurityGroupIngressRule(this, `PrometheusTo-${s.component}`, {
        securityGroupId: s.metrics!.securityGroupId,
        referencedSecurityGroupId: prometheus.service.securityGroupId,
        ipProtocol: 'tcp',
        fromPort: s.metrics!.port,
        toPort: s.metrics!.port,
        description: `Metrics scrape from ${prefix} Prometheus`,
      });
    }
    if (inputs.bastionSecurityGroupId) prometheus.allowFrom(Peer.securityGroupId(inputs.bastionSecurityGroupId));
    if (p.cloudMapNamespace) {
      output(
        this,
        'prometheus_url',
        `http://prometheus.${p.cloudMapNamespace.name}:${prometheus.port}`,
        'Prometheus UI inside the VPC (reach it through Session Manager port forwarding on the bastion)',
      );
    }
    return prometheus;
  }

  private validate(inputs: ObservabilityLayerInputs, monitoring: boolean): void {
    const names = new Set<string>();
    inputs.services.forEach((s, i) => {
      requireProp(
        this,
        SHORT_NAME.test(s.component ?? '') && !names.has(s.component) && s.component !== 'prometheus',
        `services[${i}].component`,
        s.component,
        'Use a unique short name of 1-32 lower-case letters, digits and "-" ("prometheus" is taken by the layer).',
      );
      names.add(s.component);
    });
    const purposes = new Set<string>();
    inputs.caches.forEach((c, i) => {
      requireProp(
        this,
        SHORT_NAME.test(c.purpose ?? '') && !purposes.has(c.purpose),
        `caches[${i}].purpose`,
        c.purpose,
        'Use a unique short name of 1-32 lower-case letters, digits and "-", e.g. "general".',
      );
      purposes.add(c.purpose);
    });
    if (monitoring) {
      requireProp(
        this,
        inputs.prometheus !== undefined,
        'prometheus',
        inputs.prometheus,
        'features.monitoring is on: pass the EFS file system, access point, its security group and the metrics password secret, or turn monitoring off.',
      );
      requireProp(
        this,
        inputs.services.some((s) => s.metrics),
        'services',
        inputs.services.map((s) => s.component),
        'features.monitoring is on but no service has a metrics endpoint: give services their metrics { dnsName, port }.',
      );
    }
  }
}

function output(scope: Construct, name: string, value: string, description: string): void {
  new TerraformOutput(scope, name, { value, description }).overrideLogicalId(name);
}
