import { Construct } from 'constructs';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import { RdsClusterInstance } from '@cdktf/provider-aws/lib/rds-cluster-instance';
import { RdsClusterParameterGroup } from '@cdktf/provider-aws/lib/rds-cluster-parameter-group';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import {
  AwsEnvironment,
  EncryptedLogGroup,
  EncryptionKey,
  partitionOf,
  requireIntegerInRange,
  PolicyStatement,
  requireEnvironment,
  Connections,
  IConnectable,
  IPeer,
} from '@tts-ecs/core';
import { IngressSecurityGroup } from './security-group';
import { requireSecretToken, requireWindow } from './validation';
import {
  enhancedMonitoringRole,
  PostgresOperationsProps,
  postgresParameters,
  rdsConnectStatement,
  requireDatabaseName,
  requireDbSubnets,
  requireEngineVersion,
  requireEnhancedMonitoring,
  requireMasterUsername,
  requirePerformanceInsightsRetention,
  requirePostgresLogging,
  requireRdsIdentifier,
} from './postgres-shared';

/**
 * Master credentials: a password supplied as a token (written through the write-only `master_password_wo`, never
 * stored in state), or a password RDS generates and keeps (and rotates) in its own Secrets Manager secret.
 */
export type AuroraCredentials =
  | {
      readonly masterUsername: string;
      /** Sensitive token, e.g. an EphemeralSecretValue's `value`; never a literal. */
      readonly masterPassword: string;
      /**
       * `master_password_wo_version`: the password is sent to RDS only when this number changes. Raise it to set a
       * new password (and write it wherever clients read it in the same apply).
       * @default 1
       */
      readonly masterPasswordVersion?: number;
    }
  | { readonly rdsManaged: true; /** @default 'postgres' */ readonly masterUsername?: string };

export interface AuroraPostgresProps extends PostgresOperationsProps {
  /** Account and region of the cluster. */
  readonly environment: AwsEnvironment;
  /** Cluster identifier: lower-case letters, digits and hyphens, starting with a letter; instances are `<name>-<n>`. */
  readonly clusterIdentifier: string;
  /** VPC of the cluster's security group. */
  readonly vpcId: string;
  /** Private subnets in at least two Availability Zones. */
  readonly subnetIds: readonly string[];
  /** Security groups admitted on port 5432. @default none (use allowFrom) */
  readonly allowedSecurityGroupIds?: readonly string[];
  /** Name of the database created with the cluster (ignored when restoring a snapshot). */
  readonly databaseName: string;
  /** Master credentials. Prefer `{ rdsManaged: true }`: the password then never passes through Terraform. */
  readonly credentials: AuroraCredentials;
  /** Aurora PostgreSQL engine version. @default '16.6' */
  readonly engineVersion?: string;
  /** Instance class of every instance. @default 'db.t4g.medium' */
  readonly instanceClass?: string;
  /** Reader instances next to the writer (failover targets). @default 1 */
  readonly readers?: number;
  /** KMS key for storage, Performance Insights, logs and the managed password. @default a new EncryptionKey */
  readonly kmsKeyArn?: string;
  /** Days of automated backups (1-35; 0 would disable point-in-time recovery). @default 7 */
  readonly backupRetentionDays?: number;
  /** Daily backup window (UTC, hh24:mi-hh24:mi, at least 30 minutes). @default '02:00-03:00' */
  readonly preferredBackupWindow?: string;
  /** Create the cluster from this snapshot (identifier or ARN). Ignored after creation. @default a new empty cluster */
  readonly snapshotIdentifier?: string;
}

/**
 * Aurora PostgreSQL cluster: one writer and N readers, KMS-encrypted storage, TLS enforced (`rds.force_ssl=1`),
 * backups, deletion protection, a final snapshot, PostgreSQL logs in an encrypted log group with retention,
 * Performance Insights, and a security group admitting 5432 only from the given security groups.
 */
export class AuroraPostgres extends Construct {
  /** Writer endpoint. */
  readonly endpoint: string;
  /** Load-balanced reader endpoint. */
  readonly readerEndpoint: string;
  /** PostgreSQL port (5432). */
  readonly port = 5432;
  /** Id of the cluster's security group. */
  readonly securityGroupId: string;
  /** Cluster identifier. */
  readonly clusterIdentifier: string;
  /** Cluster ARN. */
  readonly clusterArn: string;
  /** Database created with the cluster. */
  readonly databaseName: string;
  /** Master user name. */
  readonly masterUsername: string;
  /** ARN of the RDS-managed master secret (only with `rdsManaged`). */
  readonly masterUserSecretArn?: string;
  /** KMS key ARN used by the cluster. */
  readonly kmsKeyArn: string;
  /** Enhanced Monitoring interval in seconds (0: off). */
  readonly monitoringInterval: number;
  /** ARN of the Enhanced Monitoring role (created or given); undefined when Enhanced Monitoring is off. */
  readonly monitoringRoleArn?: string;
  /** The cluster resource, for escape hatches. */
  readonly resource: RdsCluster;
  /** The instances (index 0 is the initial writer). */
  readonly instances: RdsClusterInstance[] = [];

