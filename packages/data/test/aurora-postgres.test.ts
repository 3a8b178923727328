import { Lazy, TerraformOutput, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { AuroraPostgres, AuroraPostgresProps, postgresUri } from '../src';
import { Peer } from '@tts-ecs/core';
import { env, inNamedTest, only, synth } from '@tts-ecs/testing';

const base = {
  environment: env,
  clusterIdentifier: 'acme-prod-is',
  vpcId: 'vpc-0123456789abcdef0',
  subnetIds: ['subnet-a', 'subnet-b'],
  databaseName: 'tts',
};
const password = (stack: TerraformStack) =>
  new TerraformVariable(stack, 'db_password', { type: 'string', sensitive: true }).stringValue;

describe('AuroraPostgres defaults', () => {
  let db!: AuroraPostgres;
  const resources = synth((stack) => {
    db = new AuroraPostgres(stack, 'Db', {
      ...base,
      credentials: { masterUsername: 'tts', masterPassword: password(stack) },
    });
    db.allowFrom(Peer.securityGroupId('sg-0123456789abcdef0'));
  });
  const cluster = inNamedTest('finds the aws_rds_cluster', () => only(resources, 'aws_rds_cluster'));
  const instances = () => Object.values(resources.aws_rds_cluster_instance);

  it('promotes a reader before anything else on failover (writer tier 0, readers tier 1 by default)', () => {
    expect(instances().map((i) => i.promotion_tier)).toEqual([0, 1]);
  });

  it('runs aurora-postgresql 16.6 with one writer and one reader of db.t4g.medium', () => {
    expect(cluster).toMatchObject({
      engine: 'aurora-postgresql',
      engine_version: '16.6',
      database_name: 'tts',
      port: 5432,
    });
    expect(instances().map((i) => i.identifier)).toEqual(['acme-prod-is-1', 'acme-prod-is-2']);
    for (const i of instances())
      expect(i).toMatchObject({
        instance_class: 'db.t4g.medium',
        publicly_accessible: false,
        auto_minor_version_upgrade: true,
      });
  });

  it('encrypts storage, Performance Insights and logs with a customer key', () => {
    expect(cluster.storage_encrypted).toBe(true);
    expect(cluster.kms_key_id).toMatch(/aws_kms_key\..*\.arn/);
    for (const i of instances())
      expect(i).toMatchObject({
        performance_insights_enabled: true,
        performance_insights_kms_key_id: cluster.kms_key_id,
        performance_insights_retention_period: 7,
      });
    expect(only(resources, 'aws_cloudwatch_log_group')).toMatchObject({
      name: '/aws/rds/cluster/acme-prod-is/postgresql',
      retention_in_days: 365,
      kms_key_id: cluster.kms_key_id,
    });
    expect(cluster.enabled_cloudwatch_logs_exports).toEqual(['postgresql']);
  });

  it('requires TLS and logs slow queries (1000 ms) and DDL through the cluster parameter group', () => {
    const group = only(resources, 'aws_rds_cluster_parameter_group');
    expect(group.family).toBe('aurora-postgresql16');
    expect(group.parameter).toEqual([
      { name: 'log_min_duration_statement', value: '1000' },
      { name: 'log_statement', value: 'ddl' },
      { name: 'rds.force_ssl', value: '1' },
    ]);
  });

  it('protects the data: backups, deletion protection, final snapshot, prevent_destroy', () => {
    expect(cluster).toMatchObject({
      backup_retention_period: 7,
      preferred_backup_window: '02:00-03:00',
      preferred_maintenance_window: 'sun:04:00-sun:05:00',
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: 'acme-prod-is-final',
      copy_tags_to_snapshot: true,
      iam_database_authentication_enabled: false,
    });
    expect(cluster.lifecycle).toEqual({
      prevent_destroy: true,
      ignore_changes: ['snapshot_identifier', 'engine_version'],
    });
  });

  it('sends the password write-only (never stored in state), version 1 by default', () => {
    expect(cluster.master_password_wo).toBe('${var.db_password}');
    expect(cluster.master_password_wo_version).toBe(1);
    expect(cluster.master_password).toBeUndefined();
    expect(cluster.manage_master_user_password).toBeUndefined();
  });

  it('admits 5432 only from the given security group and has no egress', () => {
    const rules = Object.values(resources.aws_vpc_security_group_ingress_rule);
    expect(rules).toEqual([
      expect.objectContaining({
        referenced_security_group_id: 'sg-0123456789abcdef0',
        from_port: 5432,
        to_port: 5432,
        ip_protocol: 'tcp',
      }),
    ]);
    expect(only(resources, 'aws_security_group').egress).toBeUndefined();
    expect(resources.aws_vpc_security_group_egress_rule).toBeUndefined();
  });

  it('exposes port and database name', () => {
    expect(db.port).toBe(5432);
    expect(db.databaseName).toBe('tts');
  });
});

describe('AuroraPostgres with an RDS-managed password and a snapshot', () => {
  const resources = synth((stack) => {
    new AuroraPostgres(stack, 'Db', {
      ...base,
      credentials: { rdsManaged: true },
      kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/abc',
      snapshotIdentifier: 'acme-prod-is-snap',
      readers: 0,
      autoMinorVersionUpgrade: false,
    });
  });
  const cluster = inNamedTest('finds the aws_rds_cluster', () => only(resources, 'aws_rds_cluster'));

  it('lets RDS manage the password with the given key', () => {
    expect(cluster).toMatchObject({
      manage_master_user_password: true,
      master_user_secret_kms_key_id: 'arn:aws:kms:eu-west-1:111111111111:key/abc',
      master_username: 'postgres',
    });
    expect(cluster.master_password).toBeUndefined();
    expect(resources.aws_kms_key).toBeUndefined();
  });

  it('restores from the snapshot and keeps engine_version managed when auto minor upgrades are off', () => {
    expect(cluster.snapshot_identifier).toBe('acme-prod-is-snap');
    expect(cluster.lifecycle).toEqual({ prevent_destroy: true, ignore_changes: ['snapshot_identifier'] });
    expect(Object.keys(resources.aws_rds_cluster_instance)).toHaveLength(1);
  });
});

describe('AuroraPostgres validation', () => {
  const make = (props: Partial<AuroraPostgresProps>) => () =>
    synth((s) => new AuroraPostgres(s, 'Db', { ...base, credentials: { rdsManaged: true }, ...props }));

  it('rejects backup retention 0 and above 35', () => {
    expect(make({ backupRetentionDays: 0 })).toThrow(
      'test/Db: invalid backupRetentionDays 0. Use a whole number from 1 to 35.',
    );
    expect(make({ backupRetentionDays: 36 })).toThrow(
      'test/Db: invalid backupRetentionDays 36. Use a whole number from 1 to 35.',
    );
  });

  it('rejects a literal password without echoing it', () => {
    const fn = make({ credentials: { masterUsername: 'tts', masterPassword: 'hunter2hunter2' } });
    expect(fn).toThrow('test/Db: invalid credentials.masterPassword "<literal value hidden>". Pass a token');
    const version = make({
      credentials: {
        masterUsername: 'tts',
        masterPassword: Lazy.stringValue({ produce: () => 'from-a-secret' }),
        masterPasswordVersion: 0,
      },
    });
    expect(version).toThrow('test/Db: invalid credentials.masterPasswordVersion 0. Use a whole number from 1 to');
    expect(fn).not.toThrow(/hunter2/);
  });

  it('rejects a single subnet', () => {
    expect(make({ subnetIds: ['subnet-a'] })).toThrow(
      'test/Db: invalid subnetIds ["subnet-a"]. Give private subnets in at least two Availability Zones.',
    );
  });

  it('rejects a bad identifier, database name, window and Performance Insights retention', () => {
    expect(make({ clusterIdentifier: 'Acme--db' })).toThrow(
      'test/Db: invalid clusterIdentifier "Acme--db". Use 2-60 lower-case letters',
    );
    expect(make({ databaseName: 'my-db' })).toThrow(
      'test/Db: invalid databaseName "my-db". Use 1-63 letters, digits and underscores',
    );
    expect(make({ preferredBackupWindow: '2-3' })).toThrow(
      'test/Db: invalid preferredBackupWindow "2-3". Use UTC "hh24:mi-hh24:mi"',
    );
    expect(make({ preferredMaintenanceWindow: 'sunday 4am' })).toThrow(
      'test/Db: invalid preferredMaintenanceWindow "sunday 4am". Use UTC "ddd:hh24:mi-ddd:hh24:mi"',
    );
    expect(make({ performanceInsightsRetentionDays: 30 })).toThrow(
      'test/Db: invalid performanceInsightsRetentionDays 30. Use 7 (free tier)',
    );
  });

  it('rejects a reserved master user name and a CIDR in place of a security group', () => {
    expect(make({ credentials: { rdsManaged: true, masterUsername: 'rdsadmin' } })).toThrow(
      'test/Db: invalid credentials.masterUsername "rdsadmin".',
    );
    expect(make({ allowedSecurityGroupIds: ['10.0.0.0/16'] })).toThrow(
      'test/Db/SecurityGroup: invalid allowedSecurityGroupIds "10.0.0.0/16". Give a security group id such as "sg-0123456789abcdef0" (CIDR ranges are not accepted',
    );
  });
});

describe('postgresUri', () => {
  it('encodes literal parts and defaults to sslmode=require', () => {
    expect(postgresUri({ username: 'tts', password: 'p@ss/word', host: 'db.example', database: 'tts' })).toBe(
      'postgres://tts:p%40ss%2Fword@db.example:5432/tts?sslmode=require',
    );
  });

  it('URL-encodes token passwords with urlencode() at apply time', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'uri');
    const uri = postgresUri({
      username: 'tts',
      password: password(stack),
      host: 'h',
      database: 'tts',
      sslMode: 'verify-full',
    });
    new TerraformOutput(stack, 'uri', { value: uri, sensitive: true });
    const output = JSON.parse(Testing.synth(stack)).output.uri.value as string;
    expect(output).toBe('postgres://tts:${urlencode(var.db_password)}@h:5432/tts?sslmode=verify-full');
  });
});
