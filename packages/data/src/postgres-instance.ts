import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import {
  AwsEnvironment,
  ConnectableSecurityGroup,
  Connections,
  EncryptedLogGroup,
  EncryptionKey,
  IConnectable,
  InvalidPropError,
  IPeer,
  partitionOf,
  policyDocument,
  PolicyStatement,
  Port,
  requireEnvironment,
  requireIntegerInRange,
  requireProp,
} from '@tts-ecs/core';
import { requireWindow } from './validation';
import {
  enhancedMonitoringRole,
  postgresParameters,
  rdsConnectStatement,
  requireDatabaseName,
  requireDbSubnets,
  requireDbUser,
  requireEngineVersion,
  requireEnhancedMonitoring,
  requireMasterUsername,
  requirePerformanceInsightsRetention,
  requirePostgresLogging,
  requireRdsIdentifier,
  SecurityGroupPeersOnly,
} from './postgres-shared';
import {
  ConnectGrantee,
  POSTGRES_INSTANCE_DEFAULT_ENGINE_VERSION,
  PostgresInstanceProps,
} from './postgres-instance-props';

export * from './postgres-instance-props';

/** Largest gp3 volume RDS for PostgreSQL supports, in GiB. */
const MAX_GP3_GIB = 65536;

/**
 * A single RDS for PostgreSQL instance (Multi-AZ by default): encrypted gp3 storage with autoscaling, TLS enforced
 * (`rds.force_ssl=1`), a master password generated and kept by RDS in Secrets Manager (never in Terraform), backups,
 * deletion protection, a final snapshot, `postgresql` and `upgrade` logs in encrypted log groups, Performance
 * Insights, Enhanced Monitoring, and a security group admitting 5432 only from other security groups.
 */
export class PostgresInstance extends Construct implements IConnectable {
  /** Host name of the instance. */
  readonly endpoint: string;
  /** PostgreSQL port (5432). */
  readonly port = 5432;
  /** DB instance identifier. */
  readonly identifier: string;
  /** Instance ARN. */
  readonly arn: string;
  /** Resource id (`db-...`), the part of `rds-db:connect` ARNs naming this instance. */
  readonly resourceId: string;
  /** Database created with the instance. */
  readonly databaseName: string;
  /** Master user name. */
  readonly masterUsername: string;
  /** ARN of the Secrets Manager secret RDS keeps the master credentials in (JSON `username` / `password`). */
  readonly masterUserSecretArn: string;
  /** KMS key ARN used by the instance. */
  readonly kmsKeyArn: string;
  /** Id of the instance's security group. */
  readonly securityGroupId: string;
  /** Ingress on 5432 (the default port), from security groups only. */
  readonly connections: Connections;
  /** The instance resource, for escape hatches. */
  readonly resource: DbInstance;

  private readonly environment: AwsEnvironment;
  private readonly name: string;
  private readonly iamAuth: boolean;
  private connectPolicies = 0;

