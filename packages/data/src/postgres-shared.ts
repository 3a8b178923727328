import { Construct, IConstruct } from 'constructs';
import { Token } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import {
  assumeRolePolicy,
  AwsEnvironment,
  InvalidPropError,
  IPeer,
  partitionOf,
  PolicyStatement,
  Port,
  requireIntegerInRange,
  requireNonEmpty,
  requireOneOf,
  requireProp,
  SecurityGroupRules,
} from '@tts-ecs/core';

// What AuroraPostgres and PostgresInstance have in common: prop checks, the PostgreSQL parameters every database gets,
// the Enhanced Monitoring role and the IAM authentication statement.

/** Seconds between Enhanced Monitoring samples accepted by RDS; 0 turns Enhanced Monitoring off. */
export const ENHANCED_MONITORING_INTERVALS: readonly number[] = [0, 1, 5, 10, 15, 30, 60];

/** Values of the PostgreSQL `log_statement` parameter. */
export type PostgresLogStatement = 'none' | 'ddl' | 'mod' | 'all';

/** Operational settings AuroraPostgres and PostgresInstance share: maintenance, protection, monitoring, logging. */
export interface PostgresOperationsProps {
  /** Weekly maintenance window (UTC, ddd:hh24:mi-ddd:hh24:mi). @default 'sun:04:00-sun:05:00' */
  readonly preferredMaintenanceWindow?: string;
  /** RDS deletion protection. @default true */
  readonly deletionProtection?: boolean;
  /** Add `lifecycle.prevent_destroy` to the database. @default true */
  readonly preventDestroy?: boolean;
  /** Allow IAM database authentication (`rds-db:connect`) in addition to passwords. @default false */
  readonly iamDatabaseAuthentication?: boolean;
  /**
   * Let RDS apply minor versions in the maintenance window. When true, Terraform ignores `engine_version` drift so
   * a plan never tries to downgrade an upgraded database.
   * @default true
   */
  readonly autoMinorVersionUpgrade?: boolean;
  /** Days of Performance Insights history (7 is free; otherwise a multiple of 31 up to 713, or 731). @default 7 */
  readonly performanceInsightsRetentionDays?: number;
  /** Retention of the exported PostgreSQL log groups. @default 365 */
  readonly logRetentionDays?: number;
  /**
   * Seconds between Enhanced Monitoring (OS metrics) samples of every instance: 1, 5, 10, 15, 30 or 60; 0 turns
   * Enhanced Monitoring off. Metrics go to the `RDSOSMetrics` log group RDS manages.
   * @default 60
   */
  readonly monitoringInterval?: number;
  /**
   * IAM role RDS assumes to publish Enhanced Monitoring metrics: trusted by `monitoring.rds.amazonaws.com`, with
   * `AmazonRDSEnhancedMonitoringRole` attached. Only with a non-zero `monitoringInterval`.
   * @default a role created by the construct (`<identifier>-rds-monitoring`, trust limited to this account)
   */
  readonly monitoringRoleArn?: string;
  /**
   * `log_min_duration_statement`: statements running at least this many milliseconds are logged with their duration
   * (slow-query log, exported to CloudWatch). 0 logs every statement; -1 turns the slow-query log off.
   * @default 1000
   */
  readonly slowQueryLogThresholdMs?: number;
  /**
   * `log_statement`: statements logged whatever their duration. `ddl` logs CREATE / ALTER / DROP (schema and role
   * changes, CIS PostgreSQL benchmark), but a `CREATE|ALTER ROLE ... PASSWORD 'clear text'` is then logged with its
   * password: set role passwords with psql `\password` (it sends only a SCRAM verifier) or use IAM authentication.
   * The construct never sends its own master password through SQL. `mod` and `all` also log data values.
   * @default 'ddl'
   */
  readonly logStatement?: PostgresLogStatement;
  /**
   * Extra parameters of the parameter group. They override the logging defaults (`log_statement`,
   * `log_min_duration_statement`); `rds.force_ssl` is always 1.
   * @default none
   */
  readonly parameters?: Readonly<Record<string, string>>;
}

/** PostgreSQL identifiers RDS accepts for a database or user name (`rdsadmin` is refused separately). */
const PG_NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/;

/**
 * Requires an RDS identifier (cluster or instance): `maxLength` lower-case letters, digits and hyphens at most,
 * starting with a letter, without "--" or a trailing hyphen.
 */
