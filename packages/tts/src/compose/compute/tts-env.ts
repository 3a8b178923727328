import { ContainerSecret, PolicyStatement } from '@tts-ecs/compute';
import { ClusterConfig, DeploymentConfig } from '@tts-ecs/deployment';
import { ComponentId, INTERNAL_PORTS, configKeysOf } from '../../catalog/components';
import { assertKnownEnv, configKey, envVarOf } from '../../catalog/config-keys';
import type { BucketInput, ComputeLayerInputs, RedisInput, SecretInput } from './inputs';

/** What every component's configuration is built from. */
export interface TtsEnvContext {
  readonly config: DeploymentConfig;
  readonly cluster: ClusterConfig;
  /** Domain this cluster serves. */
  readonly domain: string;
  /** Domain of the primary cluster (the Identity Server and OAuth live there). */
  readonly primaryDomain: string;
  readonly inputs: ComputeLayerInputs;
  readonly included: ReadonlySet<ComponentId>;
  /** DNS name of a component's tasks inside the VPC (Cloud Map). In a secondary, `is` resolves to the IS proxy. */
  readonly hostOf: (component: ComponentId) => string;
}

/** A component's configuration: plain `TTN_LW_*` variables, ECS secrets, and the task role statements it needs. */
export interface TtsContainerConfig {
  readonly environment: Record<string, string>;
  readonly secrets: Record<string, ContainerSecret>;
  readonly taskStatements: PolicyStatement[];
  /**
   * Plain variables whose names look secret to the generic container check (e.g. `..._ALLOW_INSECURE_FOR_CREDENTIALS`)
   * but that the catalog lists as plain: pass as `allowedSecretLookingEnvironment`.
   */
  readonly catalogPlain: string[];
}

const CLUSTER_PEERS: ReadonlyArray<[string, ComponentId]> = [
  ['cluster.identity-server', 'is'],
  ['cluster.gateway-server', 'gs'],
  ['cluster.network-server', 'ns'],
  ['cluster.application-server', 'as'],
  ['cluster.join-server', 'js'],
  ['cluster.packet-broker-agent', 'pba'],
  ['cluster.device-repository', 'dr'],
];

/** Builds keys into env / secrets, refusing any key that is not in the catalog or has the wrong kind. */
class ConfigBuilder {
  readonly environment: Record<string, string> = {};
  readonly secrets: Record<string, ContainerSecret> = {};
  readonly taskStatements: PolicyStatement[] = [];

  constructor(private readonly component: ComponentId | 'ops') {}

  plain(key: string, value: string | number | boolean): void {
    const entry = configKey(key);
    if (entry.kind !== 'plain') throw new Error(`${key} is a secret configuration key; pass it with secret().`);
    this.environment[envVarOf(key)] = String(value);
  }

  secret(key: string, ref: SecretInput | undefined): void {
    if (ref === undefined) return;
    const entry = configKey(key);
    if (entry.kind !== 'secret') throw new Error(`${key} is not a secret configuration key; pass it with plain().`);
    const { arn, jsonKey } = typeof ref === 'string' ? { arn: ref, jsonKey: undefined } : ref;
    this.secrets[envVarOf(key)] = ContainerSecret.fromSecretsManager(arn, { jsonKey });
  }

  redis(prefix: '' | 'cache.' | 'events.', redis: RedisInput): void {
    this.plain(`${prefix}redis.address`, `${redis.address}:${redis.port}`);
    this.plain(`${prefix}redis.tls.require`, true);
    this.secret(`${prefix}redis.password`, redis.authTokenSecretArn);
  }

  readBucket(sid: string, bucket: BucketInput): void {
    this.taskStatements.push({ Sid: sid, Action: 's3:GetObject', Resource: `${bucket.arn}/*` });
    if (bucket.kmsKeyArn)
      this.taskStatements.push({ Sid: `${sid}Key`, Action: 'kms:Decrypt', Resource: bucket.kmsKeyArn });
  }

