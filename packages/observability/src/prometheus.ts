import { Construct } from 'constructs';
import { Token } from 'cdktf';
import {
  ContainerProps,
  ContainerSecret,
  ContainerService,
  ExecuteCommandAccess,
  IEcsCluster,
  ServiceDiscoveryOptions,
} from '@tts-ecs/compute';
import {
  AwsEnvironment,
  Connections,
  IConnectable,
  IPeer,
  Port,
  dnsSuffixOf,
  partitionOf,
  requireIntegerInRange,
  requireNonEmpty,
  requireProp,
  requireEnvironment,
} from '@tts-ecs/core';
import {
  CONFIG_ENV,
  PASSWORD_ENV,
  PROMETHEUS_DATA_DIR,
  PROMETHEUS_RUNTIME_DIR,
  PROMETHEUS_USER,
  PrometheusConfig,
  ScrapeTarget,
  renderPrometheusConfig,
  renderRuntimeDirSetup,
  renderStartScript,
  renderThanosObjstoreConfig,
} from './prometheus-config';

/** Long-term storage of the TSDB blocks in S3 through a Thanos sidecar. */
export interface PrometheusLongTermStorage {
  /** Bucket receiving the blocks; the task role may use this bucket and nothing else. */
  readonly bucketName: string;
  /** KMS key encrypting the bucket's objects (SSE-KMS); the task role may use this key. */
  readonly kmsKeyArn: string;
  /** @default 'quay.io/thanos/thanos:v0.37.2' */
  readonly thanosImage?: string;
}

export interface PrometheusProps {
  /** Account and region of the service. */
  readonly environment: AwsEnvironment;
  /** Cluster to run in. */
  readonly cluster: IEcsCluster;
  /** VPC of the subnets. */
  readonly vpcId: string;
  /** Private subnets for the task. */
  readonly subnetIds: string[];
  /** @default 'prometheus' */
  readonly serviceName?: string;
  /**
   * Image of Prometheus and of the init container that prepares its runtime directory; the scripts need its `sh`,
   * `chown` and `chmod`.
   * @default 'quay.io/prometheus/prometheus:v3.5.0' (an official, busybox-based image)
   */
  readonly image?: string;
  /** Task CPU units. @default 1024 (1 vCPU) */
  readonly cpu?: number;
  /** Task memory in MiB. @default 2048 (2 GiB) */
  readonly memory?: number;
  /** KMS key of the task's log group (its policy must admit CloudWatch Logs). */
  readonly logKmsKeyArn: string;
  /** EFS file system holding the TSDB. */
  readonly fileSystemId: string;
  /**
   * Access point for the TSDB directory. Its POSIX user must be able to write the root directory
   * (the image runs as `nobody`, uid 65534; an access point with posix user 65534 and a root directory created for it works).
   */
  readonly accessPointId: string;
  /** What to scrape; at least one target. */
  readonly scrapeTargets: readonly ScrapeTarget[];
  /** Full ARN of the Secrets Manager secret holding the password of the basic-auth user `metrics`. */
  readonly metricsPasswordSecretArn: string;
  /** Key inside a JSON secret holding the password. @default the whole secret string */
  readonly metricsPasswordJsonKey?: string;
  /** KMS keys of the secret, for the execution role to decrypt it. @default none (AWS-managed key) */
  readonly secretsKmsKeyArns?: string[];
  /** @default 30 (5-300) */
  readonly scrapeIntervalSeconds?: number;
  /** Days of local retention. @default 15 (1-3650) */
  readonly retentionDays?: number;
  /** Alertmanager base URL (http or https, no credentials), e.g. `https://alertmanager.internal:9093`. @default no alerting */
  readonly alertmanagerUrl?: string;
  /** Labels identifying this Prometheus in Thanos / federation. @default `{ prometheus: <serviceName> }` */
  readonly externalLabels?: Record<string, string>;
  /** Ship blocks to S3 through a Thanos sidecar. @default local storage only */
  readonly longTermStorage?: PrometheusLongTermStorage;
  /** Security groups added next to the service's own (e.g. one the targets admit). @default none */
  readonly securityGroupIds?: string[];
  /** Register in Cloud Map (e.g. for Grafana). @default not registered */
  readonly serviceDiscovery?: ServiceDiscoveryOptions;
  /**
   * ECS Exec into the task. AWS does not support ECS Exec in containers with a read-only root file system, which the
   * Prometheus container has, so expect sessions into it to fail.
   * @default ECS Exec disabled
   */
  readonly executeCommand?: ExecuteCommandAccess;
}

const JOB = /^[a-zA-Z_][a-zA-Z0-9_-]{0,99}$/;