export function requireRdsIdentifier(scope: IConstruct, field: string, value: string, maxLength: number): void {
  requireProp(
    scope,
    Token.isUnresolved(value) || new RegExp(`^[a-z](?!.*--)[a-z0-9-]{0,${maxLength - 2}}[a-z0-9]$`).test(value),
    field,
    value,
    `Use 2-${maxLength} lower-case letters, digits and hyphens, starting with a letter, without "--" or a trailing hyphen.`,
  );
}

/** Requires a PostgreSQL database name RDS can create. */
export function requireDatabaseName(scope: IConstruct, value: string): void {
  requireProp(
    scope,
    Token.isUnresolved(value) || PG_NAME.test(value),
    'databaseName',
    value,
    'Use 1-63 letters, digits and underscores, starting with a letter.',
  );
}

/** Requires a master user name RDS accepts. */
export function requireMasterUsername(scope: IConstruct, field: string, value: string): void {
  requireProp(
    scope,
    PG_NAME.test(value) && value !== 'rdsadmin',
    field,
    value,
    'Use 1-63 letters, digits and underscores, starting with a letter ("rdsadmin" is reserved).',
  );
}

/** Requires subnets in at least two Availability Zones (what a DB subnet group needs); only the count is checkable. */
export function requireDbSubnets(scope: IConstruct, subnetIds: readonly string[]): void {
  requireNonEmpty(scope, 'subnetIds', subnetIds, 'Give private subnets in at least two Availability Zones.');
  requireProp(
    scope,
    subnetIds.length >= 2,
    'subnetIds',
    subnetIds,
    'Give private subnets in at least two Availability Zones.',
  );
}

/** Requires a Performance Insights retention RDS accepts: 7 (free), a multiple of 31 up to 713, or 731. */
export function requirePerformanceInsightsRetention(scope: IConstruct, days: number): void {
  requireProp(
    scope,
    days === 7 || days === 731 || (Number.isInteger(days) && days % 31 === 0 && days >= 31 && days <= 713),
    'performanceInsightsRetentionDays',
    days,
    'Use 7 (free tier), a multiple of 31 up to 713, or 731.',
  );
}

/** Requires a `major.minor` engine version; `example` is shown in the fix. */
export function requireEngineVersion(scope: IConstruct, value: string, example: string): void {
  requireProp(
    scope,
    /^\d+\.\d+$/.test(value),
    'engineVersion',
    value,
    `Use a major.minor version such as "${example}".`,
  );
}

/** Checks the Enhanced Monitoring interval and, when given, the role ARN (in the region's partition). */
export function requireEnhancedMonitoring(
  scope: IConstruct,
  partition: string,
  interval: number,
  roleArn: string | undefined,
): void {
  requireProp(
    scope,
    Token.isUnresolved(interval) || ENHANCED_MONITORING_INTERVALS.includes(interval),
    'monitoringInterval',
    interval,
    'Use 1, 5, 10, 15, 30 or 60 seconds between Enhanced Monitoring samples, or 0 to turn Enhanced Monitoring off.',
  );
  if (roleArn === undefined) return;
  requireProp(
    scope,
    Token.isUnresolved(roleArn) ||
      new RegExp(`^arn:${partition}:iam::\\d{12}:role/([\\w+=,.@-]+/)*[\\w+=,.@-]{1,64}$`).test(roleArn),
    'monitoringRoleArn',
    roleArn,
    `Give the ARN of an IAM role in the ${partition} partition, such as "arn:${partition}:iam::111111111111:role/rds-monitoring", trusted by monitoring.rds.amazonaws.com with AmazonRDSEnhancedMonitoringRole attached; or omit it and the construct creates one.`,
  );
  requireProp(
    scope,
    interval !== 0,
    'monitoringRoleArn',
    roleArn,
    'Enhanced Monitoring is off (monitoringInterval 0): remove monitoringRoleArn, or set monitoringInterval to 1, 5, 10, 15, 30 or 60.',
  );
}

/** The Enhanced Monitoring role in use and the attachment RDS must wait for. */
export interface EnhancedMonitoringRole {
  /** Undefined when Enhanced Monitoring is off. */
  readonly roleArn?: string;
  /** The policy attachment of a role made here; instances depend on it. */
  readonly policy?: IamRolePolicyAttachment;
}

/**
 * Creates (as `MonitoringRole` / `MonitoringPolicy` in `scope`) the role RDS assumes to write OS metrics to the
 * RDSOSMetrics log group, unless Enhanced Monitoring is off or a role is given.
 */
