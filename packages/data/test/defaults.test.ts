// Every documented `@default` of the data constructs that no other test pins: each construct is built once with its
// required props only, and each default has an assertion naming the prop, so changing a default fails here.
// Not covered here: AuroraPostgres, BackupPlan, Secret, EphemeralSecretValue, SecureBucket (their own tests).
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { env, inNamedTest, only, synth } from '@tts-ecs/testing';
import {
  FileSystem,
  IngressSecurityGroup,
  ParameterSet,
  RedisReplicationGroup,
  SeedObject,
  TimescaleHost,
  postgresUri,
} from '../src';

const vpcId = 'vpc-0123456789abcdef0';

describe('FileSystem defaults', () => {
  const r = synth(
    (s) =>
      new FileSystem(s, 'Fs', {
        environment: env,
        name: 'acme-prod-eu1-prometheus',
        vpcId,
        subnetIds: ['subnet-a', 'subnet-b'],
        accessPoint: { path: '/prometheus', uid: 65534, gid: 65534 },
      }),
  );
  const efs = inNamedTest('finds the aws_efs_file_system', () => only(r, 'aws_efs_file_system'));

  it('creates the access point root with mode 750', () => {
    // accessPoint.permissions @default '750'
    expect(only(r, 'aws_efs_access_point').root_directory).toMatchObject({ creation_info: { permissions: '750' } });
  });

  it('admits no security group on NFS', () => {
    // allowedSecurityGroupIds @default none (use allowFrom)
    expect(r.aws_vpc_security_group_ingress_rule).toBeUndefined();
  });

  it('encrypts with a new key', () => {
    // kmsKeyArn @default a new EncryptionKey
    only(r, 'aws_kms_key');
    expect(efs.kms_key_id).toMatch(/^\$\{aws_kms_key\.Fs_Key_.*\.arn\}$/);
  });

  it('uses elastic throughput and moves files to IA after 30 days', () => {
    // throughputMode @default 'elastic'
    expect(efs.throughput_mode).toBe('elastic');
    // transitionToIa @default 'AFTER_30_DAYS'
    expect(efs.lifecycle_policy).toContainEqual({ transition_to_ia: 'AFTER_30_DAYS' });
  });

  it('is backed up daily', () => {
    // backups @default true
    expect(only(r, 'aws_efs_backup_policy').backup_policy).toEqual({ status: 'ENABLED' });
  });

  it('refuses terraform destroy', () => {
    // preventDestroy @default true
    expect(efs.lifecycle).toEqual({ prevent_destroy: true });
  });
});

describe('ParameterSet defaults', () => {
  const r = synth((s) => new ParameterSet(s, 'Config', { environment: env, pathPrefix: '/acme/prod/eu1/' }));

  it('creates no parameter', () => {
    // parameters @default none (add them with `add`)
    expect(r.aws_ssm_parameter).toBeUndefined();
  });
});

describe('postgresUri defaults', () => {
  it('uses port 5432 and sslmode=require', () => {
    const uri = postgresUri({ username: 'tts', password: 'pw', host: 'db.example', database: 'tts' });
    // port @default 5432
    expect(uri).toContain('@db.example:5432/');
    // sslMode @default 'require'
    expect(uri).toMatch(/\?sslmode=require$/);
  });
});

