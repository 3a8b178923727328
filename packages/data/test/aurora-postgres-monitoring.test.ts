import { Lazy, TerraformVariable } from 'cdktf';
import { AuroraPostgres, AuroraPostgresProps, ENHANCED_MONITORING_INTERVALS } from '../src';
import { all, env, inNamedTest, only, synth } from '@tts-ecs/testing';

// Enhanced Monitoring (checkov CKV_AWS_118) and query logging (CKV2_AWS_27) of AuroraPostgres.

const base = {
  environment: env,
  clusterIdentifier: 'acme-prod-is',
  vpcId: 'vpc-0123456789abcdef0',
  subnetIds: ['subnet-a', 'subnet-b'],
  databaseName: 'tts',
  credentials: { rdsManaged: true as const },
};
const roleArn = 'arn:aws:iam::111111111111:role/rds-monitoring';
const parameters = (resources: ReturnType<typeof synth>) =>
  only(resources, 'aws_rds_cluster_parameter_group').parameter as { name: string; value: string }[];

describe('AuroraPostgres Enhanced Monitoring and query logging defaults', () => {
  let db!: AuroraPostgres;
  const resources = synth((stack) => {
    db = new AuroraPostgres(stack, 'Db', base);
  });
  const role = inNamedTest('finds the monitoring role', () => only(resources, 'aws_iam_role'));
  const roleId = () => Object.keys(resources.aws_iam_role)[0];
  const attachmentId = () => Object.keys(resources.aws_iam_role_policy_attachment)[0];

  it('samples OS metrics of every instance every 60 seconds with the construct-made role', () => {
    const instances = all(resources, 'aws_rds_cluster_instance');
    expect(instances).toHaveLength(2);
    for (const instance of instances)
      expect(instance).toMatchObject({
        monitoring_interval: 60,
        monitoring_role_arn: `\${aws_iam_role.${roleId()}.arn}`,
      });
    expect(db.monitoringInterval).toBe(60);
    expect(db.monitoringRoleArn).toBeDefined();
  });

  it('names the role after the cluster and lets only RDS monitoring of this account assume it', () => {
    expect(role.name).toBe('acme-prod-is-rds-monitoring');
    expect(role.name_prefix).toBeUndefined();
    expect(JSON.parse(role.assume_role_policy as string)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'monitoring.rds.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
        },
      ],
    });
  });

  it('attaches only the AWS managed AmazonRDSEnhancedMonitoringRole policy, before the instances use the role', () => {
    expect(only(resources, 'aws_iam_role_policy_attachment')).toMatchObject({
      role: `\${aws_iam_role.${roleId()}.name}`,
      policy_arn: 'arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole',
    });
    expect(resources.aws_iam_role_policy).toBeUndefined();
    for (const instance of all(resources, 'aws_rds_cluster_instance'))
      expect(instance.depends_on).toEqual([`aws_iam_role_policy_attachment.${attachmentId()}`]);
  });

  it('keeps Performance Insights on next to Enhanced Monitoring', () => {
    for (const instance of all(resources, 'aws_rds_cluster_instance'))
      expect(instance).toMatchObject({ performance_insights_enabled: true, performance_insights_retention_period: 7 });
  });

  it('logs statements of 1000 ms or more and every DDL statement, exported to the encrypted log group', () => {
    expect(parameters(resources)).toEqual(
      expect.arrayContaining([
        { name: 'log_min_duration_statement', value: '1000' },
        { name: 'log_statement', value: 'ddl' },
      ]),
    );
    expect(only(resources, 'aws_rds_cluster').enabled_cloudwatch_logs_exports).toEqual(['postgresql']);
    expect(only(resources, 'aws_cloudwatch_log_group').name).toBe('/aws/rds/cluster/acme-prod-is/postgresql');
  });
});

