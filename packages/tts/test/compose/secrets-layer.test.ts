import { Json, exampleConfig, resources, stackNamed } from './helpers';
import { fullSynth } from './full-synth';

const secretsOf = (stack: Json) => resources(stack, 'aws_secretsmanager_secret');
const names = (stack: Json) =>
  secretsOf(stack)
    .map((s) => s.name)
    .sort();

describe('secrets layer of the example deployment (enterprise, three clusters, two secondary regions)', () => {
  const stacks = fullSynth(exampleConfig());
  const eu1 = stackNamed(stacks, 'acme-prod-eu1-secrets');
  const us1 = stackNamed(stacks, 'acme-prod-us1-secrets');
  const eu1Data = stackNamed(stacks, 'acme-prod-eu1-data');

  it('needs no random provider: no stack declares it or any random_* resource', () => {
    for (const stack of Object.values(stacks)) {
      expect(stack.provider?.random).toBeUndefined();
      expect(Object.keys(stack.resource ?? {}).filter((type) => type.startsWith('random_'))).toEqual([]);
    }
  });

  it('creates the primary secrets under <prefix>-<environment>-<cluster>/', () => {
    expect(names(eu1)).toEqual(
      [
        'cluster-keys',
        'console-oauth',
        'cookie-block-key',
        'cookie-hash-key',
        'database-uri',
        'device-claiming-oauth',
        'email-credentials',
        'gateway-secrets-key',
        'license-key',
        'metrics-password',
        'packet-broker-api-key',
        'pprof-password',
        'redis-general-auth-token',
        'tenant-admin-key',
      ].map((n) => `acme-prod-eu1/${n}`),
    );
  });

  it('gives a secondary its own per-cluster secrets and no cluster keys, database, email or tenant secrets', () => {
    expect(names(us1)).toEqual(
      [
        'console-oauth',
        'cookie-block-key',
        'cookie-hash-key',
        'device-claiming-oauth',
        'license-key',
        'metrics-password',
        'packet-broker-api-key',
        'pprof-password',
        'redis-general-auth-token',
      ].map((n) => `acme-prod-us1/${n}`),
    );
  });

  it('encrypts every secret with the layer key (rotation on, prevent_destroy), 30-day recovery, prevent_destroy', () => {
    const [key] = resources(eu1, 'aws_kms_key');
    expect(key).toMatchObject({ enable_key_rotation: true, multi_region: true, lifecycle: { prevent_destroy: true } });
    for (const secret of secretsOf(eu1)) {
      expect(secret.kms_key_id).toMatch(/^\$\{aws_kms_key\.Secrets_Key_\w+\.arn\}$/);
      expect(secret.recovery_window_in_days).toBe(30);
      expect(secret.lifecycle.prevent_destroy).toBe(true);
    }
    expect(resources(us1, 'aws_kms_key')[0].multi_region).toBe(false);
  });

  // Ephemeral blocks and the secret versions that take them, by the generating construct's name.
  const generatedBy = (stack: Json): Record<string, Json> => {
    const blocks = (stack.ephemeral?.aws_secretsmanager_random_password ?? {}) as Record<string, Json>;
    return Object.fromEntries(Object.entries(blocks).map(([id, args]) => [id.replace(/_Random_\w+$/, ''), args]));
  };

  it('generates values with the encodings TTS expects', () => {
    const hex = (bytes: number) => ({
      password_length: bytes * 2,
      exclude_punctuation: true,
      exclude_uppercase: true,
      exclude_characters: 'ghijklmnopqrstuvwxyz',
      require_each_included_type: false,
    });
    const alphanumeric = (length: number) => ({
      password_length: length,
      exclude_punctuation: true,
      require_each_included_type: true,
    });
    expect(generatedBy(eu1)).toEqual({
      Secrets_CookieBlockKeyValue: hex(32), // http.cookie.block-key: 32 bytes, hex
      Secrets_CookieHashKeyValue: hex(64), // http.cookie.hash-key: 64 bytes, hex
      Secrets_ClusterKeysValue: hex(32), // cluster.keys: 32 bytes (AES-256), hex
      Secrets_TenantAdminKeyValue: hex(32),
      Secrets_MetricsPasswordValue: alphanumeric(32),
      Secrets_PprofPasswordValue: alphanumeric(32),
      'Secrets_RedisAuthToken-generalValue': alphanumeric(64),
    });
    expect(generatedBy(eu1Data)).toEqual({ Data_DatabasePassword: alphanumeric(40) });
  });

  it('keeps every generated value out of state: write-only secret versions, no cross-stack secret outputs', () => {
    for (const [name, stack] of Object.entries(stacks)) {
      for (const version of resources(stack, 'aws_secretsmanager_secret_version')) {
        expect([name, version.secret_string]).toEqual([name, undefined]);
        expect(version.secret_string_wo).toMatch(/ephemeral\.aws_secretsmanager_random_password\./);
        expect(version.secret_string_wo_version).toBe(1);
      }
      // No output carries a value: only names and ARNs of secrets cross stacks.
      const values = Object.entries((stack.output ?? {}) as Record<string, Json>)
        .filter(([, o]) => /ephemeral\.|random_|secret_string/.test(JSON.stringify(o.value)))
        .map(([o]) => o);
      expect([name, values]).toEqual([name, []]);
    }
    // Every generated secret of the primary's secrets stack gets its value this way.
    // cluster keys, cookie block and hash keys, metrics and pprof passwords, the Redis token, the tenant admin key
    expect(resources(eu1, 'aws_secretsmanager_secret_version')).toHaveLength(7);
  });

  it('writes the database URI in the data stack with the password it generates, and gives Aurora the same one', () => {
    const [uri] = resources(eu1Data, 'aws_secretsmanager_secret_version');
    const password = /ephemeral\.aws_secretsmanager_random_password\.Data_DatabasePassword_Random_\w+\.random_password/;
    expect(uri.secret_string_wo).toMatch(
      new RegExp(
        String.raw`^postgres://tts:\$\{urlencode\(${password.source}\)\}@\$\{aws_rds_cluster\.\w+\.endpoint\}:5432/ttn_lorawan\?sslmode=require$`,
      ),
    );
    const [cluster] = resources(eu1Data, 'aws_rds_cluster');
    expect(cluster.master_password_wo).toMatch(new RegExp(String.raw`^\$\{${password.source}\}$`));
    expect([cluster.master_password_wo_version, uri.secret_string_wo_version]).toEqual([1, 1]);
  });

  it('replicates the cluster keys to each secondary region with a replica of the multi-Region key', () => {
    const clusterKeys = secretsOf(eu1).find((s) => s.name === 'acme-prod-eu1/cluster-keys')!;
    expect(clusterKeys.replica.map((r: Json) => r.region).sort()).toEqual(['ap-southeast-1', 'us-east-1']);
    for (const replica of clusterKeys.replica)
      expect(replica.kms_key_id).toMatch(/^\$\{aws_kms_replica_key\.[\w-]+\.arn\}$/);
    const replicaKeys = resources(eu1, 'aws_kms_replica_key');
    expect(replicaKeys.map((k) => k.provider).sort()).toEqual(['aws.ap_southeast_1', 'aws.us_east_1']);
    expect(eu1.provider.aws.map((p: Json) => p.allowed_account_ids)).toEqual([
      ['111111111111'],
      ['111111111111'],
      ['111111111111'],
    ]);
    for (const k of replicaKeys) expect(k.lifecycle.prevent_destroy).toBe(true);
  });

  it('publishes the cluster keys in the primary contract and reads the replica in secondaries', () => {
    expect(eu1.output.cluster_keys_secret_name.value).toBe('acme-prod-eu1/cluster-keys');
    expect(eu1.output.cluster_keys_secret_arn.value).toMatch(/aws_secretsmanager_secret\.Secrets_ClusterKeys/);
    expect(us1.data.terraform_remote_state.primary_secrets.config.key).toBe('prod/eu1/secrets.tfstate');
  });

  it('lists operator secrets with their fill commands, and never a value, in the outputs', () => {
    const commands = us1.output.operator_secrets.value as Record<string, string>;
    expect(commands['acme-prod-us1/console-oauth']).toBe(
      'aws secretsmanager put-secret-value --region us-east-1 --secret-id acme-prod-us1/console-oauth --secret-string file://secret-value.txt',
    );
    expect(Object.keys(commands).sort()).toEqual(
      ['console-oauth', 'device-claiming-oauth', 'license-key', 'packet-broker-api-key'].map(
        (n) => `acme-prod-us1/${n}`,
      ),
    );
    // A generated value reaches an output only as a sensitive cross-stack output (for the data layer).
    for (const stack of Object.values(stacks)) {
      for (const output of Object.values((stack.output ?? {}) as Record<string, Json>)) {
        if (JSON.stringify(output.value).includes('random_')) expect(output.sensitive).toBe(true);
      }
    }
  });
});

