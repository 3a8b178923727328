import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { EbsVolume } from '@cdktf/provider-aws/lib/ebs-volume';
import { VolumeAttachment } from '@cdktf/provider-aws/lib/volume-attachment';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import {
  AwsEnvironment,
  EncryptionKey,
  PolicyStatement,
  partitionOf,
  policyDocument,
  requireIntegerInRange,
  requireOneOf,
  requireProp,
  assumeRolePolicy,
  requireEnvironment,
  Connections,
  IConnectable,
  IPeer,
} from '@tts-ecs/core';
import { IngressSecurityGroup } from './security-group';
import { TIMESCALE_METRIC_NAMESPACE, TIMESCALE_MOUNT_PATH, timescaleUserData } from './timescale-user-data';

// Re-exported here so the package index (which exports this module) carries the user data renderer too.
export * from './timescale-user-data';

export type HostArchitecture = 'arm64' | 'x86_64';

/** The secret holding the application user's password (e.g. a {@link Secret}). */
export interface TimescalePasswordSecret {
  readonly arn: string;
  /** Statements granting GetSecretValue on the secret and kms:Decrypt on its key (`Secret.readStatements()`). */
  readStatements(): PolicyStatement[];
}

/** What the host's user data sets up (see {@link timescaleUserData}). */
export interface TimescaleBootstrapProps {
  /** Secret with the password of `username`; the instance role may read this secret only. */
  readonly passwordSecret: TimescalePasswordSecret;
  /** CIDR of the VPC, admitted by pg_hba (`hostssl`, SCRAM); the security group narrows it to the client groups. */
  readonly vpcCidr: string;
  /** Database created with the timescaledb extension. @default 'timescale' */
  readonly databaseName?: string;
  /** Owner of the database. @default 'timescale' */
  readonly username?: string;
  /** CloudWatch namespace of the disk metric (and of its alarm). @default 'Timescale' */
  readonly metricNamespace?: string;
  /** PostgreSQL major version. @default 17 */
  readonly postgresMajor?: number;
  /** SNS topic of the disk alarm. @default none (the alarm changes state without notifying) */
  readonly alarmTopicArn?: string;
  /** Disk use of the data volume that raises the alarm, in percent. @default 80 */
  readonly diskAlarmThresholdPercent?: number;
}

export interface TimescaleHostProps {
  /** Account and region. */
  readonly environment: AwsEnvironment;
  /** Name used for the instance, role, security group and volume, e.g. `acme-prod-eu1-timescale`. */
  readonly name: string;
  /** VPC of the security group. */
  readonly vpcId: string;
  /** Private subnet of the instance. */
  readonly subnetId: string;
  /** Availability Zone of `subnetId` (the data volume must be in the same zone; it cannot be looked up offline). */
  readonly availabilityZone: string;
  /** Security groups admitted on 5432. @default none (use allowFrom) */
  readonly allowedSecurityGroupIds?: readonly string[];
  /** CPU architecture of the AMI; must match the instance type. @default 'arm64' */
  readonly architecture?: HostArchitecture;
  /** Instance type. @default 'm7g.large' */
  readonly instanceType?: string;
  /**
   * SSM parameter of the AMI, resolved at launch (`resolve:ssm:`), so plans stay offline and deterministic. The
   * bootstrap script needs Ubuntu 24.04 (Timescale documents apt packages for Ubuntu, none for Amazon Linux 2023).
   * @default the latest Amazon Linux 2023 AMI for the architecture; with `bootstrap`, Canonical's current Ubuntu 24.04
   * LTS server AMI (gp3) for the architecture
   */
  readonly amiParameter?: string;
  /** Size of the encrypted gp3 root volume. @default 20 */
  readonly rootVolumeSizeGiB?: number;
  /** Size of a new, empty data volume. Exactly one of dataVolumeSizeGiB and snapshotId. */
  readonly dataVolumeSizeGiB?: number;
  /** Snapshot to create the data volume from. Exactly one of dataVolumeSizeGiB and snapshotId. */
  readonly snapshotId?: string;
  /** Device name of the data volume. @default '/dev/sdf' */
  readonly dataDeviceName?: string;
  /** KMS key for the root and data volumes. @default a new EncryptionKey */
  readonly kmsKeyArn?: string;
  /** Fixed private IPv4 address in `subnetId`, so a replacement instance keeps the address clients use. @default any */
  readonly privateIp?: string;
  /**
   * Install and configure TimescaleDB on the data volume at boot (Ubuntu AMI only), publish its disk use and alarm on
   * it. Mutually exclusive with userData.
   * @default none: nothing is installed
   */
  readonly bootstrap?: TimescaleBootstrapProps;
  /** Your own user data script. Mutually exclusive with bootstrap. @default none */
  readonly userData?: string;
  /** Add `lifecycle.prevent_destroy` to the data volume. @default true */
  readonly preventDestroy?: boolean;
}