describe('AuroraPostgres monitoring role in other partitions', () => {
  it.each([
    ['us-gov-west-1', 'arn:aws-us-gov:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole'],
    ['cn-north-1', 'arn:aws-cn:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole'],
  ])('attaches the managed policy of the %s partition', (region, policyArn) => {
    const resources = synth((s) => new AuroraPostgres(s, 'Db', { ...base, environment: { ...env, region } }));
    expect(only(resources, 'aws_iam_role_policy_attachment').policy_arn).toBe(policyArn);
  });

  it('accepts an existing role of the region partition', () => {
    const arn = 'arn:aws-us-gov:iam::111111111111:role/rds-monitoring';
    const resources = synth(
      (s) =>
        new AuroraPostgres(s, 'Db', {
          ...base,
          environment: { ...env, region: 'us-gov-west-1' },
          monitoringRoleArn: arn,
        }),
    );
    expect(all(resources, 'aws_rds_cluster_instance').map((i) => i.monitoring_role_arn)).toEqual([arn, arn]);
  });
});

describe('AuroraPostgres monitoring and logging overrides', () => {
  it('uses a given role and interval, and creates no role', () => {
    let db!: AuroraPostgres;
    const resources = synth((s) => {
      db = new AuroraPostgres(s, 'Db', { ...base, monitoringInterval: 15, monitoringRoleArn: roleArn });
    });
    expect(resources.aws_iam_role).toBeUndefined();
    expect(resources.aws_iam_role_policy_attachment).toBeUndefined();
    for (const instance of all(resources, 'aws_rds_cluster_instance')) {
      expect(instance).toMatchObject({ monitoring_interval: 15, monitoring_role_arn: roleArn });
      expect(instance.depends_on).toBeUndefined();
    }
    expect(db.monitoringRoleArn).toBe(roleArn);
  });

  it('accepts a role ARN token (checked by RDS at apply)', () => {
    const resources = synth((s) => {
      const arn = new TerraformVariable(s, 'monitoring_role', { type: 'string' }).stringValue;
      new AuroraPostgres(s, 'Db', { ...base, monitoringRoleArn: arn });
    });
    expect(resources.aws_iam_role).toBeUndefined();
    expect(all(resources, 'aws_rds_cluster_instance')[0].monitoring_role_arn).toBe('${var.monitoring_role}');
  });

  it('turns Enhanced Monitoring off with interval 0: no role, no role ARN', () => {
    let db!: AuroraPostgres;
    const resources = synth((s) => {
      db = new AuroraPostgres(s, 'Db', { ...base, monitoringInterval: 0 });
    });
    expect(resources.aws_iam_role).toBeUndefined();
    expect(resources.aws_iam_role_policy_attachment).toBeUndefined();
    for (const instance of all(resources, 'aws_rds_cluster_instance')) {
      expect(instance.monitoring_interval).toBe(0);
      expect(instance.monitoring_role_arn).toBeUndefined();
    }
    expect(db.monitoringRoleArn).toBeUndefined();
  });

  it.each(ENHANCED_MONITORING_INTERVALS.filter((i) => i !== 0))('accepts interval %i', (interval) => {
    const resources = synth((s) => new AuroraPostgres(s, 'Db', { ...base, monitoringInterval: interval }));
    expect(all(resources, 'aws_rds_cluster_instance')[0].monitoring_interval).toBe(interval);
    expect(all(resources, 'aws_iam_role')).toHaveLength(1);
  });

  it('gives the role a name prefix when "<cluster>-rds-monitoring" would pass 64 characters', () => {
    const clusterIdentifier = `a${'b'.repeat(58)}c`; // 60 characters, the longest identifier
    const role = only(
      synth((s) => new AuroraPostgres(s, 'Db', { ...base, clusterIdentifier })),
      'aws_iam_role',
    );
    expect(role.name).toBeUndefined();
    expect(role.name_prefix).toBe(`${clusterIdentifier.slice(0, 37)}-`);
    // Terraform appends 26 characters to a prefix; IAM allows 64.
    expect((role.name_prefix as string).length + 26).toBeLessThanOrEqual(64);
  });

  it('sets the slow-query threshold and log_statement from props', () => {
    const resources = synth(
      (s) => new AuroraPostgres(s, 'Db', { ...base, slowQueryLogThresholdMs: 250, logStatement: 'none' }),
    );
    expect(parameters(resources)).toEqual([
      { name: 'log_min_duration_statement', value: '250' },
      { name: 'log_statement', value: 'none' },
      { name: 'rds.force_ssl', value: '1' },
    ]);
  });

  it('lets explicit parameters override the logging defaults, but never rds.force_ssl', () => {
    const resources = synth(
      (s) =>
        new AuroraPostgres(s, 'Db', {
          ...base,
          parameters: {
            log_statement: 'mod',
            log_min_duration_statement: '-1',
            log_lock_waits: '1',
            'rds.force_ssl': '0',
          },
        }),
    );
    expect(parameters(resources)).toEqual([
      { name: 'log_min_duration_statement', value: '-1' },
      { name: 'log_statement', value: 'mod' },
      { name: 'log_lock_waits', value: '1' },
      { name: 'rds.force_ssl', value: '1' },
    ]);
  });
});

