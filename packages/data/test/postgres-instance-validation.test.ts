import { Lazy, TerraformOutput, TerraformStack } from 'cdktf';
import { Peer, PolicyStatement } from '@tts-ecs/core';
import { env, inNamedTest, only, synth, synthStack } from '@tts-ecs/testing';
import { PostgresInstance, PostgresInstanceProps } from '../src';

const base = {
  environment: env,
  identifier: 'acme-prod-db',
  vpcId: 'vpc-0123456789abcdef0',
  subnetIds: ['subnet-a', 'subnet-b'],
  databaseName: 'app',
};

describe('PostgresInstance IAM database authentication', () => {
  const st = synthStack((s) => {
    const db = new PostgresInstance(s, 'Db', { ...base, iamDatabaseAuthentication: true });
    const returned = db.grantConnect('app-task', 'app');
    const granted: PolicyStatement[] = [];
    db.grantConnect({ grantTaskRole: (statements) => granted.push(...statements) }, 'reporting');
    // Outputs resolve the statements' tokens to Terraform references.
    new TerraformOutput(s, 'returned', { value: JSON.stringify(returned) });
    new TerraformOutput(s, 'granted', { value: JSON.stringify(granted) });
  });
  const r = inNamedTest('reads the resources', () => st.resource);
  const resourceId = () => `\${aws_db_instance.${Object.keys(st.resource.aws_db_instance)[0]}.resource_id}`;
  const statement = (user: string) => ({
    Effect: 'Allow',
    Action: 'rds-db:connect',
    Resource: `arn:aws:rds-db:eu-west-1:111111111111:dbuser:${resourceId()}/${user}`,
  });

  it('enables IAM authentication on the instance', () => {
    expect(only(r, 'aws_db_instance').iam_database_authentication_enabled).toBe(true);
  });

  it('gives a role name an inline policy allowing rds-db:connect as that user on this instance only', () => {
    const policy = only(r, 'aws_iam_role_policy');
    expect(policy).toMatchObject({ role: 'app-task', name: 'rds-connect-acme-prod-db-1' });
    expect(JSON.parse(policy.policy as string)).toEqual({ Version: '2012-10-17', Statement: [statement('app')] });
    expect(JSON.parse(st.output.returned.value as string)).toEqual(statement('app'));
  });

  it('hands the statement to a grantee with grantTaskRole', () => {
    expect(JSON.parse(st.output.granted.value as string)).toEqual([statement('reporting')]);
  });
});

describe('PostgresInstance in another partition', () => {
  let statement!: PolicyStatement;
  const r = synth((s) => {
    const db = new PostgresInstance(s, 'Db', {
      ...base,
      environment: { accountId: '111111111111', region: 'us-gov-west-1' },
    });
    statement = db.connectStatements('app')[0];
  });

  it('uses the partition of the region in ARNs', () => {
    expect(statement.Resource).toMatch(/^arn:aws-us-gov:rds-db:us-gov-west-1:111111111111:dbuser:/);
    expect(only(r, 'aws_iam_role_policy_attachment').policy_arn).toBe(
      'arn:aws-us-gov:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole',
    );
  });
});