describe('secrets layer options', () => {
  it('adds Stripe keys with features.tbs and leaves out enterprise secrets in the open-source edition', () => {
    const tbs = fullSynth(exampleConfig((c) => (c.features = { ...c.features, tbs: true })));
    expect(names(tbs['acme-prod-eu1-secrets'])).toContain('acme-prod-eu1/stripe-keys');
    const oss = fullSynth(exampleConfig((c) => (c.tts.edition = 'open-source')));
    const ossNames = names(oss['acme-prod-eu1-secrets']);
    expect(ossNames).not.toContain('acme-prod-eu1/license-key');
    expect(ossNames).not.toContain('acme-prod-eu1/tenant-admin-key');
    expect(ossNames).not.toContain('acme-prod-eu1/stripe-keys');
  });

  it('creates one AUTH token per Redis purpose and no replica key for a secondary in the primary region', () => {
    const stacks = fullSynth(
      exampleConfig((c) => {
        c.data = { redis: { purposes: ['general', 'cache', 'events'] } };
        c.clusters[2].region = 'eu-west-1';
        c.clusters[2].availabilityZones = ['eu-west-1a', 'eu-west-1b'];
      }),
    );
    const eu1 = stacks['acme-prod-eu1-secrets'];
    expect(names(eu1).filter((n) => n.includes('redis'))).toEqual([
      'acme-prod-eu1/redis-cache-auth-token',
      'acme-prod-eu1/redis-events-auth-token',
      'acme-prod-eu1/redis-general-auth-token',
    ]);
    expect(resources(eu1, 'aws_kms_replica_key').map((k) => k.provider)).toEqual(['aws.us_east_1']);
  });
});