  constructor(scope: Construct, id: string, props: PostgresInstanceProps) {
    super(scope, id);
    requireEnvironment(this, props.environment);
    this.environment = props.environment;
    const name = props.identifier;
    this.name = name;
    requireRdsIdentifier(this, 'identifier', name, 63);
    requireDatabaseName(this, props.databaseName);
    requireDbSubnets(this, props.subnetIds);
    this.masterUsername = props.masterUsername ?? 'postgres';
    requireMasterUsername(this, 'masterUsername', this.masterUsername);
    const engineVersion = props.engineVersion ?? POSTGRES_INSTANCE_DEFAULT_ENGINE_VERSION;
    requireEngineVersion(this, engineVersion, POSTGRES_INSTANCE_DEFAULT_ENGINE_VERSION);
    const allocated = props.allocatedStorageGiB ?? 20;
    requireIntegerInRange(this, 'allocatedStorageGiB', allocated, 20, MAX_GP3_GIB);
    const maxAllocated = props.maxAllocatedStorageGiB ?? 100;
    requireIntegerInRange(this, 'maxAllocatedStorageGiB', maxAllocated, 22, MAX_GP3_GIB);
    // RDS refuses a ceiling less than 10% above the allocated storage (USER_PIOPS.Autoscaling in the RDS user guide).
    requireProp(
      this,
      Token.isUnresolved(allocated) ||
        Token.isUnresolved(maxAllocated) ||
        maxAllocated >= Math.ceil((allocated * 11) / 10),
      'maxAllocatedStorageGiB',
      maxAllocated,
      `Use at least ${Math.ceil((allocated * 11) / 10)} (10% above allocatedStorageGiB ${allocated}): RDS needs room to grow.`,
    );
    const backupDays = props.backupRetentionDays ?? 7;
    requireIntegerInRange(this, 'backupRetentionDays', backupDays, 1, 35);
    const backupWindow = props.preferredBackupWindow ?? '02:00-03:00';
    requireWindow(this, 'preferredBackupWindow', backupWindow, false);
    const maintenanceWindow = props.preferredMaintenanceWindow ?? 'sun:04:00-sun:05:00';
    requireWindow(this, 'preferredMaintenanceWindow', maintenanceWindow, true);
    const piDays = props.performanceInsightsRetentionDays ?? 7;
    requirePerformanceInsightsRetention(this, piDays);
    const monitoringInterval = props.monitoringInterval ?? 60;
    requireEnhancedMonitoring(this, partitionOf(props.environment.region), monitoringInterval, props.monitoringRoleArn);
    const slowQueryMs = props.slowQueryLogThresholdMs ?? 1000;
    const logStatement = props.logStatement ?? 'ddl';
    requirePostgresLogging(this, slowQueryMs, logStatement);
    this.iamAuth = props.iamDatabaseAuthentication ?? false;

    const key = props.kmsKeyArn
      ? undefined
      : new EncryptionKey(this, 'Key', {
          environment: props.environment,
          description: `PostgreSQL instance ${name}`,
          allowCloudWatchLogs: true,
        });
    this.kmsKeyArn = props.kmsKeyArn ?? key!.arn;

    const securityGroup = new ConnectableSecurityGroup(this, 'SecurityGroup', {
      name: `${name}-postgres`,
      description: `PostgreSQL ${name}: 5432 from client security groups`,
      vpcId: props.vpcId,
      defaultPort: Port.tcp(this.port),
      allowAllOutbound: false,
    });
    this.securityGroupId = securityGroup.securityGroupId;
    // Rules go through a filter that refuses CIDR and prefix-list clients (see SecurityGroupPeersOnly).
    this.connections = new Connections({
      rules: new SecurityGroupPeersOnly(this, securityGroup),
      defaultPort: Port.tcp(this.port),
    });
    const subnetGroup = new DbSubnetGroup(this, 'SubnetGroup', {
      name: `${name}-postgres`,
      description: `PostgreSQL ${name}`,
      subnetIds: [...props.subnetIds],
    });
    const major = engineVersion.split('.')[0];
    const parameterGroup = new DbParameterGroup(this, 'Parameters', {
      name: `${name}-postgres${major}`,
      family: `postgres${major}`,
      description: `PostgreSQL ${name}: TLS required`,
      parameter: postgresParameters(slowQueryMs, logStatement, props.parameters),
      // A new family (major upgrade) needs the new group before the instance switches to it.
      lifecycle: { createBeforeDestroy: true },
    });
    // Own the log groups RDS would create, so they are KMS-encrypted and have a retention.
    const logExports = ['postgresql', 'upgrade'];
    const logGroups = logExports.map(
      (log) =>
        new EncryptedLogGroup(this, log === 'postgresql' ? 'Logs' : 'UpgradeLogs', {
          name: `/aws/rds/instance/${name}/${log}`,
          kmsKeyArn: this.kmsKeyArn,
          retentionInDays: props.logRetentionDays ?? 365,
        }),
    );
    const monitoring = enhancedMonitoringRole(this, {
      environment: props.environment,
      name,
      description: `Enhanced Monitoring of RDS instance ${name}`,
      interval: monitoringInterval,
      roleArn: props.monitoringRoleArn,
    });

    const autoMinor = props.autoMinorVersionUpgrade ?? true;
    this.resource = new DbInstance(this, 'Instance', {
      identifier: name,
      engine: 'postgres',
      engineVersion,
      instanceClass: props.instanceClass ?? 'db.t4g.medium',
      dbName: props.databaseName,
      username: this.masterUsername,
      // RDS generates the password and keeps it in Secrets Manager: it never passes through Terraform or its state.
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: this.kmsKeyArn,
      port: this.port,
      multiAz: props.multiAz ?? true,
      // With max_allocated_storage set, the provider ignores allocated_storage growing through autoscaling.
      allocatedStorage: allocated,
      maxAllocatedStorage: maxAllocated,
      storageType: 'gp3',
      storageEncrypted: true,
      kmsKeyId: this.kmsKeyArn,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [this.securityGroupId],
      parameterGroupName: parameterGroup.name,
      publiclyAccessible: false,
      // RSA 2048 CA valid until 2061, supported by every client TLS stack (RDS user guide, UsingWithRDS.SSL).
      caCertIdentifier: 'rds-ca-rsa2048-g1',
      backupRetentionPeriod: backupDays,
      backupWindow,
      maintenanceWindow,
      deletionProtection: props.deletionProtection ?? true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${name}-final`,
      copyTagsToSnapshot: true,
      enabledCloudwatchLogsExports: logExports,
      iamDatabaseAuthenticationEnabled: this.iamAuth,
      autoMinorVersionUpgrade: autoMinor,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: this.kmsKeyArn,
      performanceInsightsRetentionPeriod: piDays,
      monitoringInterval,
      monitoringRoleArn: monitoring.roleArn,
      // Log groups first (else RDS creates unencrypted ones); RDS checks the monitoring role when monitoring starts.
      dependsOn: [...logGroups.map((g) => g.resource), ...(monitoring.policy ? [monitoring.policy] : [])],
      lifecycle: {
        preventDestroy: props.preventDestroy ?? true,
        ignoreChanges: autoMinor ? ['engine_version'] : undefined,
      },
    });

    this.endpoint = this.resource.address;
    this.identifier = this.resource.identifier;
    this.arn = this.resource.arn;
    this.resourceId = this.resource.resourceId;
    this.databaseName = props.databaseName;
    this.masterUserSecretArn = this.resource.masterUserSecret.get(0).secretArn;
  }

  /**
   * Admits a client on 5432: a connectable (its restricted egress gets the matching rule) or
   * `Peer.securityGroupId(...)`. CIDR peers are refused: they admit whole address ranges instead of named clients.
   */
  allowFrom(client: IConnectable | IPeer, description?: string): void {
    this.connections.allowDefaultPortFrom(client, description);
  }

  /** Identity-policy statements for IAM database authentication as `dbUser`. */
  connectStatements(dbUser: string): PolicyStatement[] {
    return [rdsConnectStatement(this.environment, this.resourceId, dbUser)];
  }

  /**
   * Lets `grantee` connect as `dbUser` with IAM authentication (`rds-db:connect`). A role name gets an inline policy
   * created here; an {@link IStatementGrantee} gets the statement through `grantTaskRole`. The PostgreSQL role must
   * exist and be granted `rds_iam`. Returns the statement.
   */
  grantConnect(grantee: ConnectGrantee, dbUser: string): PolicyStatement {
    if (!this.iamAuth)
      throw new InvalidPropError(
        this.node.path,
        'iamDatabaseAuthentication',
        false,
        'Set iamDatabaseAuthentication: true before granting rds-db:connect: without it RDS refuses IAM tokens.',
      );
    requireDbUser(this, 'grantConnect.dbUser', dbUser);
    const statement = rdsConnectStatement(this.environment, this.resourceId, dbUser);
    if (typeof grantee !== 'string') {
      grantee.grantTaskRole([statement]);
      return statement;
    }
    requireProp(
      this,
      Token.isUnresolved(grantee) || /^[\w+=,.@-]{1,64}$/.test(grantee),
      'grantConnect.grantee',
      grantee,
      'Give an IAM role name (not an ARN), such as "app-task", or an object with grantTaskRole.',
    );
    this.connectPolicies += 1;
    new IamRolePolicy(this, `ConnectPolicy${this.connectPolicies}`, {
      role: grantee,
      name: `rds-connect-${this.name}-${this.connectPolicies}`,
      policy: policyDocument([statement]),
    });
    return statement;
  }
}