describe('PostgresInstance validation', () => {
  const make = (props: Partial<PostgresInstanceProps>) => () =>
    synth((s) => new PostgresInstance(s, 'Db', { ...base, ...props }));
  const withDb =
    (use: (db: PostgresInstance, s: TerraformStack) => void, props: Partial<PostgresInstanceProps> = {}) =>
    () =>
      synth((s) => use(new PostgresInstance(s, 'Db', { ...base, ...props }), s));

  it('rejects a bad identifier', () => {
    expect(make({ identifier: 'Acme--db' })).toThrow(/test\/Db: invalid identifier "Acme--db". Use 2-63 lower-case/);
    expect(make({ identifier: 'a'.repeat(64) })).toThrow(/test\/Db: invalid identifier "a{64}"/);
  });

  it('rejects a bad database name and a reserved master user name', () => {
    expect(make({ databaseName: 'my-db' })).toThrow(/test\/Db: invalid databaseName "my-db". Use 1-63 letters/);
    expect(make({ masterUsername: 'rdsadmin' })).toThrow(/test\/Db: invalid masterUsername "rdsadmin"/);
  });

  it('rejects a single subnet', () => {
    expect(make({ subnetIds: ['subnet-a'] })).toThrow(
      'test/Db: invalid subnetIds ["subnet-a"]. Give private subnets in at least two Availability Zones.',
    );
  });

  it('rejects storage below 20 GiB and a ceiling less than 10% above it', () => {
    expect(make({ allocatedStorageGiB: 10 })).toThrow(/test\/Db: invalid allocatedStorageGiB 10. Use a whole number/);
    expect(make({ allocatedStorageGiB: 100, maxAllocatedStorageGiB: 100 })).toThrow(
      /test\/Db: invalid maxAllocatedStorageGiB 100. Use at least 110/,
    );
    expect(make({ allocatedStorageGiB: 100, maxAllocatedStorageGiB: 110 })).not.toThrow();
  });

  it('rejects backup retention 0 and above 35, and malformed windows', () => {
    expect(make({ backupRetentionDays: 0 })).toThrow(/test\/Db: invalid backupRetentionDays 0/);
    expect(make({ backupRetentionDays: 36 })).toThrow(/test\/Db: invalid backupRetentionDays 36/);
    expect(make({ preferredBackupWindow: '2-3' })).toThrow(/test\/Db: invalid preferredBackupWindow "2-3"/);
    expect(make({ preferredMaintenanceWindow: 'sunday 4am' })).toThrow(
      /test\/Db: invalid preferredMaintenanceWindow "sunday 4am"/,
    );
  });

  it('rejects a major-only engine version and a bad Performance Insights retention', () => {
    expect(make({ engineVersion: '16' })).toThrow(/test\/Db: invalid engineVersion "16". Use a major.minor version/);
    expect(make({ performanceInsightsRetentionDays: 30 })).toThrow(
      /test\/Db: invalid performanceInsightsRetentionDays 30/,
    );
  });

  it('rejects a bad monitoring interval, and a monitoring role with monitoring off', () => {
    expect(make({ monitoringInterval: 2 })).toThrow(/test\/Db: invalid monitoringInterval 2/);
    expect(make({ monitoringInterval: 0, monitoringRoleArn: 'arn:aws:iam::111111111111:role/rds-monitoring' })).toThrow(
      /test\/Db: invalid monitoringRoleArn ".*". Enhanced Monitoring is off/,
    );
  });

  it('rejects a bad log_statement and slow-query threshold', () => {
    expect(make({ logStatement: 'everything' as never })).toThrow(/test\/Db: invalid logStatement "everything"/);
    expect(make({ slowQueryLogThresholdMs: -2 })).toThrow(/test\/Db: invalid slowQueryLogThresholdMs -2/);
  });

  it('rejects CIDR and prefix-list clients: only security groups reach the database', () => {
    expect(withDb((db) => db.allowFrom(Peer.ipv4('10.0.0.0/16')))).toThrow(
      /test\/Db: invalid allowFrom.peer "10.0.0.0\/16". Admit clients by security group/,
    );
    expect(
      withDb((db) => db.connections.allowFrom(Peer.prefixList('pl-3b927c52'), db.connections.defaultPort!)),
    ).toThrow(/test\/Db: invalid allowFrom.peer "pl-3b927c52"/);
    expect(withDb((db) => db.allowFrom(Peer.anyIpv4()))).toThrow(/test\/Db: invalid allowFrom.peer "0.0.0.0\/0"/);
  });

  it('accepts a security group given by id', () => {
    const r = synth((s) => new PostgresInstance(s, 'Db', base).allowFrom(Peer.securityGroupId('sg-0123456789abcdef0')));
    expect(only(r, 'aws_vpc_security_group_ingress_rule').referenced_security_group_id).toBe('sg-0123456789abcdef0');
  });

  it('refuses grantConnect while IAM authentication is off, and bad users or role names', () => {
    expect(withDb((db) => db.grantConnect('app-task', 'app'))).toThrow(
      /test\/Db: invalid iamDatabaseAuthentication false. Set iamDatabaseAuthentication: true/,
    );
    const iam = { iamDatabaseAuthentication: true };
    expect(withDb((db) => db.grantConnect('app-task', 'app-user'), iam)).toThrow(
      /test\/Db: invalid grantConnect.dbUser "app-user"/,
    );
    expect(withDb((db) => db.grantConnect('arn:aws:iam::111111111111:role/app', 'app'), iam)).toThrow(
      /test\/Db: invalid grantConnect.grantee "arn:aws:iam::111111111111:role\/app". Give an IAM role name/,
    );
  });

  it('lets unresolved tokens through to RDS', () => {
    expect(
      make({
        databaseName: Lazy.stringValue({ produce: () => 'app' }),
        allocatedStorageGiB: Lazy.numberValue({ produce: () => 50 }),
      }),
    ).not.toThrow();
  });
});