describe('AuroraPostgres monitoring and logging validation', () => {
  const make = (props: Partial<AuroraPostgresProps>) => () =>
    synth((s) => new AuroraPostgres(s, 'Db', { ...base, ...props }));
  const intervalFix =
    'Use 1, 5, 10, 15, 30 or 60 seconds between Enhanced Monitoring samples, or 0 to turn Enhanced Monitoring off.';

  it.each([7, 120, -1, 1.5])('rejects monitoringInterval %p', (interval) => {
    expect(make({ monitoringInterval: interval })).toThrow(
      `test/Db: invalid monitoringInterval ${interval}. ${intervalFix}`,
    );
  });

  it.each([
    'rds-monitoring',
    'arn:aws:iam::111111111111:user/rds-monitoring',
    'arn:aws:iam::111111111111:policy/rds-monitoring',
    'arn:aws:iam::aws:role/rds-monitoring',
    'arn:aws:iam::111111111111:role/',
    'arn:aws-cn:iam::111111111111:role/rds-monitoring',
  ])('rejects monitoringRoleArn %p', (arn) => {
    expect(make({ monitoringRoleArn: arn })).toThrow(
      `test/Db: invalid monitoringRoleArn "${arn}". Give the ARN of an IAM role in the aws partition, such as "arn:aws:iam::111111111111:role/rds-monitoring", trusted by monitoring.rds.amazonaws.com with AmazonRDSEnhancedMonitoringRole attached; or omit it and the construct creates one.`,
    );
  });

  it('accepts a role with a path', () => {
    expect(make({ monitoringRoleArn: 'arn:aws:iam::111111111111:role/service-role/rds-monitoring' })).not.toThrow();
  });

  it('rejects a monitoring role when Enhanced Monitoring is off', () => {
    expect(make({ monitoringInterval: 0, monitoringRoleArn: roleArn })).toThrow(
      `test/Db: invalid monitoringRoleArn "${roleArn}". Enhanced Monitoring is off (monitoringInterval 0): remove monitoringRoleArn, or set monitoringInterval to 1, 5, 10, 15, 30 or 60.`,
    );
  });

  it('rejects a slow-query threshold below -1 or fractional', () => {
    expect(make({ slowQueryLogThresholdMs: -2 })).toThrow(
      'test/Db: invalid slowQueryLogThresholdMs -2. Use a whole number from -1 to 2147483647.',
    );
    expect(make({ slowQueryLogThresholdMs: 0.5 })).toThrow('test/Db: invalid slowQueryLogThresholdMs 0.5.');
  });

  it('rejects an unknown log_statement value', () => {
    expect(make({ logStatement: 'everything' as never })).toThrow(
      'test/Db: invalid logStatement "everything". Use one of: "none", "ddl", "mod", "all".',
    );
  });

  it('lets an unresolved interval through to RDS', () => {
    expect(make({ monitoringInterval: Lazy.numberValue({ produce: () => 30 }) })).not.toThrow();
  });
});
