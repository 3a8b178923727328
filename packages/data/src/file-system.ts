import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { EfsFileSystem } from '@cdktf/provider-aws/lib/efs-file-system';
import { EfsBackupPolicy } from '@cdktf/provider-aws/lib/efs-backup-policy';
import { EfsMountTarget } from '@cdktf/provider-aws/lib/efs-mount-target';
import { EfsAccessPoint } from '@cdktf/provider-aws/lib/efs-access-point';
import { EfsFileSystemPolicy } from '@cdktf/provider-aws/lib/efs-file-system-policy';
import {
  AwsEnvironment,
  EncryptionKey,
  requireIntegerInRange,
  requireNonEmpty,
  requireOneOf,
  requireProp,
  PolicyStatement,
  policyDocument,
  requireEnvironment,
  Connections,
  IConnectable,
  IPeer,
} from '@tts-ecs/core';
import { IngressSecurityGroup } from './security-group';

export type EfsThroughputMode = 'elastic' | 'bursting';
export type EfsTransitionToIa =
  'AFTER_1_DAY' | 'AFTER_7_DAYS' | 'AFTER_14_DAYS' | 'AFTER_30_DAYS' | 'AFTER_60_DAYS' | 'AFTER_90_DAYS';

/** The one access point clients use: a fixed POSIX identity and a root directory created with it. */
export interface FileSystemAccessPointProps {
  /** Directory exposed as the client's root, e.g. `/prometheus`. */
  readonly path: string;
  /** POSIX user id every file operation runs as. */
  readonly uid: number;
  /** POSIX group id every file operation runs as. */
  readonly gid: number;
  /** Octal permissions of the root directory when EFS creates it. @default '750' */
  readonly permissions?: string;
}

export interface FileSystemProps {
  /** Account and region (for the created key). */
  readonly environment: AwsEnvironment;
  /** Name tag and creation token, e.g. `acme-prod-eu1-prometheus`. */
  readonly name: string;
  /** VPC of the security group. */
  readonly vpcId: string;
  /** One private subnet per Availability Zone; a mount target is created in each. */
  readonly subnetIds: readonly string[];
  /** Security groups admitted on NFS (2049). @default none (use allowFrom) */
  readonly allowedSecurityGroupIds?: readonly string[];
  /** The access point clients mount. */
  readonly accessPoint: FileSystemAccessPointProps;
  /** KMS key for data at rest. @default a new EncryptionKey */
  readonly kmsKeyArn?: string;
  /** Throughput mode; `elastic` scales with the workload and bills per use. @default 'elastic' */
  readonly throughputMode?: EfsThroughputMode;
  /** Move files not accessed for this long to Infrequent Access. @default 'AFTER_30_DAYS' */
  readonly transitionToIa?: EfsTransitionToIa;
  /** Daily AWS Backup of the file system. @default true */
  readonly backups?: boolean;
  /** Add `lifecycle.prevent_destroy`. @default true */
  readonly preventDestroy?: boolean;
}

/**
 * An EFS file system: KMS-encrypted, elastic throughput, daily backups, Infrequent Access lifecycle, mount targets
 * in the given subnets behind a security group admitting NFS only from given security groups, one access point
 * with a fixed POSIX identity, and a file system policy that denies any access without TLS.
 */
export class FileSystem extends Construct {
  /** File system id. */
  readonly fileSystemId: string;
  /** File system ARN. */
  readonly arn: string;
  /** Access point id. */
  readonly accessPointId: string;
  /** Access point ARN. */
  readonly accessPointArn: string;
  /** Security group of the mount targets. */
  readonly securityGroupId: string;
  /** The file system resource, for escape hatches. */
  readonly resource: EfsFileSystem;

  private readonly securityGroup: IngressSecurityGroup;

