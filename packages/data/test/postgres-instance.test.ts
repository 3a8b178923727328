import { TerraformOutput } from 'cdktf';
import { ConnectableSecurityGroup } from '@tts-ecs/core';
import { all, env, inNamedTest, only, synth, synthStack } from '@tts-ecs/testing';
import { POSTGRES_INSTANCE_DEFAULT_ENGINE_VERSION, PostgresInstance } from '../src';

const base = {
  environment: env,
  identifier: 'acme-prod-db',
  vpcId: 'vpc-0123456789abcdef0',
  subnetIds: ['subnet-a', 'subnet-b'],
  databaseName: 'app',
};

describe('PostgresInstance defaults', () => {
  let db!: PostgresInstance;
  const stack = synthStack((s) => {
    db = new PostgresInstance(s, 'Db', base);
    new TerraformOutput(s, 'props', {
      value: [db.endpoint, db.identifier, db.arn, db.resourceId, db.masterUserSecretArn, db.kmsKeyArn],
    });
    new TerraformOutput(s, 'sg', { value: db.securityGroupId });
  });
  const r = inNamedTest('reads the resources', () => stack.resource);
  const instance = inNamedTest('finds the aws_db_instance', () => only(stack.resource, 'aws_db_instance'));
  const instanceId = () => Object.keys(stack.resource.aws_db_instance)[0];
  const keyArn = () => `\${aws_kms_key.${Object.keys(stack.resource.aws_kms_key)[0]}.arn}`;

  it('runs PostgreSQL 16.11', () => {
    // engineVersion @default '16.11'
    expect(POSTGRES_INSTANCE_DEFAULT_ENGINE_VERSION).toBe('16.11');
    expect(instance).toMatchObject({ engine: 'postgres', engine_version: '16.11', db_name: 'app', port: 5432 });
  });

  it('uses db.t4g.medium', () => {
    // instanceClass @default 'db.t4g.medium'
    expect(instance.instance_class).toBe('db.t4g.medium');
  });

  it('keeps a Multi-AZ standby', () => {
    // multiAz @default true
    expect(instance.multi_az).toBe(true);
  });

  it('starts with 20 GiB of gp3 and autoscales up to 100 GiB', () => {
    // allocatedStorageGiB @default 20
    expect(instance.allocated_storage).toBe(20);
    // maxAllocatedStorageGiB @default 100
    expect(instance.max_allocated_storage).toBe(100);
    expect(instance.storage_type).toBe('gp3');
  });

  it('encrypts storage, Performance Insights, logs and the master secret with a new customer key', () => {
    // kmsKeyArn @default a new EncryptionKey
    expect(Object.keys(r.aws_kms_key)).toHaveLength(1);
    expect(instance).toMatchObject({
      storage_encrypted: true,
      kms_key_id: keyArn(),
      performance_insights_enabled: true,
      performance_insights_kms_key_id: keyArn(),
      master_user_secret_kms_key_id: keyArn(),
    });
  });

  it('lets RDS generate and keep the master password; no password reaches Terraform', () => {
    // masterUsername @default 'postgres'
    expect(instance.username).toBe('postgres');
    expect(instance.manage_master_user_password).toBe(true);
    for (const field of ['password', 'password_wo', 'password_wo_version']) expect(instance[field]).toBeUndefined();
    expect(stack.json).not.toMatch(/"password"/);
  });

  it('keeps 7 days of backups from 02:00 and maintains on sunday 04:00 UTC', () => {
    // backupRetentionDays @default 7
    expect(instance.backup_retention_period).toBe(7);
    // preferredBackupWindow @default '02:00-03:00'
    expect(instance.backup_window).toBe('02:00-03:00');
    // preferredMaintenanceWindow @default 'sun:04:00-sun:05:00'
    expect(instance.maintenance_window).toBe('sun:04:00-sun:05:00');
  });

  it('protects the data: deletion protection, final snapshot, prevent_destroy', () => {
    // deletionProtection @default true
    expect(instance.deletion_protection).toBe(true);
    expect(instance).toMatchObject({
      skip_final_snapshot: false,
      final_snapshot_identifier: 'acme-prod-db-final',
      copy_tags_to_snapshot: true,
    });
    // preventDestroy @default true
    expect((instance.lifecycle as { prevent_destroy: boolean }).prevent_destroy).toBe(true);
  });

  it('upgrades minor versions automatically and ignores engine_version drift', () => {
    // autoMinorVersionUpgrade @default true
    expect(instance.auto_minor_version_upgrade).toBe(true);
    expect(instance.lifecycle).toEqual({ prevent_destroy: true, ignore_changes: ['engine_version'] });
  });

  it('leaves IAM database authentication off', () => {
    // iamDatabaseAuthentication @default false
    expect(instance.iam_database_authentication_enabled).toBe(false);
  });

  it('keeps 7 days of Performance Insights', () => {
    // performanceInsightsRetentionDays @default 7
    expect(instance.performance_insights_retention_period).toBe(7);
  });

  it('exports postgresql and upgrade logs to encrypted log groups kept 365 days, created first', () => {
    expect(instance.enabled_cloudwatch_logs_exports).toEqual(['postgresql', 'upgrade']);
    const groups = all(r, 'aws_cloudwatch_log_group');
    expect(groups.map((g) => g.name)).toEqual([
      '/aws/rds/instance/acme-prod-db/postgresql',
      '/aws/rds/instance/acme-prod-db/upgrade',
    ]);
    // logRetentionDays @default 365
    for (const g of groups) expect(g).toMatchObject({ retention_in_days: 365, kms_key_id: keyArn() });
    for (const id of Object.keys(r.aws_cloudwatch_log_group))
      expect(instance.depends_on).toContain(`aws_cloudwatch_log_group.${id}`);
  });

  it('samples OS metrics every 60 s with a role of its own, attached before the instance uses it', () => {
    // monitoringInterval @default 60
    expect(instance.monitoring_interval).toBe(60);
    // monitoringRoleArn @default a role created by the construct (`<identifier>-rds-monitoring`)
    const roleId = Object.keys(r.aws_iam_role)[0];
    expect(only(r, 'aws_iam_role').name).toBe('acme-prod-db-rds-monitoring');
    expect(instance.monitoring_role_arn).toBe(`\${aws_iam_role.${roleId}.arn}`);
    expect(only(r, 'aws_iam_role_policy_attachment').policy_arn).toBe(
      'arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole',
    );
    const attachmentId = Object.keys(r.aws_iam_role_policy_attachment)[0];
    expect(instance.depends_on).toContain(`aws_iam_role_policy_attachment.${attachmentId}`);
  });

  it('requires TLS and logs slow queries (1000 ms) and DDL', () => {
    const group = only(r, 'aws_db_parameter_group');
    expect(group).toMatchObject({ name: 'acme-prod-db-postgres16', family: 'postgres16' });
    // slowQueryLogThresholdMs @default 1000; logStatement @default 'ddl'; parameters @default none
    expect(group.parameter).toEqual([
      { name: 'log_min_duration_statement', value: '1000' },
      { name: 'log_statement', value: 'ddl' },
      { name: 'rds.force_ssl', value: '1' },
    ]);
    expect(instance.parameter_group_name).toBe(
      `\${aws_db_parameter_group.${Object.keys(r.aws_db_parameter_group)[0]}.name}`,
    );
  });

  it('stays private with the rsa2048 g1 CA in a subnet group of the given subnets', () => {
    expect(instance.publicly_accessible).toBe(false);
    expect(instance.ca_cert_identifier).toBe('rds-ca-rsa2048-g1');
    expect(only(r, 'aws_db_subnet_group')).toMatchObject({ name: 'acme-prod-db-postgres', subnet_ids: base.subnetIds });
  });

  it('has a security group admitting nothing and sending nothing until clients are allowed', () => {
    expect(only(r, 'aws_security_group')).toMatchObject({ name: 'acme-prod-db-postgres', vpc_id: base.vpcId });
    expect(only(r, 'aws_security_group').egress).toBeUndefined();
    expect(r.aws_vpc_security_group_ingress_rule).toBeUndefined();
    expect(r.aws_vpc_security_group_egress_rule).toBeUndefined();
    expect(instance.vpc_security_group_ids).toEqual([
      `\${aws_security_group.${Object.keys(r.aws_security_group)[0]}.id}`,
    ]);
  });

  it('exposes endpoint, identifier, ARN, resource id, master secret ARN, key and port', () => {
    const i = `aws_db_instance.${instanceId()}`;
    expect(stack.output.props.value).toEqual([
      `\${${i}.address}`,
      `\${${i}.identifier}`,
      `\${${i}.arn}`,
      `\${${i}.resource_id}`,
      `\${${i}.master_user_secret[0].secret_arn}`,
      keyArn(),
    ]);
    expect(db.port).toBe(5432);
    expect(db.masterUsername).toBe('postgres');
    expect(db.databaseName).toBe('app');
    expect(db.connections.defaultPort?.toString()).toBe('tcp/5432');
  });
});

