import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { EncryptionKey } from '@tts-ecs/core';
import { DeploymentConfig, GENERATED_SECRETS } from '@tts-ecs/config';
import { EphemeralSecretValue, EphemeralSecretValueProps, Secret } from '@tts-ecs/data';
import { LayerStack, emitContractOutputs, readPrimaryContract } from '@tts-ecs/stacks';
import { ReplicaKeys } from './replica-keys';

/** Redis replication group purposes (config `data.redis.purposes`). */
export type RedisPurpose = 'general' | 'cache' | 'events';

/** A secret the compute layer injects through ECS `secrets` (never plain environment). */
export interface SecretRef {
  /** Secret name, e.g. `acme-prod-eu1/cookie-block-key`. */
  readonly name: string;
  /** Full secret ARN in this cluster's region (for a replica: the replica's ARN). Use it as `valueFrom`. */
  readonly arn: string;
  /** KMS key that encrypts the secret in this cluster's region; the execution role needs kms:Decrypt on it. */
  readonly kmsKeyArn: string;
  /** Keys of a JSON secret, for `valueFrom` `<arn>:<key>::`. Absent: the whole secret string is the value. */
  readonly jsonKeys?: readonly string[];
}

/** A secret created empty: an operator fills it once with {@link OperatorSecret.fillCommand}. */
export interface OperatorSecret extends SecretRef {
  /** `aws secretsmanager put-secret-value ... --secret-string file://secret-value.txt`. */
  readonly fillCommand: string;
  /** What to write into secret-value.txt. */
  readonly valueFormat: string;
}

/** Version of a generated secret (config `secretVersions`, default 1): raising it makes the next apply write a new value. */
export function secretVersion(config: DeploymentConfig, name: (typeof GENERATED_SECRETS)[number]): number {
  return config.secretVersions[name] ?? 1;
}

/**
 * Secrets layer of one cluster (official template 4-1). Every secret is in Secrets Manager under
 * `<prefix>-<environment>-<cluster>/<name>`, encrypted with the layer's customer KMS key (rotation on,
 * `prevent_destroy`), 30-day recovery window. Generated values come from ephemeral `aws_secretsmanager_random_password`
 * blocks and are written write-only: no generated value is in this stack's state. The data layer generates the
 * database password itself and reads the Redis AUTH tokens back from their secrets, because ElastiCache's `auth_token`
 * is not write-only (docs/layers-secrets-data.md: what sits in which state file). Operator secrets are created without
 * a value; the `operator_secrets` output lists the command that fills each.
 *
 * Cluster keys are generated once in the primary and replicated by Secrets Manager to every other region of the
 * deployment (encrypted there with a replica of the primary's multi-Region key); secondaries reference the replica.
 */
export class SecretsLayer extends Construct {
  /** Customer KMS key of this cluster's secrets (a multi-Region key in the primary). */
  readonly kmsKeyArn: string;
  /** `http.cookie.block-key`: 32 random bytes, hex. */
  readonly cookieBlockKey: SecretRef;
  /** `http.cookie.hash-key`: 64 random bytes, hex. */
  readonly cookieHashKey: SecretRef;
  /** `http.metrics.password` (user `metrics`, also Prometheus' scrape password): 32 letters and digits. */
  readonly metricsPassword: SecretRef;
  /** `http.pprof.password` (user `pprof`): 32 letters and digits. */
  readonly pprofPassword: SecretRef;
  /** AUTH token per configured Redis purpose (`redis.password`, `cache.redis.password`, `events.redis.password`). */
  readonly redisAuthTokens: Readonly<Partial<Record<RedisPurpose, SecretRef>>>;
  /** `cluster.keys`: 32 random bytes, hex, identical in every cluster (the primary's secret or its replica). */
  readonly clusterKeys: SecretRef;
  /** `console.oauth.client-secret` of this cluster's Console OAuth client. */
  readonly consoleOAuthClientSecret: OperatorSecret;
  /** Packet Broker API key, JSON `pba.oauth2.client-id` / `client-secret` keys `client-id`, `client-secret` (fill only if used). */
  readonly packetBroker: OperatorSecret;
  /** `license.key` (enterprise only). */
  readonly licenseKey?: OperatorSecret;
  /** OAuth client secret of the Device Claiming Server (enterprise only). */
  readonly deviceClaimingOAuthClientSecret?: OperatorSecret;
  /** Primary only: `is.database-uri`; the data layer writes its value (URI with credentials and sslmode=require). */
  readonly databaseUri?: SecretRef;
  /** Primary, enterprise only: `is.tenancy.admin-keys` / `tbs.tenant-admin-key`: 32 random bytes, hex. */
  readonly tenantAdminKey?: SecretRef;
  /** Primary only: SMTP credentials for `is.email.smtp.*`, JSON keys `username`, `password` (SendGrid: `apikey` / API key). */
  readonly email?: OperatorSecret;
  /** Primary only: gateway secrets encryption key (AES-128: base64 of 16 random bytes). */
  readonly gatewaySecretsKey?: OperatorSecret;
  /** Primary with features.tbs: Stripe, JSON keys `api-key` (`tbs.stripe.api-key`), `endpoint-secret-key`. */
  readonly stripe?: OperatorSecret;
  /** Every operator secret of this cluster, in the order of the `operator_secrets` output. */
  readonly operatorSecrets: readonly OperatorSecret[];
  private readonly stack: LayerStack;