/**
 * An EC2 host for TimescaleDB: private subnet, Session Manager instead of SSH (no key pair, no port 22), IMDSv2 only,
 * encrypted gp3 root, and a separate encrypted gp3 data volume with `prevent_destroy` that survives replacing the
 * instance. PostgreSQL (5432) is admitted only from the given security groups; egress is HTTPS (SSM, Secrets Manager,
 * CloudWatch, package repositories), and with `bootstrap` also HTTP (the Ubuntu archive is served over HTTP, signed).
 *
 * With `bootstrap`, the user data mounts the data volume, runs TimescaleDB on it with TLS and SCRAM, sets the password
 * from Secrets Manager and publishes the disk use, and the construct adds an alarm on the disk use.
 */
export class TimescaleHost extends Construct {
  /** Instance id. */
  readonly instanceId: string;
  /** Private IP address of the instance. */
  readonly privateIp: string;
  /** Data volume id. */
  readonly dataVolumeId: string;
  /** Security group of the host. */
  readonly securityGroupId: string;
  /** PostgreSQL port. */
  readonly port = 5432;
  /** Name of the instance role (attach more policies to it). */
  readonly roleName: string;
  /** Alarm on the data volume's disk use (with `bootstrap`). */
  readonly diskAlarm?: CloudwatchMetricAlarm;

  private readonly securityGroup: IngressSecurityGroup;