  private readonly securityGroup: IngressSecurityGroup;
  private readonly environment: AwsEnvironment;

  constructor(scope: Construct, id: string, props: AuroraPostgresProps) {
    super(scope, id);
    requireEnvironment(this, props.environment);
    this.environment = props.environment;
    const name = props.clusterIdentifier;
    requireRdsIdentifier(this, 'clusterIdentifier', name, 60);
    requireDatabaseName(this, props.databaseName);
    requireDbSubnets(this, props.subnetIds);
    const readers = props.readers ?? 1;
    requireIntegerInRange(this, 'readers', readers, 0, 15);
    const backupDays = props.backupRetentionDays ?? 7;
    requireIntegerInRange(this, 'backupRetentionDays', backupDays, 1, 35);
    const piDays = props.performanceInsightsRetentionDays ?? 7;
    requirePerformanceInsightsRetention(this, piDays);
    const backupWindow = props.preferredBackupWindow ?? '02:00-03:00';
    requireWindow(this, 'preferredBackupWindow', backupWindow, false);
    const maintenanceWindow = props.preferredMaintenanceWindow ?? 'sun:04:00-sun:05:00';
    requireWindow(this, 'preferredMaintenanceWindow', maintenanceWindow, true);
    const engineVersion = props.engineVersion ?? '16.6';
    requireEngineVersion(this, engineVersion, '16.6');

    const partition = partitionOf(props.environment.region);
    const monitoringInterval = props.monitoringInterval ?? 60;
    requireEnhancedMonitoring(this, partition, monitoringInterval, props.monitoringRoleArn);
    const slowQueryMs = props.slowQueryLogThresholdMs ?? 1000;
    const logStatement = props.logStatement ?? 'ddl';
    requirePostgresLogging(this, slowQueryMs, logStatement);

    const creds = props.credentials;
    const rdsManaged = 'rdsManaged' in creds && creds.rdsManaged === true;
    this.masterUsername = creds.masterUsername ?? 'postgres';
    requireMasterUsername(this, 'credentials.masterUsername', this.masterUsername);
    const passwordCreds = rdsManaged
      ? undefined
      : (creds as { masterPassword: string; masterPasswordVersion?: number });
    if (passwordCreds) {
      requireSecretToken(this, 'credentials.masterPassword', passwordCreds.masterPassword);
      requireIntegerInRange(
        this,
        'credentials.masterPasswordVersion',
        passwordCreds.masterPasswordVersion ?? 1,
        1,
        Number.MAX_SAFE_INTEGER,
      );
    }

    const key = props.kmsKeyArn
      ? undefined
      : new EncryptionKey(this, 'Key', {
          environment: props.environment,
          description: `Aurora cluster ${name}`,
          allowCloudWatchLogs: true,
        });
    this.kmsKeyArn = props.kmsKeyArn ?? key!.arn;

    this.securityGroup = new IngressSecurityGroup(this, 'SecurityGroup', {
      name: `${name}-aurora`,
      description: `Aurora PostgreSQL ${name}: 5432 from client security groups`,
      vpcId: props.vpcId,
      port: this.port,
      allowedSecurityGroupIds: props.allowedSecurityGroupIds,
    });
    this.securityGroupId = this.securityGroup.securityGroupId;
    const subnetGroup = new DbSubnetGroup(this, 'SubnetGroup', {
      name: `${name}-aurora`,
      subnetIds: [...props.subnetIds],
    });
    const major = engineVersion.split('.')[0];
    const parameterGroup = new RdsClusterParameterGroup(this, 'Parameters', {
      name: `${name}-aurora-postgresql${major}`,
      family: `aurora-postgresql${major}`,
      description: `Aurora PostgreSQL ${name}: TLS required`,
      // Logging defaults first, so explicit `parameters` override them; TLS last, so nothing overrides it.
      parameter: postgresParameters(slowQueryMs, logStatement, props.parameters),
      lifecycle: { createBeforeDestroy: true },
    });
    // Own the log group RDS would create, so it is KMS-encrypted and has a retention.
    const logGroup = new EncryptedLogGroup(this, 'Logs', {
      name: `/aws/rds/cluster/${name}/postgresql`,
      kmsKeyArn: this.kmsKeyArn,
      retentionInDays: props.logRetentionDays ?? 365,
    });
    // Enhanced Monitoring: RDS assumes this role to write OS metrics to the RDSOSMetrics log group.
    this.monitoringInterval = monitoringInterval;
    const monitoring = enhancedMonitoringRole(this, {
      environment: props.environment,
      name,
      description: `Enhanced Monitoring of Aurora cluster ${name}`,
      interval: monitoringInterval,
      roleArn: props.monitoringRoleArn,
    });
    const monitoringPolicy = monitoring.policy;
    this.monitoringRoleArn = monitoring.roleArn;

    const autoMinor = props.autoMinorVersionUpgrade ?? true;
    const ignoreChanges = ['snapshot_identifier', ...(autoMinor ? ['engine_version'] : [])];

    this.resource = new RdsCluster(this, 'Cluster', {
      clusterIdentifier: name,
      engine: 'aurora-postgresql',
      engineVersion,
      databaseName: props.databaseName,
      masterUsername: this.masterUsername,
      // Write-only: the password reaches RDS but never the state or plan files.
      masterPasswordWo: passwordCreds?.masterPassword,
      masterPasswordWoVersion: passwordCreds ? (passwordCreds.masterPasswordVersion ?? 1) : undefined,
      manageMasterUserPassword: rdsManaged ? true : undefined,
      masterUserSecretKmsKeyId: rdsManaged ? this.kmsKeyArn : undefined,
      port: this.port,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [this.securityGroupId],
      dbClusterParameterGroupName: parameterGroup.name,
      storageEncrypted: true,
      kmsKeyId: this.kmsKeyArn,
      backupRetentionPeriod: backupDays,
      preferredBackupWindow: backupWindow,
      preferredMaintenanceWindow: maintenanceWindow,
      deletionProtection: props.deletionProtection ?? true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${name}-final`,
      copyTagsToSnapshot: true,
      enabledCloudwatchLogsExports: ['postgresql'],
      iamDatabaseAuthenticationEnabled: props.iamDatabaseAuthentication ?? false,
      snapshotIdentifier: props.snapshotIdentifier,
      dependsOn: [logGroup.resource],
      lifecycle: { preventDestroy: props.preventDestroy ?? true, ignoreChanges },
    });

    for (let i = 0; i <= readers; i++) {
      this.instances.push(
        new RdsClusterInstance(this, `Instance${i + 1}`, {
          identifier: `${name}-${i + 1}`,
          clusterIdentifier: this.resource.id,
          engine: 'aurora-postgresql',
          instanceClass: props.instanceClass ?? 'db.t4g.medium',
          dbSubnetGroupName: subnetGroup.name,
          publiclyAccessible: false,
          autoMinorVersionUpgrade: autoMinor,
          performanceInsightsEnabled: true,
          performanceInsightsKmsKeyId: this.kmsKeyArn,
          performanceInsightsRetentionPeriod: piDays,
          copyTagsToSnapshot: true,
          preferredMaintenanceWindow: maintenanceWindow,
          promotionTier: i === 0 ? 0 : 1,
          monitoringInterval,
          monitoringRoleArn: this.monitoringRoleArn,
          // RDS checks the role's permissions when monitoring starts: attach the policy first.
          dependsOn: monitoringPolicy ? [monitoringPolicy] : undefined,
        }),
      );
    }

    this.endpoint = this.resource.endpoint;
    this.readerEndpoint = this.resource.readerEndpoint;
    this.clusterIdentifier = this.resource.clusterIdentifier;
    this.clusterArn = this.resource.arn;
    this.databaseName = props.databaseName;
    this.masterUserSecretArn = rdsManaged ? this.resource.masterUserSecret.get(0).secretArn : undefined;
  }

  /**
   * The data store's security group as a target: `store.connections.allowDefaultPortFrom(service)`, or from the
   * client's side `service.connections.allowToDefaultPort(store)`. Security groups only; the default port is port 5432.
   */
  get connections(): Connections {
    return this.securityGroup.connections;
  }

  /** Admits a client (a construct with connections, or `Peer.securityGroupId(id)`) on port 5432. */
  allowFrom(client: IConnectable | IPeer, description?: string): void {
    this.connections.allowDefaultPortFrom(client, description);
  }

  /**
   * Identity-policy statements for IAM database authentication as `dbUser` (requires `iamDatabaseAuthentication`).
   */
  connectStatements(dbUser: string): PolicyStatement[] {
    return [rdsConnectStatement(this.environment, this.resource.clusterResourceId, dbUser)];
  }
}