  writeBucket(sid: string, bucket: BucketInput): void {
    this.taskStatements.push({
      Sid: sid,
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: `${bucket.arn}/*`,
    });
    if (bucket.kmsKeyArn) {
      this.taskStatements.push({
        Sid: `${sid}Key`,
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: bucket.kmsKeyArn,
      });
    }
  }

  /** Checks the result against the catalog: known keys only, secrets never plain, and only keys the component reads. */
  done(): TtsContainerConfig {
    assertKnownEnv(this.environment);
    if (this.component !== 'ops') {
      const allowed = new Set(configKeysOf(this.component).map(envVarOf));
      for (const name of [...Object.keys(this.environment), ...Object.keys(this.secrets)]) {
        if (!allowed.has(name))
          throw new Error(`${name} is not a key the ${this.component} component reads (catalog configKeys).`);
      }
    }
    return {
      environment: this.environment,
      secrets: this.secrets,
      taskStatements: this.taskStatements,
      // assertKnownEnv above proved every one of them is a plain catalog key.
      catalogPlain: Object.keys(this.environment),
    };
  }
}

/** `TTN_LW_*` configuration of one component (official templates 5-3a/5-4), from the catalog keys only. */
export function ttsContainerConfig(component: ComponentId | 'ops', ctx: TtsEnvContext): TtsContainerConfig {
  const b = new ConfigBuilder(component);
  common(b, component, ctx);
  const id = component === 'ops' ? 'is' : component;
  // The ops task runs `is-db` commands: it needs the Identity Server's database and tenancy settings.
  if (component === 'ops' && ctx.cluster.role !== 'primary') return b.done();
  SPECIFIC[id]?.(b, ctx);
  return b.done();
}

function common(b: ConfigBuilder, component: ComponentId | 'ops', ctx: TtsEnvContext): void {
  const { inputs, config, cluster } = ctx;
  b.plain('log.format', 'json');
  // gRPC and cluster traffic inside the VPC is cleartext (TLS ends at the NLB); security groups admit only peers.
  b.plain('grpc.allow-insecure-for-credentials', true);
  b.plain('cluster.tls', false);
  // Client addresses arrive through the NLB (preserved) and the router inside the VPC.
  b.plain('http.trusted-proxies', inputs.network.vpcCidr);
  b.plain('grpc.trusted-proxies', inputs.network.vpcCidr);
  b.secret('http.cookie.block-key', inputs.secrets.cookieBlockKeyArn);
  b.secret('http.cookie.hash-key', inputs.secrets.cookieHashKeyArn);
  b.secret('http.metrics.password', inputs.secrets.metricsPasswordArn);
  b.secret('http.pprof.password', inputs.secrets.pprofPasswordArn);
  if (config.tts.edition === 'enterprise') b.secret('license.key', inputs.secrets.licenseKeyArn);

  const redis = inputs.data.redis;
  b.redis('', redis.general);
  // Without a dedicated Redis the cache and events use the general one; set explicitly so nothing depends on fallbacks.
  b.plain('cache.service', 'redis');
  b.redis('cache.', redis.cache ?? redis.general);
  b.plain('events.backend', 'redis');
  b.redis('events.', redis.events ?? redis.general);

  b.plain('blob.provider', 'aws');
  b.plain('blob.aws.region', cluster.region);

  b.secret('cluster.keys', inputs.secrets.clusterKeysArn);
  if (component !== 'ops') b.plain('cluster.address', `${ctx.hostOf(component)}:${INTERNAL_PORTS.grpc}`);
  for (const [key, peer] of CLUSTER_PEERS) {
    const reachable = ctx.included.has(peer) || (peer === 'is' && cluster.role !== 'primary');
    const knownKey = component === 'ops' || configKeysOf(component).includes(key);
    if (reachable && knownKey) b.plain(key, `${ctx.hostOf(peer)}:${INTERNAL_PORTS.grpc}`);
  }

  if (config.multiTenant) b.plain('tenancy.base-domains', ctx.domain);
  const rl = inputs.data.rateLimiting;
  if (rl) {
    b.plain('rate-limiting.config-source', 'blob');
    b.plain('rate-limiting.blob.bucket', rl.bucket.name);
    b.plain('rate-limiting.blob.path', rl.path);
    b.readBucket('ReadRateLimiting', rl.bucket);
  }
}

