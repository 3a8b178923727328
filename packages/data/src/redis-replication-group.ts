import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import { ElasticacheParameterGroup } from '@cdktf/provider-aws/lib/elasticache-parameter-group';
import { ElasticacheSubnetGroup } from '@cdktf/provider-aws/lib/elasticache-subnet-group';
import {
  AwsEnvironment,
  EncryptedLogGroup,
  EncryptionKey,
  requireIntegerInRange,
  requireNonEmpty,
  requireProp,
  requireEnvironment,
  Connections,
  IConnectable,
  IPeer,
} from '@tts-ecs/core';
import { IngressSecurityGroup } from './security-group';
import { requireSecretToken, requireWindow } from './validation';

export interface RedisReplicationGroupProps {
  /** Account and region of the group. */
  readonly environment: AwsEnvironment;
  /** Replication group id: 1-40 lower-case letters, digits and hyphens, starting with a letter. */
  readonly replicationGroupId: string;
  /** What the group is for, shown in the console. @default 'Redis <id>' */
  readonly description?: string;
  /** VPC of the security group. */
  readonly vpcId: string;
  /** Private subnets, one per Availability Zone the nodes may use. */
  readonly subnetIds: readonly string[];
  /** Security groups admitted on port 6379. @default none (use allowFrom) */
  readonly allowedSecurityGroupIds?: readonly string[];
  /** Redis OSS engine version (major.minor, 6.2 or later). @default '7.1' */
  readonly engineVersion?: string;
  /** Node type. @default 'cache.t4g.medium' */
  readonly nodeType?: string;
  /** Read replicas next to the primary (0-5); they are the failover targets. @default 2 */
  readonly replicasPerNodeGroup?: number;
  /** Place replicas in other AZs and fail over automatically. Needs at least one replica. @default true */
  readonly multiAz?: boolean;
  /**
   * TLS between clients and nodes (`transit_encryption_mode = required`). When on, `authToken` is required.
   * @default true
   */
  readonly transitEncryption?: boolean;
  /**
   * Redis AUTH token, as a token (e.g. a random_password result: 16-128 printable characters without `@`, `"`, `/`).
   * Required with transit encryption.
   */
  readonly authToken?: string;
  /** KMS key for data at rest and the slow log. @default a new EncryptionKey */
  readonly kmsKeyArn?: string;
  /** Days of daily snapshots (1-35). 0 disables backups and needs `acceptNoBackups: true`. @default 7 */
  readonly snapshotRetentionDays?: number;
  /** Acknowledge that `snapshotRetentionDays: 0` means no backups. @default false */
  readonly acceptNoBackups?: boolean;
  /** Daily snapshot window (UTC, hh24:mi-hh24:mi). @default '03:00-04:00' */
  readonly snapshotWindow?: string;
  /** Weekly maintenance window (UTC, ddd:hh24:mi-ddd:hh24:mi). @default 'sun:05:00-sun:06:00' */
  readonly maintenanceWindow?: string;
  /** Create the group from an ElastiCache snapshot name. Ignored after creation. @default none */
  readonly snapshotName?: string;
  /** Create the group from RDB files in S3 (ARNs). Ignored after creation. @default none */
  readonly snapshotArns?: readonly string[];
  /** Extra parameters for the parameter group. @default none */
  readonly parameters?: Readonly<Record<string, string>>;
  /** Retention of the slow log group. @default 365 */
  readonly logRetentionDays?: number;
  /** Add `lifecycle.prevent_destroy`. A final snapshot is taken on deletion either way. @default true */
  readonly preventDestroy?: boolean;
}

/**
 * ElastiCache for Redis OSS with cluster mode disabled (one primary endpoint): Multi-AZ with automatic failover and
 * two replicas, TLS with an AUTH token, KMS at rest, daily snapshots, a slow log in an encrypted log group,
 * and a security group admitting 6379 only from the given security groups.
 */
export class RedisReplicationGroup extends Construct {
  /** Address of the primary endpoint (writes). */
  readonly primaryEndpointAddress: string;
  /** Address of the reader endpoint. */
  readonly readerEndpointAddress: string;
  /** Redis port (6379). */
  readonly port = 6379;
  /** Id of the group's security group. */
  readonly securityGroupId: string;
  /** ARN of the replication group. */
  readonly arn: string;
  /** Whether clients must use TLS. */
  readonly tls: boolean;
  /** The underlying resource, for escape hatches. */
  readonly resource: ElasticacheReplicationGroup;

  private readonly securityGroup: IngressSecurityGroup;

