import { Construct } from 'constructs';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { DataAwsSecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version';
import { Annotations, Fn } from 'cdktf';
import { EncryptionKey, partitionOf } from '@tts-ecs/core';
import {
  AuroraPostgres,
  BackupPlan,
  EphemeralSecretValue,
  FileSystem,
  ParameterSet,
  RedisReplicationGroup,
  Secret,
  TimescaleHost,
  postgresUri,
} from '@tts-ecs/data';
import { clusterDomain, primaryCluster } from '@tts-ecs/config';
import { LayerStack } from '@tts-ecs/stacks';
import { NetworkLayer } from './network-layer';
import { RedisPurpose, SecretsLayer, secretVersion } from './secrets-layer';
import { TtsBuckets, createBuckets } from './data-buckets';
import { createBackupPlan } from './data-backup';

export { ConfigBucket, PictureBucket, TtsBuckets } from './data-buckets';

/** Aurora PostgreSQL of the primary, as the compute layer uses it. */
export interface TtsDatabase {
  /** Writer endpoint. */
  readonly endpoint: string;
  /** Reader endpoint. */
  readonly readerEndpoint: string;
  readonly port: number;
  /** Database TTS uses. */
  readonly databaseName: string;
  /** ARN of the secret holding `is.database-uri` (inject with ECS `secrets`). */
  readonly uriSecretArn: string;
  /** KMS key of that secret (the execution role needs kms:Decrypt). */
  readonly uriSecretKmsKeyArn: string;
  /** The construct, for alarms and escape hatches. */
  readonly aurora: AuroraPostgres;
}

/** The TimescaleDB host (features.timescale), as the TTS components that use it would. */
export interface TtsTimescale {
  /** Fixed private address of the host (kept by a replacement instance). */
  readonly host: string;
  readonly port: number;
  /** Database with the timescaledb extension. */
  readonly databaseName: string;
  /**
   * ARN of the secret holding `postgres://tts:<password>@<host>:5432/tts?sslmode=require`, the value meant for
   * `as.packages.storage.postgres.database-uri` (with `as.packages.storage.provider: postgres`) and
   * `noc.store.database-uri` (The Things Stack Enterprise; the compute layer injects it there with ECS `secrets`).
   */
  readonly uriSecretArn: string;
  /** KMS key of that secret. */
  readonly uriSecretKmsKeyArn: string;
  /** The construct, for escape hatches. */
  readonly instance: TimescaleHost;
}

/** One Redis replication group, as the compute layer uses it. */
export interface TtsRedis {
  /** Primary endpoint address (`redis.address` = `<address>:<port>`). */
  readonly address: string;
  readonly port: number;
  /** Always true: clients must set `*.redis.tls.require`. */
  readonly tls: boolean;
  /** ARN of the AUTH token secret (`redis.password` and friends). */
  readonly authTokenSecretArn: string;
  /** KMS key of the token secret. */
  readonly authTokenKmsKeyArn: string;
  /** The construct, for alarms and escape hatches. */
  readonly group: RedisReplicationGroup;
}

export interface DataLayerProps {
  /** Network layer of the same cluster: VPC, subnets and the tasks security group the data services admit. */
  readonly network: NetworkLayer;
  /** Secrets layer of the same cluster: the database URI secret and the Redis AUTH token secrets. */
  readonly secrets: SecretsLayer;
}

/**
 * Data layer of one cluster (official templates 2-1..2-5, 2-4a/b/c, 4-2): Aurora PostgreSQL and the picture buckets in
 * the primary only; in every cluster Redis per configured purpose, the interop / EDCS / plugins configuration
 * buckets with their seed files and the rate limiting file, an optional mTLS CA bucket, SSM parameters, the
 * Prometheus file system (features.monitoring) and the TimescaleDB host (features.timescale). One customer KMS key
 * encrypts everything that takes one. Aurora, Redis, EFS and TimescaleDB admit only the network layer's tasks group.
 */
export class DataLayer extends Construct {
  /** Customer KMS key of the data layer (Aurora, Redis, EFS, TimescaleDB volumes, KMS-encrypted buckets). */
  readonly kmsKeyArn: string;
  /** Primary only: Aurora PostgreSQL. */
  readonly database?: TtsDatabase;
  /** Redis per configured purpose; `general` always exists. */
  readonly redis: { readonly general: TtsRedis } & Readonly<
    Partial<Record<Exclude<RedisPurpose, 'general'>, TtsRedis>>
  >;
  /** Buckets TTS reads and writes (picture buckets in the primary only). */
  readonly buckets: TtsBuckets;
  /** SSM parameters under `/<prefix>/<environment>/<cluster>/` (names and ARNs by relative name, `readStatements()`). */
  readonly parameters: ParameterSet;
  /** Prometheus data (features.monitoring): EFS with an access point owned by uid/gid 65534 (`nobody`). */
  readonly fileSystem?: FileSystem;
  /** TimescaleDB host (features.timescale). */
  readonly timescale?: TimescaleHost;
  /** TimescaleDB connection (features.timescale): host, database and the URI secret. */
  readonly timescaleDatabase?: TtsTimescale;
  /** Daily AWS Backup of Aurora, the Prometheus EFS and the TimescaleDB data volume (whichever exist). */
  readonly backup?: BackupPlan;

  constructor(stack: LayerStack, id: string, props: DataLayerProps) {
    super(stack, id);
    const { config, cluster, environment, resourcePrefix } = stack;
    const { network, secrets } = props;
    const primary = cluster.role === 'primary';
    const data = config.data;
    const vpcId = network.network.vpcId;
    const clients = [network.tasksSecurityGroupId];

    this.kmsKeyArn = new EncryptionKey(this, 'Key', {
      environment,
      description: `Data of TTS cluster ${resourcePrefix}`,
      alias: `${resourcePrefix}-data`,
      allowCloudWatchLogs: true,
    }).arn;

    if (primary) {
      const uriSecret = secrets.databaseUri;
      if (uriSecret === undefined)
        throw new Error(`${this.node.path}: the primary's secrets layer has no database URI secret.`);
      // Generated here, not in the secrets layer: an ephemeral value cannot cross stacks. Aurora and the URI secret
      // both take it write-only in the same apply, so neither state file holds it.
      const password = new EphemeralSecretValue(this, 'DatabasePassword', { kind: 'password', length: 40 }).value;
      const passwordVersion = secretVersion(config, 'database-password');
      const aurora = new AuroraPostgres(this, 'Database', {
        environment,
        clusterIdentifier: resourcePrefix,
        vpcId,
        subnetIds: network.network.dataSubnetIds,
        allowedSecurityGroupIds: clients,
        databaseName: 'ttn_lorawan',
        credentials: { masterUsername: 'tts', masterPassword: password, masterPasswordVersion: passwordVersion },
        engineVersion: data.aurora.engineVersion,
        instanceClass: data.aurora.instanceClass,
        readers: data.aurora.readers,
        backupRetentionDays: data.aurora.backupRetentionDays,
        autoMinorVersionUpgrade: data.aurora.autoMinorVersionUpgrade,
        snapshotIdentifier: data.aurora.snapshotIdentifier,
        kmsKeyArn: this.kmsKeyArn,
      });
      // Rewritten only with a new password version: the writer endpoint of a cluster identifier does not change.
      new SecretsmanagerSecretVersion(this, 'DatabaseUri', {
        secretId: uriSecret.arn,
        secretStringWo: postgresUri({
          username: aurora.masterUsername,
          password,
          host: aurora.endpoint,
          database: aurora.databaseName,
        }),
        secretStringWoVersion: passwordVersion,
      });
      this.database = {
        endpoint: aurora.endpoint,
        readerEndpoint: aurora.readerEndpoint,
        port: aurora.port,
        databaseName: aurora.databaseName,
        uriSecretArn: uriSecret.arn,
        uriSecretKmsKeyArn: uriSecret.kmsKeyArn,
        aurora,
      };
    }

    const redis: Partial<Record<RedisPurpose, TtsRedis>> = {};
    for (const purpose of data.redis.purposes) {
      const token = secrets.redisAuthTokens[purpose];
      if (token === undefined)
        throw new Error(`${this.node.path}: no AUTH token for the ${purpose} Redis in the secrets layer.`);
      // ElastiCache's auth_token is not write-only: the token is read from its secret and sits in this stack's
      // state (sensitive), the one generated value in any state file (docs/layers-secrets-data.md).
      const value = new DataAwsSecretsmanagerSecretVersion(this, `RedisAuthToken-${purpose}`, {
        secretId: token.arn,
      }).secretString;
      const group = new RedisReplicationGroup(this, `Redis-${purpose}`, {
        environment,
        replicationGroupId: `${resourcePrefix}-${purpose}`,
        description: `TTS ${purpose} Redis of ${resourcePrefix}`,
        vpcId,
        subnetIds: network.network.dataSubnetIds,
        allowedSecurityGroupIds: clients,
        nodeType: data.redis.nodeType,
        replicasPerNodeGroup: data.redis.replicas,
        snapshotRetentionDays: data.redis.snapshotRetentionDays,
        authToken: value,
        kmsKeyArn: this.kmsKeyArn,
      });
      redis[purpose] = {
        address: group.primaryEndpointAddress,
        port: group.port,
        tls: group.tls,
        authTokenSecretArn: token.arn,
        authTokenKmsKeyArn: token.kmsKeyArn,
        group,
      };
    }
    this.redis = redis as DataLayer['redis'];

    this.buckets = createBuckets(this, stack, this.kmsKeyArn, network.serverAccessLogs.bucketName);

    const prefixPath = `/${config.prefix}/${config.environment}/${cluster.id}/`;
    this.parameters = new ParameterSet(this, 'Parameters', {
      environment,
      pathPrefix: prefixPath,
      parameters: {
        domain: clusterDomain(config, cluster),
        'identity-server-domain': clusterDomain(config, primaryCluster(config)),
        'cluster-id': cluster.id,
        'net-id': data.netId.toUpperCase(),
        'dev-addr-prefixes': data.devAddrPrefixes,
        'rate-limiting/config-source': 'blob',
        'rate-limiting/blob-bucket': this.buckets.rateLimiting.bucketName,
        'rate-limiting/blob-path': this.buckets.rateLimiting.path,
        'interop/blob-bucket': this.buckets.interop.bucketName,
        'edcs/blob-bucket': this.buckets.edcs.bucketName,
      },
    });

    if (config.features.monitoring) {
      this.fileSystem = new FileSystem(this, 'PrometheusData', {
        environment,
        name: `${resourcePrefix}-prometheus`,
        vpcId,
        subnetIds: network.network.privateSubnetIds,
        // Only Prometheus mounts it; the observability layer admits Prometheus alone (no TTS task needs NFS).
        // Prometheus runs as nobody (65534); the access point makes every write that user and owns the root with it.
        accessPoint: { path: '/prometheus', uid: 65534, gid: 65534, permissions: '750' },
        kmsKeyArn: this.kmsKeyArn,
        // The cluster's backup plan below covers it (EFS automatic backups would copy it a second time).
        backups: false,
      });
    }

    if (config.features.timescale) {
      const used = config.tts.edition === 'enterprise';
      if (!used) {
        Annotations.of(this).addWarning(
          'features.timescale is on, but only The Things Stack Enterprise uses TimescaleDB (Storage Integration, ' +
            'NOC): the open-source edition connects to nothing there, and the host admits nothing on 5432.',
        );
      }
      // Generated here like the Aurora password: the host reads it from its secret at boot, the URI secret is composed
      // from it in the same apply, and neither state file holds it. Letters and digits only (URI- and shell-safe).
      const password = new EphemeralSecretValue(this, 'TimescalePassword', { kind: 'password', length: 40 }).value;
      const passwordSecret = new Secret(this, 'TimescalePasswordSecret', {
        environment,
        name: `${resourcePrefix}/timescale-password`,
        description: `Password of the tts user of the TimescaleDB host of ${resourcePrefix}`,
        kmsKeyArn: this.kmsKeyArn,
        value: password,
      });
      // A fixed address near the end of the first private subnet: the URI below is written once and stays valid
      // when the instance is replaced. ECS tasks draw addresses from the same subnet; AWS hands out free ones only.
      const host = Fn.cidrhost(network.network.subnetPlan.private[0], -6);
      const databaseName = 'tts';
      const username = 'tts';
      this.timescale = new TimescaleHost(this, 'Timescale', {
        environment,
        name: `${resourcePrefix}-timescale`,
        vpcId,
        subnetId: network.network.privateSubnetIds[0],
        availabilityZone: cluster.availabilityZones[0],
        privateIp: host,
        // Only Enterprise components use it (the compute layer injects timescale-uri into the AS and the NOC): the
        // tasks group is admitted on 5432 there; nothing in the open-source edition (no ingress without a caller).
        // Never a CIDR.
        allowedSecurityGroupIds: used ? clients : [],
        instanceType: data.timescale.instanceType,
        ...(data.timescale.snapshotId
          ? { snapshotId: data.timescale.snapshotId }
          : { dataVolumeSizeGiB: data.timescale.volumeSizeGiB }),
        kmsKeyArn: this.kmsKeyArn,
        bootstrap: {
          passwordSecret,
          vpcCidr: network.network.cidr,
          databaseName,
          username,
          // The namespace the first TTS deployments publish the disk metric under (kept: dashboards and alarms use it).
          metricNamespace: 'TTS/Timescale',
          // The alarm topic is created by the observability layer, applied after this one; its name is fixed, and
          // CloudWatch accepts an action on a topic that does not exist yet (notifications start once it does).
          alarmTopicArn: `arn:${partitionOf(cluster.region)}:sns:${cluster.region}:${cluster.accountId}:${resourcePrefix}-alarms`,
        },
      });
      const uriSecret = new Secret(this, 'TimescaleUri', {
        environment,
        name: `${resourcePrefix}/timescale-uri`,
        description: `TimescaleDB URI of ${resourcePrefix}: as.packages.storage.postgres.database-uri, noc.store.database-uri`,
        kmsKeyArn: this.kmsKeyArn,
        value: postgresUri({ username, password, host, database: databaseName }),
      });
      this.timescaleDatabase = {
        host,
        port: this.timescale.port,
        databaseName,
        uriSecretArn: uriSecret.arn,
        uriSecretKmsKeyArn: uriSecret.kmsKeyArn,
        instance: this.timescale,
      };
    }

    const partition = partitionOf(cluster.region);
    this.backup = createBackupPlan(this, stack, this.kmsKeyArn, [
      ...(this.database ? [this.database.aurora.clusterArn] : []),
      ...(this.fileSystem ? [this.fileSystem.arn] : []),
      ...(this.timescale
        ? [`arn:${partition}:ec2:${cluster.region}:${cluster.accountId}:volume/${this.timescale.dataVolumeId}`]
        : []),
    ]);
  }
}