const https = (domain: string, path = ''): string => `https://${domain}${path}`;

const SPECIFIC: Partial<Record<ComponentId, (b: ConfigBuilder, ctx: TtsEnvContext) => void>> = {
  is: (b, { inputs, domain, config }) => {
    if (!inputs.data.databaseUriSecretArn) {
      throw new Error('The Identity Server needs data.databaseUriSecretArn (the primary data layer provides it).');
    }
    b.secret('is.database-uri', inputs.data.databaseUriSecretArn);
    b.plain('is.oauth.ui.canonical-url', https(domain, '/oauth'));
    b.plain('is.oauth.ui.is.base-url', https(domain, '/api/v3'));
    const email = inputs.secrets.email;
    if (email) {
      b.plain('is.email.sender-address', email.senderAddress);
      if (email.senderName !== undefined) {
        b.plain('is.email.sender-name', email.senderName);
        b.plain('is.email.network.name', email.senderName);
      }
      // Links in e-mails (account confirmation, password reset) point at this cluster.
      b.plain('is.email.network.console-url', https(domain, '/console'));
      b.plain('is.email.network.identity-server-url', https(domain, '/oauth'));
    }
    if (email?.provider === 'sendgrid') {
      b.plain('is.email.provider', 'sendgrid');
      b.secret('is.email.sendgrid.api-key', email.apiKeySecretArn);
    } else if (email?.provider === 'smtp') {
      b.plain('is.email.provider', 'smtp');
      b.plain('is.email.smtp.address', email.address);
      b.secret('is.email.smtp.username', email.usernameSecretArn);
      b.secret('is.email.smtp.password', email.passwordSecretArn);
    }
    const { profilePictures, endDevicePictures } = inputs.data.buckets;
    if (profilePictures) {
      b.plain('is.profile-picture.bucket', profilePictures.name);
      if (profilePictures.url) b.plain('is.profile-picture.bucket-url', profilePictures.url);
      b.writeBucket('ProfilePictures', profilePictures);
    }
    if (endDevicePictures) {
      b.plain('is.end-device-picture.bucket', endDevicePictures.name);
      if (endDevicePictures.url) b.plain('is.end-device-picture.bucket-url', endDevicePictures.url);
      b.writeBucket('EndDevicePictures', endDevicePictures);
    }
    if (config.tts.edition === 'enterprise') b.secret('is.tenancy.admin-keys', inputs.secrets.tenantAdminKeyArn);
    // LoRaWAN Backend Interfaces, cleartext behind the NLB's TLS listener 8886.
    if (config.ingress.interop) b.plain('interop.listen', `:${1886}`);
  },
  gs: (b, { domain }) => {
    b.plain('gs.mqtt.public-address', `${domain}:1882`);
    b.plain('gs.mqtt.public-tls-address', `${domain}:8882`);
    b.plain('gs.mqtt-v2.public-address', `${domain}:1881`);
    b.plain('gs.mqtt-v2.public-tls-address', `${domain}:8881`);
  },
  ns: (b, { inputs, config, cluster }) => {
    b.plain('ns.net-id', config.data.netId);
    b.plain('ns.dev-addr-prefixes', config.data.devAddrPrefixes.join(' '));
    b.plain('ns.cluster-id', cluster.id);
    const interop = inputs.data.buckets.interop;
    b.plain('ns.interop.config-source', 'blob');
    b.plain('ns.interop.blob.bucket', interop.name);
    b.plain('ns.interop.blob.path', 'config.yml');
    b.readBucket('ReadInteropConfig', interop);
  },
  as: (b, { inputs, domain }) => {
    b.plain('as.mqtt.public-address', `${domain}:1883`);
    b.plain('as.mqtt.public-tls-address', `${domain}:8883`);
    b.plain('as.webhooks.downlink.public-tls-address', https(domain, '/api/v3'));
    const interop = inputs.data.buckets.interop;
    b.plain('as.interop.config-source', 'blob');
    b.plain('as.interop.blob.bucket', interop.name);
    b.readBucket('ReadInteropConfig', interop);
  },
  console: (b, { inputs, domain, primaryDomain, included, cluster }) => {
    b.plain('console.oauth.client-id', consoleClientIdOf(cluster));
    b.secret('console.oauth.client-secret', inputs.secrets.consoleOAuthClientSecretArn);
    b.plain('console.oauth.authorize-url', https(primaryDomain, '/oauth/authorize'));
    b.plain('console.oauth.token-url', https(primaryDomain, '/oauth/token'));
    b.plain('console.oauth.logout-url', https(primaryDomain, '/oauth/logout'));
    b.plain('console.ui.canonical-url', https(domain, '/console'));
    b.plain('console.ui.account-url', https(primaryDomain, '/oauth'));
    b.plain('console.ui.is.base-url', https(primaryDomain, '/api/v3'));
    const bases: Array<[string, ComponentId]> = [
      ['gs', 'gs'],
      ['ns', 'ns'],
      ['as', 'as'],
      ['js', 'js'],
      ['gcs', 'gcs'],
      ['qrg', 'qrg'],
      ['edtc', 'dtc'],
      ['dcs', 'dcs'],
    ];
    for (const [ui, c] of bases) if (included.has(c)) b.plain(`console.ui.${ui}.base-url`, https(domain, '/api/v3'));
  },
  gcs: (b, { domain }) => {
    b.plain('gcs.basic-station.default.lns-uri', `wss://${domain}:8887`);
    b.plain('gcs.the-things-gateway.default.mqtt-server', `mqtts://${domain}:8881`);
  },
  dcs: (b, { inputs }) => {
    const edcs = inputs.data.buckets.edcs;
    b.plain('dcs.edcs.source', 'blob');
    b.plain('dcs.edcs.blob.bucket', edcs.name);
    b.plain('dcs.edcs.blob.path', 'config.yml');
    b.readBucket('ReadEdcsConfig', edcs);
  },
  pba: (b, { inputs, config, cluster }) => {
    const pb = inputs.secrets.packetBroker;
    b.plain('pba.net-id', config.data.netId);
    b.plain('pba.cluster-id', cluster.id);
    b.plain('pba.forwarder.enable', true);
    b.plain('pba.home-network.enable', true);
    b.plain('pba.home-network.dev-addr-prefixes', config.data.devAddrPrefixes.join(' '));
    if (pb) {
      b.plain('pba.authentication-mode', 'oauth2');
      b.secret('pba.oauth2.client-id', pb.clientIdSecretArn);
      b.secret('pba.oauth2.client-secret', pb.clientSecretSecretArn);
    }
  },
  noc: (b, { domain }) => {
    b.plain('noc.ui.canonical-url', https(domain, '/noc'));
  },
  tbs: (b, { inputs }) => {
    b.secret('tbs.tenant-admin-key', inputs.secrets.tenantAdminKeyArn);
    const stripe = inputs.secrets.stripe;
    b.plain('tbs.stripe.enable', stripe !== undefined);
    if (stripe) {
      b.secret('tbs.stripe.api-key', stripe.apiKeySecretArn);
      b.secret('tbs.stripe.endpoint-secret-key', stripe.endpointSecretSecretArn);
    }
  },
};

/** OAuth client id of a cluster's Console: `console` in the primary, `console-<id>` in each secondary. */
export function consoleClientIdOf(cluster: Pick<ClusterConfig, 'id' | 'role'>): string {
  return cluster.role === 'primary' ? 'console' : `console-${cluster.id}`;
}