/**
 * Prometheus on Fargate (one task: the TSDB on EFS must have a single writer), scraping the given targets with basic auth
 * user `metrics`. The configuration is generated in code; the password arrives as an ECS secret and is written to a file
 * at start, never into the task definition. The root file system is read-only: Prometheus writes only to the TSDB
 * directory on EFS and to a task-local runtime directory that a short-lived init container hands to the `nobody` user.
 * Optional Alertmanager and Thanos sidecar shipping blocks to S3.
 */
export class Prometheus extends Construct {
  /** The configuration the task runs with. */
  readonly config: PrometheusConfig;
  /** The underlying service (security group, roles, `allowFrom`). */
  readonly service: ContainerService;
  /** Port of the Prometheus HTTP API and UI. */
  readonly port = 9090;

  constructor(scope: Construct, id: string, props: PrometheusProps) {
    super(scope, id);
    requireEnvironment(this, props.environment);
    this.validate(props);
    const serviceName = props.serviceName ?? 'prometheus';
    const lts = props.longTermStorage;
    this.config = renderPrometheusConfig({
      scrapeTargets: props.scrapeTargets,
      scrapeIntervalSeconds: props.scrapeIntervalSeconds,
      alertmanagerUrl: props.alertmanagerUrl,
      externalLabels: props.externalLabels ?? { prometheus: serviceName },
    });
    const image = props.image ?? 'quay.io/prometheus/prometheus:v3.5.0';
    const data = { sourceVolume: 'data', containerPath: PROMETHEUS_DATA_DIR };
    const runtime = { sourceVolume: 'runtime', containerPath: PROMETHEUS_RUNTIME_DIR };
    const prometheus: ContainerProps = {
      name: 'prometheus',
      image,
      user: PROMETHEUS_USER,
      entryPoint: ['/bin/sh', '-c'],
      command: [renderStartScript({ retentionDays: props.retentionDays, forThanos: lts !== undefined })],
      portMappings: [{ containerPort: this.port, name: 'http' }],
      environment: { [CONFIG_ENV]: JSON.stringify(this.config) },
      secrets: {
        [PASSWORD_ENV]: ContainerSecret.fromSecretsManager(
          props.metricsPasswordSecretArn,
          props.metricsPasswordJsonKey ? { jsonKey: props.metricsPasswordJsonKey } : {},
        ),
      },
      // checkov CKV_AWS_336: the start script writes only to the runtime volume and Prometheus only to the data volume.
      readonlyRootFilesystem: true,
      mountPoints: [data, runtime],
      dependsOn: [{ containerName: 'prometheus-init', condition: 'SUCCESS' }],
      healthCheck: {
        command: ['CMD-SHELL', 'wget -q -O /dev/null http://localhost:9090/-/healthy || exit 1'],
        startPeriodSeconds: 120,
      },
      // Let Prometheus flush the head block on stop.
      stopTimeoutSeconds: 120,
    };
    // Fargate creates the runtime volume owned by root with mode 0755, which `nobody` cannot write. This container runs as
    // root only to chown/chmod that one directory (no secrets, no ports, no data volume, read-only root) and exits;
    // Prometheus starts only if it succeeded.
    const init: ContainerProps = {
      name: 'prometheus-init',
      image,
      user: '0:0',
      rootReason:
        'Fargate creates task-local volumes root-owned (0755): chown the runtime directory for nobody, then exit.',
      essential: false,
      entryPoint: ['/bin/sh', '-c'],
      command: [renderRuntimeDirSetup()],
      readonlyRootFilesystem: true,
      mountPoints: [runtime],
    };
    const containers: ContainerProps[] = [prometheus, init];
    if (lts) {
      containers.push({
        name: 'thanos-sidecar',
        image: lts.thanosImage ?? 'quay.io/thanos/thanos:v0.37.2',
        command: [
          'sidecar',
          `--tsdb.path=${PROMETHEUS_DATA_DIR}`,
          `--prometheus.url=http://localhost:${this.port}`,
          '--grpc-address=0.0.0.0:10901',
          '--http-address=0.0.0.0:10902',
          `--objstore.config=${renderThanosObjstoreConfig(lts.bucketName, props.environment.region, lts.kmsKeyArn, dnsSuffixOf(props.environment.region))}`,
        ],
        portMappings: [
          { containerPort: 10901, name: 'grpc' },
          { containerPort: 10902, name: 'sidecar-http' },
        ],
        mountPoints: [data],
        dependsOn: [{ containerName: 'prometheus', condition: 'HEALTHY' }],
      });
    }

    this.service = new ContainerService(this, 'Service', {
      environment: props.environment,
      cluster: props.cluster,
      family: serviceName,
      serviceName,
      vpcId: props.vpcId,
      subnetIds: props.subnetIds,
      securityGroupIds: props.securityGroupIds,
      defaultPort: Port.tcp(this.port),
      cpu: props.cpu ?? 1024,
      memory: props.memory ?? 2048,
      logKmsKeyArn: props.logKmsKeyArn,
      secretsKmsKeyArns: props.secretsKmsKeyArns,
      containers,
      efsVolumes: [{ name: 'data', fileSystemId: props.fileSystemId, accessPointId: props.accessPointId }],
      scratchVolumes: ['runtime'],
      // Two Prometheus processes on one TSDB corrupt it: one task, stopped before its replacement starts.
      singleton: true,
      desiredCount: 1,
      serviceDiscovery: props.serviceDiscovery,
      executeCommand: props.executeCommand,
    });

    if (lts) {
      const bucketArn = `arn:${partitionOf(props.environment.region)}:s3:::${lts.bucketName}`;
      this.service.grantTaskRole([
        { Sid: 'ThanosListBucket', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: bucketArn },
        {
          Sid: 'ThanosObjects',
          Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
          Resource: `${bucketArn}/*`,
        },
        { Sid: 'ThanosBucketKey', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: lts.kmsKeyArn },
      ]);
    }
  }