  constructor(scope: Construct, id: string, props: RedisReplicationGroupProps) {
    super(scope, id);
    requireEnvironment(this, props.environment);
    const name = props.replicationGroupId;
    requireProp(
      this,
      Token.isUnresolved(name) || /^[a-z](?!.*--)([a-z0-9-]{0,38}[a-z0-9])?$/.test(name),
      'replicationGroupId',
      name,
      'Use 1-40 lower-case letters, digits and hyphens, starting with a letter, without "--" or a trailing hyphen.',
    );
    requireNonEmpty(this, 'subnetIds', props.subnetIds, 'Give private subnets in at least two Availability Zones.');
    const replicas = props.replicasPerNodeGroup ?? 2;
    requireIntegerInRange(this, 'replicasPerNodeGroup', replicas, 0, 5);
    const multiAz = props.multiAz ?? true;
    requireProp(
      this,
      !(multiAz && replicas === 0),
      'multiAz',
      multiAz,
      'Multi-AZ failover needs at least one replica: set replicasPerNodeGroup >= 1, or multiAz: false for a single node.',
    );
    const engineVersion = props.engineVersion ?? '7.1';
    const match = /^(\d+)\.(\d+)$/.exec(engineVersion);
    requireProp(
      this,
      match !== null && (Number(match[1]) > 6 || (Number(match[1]) === 6 && Number(match[2]) >= 2)),
      'engineVersion',
      engineVersion,
      'Use a Redis OSS major.minor version of 6.2 or later, e.g. "7.1".',
    );
    const major = Number(match![1]);
    const tls = props.transitEncryption ?? true;
    if (tls) requireSecretToken(this, 'authToken', props.authToken);
    requireProp(
      this,
      tls || props.authToken === undefined,
      'authToken',
      '<hidden>',
      'An AUTH token is only sent over TLS: remove authToken or enable transitEncryption.',
    );
    const retention = props.snapshotRetentionDays ?? 7;
    requireIntegerInRange(this, 'snapshotRetentionDays', retention, 0, 35);
    requireProp(
      this,
      retention > 0 || props.acceptNoBackups === true,
      'snapshotRetentionDays',
      retention,
      'Keep at least 1 day of snapshots, or set acceptNoBackups: true if the data can be lost.',
    );
    requireProp(
      this,
      !(props.snapshotName !== undefined && props.snapshotArns !== undefined),
      'snapshotName',
      props.snapshotName,
      'Restore from either snapshotName or snapshotArns, not both.',
    );
    const snapshotWindow = props.snapshotWindow ?? '03:00-04:00';
    requireWindow(this, 'snapshotWindow', snapshotWindow, false);
    const maintenanceWindow = props.maintenanceWindow ?? 'sun:05:00-sun:06:00';
    requireWindow(this, 'maintenanceWindow', maintenanceWindow, true);

    const key = props.kmsKeyArn
      ? undefined
      : new EncryptionKey(this, 'Key', {
          environment: props.environment,
          description: `Redis ${name}`,
          allowCloudWatchLogs: true,
        });
    const kmsKeyArn = props.kmsKeyArn ?? key!.arn;

    this.securityGroup = new IngressSecurityGroup(this, 'SecurityGroup', {
      name: `${name}-redis`,
      description: `Redis ${name}: 6379 from client security groups`,
      vpcId: props.vpcId,
      port: this.port,
      allowedSecurityGroupIds: props.allowedSecurityGroupIds,
    });
    this.securityGroupId = this.securityGroup.securityGroupId;
    const subnetGroup = new ElasticacheSubnetGroup(this, 'SubnetGroup', {
      name: `${name}-redis`,
      description: `Redis ${name}`,
      subnetIds: [...props.subnetIds],
    });
    const family = major >= 7 ? `redis${major}` : `redis${engineVersion.split('.')[0]}.x`;
    const parameterGroup = new ElasticacheParameterGroup(this, 'Parameters', {
      name: `${name}-${family.replace('.', '-')}`,
      family,
      description: `Redis ${name}`,
      parameter: Object.entries(props.parameters ?? {}).map(([pname, value]) => ({ name: pname, value })),
      lifecycle: { createBeforeDestroy: true },
    });
    const slowLog = new EncryptedLogGroup(this, 'SlowLog', {
      name: `/aws/elasticache/${name}/slow-log`,
      kmsKeyArn,
      retentionInDays: props.logRetentionDays ?? 365,
    });

    this.resource = new ElasticacheReplicationGroup(this, 'Group', {
      replicationGroupId: name,
      description: props.description ?? `Redis ${name}`,
      engine: 'redis',
      engineVersion,
      nodeType: props.nodeType ?? 'cache.t4g.medium',
      port: this.port,
      clusterMode: 'disabled',
      numCacheClusters: replicas + 1,
      multiAzEnabled: multiAz,
      automaticFailoverEnabled: multiAz,
      transitEncryptionEnabled: tls,
      transitEncryptionMode: tls ? 'required' : undefined,
      authToken: props.authToken,
      authTokenUpdateStrategy: props.authToken === undefined ? undefined : 'ROTATE',
      atRestEncryptionEnabled: 'true',
      kmsKeyId: kmsKeyArn,
      subnetGroupName: subnetGroup.name,
      securityGroupIds: [this.securityGroupId],
      parameterGroupName: parameterGroup.name,
      snapshotRetentionLimit: retention,
      snapshotWindow: retention > 0 ? snapshotWindow : undefined,
      maintenanceWindow,
      snapshotName: props.snapshotName,
      snapshotArns: props.snapshotArns ? [...props.snapshotArns] : undefined,
      finalSnapshotIdentifier: `${name}-final`,
      autoMinorVersionUpgrade: 'true',
      logDeliveryConfiguration: [
        { destination: slowLog.name, destinationType: 'cloudwatch-logs', logFormat: 'json', logType: 'slow-log' },
      ],
      lifecycle: { preventDestroy: props.preventDestroy ?? true, ignoreChanges: ['snapshot_name', 'snapshot_arns'] },
    });
    this.primaryEndpointAddress = this.resource.primaryEndpointAddress;
    this.readerEndpointAddress = this.resource.readerEndpointAddress;
    this.arn = this.resource.arn;
    this.tls = tls;
  }

  /**
   * The data store's security group as a target: `store.connections.allowDefaultPortFrom(service)`, or from the
   * client's side `service.connections.allowToDefaultPort(store)`. Security groups only; the default port is port 6379.
   */
  get connections(): Connections {
    return this.securityGroup.connections;
  }

  /** Admits a client (a construct with connections, or `Peer.securityGroupId(id)`) on port 6379. */
  allowFrom(client: IConnectable | IPeer, description?: string): void {
    this.connections.allowDefaultPortFrom(client, description);
  }
}