  constructor(scope: Construct, id: string, props: TimescaleHostProps) {
    super(scope, id);
    requireEnvironment(this, props.environment);
    requireProp(
      this,
      /^[a-zA-Z0-9_-]{1,48}$/.test(props.name),
      'name',
      props.name,
      'Use 1-48 letters, digits, "_" and "-".',
    );
    requireProp(
      this,
      (props.dataVolumeSizeGiB === undefined) !== (props.snapshotId === undefined),
      'dataVolumeSizeGiB',
      props.dataVolumeSizeGiB,
      'Give exactly one of dataVolumeSizeGiB (new empty volume) and snapshotId (restore).',
    );
    if (props.dataVolumeSizeGiB !== undefined)
      requireIntegerInRange(this, 'dataVolumeSizeGiB', props.dataVolumeSizeGiB, 1, 16384);
    const rootSize = props.rootVolumeSizeGiB ?? 20;
    requireIntegerInRange(this, 'rootVolumeSizeGiB', rootSize, 8, 16384);
    requireProp(
      this,
      /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/.test(props.availabilityZone) &&
        props.availabilityZone.startsWith(props.environment.region),
      'availabilityZone',
      props.availabilityZone,
      `Give the zone of subnetId in ${props.environment.region}, e.g. "${props.environment.region}a".`,
    );
    const arch = props.architecture ?? 'arm64';
    requireOneOf(this, 'architecture', arch, ['arm64', 'x86_64'] as HostArchitecture[]);
    const instanceType = props.instanceType ?? 'm7g.large';
    // Graviton families carry a "g" after the generation digit (m7g, t4g, r8g, c7gn); x86 ones do not.
    const graviton = /^[a-z]+\d+g[a-z]*\./.test(instanceType);
    requireProp(
      this,
      (arch === 'arm64') === graviton,
      'instanceType',
      instanceType,
      `The instance type does not run ${arch} AMIs: pick a ${arch === 'arm64' ? 'Graviton type such as m7g.large' : 'x86 type such as m7i.large'} or change architecture.`,
    );
    const partition = partitionOf(props.environment.region);
    requireProp(
      this,
      props.bootstrap === undefined || props.userData === undefined,
      'userData',
      props.userData === undefined ? undefined : '(script)',
      'Give either bootstrap (the TimescaleDB setup) or your own userData, not both.',
    );
    const threshold = props.bootstrap?.diskAlarmThresholdPercent ?? 80;
    requireIntegerInRange(this, 'diskAlarmThresholdPercent', threshold, 1, 99);

    const kmsKeyArn =
      props.kmsKeyArn ??
      new EncryptionKey(this, 'Key', { environment: props.environment, description: `TimescaleDB host ${props.name}` })
        .arn;

    this.securityGroup = new IngressSecurityGroup(this, 'SecurityGroup', {
      name: `${props.name}-timescale`,
      description: `TimescaleDB ${props.name}: 5432 from client security groups`,
      vpcId: props.vpcId,
      port: this.port,
      allowedSecurityGroupIds: props.allowedSecurityGroupIds,
    });
    this.securityGroupId = this.securityGroup.securityGroupId;
    new VpcSecurityGroupEgressRule(this, 'HttpsOut', {
      securityGroupId: this.securityGroupId,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: '0.0.0.0/0',
      description: 'HTTPS to Systems Manager, Secrets Manager, CloudWatch and package repositories',
    });
    if (props.bootstrap) {
      new VpcSecurityGroupEgressRule(this, 'HttpOut', {
        securityGroupId: this.securityGroupId,
        ipProtocol: 'tcp',
        fromPort: 80,
        toPort: 80,
        cidrIpv4: '0.0.0.0/0',
        description: 'HTTP to the Ubuntu archive (packages are signed)',
      });
    }

    const role = new IamRole(this, 'Role', {
      name: `${props.name}-timescale`,
      assumeRolePolicy: assumeRolePolicy('ec2.amazonaws.com'),
    });
    this.roleName = role.name;
    new IamRolePolicyAttachment(this, 'Ssm', {
      role: role.name,
      policyArn: `arn:${partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
    });
    if (props.bootstrap) {
      new IamRolePolicyAttachment(this, 'CloudWatchAgent', {
        role: role.name,
        policyArn: `arn:${partition}:iam::aws:policy/CloudWatchAgentServerPolicy`,
      });
      new IamRolePolicy(this, 'ReadPassword', {
        role: role.id,
        name: 'read-password',
        policy: policyDocument(props.bootstrap.passwordSecret.readStatements()),
      });
    }
    const profile = new IamInstanceProfile(this, 'Profile', { name: `${props.name}-timescale`, role: role.name });

    // The AMI is resolved by EC2 at launch; a launch template keeps the `resolve:ssm:` string out of aws_instance.ami,
    // which would otherwise show a replacement diff against the resolved AMI id on every plan.
    const amiParameter =
      props.amiParameter ??
      (props.bootstrap
        ? `/aws/service/canonical/ubuntu/server/24.04/stable/current/${arch === 'arm64' ? 'arm64' : 'amd64'}/hvm/ebs-gp3/ami-id`
        : `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch === 'arm64' ? 'arm64' : 'x86_64'}`);
    const template = new LaunchTemplate(this, 'Template', {
      name: `${props.name}-timescale`,
      imageId: `resolve:ssm:${amiParameter}`,
    });

    const volume = new EbsVolume(this, 'Data', {
      availabilityZone: props.availabilityZone,
      type: 'gp3',
      size: props.dataVolumeSizeGiB,
      snapshotId: props.snapshotId,
      encrypted: true,
      kmsKeyId: kmsKeyArn,
      finalSnapshot: true,
      tags: { Name: `${props.name}-timescale-data` },
      lifecycle: { preventDestroy: props.preventDestroy ?? true, ignoreChanges: ['snapshot_id'] },
    });
    this.dataVolumeId = volume.id;

    const userData = props.bootstrap
      ? timescaleUserData({
          volumeId: volume.id,
          passwordSecretArn: props.bootstrap.passwordSecret.arn,
          region: props.environment.region,
          vpcCidr: props.bootstrap.vpcCidr,
          databaseName: props.bootstrap.databaseName ?? 'timescale',
          username: props.bootstrap.username ?? 'timescale',
          metricNamespace: props.bootstrap.metricNamespace,
          hostName: props.name,
          postgresMajor: props.bootstrap.postgresMajor,
        })
      : props.userData;

    const instance = new Instance(this, 'Instance', {
      launchTemplate: { id: template.id, version: '$Default' },
      instanceType,
      subnetId: props.subnetId,
      privateIp: props.privateIp,
      availabilityZone: props.availabilityZone,
      vpcSecurityGroupIds: [this.securityGroupId],
      iamInstanceProfile: profile.name,
      associatePublicIpAddress: false,
      ebsOptimized: true,
      metadataOptions: { httpTokens: 'required', httpEndpoint: 'enabled', httpPutResponseHopLimit: 1 },
      rootBlockDevice: {
        volumeType: 'gp3',
        volumeSize: rootSize,
        encrypted: true,
        kmsKeyId: kmsKeyArn,
        deleteOnTermination: true,
      },
      userData,
      tags: { Name: `${props.name}-timescale` },
      lifecycle: { ignoreChanges: ['ami'] },
    });
    this.instanceId = instance.id;
    this.privateIp = instance.privateIp;

    new VolumeAttachment(this, 'DataAttachment', {
      deviceName: props.dataDeviceName ?? '/dev/sdf',
      instanceId: instance.id,
      volumeId: volume.id,
      stopInstanceBeforeDetaching: true,
    });

    if (props.bootstrap) {
      // The agent's dimensions (host name, file system type) change with the instance; a Metrics Insights query on
      // the construct's own dimension keeps the alarm valid across replacements.
      this.diskAlarm = new CloudwatchMetricAlarm(this, 'DiskAlarm', {
        alarmName: `${props.name}-timescale-disk`,
        alarmDescription: `TimescaleDB ${props.name}: data volume (${TIMESCALE_MOUNT_PATH}) more than ${threshold}% full`,
        comparisonOperator: 'GreaterThanThreshold',
        threshold,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: 'missing',
        metricQuery: [
          {
            id: 'disk',
            expression: `SELECT MAX(disk_used_percent) FROM "${props.bootstrap.metricNamespace ?? TIMESCALE_METRIC_NAMESPACE}" WHERE TimescaleHost = '${props.name}'`,
            period: 300,
            returnData: true,
          },
        ],
        alarmActions: props.bootstrap.alarmTopicArn ? [props.bootstrap.alarmTopicArn] : undefined,
        okActions: props.bootstrap.alarmTopicArn ? [props.bootstrap.alarmTopicArn] : undefined,
      });
    }
  }

  /**
   * The data store's security group as a target: `store.connections.allowDefaultPortFrom(service)`, or from the
   * client's side `service.connections.allowToDefaultPort(store)`. Security groups only; the default port is 5432.
   */
  get connections(): Connections {
    return this.securityGroup.connections;
  }

  /** Admits a client (a construct with connections, or `Peer.securityGroupId(id)`) on 5432. */
  allowFrom(client: IConnectable | IPeer, description?: string): void {
    this.connections.allowDefaultPortFrom(client, description);
  }
}
