import { Json, exampleConfig, resources, stackNamed } from './helpers';
import { fullSynth } from './full-synth';

const byName = (stack: Json, type: string, field: string) =>
  resources(stack, type)
    .map((r) => r[field])
    .sort();

describe('data layer of the example deployment', () => {
  const stacks = fullSynth(exampleConfig());
  const eu1 = stackNamed(stacks, 'acme-prod-eu1-data');
  const us1 = stackNamed(stacks, 'acme-prod-us1-data');
  const eu1Network = stackNamed(stacks, 'acme-prod-eu1-network');

  it("logs access to every bucket into its cluster's S3 access-log bucket, under the bucket's name", () => {
    for (const stack of [eu1, us1]) {
      const buckets = resources(stack, 'aws_s3_bucket');
      const logging = resources(stack, 'aws_s3_bucket_logging');
      expect(logging).toHaveLength(buckets.length);
      for (const entry of logging) {
        expect(entry.target_bucket).toMatch(
          /cross-stack-output-aws_s3_bucketNetwork_ServerAccessLogs_Bucket_\w+bucket/,
        );
        expect(entry.target_prefix).toMatch(/^acme-prod-(eu1|us1)-[a-z-]+-111111111111\/$/);
      }
    }
  });

  it('backs Aurora and the Prometheus EFS up daily into the data key vault for 35 days, without a copy', () => {
    const [vault] = resources(eu1, 'aws_backup_vault');
    expect(vault).toMatchObject({ name: 'acme-prod-eu1', lifecycle: { prevent_destroy: true } });
    expect(vault.kms_key_arn).toMatch(/^\$\{aws_kms_key\.Data_Key_\w+\.arn\}$/);
    const [selection] = resources(eu1, 'aws_backup_selection');
    expect(selection.resources).toEqual([
      expect.stringMatching(/^\$\{aws_rds_cluster\.\w+\.arn\}$/),
      expect.stringMatching(/^\$\{aws_efs_file_system\.\w+\.arn\}$/),
    ]);
    const [rule] = resources(eu1, 'aws_backup_plan')[0].rule;
    expect(rule.lifecycle).toEqual({ delete_after: 35 });
    expect(rule.copy_action).toBeUndefined();
    // The plan covers the EFS: its automatic backups (a second copy in the default vault) are off.
    expect(resources(eu1, 'aws_efs_backup_policy')[0].backup_policy).toEqual({ status: 'DISABLED' });
    expect(resources(us1, 'aws_backup_selection')[0].resources).toEqual([
      expect.stringMatching(/^\$\{aws_efs_file_system\.\w+\.arn\}$/),
    ]);
  });

  it('gives the primary Aurora and the picture buckets, and secondaries neither', () => {
    expect(resources(eu1, 'aws_rds_cluster')).toHaveLength(1);
    expect(byName(eu1, 'aws_s3_bucket', 'bucket')).toEqual([
      'acme-prod-eu1-device-pictures-111111111111',
      'acme-prod-eu1-edcs-111111111111',
      'acme-prod-eu1-interop-111111111111',
      'acme-prod-eu1-plugins-111111111111',
      'acme-prod-eu1-profile-pictures-111111111111',
    ]);
    for (const stack of [us1, stacks['acme-prod-ap1-data']]) {
      expect(resources(stack, 'aws_rds_cluster')).toHaveLength(0);
      expect(resources(stack, 'aws_secretsmanager_secret_version')).toHaveLength(0);
      expect(byName(stack, 'aws_s3_bucket', 'bucket').filter((b: string) => b.includes('pictures'))).toEqual([]);
    }
    expect(byName(us1, 'aws_s3_bucket', 'bucket')).toEqual([
      'acme-prod-us1-edcs-111111111111',
      'acme-prod-us1-interop-111111111111',
      'acme-prod-us1-plugins-111111111111',
    ]);
  });

  it('runs Aurora encrypted, TLS-only, backed up and deletion-protected in the data subnets, with a reader', () => {
    const [cluster] = resources(eu1, 'aws_rds_cluster');
    expect(cluster).toMatchObject({
      engine: 'aurora-postgresql',
      engine_version: '16.6',
      storage_encrypted: true,
      backup_retention_period: 7,
      deletion_protection: true,
      skip_final_snapshot: false,
      copy_tags_to_snapshot: true,
      database_name: 'ttn_lorawan',
      master_username: 'tts',
      lifecycle: { prevent_destroy: true },
    });
    expect(cluster.kms_key_id).toMatch(/aws_kms_key\.Data_Key/);
    // Generated in this stack, write-only (secrets-layer.test.ts checks the URI secret takes the same value).
    expect(cluster.master_password).toBeUndefined();
    expect(cluster.master_password_wo).toMatch(
      /^\$\{ephemeral\.aws_secretsmanager_random_password\.Data_DatabasePassword_/,
    );
    const [params] = resources(eu1, 'aws_rds_cluster_parameter_group');
    expect(params.parameter).toContainEqual({ name: 'rds.force_ssl', value: '1' });
    const instances = resources(eu1, 'aws_rds_cluster_instance');
    expect(instances.map((i) => i.instance_class)).toEqual(['db.t4g.medium', 'db.t4g.medium']);
    const [subnets] = resources(eu1, 'aws_db_subnet_group');
    expect(subnets.subnet_ids).toHaveLength(3);
    for (const id of subnets.subnet_ids) expect(id).toMatch(/cross-stack-output-aws_subnetNetwork_Data-/);
  });

  it('runs a general Redis per cluster: Multi-AZ with two replicas, TLS with the AUTH token, KMS, snapshots', () => {
    for (const stack of [eu1, us1]) {
      const groups = resources(stack, 'aws_elasticache_replication_group');
      expect(groups).toHaveLength(1);
      expect(groups[0]).toMatchObject({
        num_cache_clusters: 3,
        multi_az_enabled: true,
        automatic_failover_enabled: true,
        transit_encryption_enabled: true,
        transit_encryption_mode: 'required',
        at_rest_encryption_enabled: 'true',
        snapshot_retention_limit: 7,
        lifecycle: { prevent_destroy: true },
      });
      // Read back from the token's secret (auth_token is not write-only): the one generated value in a state file.
      const [read] = Object.entries(stack.data.aws_secretsmanager_secret_version as Record<string, Json>);
      expect(groups[0].auth_token).toBe(`\${data.aws_secretsmanager_secret_version.${read[0]}.secret_string}`);
      expect(read[1].secret_id).toMatch(
        /cross-stack-output-aws_secretsmanager_secretSecrets_RedisAuthToken-general_Secret_\w+arn/,
      );
    }
    expect(resources(eu1, 'aws_elasticache_replication_group')[0].replication_group_id).toBe('acme-prod-eu1-general');
  });

  it('admits only the network layer tasks security group to Aurora and Redis (EFS: Prometheus alone)', () => {
    const [tasks] = resources(eu1Network, 'aws_security_group').filter((g) => g.name_prefix === 'acme-prod-eu1-tasks-');
    expect(tasks).toBeDefined();
    const rules = resources(eu1, 'aws_vpc_security_group_ingress_rule');
    // No TTS task mounts the Prometheus EFS; the observability layer admits Prometheus itself.
    expect(rules.map((r) => r.from_port).sort()).toEqual([5432, 6379]);
    for (const rule of rules) {
      expect(rule.referenced_security_group_id).toMatch(
        /cross-stack-output-aws_security_groupNetwork_TasksSecurityGroup/,
      );
      expect(rule.cidr_ipv4).toBeUndefined();
    }
  });

  it('keeps configuration buckets private and KMS-encrypted, with TLS-only policies and versioning', () => {
    const sse = resources(eu1, 'aws_s3_bucket_server_side_encryption_configuration').map(
      (c) => c.rule[0].apply_server_side_encryption_by_default.sse_algorithm,
    );
    expect(sse.sort()).toEqual(['AES256', 'AES256', 'aws:kms', 'aws:kms', 'aws:kms']);
    expect(resources(eu1, 'aws_s3_bucket_versioning')).toHaveLength(5);
    for (const policy of resources(eu1, 'aws_s3_bucket_policy')) {
      expect(JSON.parse(policy.policy).Statement[0]).toMatchObject({ Sid: 'DenyInsecureTransport', Effect: 'Deny' });
    }
    const blocks = resources(us1, 'aws_s3_bucket_public_access_block');
    for (const block of blocks)
      expect(block).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        restrict_public_buckets: true,
      });
  });

  it('makes picture objects (only) publicly readable, as the deliberate exception', () => {
    const publicPolicies = resources(eu1, 'aws_s3_bucket_policy')
      .map((p) => JSON.parse(p.policy).Statement as Json[])
      .filter((st) => st.some((s) => s.Sid === 'PublicObjectRead'));
    expect(publicPolicies).toHaveLength(2);
    for (const statements of publicPolicies) {
      expect(statements.find((s) => s.Sid === 'PublicObjectRead')).toMatchObject({
        Principal: '*',
        Action: 's3:GetObject',
      });
    }
  });

  it('seeds config.yml / plugins.yml once and writes rate-limiting.yml from config', () => {
    const objects = resources(eu1, 'aws_s3_object');
    expect(objects.map((o) => o.key).sort()).toEqual([
      'config.yml',
      'config.yml',
      'plugins.yml',
      'rate-limiting/rate-limiting.yml',
    ]);
    for (const seed of objects.filter((o) => o.key !== 'rate-limiting/rate-limiting.yml')) {
      expect(seed.lifecycle.ignore_changes).toContain('content');
    }
    const rateLimiting = objects.find((o) => o.key === 'rate-limiting/rate-limiting.yml')!;
    expect(rateLimiting.lifecycle).toBeUndefined();
    const body = JSON.parse(rateLimiting.content);
    expect(body.profiles[0]).toEqual({ name: 'HTTP servers', 'max-per-min': 600, associations: ['http'] });
  });

  it('stores the non-secret settings TTS reads in SSM under /<prefix>/<environment>/<cluster>/', () => {
    const params = Object.fromEntries(resources(us1, 'aws_ssm_parameter').map((p) => [p.name, [p.type, p.value]]));
    expect(params).toMatchObject({
      '/acme/prod/us1/domain': ['String', 'us1.lns.example.com'],
      '/acme/prod/us1/identity-server-domain': ['String', 'lns.example.com'],
      '/acme/prod/us1/cluster-id': ['String', 'us1'],
      '/acme/prod/us1/net-id': ['String', '000000'],
      '/acme/prod/us1/dev-addr-prefixes': ['StringList', '00000000/7'],
      '/acme/prod/us1/rate-limiting/config-source': ['String', 'blob'],
      '/acme/prod/us1/rate-limiting/blob-bucket': ['String', expect.stringContaining('aws_s3_bucket.')],
      '/acme/prod/us1/rate-limiting/blob-path': ['String', 'rate-limiting'],
    });
  });

  it('gives Prometheus an encrypted EFS with an access point owned by nobody (65534)', () => {
    const [fs] = resources(eu1, 'aws_efs_file_system');
    expect(fs).toMatchObject({ encrypted: true, lifecycle: { prevent_destroy: true } });
    const [ap] = resources(eu1, 'aws_efs_access_point');
    expect(ap.posix_user).toEqual({ uid: 65534, gid: 65534 });
    expect(ap.root_directory).toMatchObject({
      path: '/prometheus',
      creation_info: { owner_uid: 65534, owner_gid: 65534 },
    });
    expect(resources(eu1, 'aws_efs_mount_target')).toHaveLength(3);
  });

  it('encrypts everything with one rotating, prevent_destroy data key per cluster', () => {
    const keys = resources(eu1, 'aws_kms_key');
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
  });
});