  /** The service's security group; its default port is the Prometheus API's. */
  get connections(): Connections {
    return this.service.connections;
  }

  /** Admits a peer (e.g. Grafana, a bastion) to the Prometheus API on 9090. */
  allowFrom(peer: IPeer | IConnectable, description?: string): void {
    this.connections.allowDefaultPortFrom(peer, description);
  }

  private validate(props: PrometheusProps): void {
    requireNonEmpty(
      this,
      'scrapeTargets',
      props.scrapeTargets as unknown[],
      'Give at least one scrape target { jobName, dnsName, port }.',
    );
    const jobs = new Set<string>();
    props.scrapeTargets.forEach((t, i) => {
      const f = (k: string) => `scrapeTargets[${i}].${k}`;
      requireProp(
        this,
        JOB.test(t.jobName ?? '') && !jobs.has(t.jobName),
        f('jobName'),
        t.jobName,
        'Use a unique job name of letters, digits, "_" and "-".',
      );
      jobs.add(t.jobName);
      requireProp(
        this,
        typeof t.dnsName === 'string' && (Token.isUnresolved(t.dnsName) || /^[A-Za-z0-9.-]{1,253}$/.test(t.dnsName)),
        f('dnsName'),
        t.dnsName,
        'Give a bare DNS name such as "api.app.internal" (no scheme, port or path: those are separate fields).',
      );
      requireIntegerInRange(this, f('port'), t.port, 1, 65535);
      if (t.metricsPath !== undefined) {
        requireProp(
          this,
          /^\/\S*$/.test(t.metricsPath),
          f('metricsPath'),
          t.metricsPath,
          'Start the path with "/", e.g. "/metrics".',
        );
      }
      if (t.scheme !== undefined)
        requireProp(this, ['http', 'https'].includes(t.scheme), f('scheme'), t.scheme, 'Use "http" or "https".');
    });
    requireIntegerInRange(this, 'scrapeIntervalSeconds', props.scrapeIntervalSeconds ?? 30, 5, 300);
    requireIntegerInRange(this, 'retentionDays', props.retentionDays ?? 15, 1, 3650);
    if (props.alertmanagerUrl !== undefined) this.validateAlertmanagerUrl(props.alertmanagerUrl);
    requireProp(
      this,
      !Token.isUnresolved(props.metricsPasswordSecretArn)
        ? /^arn:aws[a-z-]*:secretsmanager:/.test(props.metricsPasswordSecretArn)
        : true,
      'metricsPasswordSecretArn',
      props.metricsPasswordSecretArn,
      'Give the ARN of the Secrets Manager secret holding the metrics password (never the password itself).',
    );
    if (props.externalLabels) {
      requireProp(
        this,
        Object.keys(props.externalLabels).length > 0,
        'externalLabels',
        props.externalLabels,
        'Give at least one label, or omit the prop.',
      );
    }
    if (props.longTermStorage) {
      const { bucketName, kmsKeyArn } = props.longTermStorage;
      requireProp(
        this,
        Token.isUnresolved(bucketName) || /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucketName),
        'longTermStorage.bucketName',
        bucketName,
        'Give the bucket name (not its ARN): 3-63 lower-case letters, digits, "." and "-".',
      );
      requireProp(
        this,
        Token.isUnresolved(kmsKeyArn) || /^arn:aws[a-z-]*:kms:/.test(kmsKeyArn),
        'longTermStorage.kmsKeyArn',
        kmsKeyArn,
        'Give the ARN of the KMS key encrypting the bucket.',
      );
    }
  }

  private validateAlertmanagerUrl(value: string): void {
    const fix = 'Give a literal http(s) URL without credentials, e.g. "https://alertmanager.internal:9093".';
    requireProp(this, !Token.isUnresolved(value), 'alertmanagerUrl', value, fix);
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    requireProp(
      this,
      !!url && ['http:', 'https:'].includes(url.protocol) && !url.username && !url.password && !url.search,
      'alertmanagerUrl',
      url?.username ? '<redacted>' : value,
      fix,
    );
  }
}