export function enhancedMonitoringRole(
  scope: Construct,
  props: {
    readonly environment: AwsEnvironment;
    /** Cluster or instance identifier: the role is `<name>-rds-monitoring`. */
    readonly name: string;
    /** Role description. */
    readonly description: string;
    readonly interval: number;
    readonly roleArn?: string;
  },
): EnhancedMonitoringRole {
  if (props.interval === 0) return {};
  if (props.roleArn !== undefined) return { roleArn: props.roleArn };
  const { name } = props;
  const roleName = `${name}-rds-monitoring`;
  // IAM role names stop at 64 characters; a long identifier gets a unique name from a prefix instead.
  const fits = Token.isUnresolved(name) || roleName.length <= 64;
  const role = new IamRole(scope, 'MonitoringRole', {
    name: fits ? roleName : undefined,
    namePrefix: fits ? undefined : `${name.slice(0, 37)}-`,
    description: props.description,
    // Confused-deputy guard: only RDS acting for this account may assume the role.
    assumeRolePolicy: assumeRolePolicy('monitoring.rds.amazonaws.com', props.environment.accountId),
  });
  const policy = new IamRolePolicyAttachment(scope, 'MonitoringPolicy', {
    role: role.name,
    policyArn: `arn:${partitionOf(props.environment.region)}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
  });
  return { roleArn: role.arn, policy };
}

/** Checks the logging props of {@link postgresParameters}. */
export function requirePostgresLogging(
  scope: IConstruct,
  slowQueryMs: number,
  logStatement: PostgresLogStatement,
): void {
  requireIntegerInRange(scope, 'slowQueryLogThresholdMs', slowQueryMs, -1, 2147483647);
  requireOneOf<PostgresLogStatement>(scope, 'logStatement', logStatement, ['none', 'ddl', 'mod', 'all']);
}

/**
 * Parameter-group parameters: the logging defaults first, so explicit `parameters` override them; TLS last, so
 * nothing overrides it.
 */
export function postgresParameters(
  slowQueryMs: number,
  logStatement: PostgresLogStatement,
  parameters: Readonly<Record<string, string>> | undefined,
): { name: string; value: string }[] {
  return Object.entries({
    log_min_duration_statement: String(slowQueryMs),
    log_statement: logStatement,
    ...(parameters ?? {}),
    'rds.force_ssl': '1',
  }).map(([pname, value]) => ({ name: pname, value }));
}

/** The identity-policy statement allowing IAM database authentication as `dbUser` on the resource `resourceId`. */
export function rdsConnectStatement(environment: AwsEnvironment, resourceId: string, dbUser: string): PolicyStatement {
  const { region, accountId } = environment;
  return {
    Effect: 'Allow',
    Action: 'rds-db:connect',
    Resource: `arn:${partitionOf(region)}:rds-db:${region}:${accountId}:dbuser:${resourceId}/${dbUser}`,
  };
}

/** Requires a PostgreSQL role name for `rds-db:connect`; tokens are let through. */
export function requireDbUser(scope: IConstruct, field: string, value: string): void {
  requireProp(
    scope,
    Token.isUnresolved(value) || (PG_NAME.test(value) && value !== 'rdsadmin'),
    field,
    value,
    'Use the PostgreSQL role name clients log in as: 1-63 letters, digits and underscores, starting with a letter.',
  );
}

/**
 * Security group rules of a data store: ingress only from security groups (or connectables), never from CIDRs or
 * prefix lists. A CIDR admits every present and future address in a range (any task, instance or VPN user landing
 * there), and nothing reviews who that is; a security group reference admits exactly the members of that group.
 * Egress is written as asked (a database rarely needs any).
 */
export class SecurityGroupPeersOnly implements SecurityGroupRules {
  constructor(
    /** The data store; errors name its path. */
    readonly owner: IConstruct,
    private readonly inner: SecurityGroupRules,
  ) {}

  get securityGroupId(): string {
    return this.inner.securityGroupId;
  }

  get allowsAllOutbound(): boolean {
    return this.inner.allowsAllOutbound;
  }

  addIngressRule(peer: IPeer, port: Port, description?: string): void {
    if (peer.toRuleTarget().referencedSecurityGroupId === undefined)
      throw new InvalidPropError(
        this.owner.node.path,
        'allowFrom.peer',
        peer.label,
        'Admit clients by security group (a connectable such as a service, or Peer.securityGroupId): CIDR ranges and prefix lists are not accepted for data stores.',
      );
    this.inner.addIngressRule(peer, port, description);
  }

  addEgressRule(peer: IPeer, port: Port, description?: string): void {
    this.inner.addEgressRule(peer, port, description);
  }
}