  constructor(scope: Construct, id: string, props: FileSystemProps) {
    super(scope, id);
    requireEnvironment(this, props.environment);
    requireProp(
      this,
      /^[a-zA-Z0-9_.-]{1,64}$/.test(props.name),
      'name',
      props.name,
      'Use 1-64 letters, digits, "_", "." and "-".',
    );
    requireNonEmpty(this, 'subnetIds', props.subnetIds, 'Give one private subnet per Availability Zone.');
    const throughput = props.throughputMode ?? 'elastic';
    requireOneOf(this, 'throughputMode', throughput, ['elastic', 'bursting'] as EfsThroughputMode[]);
    const ap = props.accessPoint;
    requireProp(
      this,
      Token.isUnresolved(ap.path) || (/^\/[a-zA-Z0-9_.\-/]{1,99}$/.test(ap.path) && !ap.path.endsWith('/')),
      'accessPoint.path',
      ap.path,
      'Give an absolute directory below the root, e.g. "/prometheus" (the file system root itself would expose every client\'s data).',
    );
    requireIntegerInRange(this, 'accessPoint.uid', ap.uid, 1, 4294967295);
    requireIntegerInRange(this, 'accessPoint.gid', ap.gid, 1, 4294967295);
    const permissions = ap.permissions ?? '750';
    requireProp(
      this,
      /^0?[0-7]{3}$/.test(permissions),
      'accessPoint.permissions',
      permissions,
      'Use octal permissions such as "750".',
    );

    const kmsKeyArn =
      props.kmsKeyArn ??
      new EncryptionKey(this, 'Key', { environment: props.environment, description: `EFS ${props.name}` }).arn;
    this.resource = new EfsFileSystem(this, 'FileSystem', {
      creationToken: props.name,
      encrypted: true,
      kmsKeyId: kmsKeyArn,
      performanceMode: 'generalPurpose',
      throughputMode: throughput,
      lifecyclePolicy: [
        { transitionToIa: props.transitionToIa ?? 'AFTER_30_DAYS' },
        { transitionToPrimaryStorageClass: 'AFTER_1_ACCESS' },
      ],
      tags: { Name: props.name },
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    this.fileSystemId = this.resource.id;
    this.arn = this.resource.arn;
    new EfsBackupPolicy(this, 'Backup', {
      fileSystemId: this.fileSystemId,
      backupPolicy: { status: props.backups === false ? 'DISABLED' : 'ENABLED' },
    });

    this.securityGroup = new IngressSecurityGroup(this, 'SecurityGroup', {
      name: `${props.name}-efs`,
      description: `EFS ${props.name}: NFS from client security groups`,
      vpcId: props.vpcId,
      port: 2049,
      allowedSecurityGroupIds: props.allowedSecurityGroupIds,
    });
    this.securityGroupId = this.securityGroup.securityGroupId;
    props.subnetIds.forEach((subnetId, i) => {
      new EfsMountTarget(this, `MountTarget${i + 1}`, {
        fileSystemId: this.fileSystemId,
        subnetId,
        securityGroups: [this.securityGroupId],
      });
    });

    const accessPoint = new EfsAccessPoint(this, 'AccessPoint', {
      fileSystemId: this.fileSystemId,
      posixUser: { uid: ap.uid, gid: ap.gid },
      rootDirectory: { path: ap.path, creationInfo: { ownerUid: ap.uid, ownerGid: ap.gid, permissions } },
      tags: { Name: props.name },
    });
    this.accessPointId = accessPoint.id;
    this.accessPointArn = accessPoint.arn;

    const statements: PolicyStatement[] = [
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: '*',
        Resource: this.arn,
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
      {
        // Without an allow, a file system policy would lock out clients that mount without IAM; the network path
        // is already limited by the security group, and root access is not granted (root is squashed).
        Sid: 'AllowMountThroughMountTargets',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
        Resource: this.arn,
        Condition: { Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' } },
      },
    ];
    new EfsFileSystemPolicy(this, 'Policy', { fileSystemId: this.fileSystemId, policy: policyDocument(statements) });
  }

  /**
   * The data store's security group as a target: `store.connections.allowDefaultPortFrom(service)`, or from the
   * client's side `service.connections.allowToDefaultPort(store)`. Security groups only; the default port is NFS (2049).
   */
  get connections(): Connections {
    return this.securityGroup.connections;
  }

  /** Admits a client (a construct with connections, or `Peer.securityGroupId(id)`) on NFS (2049). */
  allowFrom(client: IConnectable | IPeer, description?: string): void {
    this.connections.allowDefaultPortFrom(client, description);
  }

  /** Identity-policy statements for an IAM-authorized mount (ECS `iam: ENABLED`) through the access point. */
  mountStatements(readOnly = false): PolicyStatement[] {
    return [
      {
        Effect: 'Allow',
        Action: readOnly
          ? ['elasticfilesystem:ClientMount']
          : ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
        Resource: this.arn,
        Condition: { StringEquals: { 'elasticfilesystem:AccessPointArn': this.accessPointArn } },
      },
    ];
  }
}