describe('RedisReplicationGroup defaults', () => {
  const r = synth((s) => {
    const authToken = new TerraformVariable(s, 'redis_auth', { type: 'string', sensitive: true }).stringValue;
    new RedisReplicationGroup(s, 'Redis', {
      environment: env,
      replicationGroupId: 'acme-prod-general',
      vpcId,
      subnetIds: ['subnet-a', 'subnet-b'],
      authToken, // required while transitEncryption is on (its default)
    });
  });
  const group = inNamedTest('finds the aws_elasticache_replication_group', () =>
    only(r, 'aws_elasticache_replication_group'),
  );

  it('describes itself by its id', () => {
    // description @default 'Redis <id>'
    expect(group.description).toBe('Redis acme-prod-general');
  });

  it('admits no security group on 6379', () => {
    // allowedSecurityGroupIds @default none (use allowFrom)
    expect(r.aws_vpc_security_group_ingress_rule).toBeUndefined();
  });

  it('runs Redis OSS 7.1 on cache.t4g.medium, a primary and two replicas, Multi-AZ', () => {
    // engineVersion @default '7.1'
    expect(group.engine_version).toBe('7.1');
    // nodeType @default 'cache.t4g.medium'
    expect(group.node_type).toBe('cache.t4g.medium');
    // replicasPerNodeGroup @default 2
    expect(group.num_cache_clusters).toBe(3);
    // multiAz @default true
    expect(group).toMatchObject({ multi_az_enabled: true, automatic_failover_enabled: true });
  });

  it('requires TLS', () => {
    // transitEncryption @default true
    expect(group).toMatchObject({ transit_encryption_enabled: true, transit_encryption_mode: 'required' });
  });

  it('encrypts data and the slow log with a new key', () => {
    // kmsKeyArn @default a new EncryptionKey
    expect(only(r, 'aws_kms_key').policy).toContain('logs.eu-west-1.amazonaws.com');
    expect(group.kms_key_id).toMatch(/^\$\{aws_kms_key\.Redis_Key_.*\.arn\}$/);
    expect(only(r, 'aws_cloudwatch_log_group').kms_key_id).toBe(group.kms_key_id);
  });

  it('keeps 7 days of snapshots taken 03:00-04:00 and maintains on Sunday 05:00-06:00', () => {
    // snapshotRetentionDays @default 7
    expect(group.snapshot_retention_limit).toBe(7);
    // snapshotWindow @default '03:00-04:00'
    expect(group.snapshot_window).toBe('03:00-04:00');
    // maintenanceWindow @default 'sun:05:00-sun:06:00'
    expect(group.maintenance_window).toBe('sun:05:00-sun:06:00');
  });

  it('refuses to run without backups unless told so', () => {
    // acceptNoBackups @default false: no synthesized effect; it only lets snapshotRetentionDays be 0
    expect(
      () =>
        new RedisReplicationGroup(new TerraformStack(Testing.app(), 'nobackups'), 'Redis', {
          environment: env,
          replicationGroupId: 'acme-prod-general',
          vpcId,
          subnetIds: ['subnet-a'],
          transitEncryption: false,
          snapshotRetentionDays: 0,
        }),
    ).toThrow('invalid snapshotRetentionDays 0. Keep at least 1 day of snapshots, or set acceptNoBackups: true');
  });

  it('is created empty, not from a snapshot', () => {
    // snapshotName @default none
    expect(group).not.toHaveProperty('snapshot_name');
    // snapshotArns @default none
    expect(group).not.toHaveProperty('snapshot_arns');
  });

  it('sets no extra parameters', () => {
    // parameters @default none
    expect(only(r, 'aws_elasticache_parameter_group').parameter).toEqual([]);
  });

  it('keeps the slow log 365 days', () => {
    // logRetentionDays @default 365
    expect(only(r, 'aws_cloudwatch_log_group').retention_in_days).toBe(365);
  });

  it('refuses terraform destroy', () => {
    // preventDestroy @default true
    expect(group.lifecycle).toMatchObject({ prevent_destroy: true });
  });
});

describe('IngressSecurityGroup defaults', () => {
  const r = synth(
    (s) => new IngressSecurityGroup(s, 'Sg', { name: 'acme-db', description: 'database', vpcId, port: 5432 }),
  );

  it('admits nobody', () => {
    // allowedSecurityGroupIds @default none (add them later with allowFrom)
    only(r, 'aws_security_group');
    expect(r.aws_vpc_security_group_ingress_rule).toBeUndefined();
  });
});

describe('SeedObject defaults', () => {
  const r = synth((s) => new SeedObject(s, 'Seed', { bucket: 'acme-config', key: 'config.yml' }));

  it('writes an empty object', () => {
    // content @default '' (an empty object)
    expect(only(r, 'aws_s3_object').content).toBe('');
  });
});

describe('TimescaleHost defaults', () => {
  const r = synth(
    (s) =>
      new TimescaleHost(s, 'Tsdb', {
        environment: env,
        name: 'acme-prod-eu1',
        vpcId,
        subnetId: 'subnet-a',
        availabilityZone: 'eu-west-1a',
        dataVolumeSizeGiB: 100, // exactly one of dataVolumeSizeGiB and snapshotId is required
      }),
  );
  const instance = inNamedTest('finds the aws_instance', () => only(r, 'aws_instance'));
  const volume = inNamedTest('finds the aws_ebs_volume', () => only(r, 'aws_ebs_volume'));

  it('admits no security group on 5432', () => {
    // allowedSecurityGroupIds @default none (use allowFrom)
    expect(r.aws_vpc_security_group_ingress_rule).toBeUndefined();
  });

  it('runs an m7g.large from the latest arm64 Amazon Linux 2023 AMI', () => {
    // architecture @default 'arm64'
    // amiParameter @default the latest Amazon Linux 2023 AMI for the architecture
    expect(only(r, 'aws_launch_template').image_id).toBe(
      'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
    );
    // instanceType @default 'm7g.large'
    expect(instance.instance_type).toBe('m7g.large');
  });

  it('has a 20 GiB root volume', () => {
    // rootVolumeSizeGiB @default 20
    expect(instance.root_block_device).toMatchObject({ volume_size: 20 });
  });

  it('attaches the data volume as /dev/sdf', () => {
    // dataDeviceName @default '/dev/sdf'
    expect(only(r, 'aws_volume_attachment').device_name).toBe('/dev/sdf');
  });

  it('encrypts both volumes with a new key', () => {
    // kmsKeyArn @default a new EncryptionKey
    only(r, 'aws_kms_key');
    expect(volume.kms_key_id).toMatch(/^\$\{aws_kms_key\.Tsdb_Key_.*\.arn\}$/);
    expect(instance.root_block_device).toMatchObject({ kms_key_id: volume.kms_key_id });
  });

  it('has no user data', () => {
    // userData @default none
    expect(instance).not.toHaveProperty('user_data');
  });

  it('keeps the data volume on terraform destroy', () => {
    // preventDestroy @default true
    expect(volume.lifecycle).toMatchObject({ prevent_destroy: true });
  });
});