  constructor(stack: LayerStack, id: string) {
    super(stack, id);
    this.stack = stack;
    const { config, cluster, environment, resourcePrefix } = stack;
    const primary = cluster.role === 'primary';
    const enterprise = config.tts.edition === 'enterprise';

    // Other regions that hold replicas of the shared secrets (the same account: see config rules).
    const replicaRegions = primary
      ? [...new Set(config.clusters.filter((c) => c.role === 'secondary').map((c) => c.region))].filter(
          (r) => r !== cluster.region,
        )
      : [];
    const key = new EncryptionKey(this, 'Key', {
      environment,
      description: `Secrets of TTS cluster ${resourcePrefix}`,
      alias: `${resourcePrefix}-secrets`,
      multiRegion: primary && replicaRegions.length > 0,
    });
    this.kmsKeyArn = key.arn;

    this.cookieBlockKey = this.generated('CookieBlockKey', 'cookie-block-key', 'http.cookie.block-key', {
      kind: 'hex',
      byteLength: 32,
    });
    this.cookieHashKey = this.generated('CookieHashKey', 'cookie-hash-key', 'http.cookie.hash-key', {
      kind: 'hex',
      byteLength: 64,
    });
    this.metricsPassword = this.generated('MetricsPassword', 'metrics-password', 'http.metrics.password', {
      kind: 'password',
      length: 32,
    });
    this.pprofPassword = this.generated('PprofPassword', 'pprof-password', 'http.pprof.password', {
      kind: 'password',
      length: 32,
    });

    const tokens: Partial<Record<RedisPurpose, SecretRef>> = {};
    for (const purpose of config.data.redis.purposes) {
      // Letters and digits only: within ElastiCache's AUTH token rules (16-128 printable, no @ " /) and URL-safe.
      tokens[purpose] = this.generated(
        `RedisAuthToken-${purpose}`,
        `redis-${purpose}-auth-token`,
        `AUTH token of the ${purpose} Redis (the data layer reads it for ElastiCache)`,
        { kind: 'password', length: 64 },
      );
    }
    this.redisAuthTokens = tokens;

    const operator: OperatorSecret[] = [];
    const addOperator = (
      secretId: string,
      name: string,
      description: string,
      valueFormat: string,
      jsonKeys?: string[],
    ) => {
      const secret = new Secret(this, secretId, {
        environment,
        name: `${resourcePrefix}/${name}`,
        description,
        kmsKeyArn: this.kmsKeyArn,
      });
      const made: OperatorSecret = {
        ...refOf(secret, `${resourcePrefix}/${name}`, jsonKeys),
        fillCommand: secret.fillCommand,
        valueFormat,
      };
      operator.push(made);
      return made;
    };

    if (primary) {
      const keys = new ReplicaKeys(this, 'ReplicaKeys', { stack, primaryKeyArn: key.arn, regions: replicaRegions });
      const clusterKeysValue = new EphemeralSecretValue(this, 'ClusterKeysValue', { kind: 'hex', byteLength: 32 });
      const clusterKeys = new Secret(this, 'ClusterKeys', {
        environment,
        name: `${resourcePrefix}/cluster-keys`,
        description: 'cluster.keys of every TTS cluster (hex); replicated to the regions of the secondaries',
        kmsKeyArn: this.kmsKeyArn,
        value: clusterKeysValue.value,
        valueVersion: secretVersion(config, 'cluster-keys'),
        replicaRegions: replicaRegions.map((region) => ({ region, kmsKeyArn: keys.arnIn(region) })),
      });
      this.clusterKeys = refOf(clusterKeys, `${resourcePrefix}/cluster-keys`);
      emitContractOutputs(stack, 'secrets', {
        clusterKeysSecretName: this.clusterKeys.name,
        clusterKeysSecretArn: clusterKeys.arn,
        clusterKeysKmsKeyArn: this.kmsKeyArn,
      });

      const uri = new Secret(this, 'DatabaseUri', {
        environment,
        name: `${resourcePrefix}/database-uri`,
        description:
          'is.database-uri: written by the data layer with the password it generates (Aurora writer endpoint, sslmode=require)',
        kmsKeyArn: this.kmsKeyArn,
      });
      this.databaseUri = refOf(uri, `${resourcePrefix}/database-uri`);
      if (enterprise) {
        this.tenantAdminKey = this.generated(
          'TenantAdminKey',
          'tenant-admin-key',
          'is.tenancy.admin-keys / tbs.tenant-admin-key',
          { kind: 'hex', byteLength: 32 },
        );
      }
      this.email = addOperator(
        'Email',
        'email-credentials',
        'SMTP credentials of the Identity Server',
        'JSON {"username": "...", "password": "..."} (SendGrid: username "apikey", password the API key)',
        ['username', 'password'],
      );
      this.gatewaySecretsKey = addOperator(
        'GatewaySecretsKey',
        'gateway-secrets-key',
        'Gateway secrets encryption key (AES-128)',
        'base64 of 16 random bytes: openssl rand -base64 16',
      );
      if (config.features.tbs) {
        this.stripe = addOperator(
          'Stripe',
          'stripe-keys',
          'Stripe keys of the Tenant Billing Server',
          'JSON {"api-key": "sk_live_...", "endpoint-secret-key": "whsec_..."}',
          ['api-key', 'endpoint-secret-key'],
        );
      }
    } else {
      const contract = readPrimaryContract(this, config);
      this.clusterKeys = {
        name: contract.clusterKeysSecretName,
        arn: contract.clusterKeysSecretArnIn(cluster.region),
        kmsKeyArn: contract.clusterKeysKmsKeyArnIn(cluster.region),
      };
    }

    if (enterprise) {
      this.licenseKey = addOperator(
        'LicenseKey',
        'license-key',
        'license.key of The Things Stack Enterprise',
        'the license key as received from The Things Industries',
      );
      this.deviceClaimingOAuthClientSecret = addOperator(
        'DeviceClaimingOAuth',
        'device-claiming-oauth',
        'OAuth client secret of the Device Claiming Server',
        'the client secret of the device claiming OAuth client',
      );
    }
    this.consoleOAuthClientSecret = addOperator(
      'ConsoleOAuth',
      'console-oauth',
      `OAuth client secret of the Console of ${cluster.id}`,
      `the client secret of the OAuth client "console" (one client per cluster; redirect to https://<${cluster.id} domain>/console/oauth/callback)`,
    );
    this.packetBroker = addOperator(
      'PacketBroker',
      'packet-broker-api-key',
      'Packet Broker API key (optional)',
      'JSON {"client-id": "...", "client-secret": "..."}; fill only when Packet Broker is used',
      ['client-id', 'client-secret'],
    );
    this.operatorSecrets = operator;

    new TerraformOutput(stack, 'operator_secrets', {
      description: 'Secrets an operator fills once: name -> command (write the value to secret-value.txt first)',
      value: Object.fromEntries(operator.map((s) => [s.name, s.fillCommand])),
    }).overrideLogicalId('operator_secrets');
  }

  /** A secret holding a value generated at its first apply (and again whenever its version is raised). */
  private generated(
    id: string,
    name: (typeof GENERATED_SECRETS)[number],
    description: string,
    value: EphemeralSecretValueProps,
  ): SecretRef {
    const { config, environment, resourcePrefix } = this.stack;
    const generated = new EphemeralSecretValue(this, `${id}Value`, value);
    const secret = new Secret(this, id, {
      environment,
      name: `${resourcePrefix}/${name}`,
      description: `${description} (generated)`,
      kmsKeyArn: this.kmsKeyArn,
      value: generated.value,
      valueVersion: secretVersion(config, name),
    });
    return refOf(secret, `${resourcePrefix}/${name}`);
  }
}

// The literal name (not the resource's token) so outputs and docs can key on it.
function refOf(secret: Secret, name: string, jsonKeys?: readonly string[]): SecretRef {
  return { name, arn: secret.arn, kmsKeyArn: secret.kmsKeyArn, ...(jsonKeys ? { jsonKeys } : {}) };
}