describe('data layer options', () => {
  const stacks = fullSynth(
    exampleConfig((c) => {
      c.features = { ...c.features, monitoring: false, timescale: true, mtls: true };
      c.data = {
        aurora: { readers: 2, backupRetentionDays: 14, instanceClass: 'db.r7g.large' },
        redis: { purposes: ['general', 'cache', 'events'], replicas: 1 },
      };
      c.secretVersions = { 'database-password': 3, 'redis-cache-auth-token': 2, 'cookie-hash-key': 4 };
      c.data.backup = { retentionDays: 14, copyToRegion: 'eu-central-1' };
    }),
  );
  const eu1 = stackNamed(stacks, 'acme-prod-eu1-data');

  it("copies the primary's recovery points to a vault of its own key in copyToRegion; secondaries do not copy", () => {
    const [rule] = resources(eu1, 'aws_backup_plan')[0].rule;
    expect(rule.lifecycle).toEqual({ delete_after: 14 });
    const copyVault = resources(eu1, 'aws_backup_vault').find((v) => v.name === 'acme-prod-eu1-copy')!;
    expect(copyVault.provider).toBe('aws.backup_eu_central_1');
    expect(rule.copy_action).toEqual([
      {
        destination_vault_arn: expect.stringMatching(/^\$\{aws_backup_vault\.Data_Backup_CopyVault_\w+\.arn\}$/),
        lifecycle: { delete_after: 14 },
      },
    ]);
    const provider = (eu1.provider.aws as Json[]).find((p) => p.alias === 'backup_eu_central_1')!;
    expect(provider).toMatchObject({ region: 'eu-central-1', allowed_account_ids: ['111111111111'] });
    expect(resources(eu1, 'aws_kms_key').some((k) => k.provider === 'aws.backup_eu_central_1')).toBe(true);
    // Aurora and the TimescaleDB data volume (monitoring is off here: no EFS).
    expect(resources(eu1, 'aws_backup_selection')[0].resources).toEqual([
      expect.stringMatching(/aws_rds_cluster\.\w+\.arn/),
      expect.stringMatching(/^arn:aws:ec2:eu-west-1:111111111111:volume\/\$\{aws_ebs_volume\.\w+\.id\}$/),
    ]);
    expect(
      resources(stackNamed(stacks, 'acme-prod-us1-data'), 'aws_backup_plan')[0].rule[0].copy_action,
    ).toBeUndefined();
  });

  it('writes a new generated value where a secret version was raised, and nowhere else', () => {
    const [cluster] = resources(eu1, 'aws_rds_cluster');
    const [uri] = resources(eu1, 'aws_secretsmanager_secret_version');
    expect([cluster.master_password_wo_version, uri.secret_string_wo_version]).toEqual([3, 3]);
    for (const id of ['eu1', 'us1']) {
      const versions = Object.fromEntries(
        resources(stackNamed(stacks, `acme-prod-${id}-secrets`), 'aws_secretsmanager_secret_version').map((v) => [
          /Secrets\/([\w-]+)\/Value$/.exec(v['//'].metadata.path)![1],
          v.secret_string_wo_version,
        ]),
      );
      expect(versions).toMatchObject({
        'RedisAuthToken-cache': 2,
        CookieHashKey: 4,
        CookieBlockKey: 1,
        MetricsPassword: 1,
      });
    }
  });

  it('follows the Aurora options', () => {
    expect(resources(eu1, 'aws_rds_cluster')[0].backup_retention_period).toBe(14);
    expect(resources(eu1, 'aws_rds_cluster_instance').map((i) => i.instance_class)).toEqual([
      'db.r7g.large',
      'db.r7g.large',
      'db.r7g.large',
    ]);
  });

  it('adds cache and events Redis groups with their own tokens', () => {
    const groups = resources(eu1, 'aws_elasticache_replication_group');
    expect(groups.map((g) => g.replication_group_id).sort()).toEqual([
      'acme-prod-eu1-cache',
      'acme-prod-eu1-events',
      'acme-prod-eu1-general',
    ]);
    for (const g of groups) {
      expect(g.num_cache_clusters).toBe(2);
      expect(g.auth_token).toContain(`RedisAuthToken-${g.replication_group_id.split('-').pop()}`);
    }
  });

  it('adds the mTLS CA bucket and the TimescaleDB host, and drops the Prometheus file system', () => {
    expect(byName(eu1, 'aws_s3_bucket', 'bucket')).toContain('acme-prod-eu1-mtls-ca-111111111111');
    const [volume] = resources(eu1, 'aws_ebs_volume');
    expect(volume).toMatchObject({
      size: 100,
      encrypted: true,
      availability_zone: 'eu-west-1a',
      lifecycle: { prevent_destroy: true },
    });
    expect(resources(eu1, 'aws_instance')[0].metadata_options.http_tokens).toBe('required');
    expect(resources(eu1, 'aws_efs_file_system')).toHaveLength(0);
  });
});