describe('PostgresInstance overrides', () => {
  const r = synth((s) => {
    new PostgresInstance(s, 'Db', {
      ...base,
      masterUsername: 'admin_user',
      engineVersion: '17.4',
      instanceClass: 'db.r7g.large',
      multiAz: false,
      allocatedStorageGiB: 100,
      maxAllocatedStorageGiB: 110,
      kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/abc',
      backupRetentionDays: 35,
      deletionProtection: false,
      preventDestroy: false,
      autoMinorVersionUpgrade: false,
      performanceInsightsRetentionDays: 731,
      logRetentionDays: 30,
      monitoringInterval: 0,
      slowQueryLogThresholdMs: 250,
      parameters: { log_statement: 'mod', 'rds.force_ssl': '0', work_mem: '8192' },
    });
  });
  const instance = inNamedTest('finds the aws_db_instance', () => only(r, 'aws_db_instance'));

  it('applies the given sizing, version and key, and creates no key', () => {
    expect(instance).toMatchObject({
      username: 'admin_user',
      engine_version: '17.4',
      instance_class: 'db.r7g.large',
      multi_az: false,
      allocated_storage: 100,
      max_allocated_storage: 110,
      kms_key_id: 'arn:aws:kms:eu-west-1:111111111111:key/abc',
      master_user_secret_kms_key_id: 'arn:aws:kms:eu-west-1:111111111111:key/abc',
      backup_retention_period: 35,
      deletion_protection: false,
      performance_insights_retention_period: 731,
    });
    expect(r.aws_kms_key).toBeUndefined();
    expect(only(r, 'aws_db_parameter_group').family).toBe('postgres17');
  });

  it('manages engine_version when auto minor upgrades are off, and can drop prevent_destroy', () => {
    expect(instance.auto_minor_version_upgrade).toBe(false);
    expect(instance.lifecycle).toEqual({ prevent_destroy: false });
  });

  it('turns Enhanced Monitoring off without a role', () => {
    expect(instance.monitoring_interval).toBe(0);
    expect(instance.monitoring_role_arn).toBeUndefined();
    expect(r.aws_iam_role).toBeUndefined();
  });

  it('lets parameters override the logging defaults but never rds.force_ssl', () => {
    expect(only(r, 'aws_db_parameter_group').parameter).toEqual([
      { name: 'log_min_duration_statement', value: '250' },
      { name: 'log_statement', value: 'mod' },
      { name: 'rds.force_ssl', value: '1' },
      { name: 'work_mem', value: '8192' },
    ]);
    for (const g of all(r, 'aws_cloudwatch_log_group')) expect(g.retention_in_days).toBe(30);
  });
});

