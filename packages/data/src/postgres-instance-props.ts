import { AwsEnvironment, PolicyStatement } from '@tts-ecs/core';
import { PostgresOperationsProps } from './postgres-shared';

/**
 * Default PostgreSQL engine version: a PostgreSQL 16 minor RDS creates instances with. RDS stops creating 16.5-16.8
 * instances on 2026-05-01 and upgrades them to 16.11 or later (RDS for PostgreSQL release calendar,
 * https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html).
 */
export const POSTGRES_INSTANCE_DEFAULT_ENGINE_VERSION = '16.11';

/** Something that takes identity-policy statements, e.g. a ContainerService or TaskDefinition of @tts-ecs/compute. */
export interface IStatementGrantee {
  grantTaskRole(statements: PolicyStatement[]): void;
}

/** Who {@link PostgresInstance.grantConnect} grants to: an IAM role name, or an {@link IStatementGrantee}. */
export type ConnectGrantee = string | IStatementGrantee;

export interface PostgresInstanceProps extends PostgresOperationsProps {
  /** Account and region of the instance. */
  readonly environment: AwsEnvironment;
  /** DB instance identifier: 2-63 lower-case letters, digits and hyphens, starting with a letter. */
  readonly identifier: string;
  /** VPC of the instance's security group. */
  readonly vpcId: string;
  /** Private subnets in at least two Availability Zones (the DB subnet group; Multi-AZ places the standby there). */
  readonly subnetIds: readonly string[];
  /** Name of the database created with the instance. */
  readonly databaseName: string;
  /** Master user name; its password is generated, kept and rotatable by RDS in Secrets Manager. @default 'postgres' */
  readonly masterUsername?: string;
  /**
   * PostgreSQL engine version (major.minor).
   * @default '16.11' (POSTGRES_INSTANCE_DEFAULT_ENGINE_VERSION)
   */
  readonly engineVersion?: string;
  /** Instance class. @default 'db.t4g.medium' */
  readonly instanceClass?: string;
  /** Keep a synchronous standby in another Availability Zone (automatic failover). @default true */
  readonly multiAz?: boolean;
  /** Initial gp3 storage in GiB (20-65536). @default 20 */
  readonly allocatedStorageGiB?: number;
  /**
   * Storage autoscaling ceiling in GiB: at least 10% above `allocatedStorageGiB` (an RDS rule). Terraform ignores the
   * growth of `allocated_storage` it causes.
   * @default 100
   */
  readonly maxAllocatedStorageGiB?: number;
  /** KMS key for storage, Performance Insights, logs and the master secret. @default a new EncryptionKey */
  readonly kmsKeyArn?: string;
  /** Days of automated backups (1-35; 0 would disable point-in-time recovery). @default 7 */
  readonly backupRetentionDays?: number;
  /** Daily backup window (UTC, hh24:mi-hh24:mi, at least 30 minutes). @default '02:00-03:00' */
  readonly preferredBackupWindow?: string;
}