describe('PostgresInstance connections', () => {
  let db!: PostgresInstance;
  let app!: ConnectableSecurityGroup;
  const r = synth((s) => {
    db = new PostgresInstance(s, 'Db', base);
    app = new ConnectableSecurityGroup(s, 'App', { vpcId: base.vpcId, name: 'app', description: 'app' });
    db.allowFrom(app);
    // The same rule again, from the client's side: no duplicate.
    app.connections.allowToDefaultPort(db);
    db.allowFrom({ connections: app.connections });
    const ops = new ConnectableSecurityGroup(s, 'Ops', { vpcId: base.vpcId, name: 'ops', description: 'ops' });
    db.connections.allowDefaultPortFrom(ops);
  });
  const sgRef = (id: string) => `\${aws_security_group.${id}.id}`;
  const groupId = (name: string) => Object.entries(r.aws_security_group).find(([, g]) => g.name === name)![0];

  it('admits each client security group once on 5432', () => {
    const rules = all(r, 'aws_vpc_security_group_ingress_rule');
    expect(rules).toHaveLength(2);
    expect(rules[0]).toMatchObject({
      security_group_id: sgRef(groupId('acme-prod-db-postgres')),
      referenced_security_group_id: sgRef(groupId('app')),
      ip_protocol: 'tcp',
      from_port: 5432,
      to_port: 5432,
    });
  });

  it('opens the restricted egress of the client towards the database only', () => {
    const egress = all(r, 'aws_vpc_security_group_egress_rule');
    expect(egress).toHaveLength(2);
    expect(egress[0]).toMatchObject({
      security_group_id: sgRef(groupId('app')),
      referenced_security_group_id: sgRef(groupId('acme-prod-db-postgres')),
      from_port: 5432,
      to_port: 5432,
    });
  });

  it('names the database in the client rule descriptions', () => {
    expect(all(r, 'aws_vpc_security_group_egress_rule')[0].description).toBe('tcp/5432 to test/Db');
  });
});
