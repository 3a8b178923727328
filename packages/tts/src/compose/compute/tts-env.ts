import { ContainerSecret, PolicyStatement } from '@tts-ecs/compute';
import { ClusterConfig, DeploymentConfig } from '@tts-ecs/config';
import {
  ComponentId,
  ContractContext,
  INTERNAL_PORTS,
  RuntimeContract,
  assertKnownEnv,
  configKey,
  configKeysOf,
  contractKeysOf,
  envVarOf,
  runtimeContractOf,
} from '@tts-ecs/tts-catalog';
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
  /** Components whose services run in this cluster (those with a service, and those their processes start too). */
  readonly served: ReadonlySet<ComponentId>;
  /** `tenancy.default-id` (Enterprise): the tenant `is-db create-tenant` creates. */
  readonly defaultTenantId: string;
  /** DNS name of a component's tasks inside the VPC (Cloud Map). In a secondary, `is` resolves to the IS proxy. */
  readonly hostOf: (component: ComponentId) => string;
}

/**
 * A component's configuration: plain `TTN_LW_*` variables, settings passed as command-line flags, ECS secrets, and the
 * task role statements it needs.
 */
export interface TtsContainerConfig {
  readonly environment: Record<string, string>;
  /**
   * Settings whose value is empty (a TLS listener switched off, a blob folder at the bucket root), as `--<key>=`
   * arguments after `start <component>`. They cannot be environment variables: ECS drops variables with empty values
   * from the task definition (hashicorp/terraform-provider-aws#39533), and TTS would run with its default. Flags take
   * precedence over the environment (viper), and TTS's root command accepts every configuration key as a flag.
   */
  readonly flags: string[];
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

/** The environment names of those keys. */
const PEER_ENV: ReadonlySet<string> = new Set(CLUSTER_PEERS.map(([key]) => envVarOf(key)));

/** Host names of the cluster peers a configuration calls (`cluster.identity-server` etc., not its own address). */
export function clusterPeerHosts(config: TtsContainerConfig): Set<string> {
  return new Set(
    Object.entries(config.environment)
      .filter(([name]) => PEER_ENV.has(name))
      .map(([, address]) => address.replace(/:\d+$/, '')),
  );
}

const allowedKeysCache = new Map<string, ReadonlySet<string>>();

/**
 * Environment names of the keys a component may be given: its catalog keys and its runtime contract's. Catalog data
 * does not change while a process runs: built once per component and edition (every container of every cluster
 * asks).
 */
function allowedKeys(component: ComponentId, edition: ContractContext['edition']): ReadonlySet<string> {
  const cacheKey = `${component}/${edition}`;
  let keys = allowedKeysCache.get(cacheKey);
  if (!keys) {
    keys = new Set([...configKeysOf(component), ...contractKeysOf(component, edition)].map(envVarOf));
    allowedKeysCache.set(cacheKey, keys);
  }
  return keys;
}

/** Builds keys into env / flags / secrets, refusing any key that is not in the catalog or has the wrong kind. */
class ConfigBuilder {
  readonly environment: Record<string, string> = {};
  /** Keys set to the empty string (rendered as `--<key>=` flags). */
  private readonly emptyKeys = new Set<string>();
  readonly secrets: Record<string, ContainerSecret> = {};
  readonly taskStatements: PolicyStatement[] = [];

  constructor(
    private readonly component: ComponentId | 'ops',
    private readonly edition: ContractContext['edition'],
  ) {}

  plain(key: string, value: string | number | boolean): void {
    const entry = configKey(key);
    if (entry.kind !== 'plain') throw new Error(`${key} is a secret configuration key; pass it with secret().`);
    if (value === '') {
      this.emptyKeys.add(key);
      delete this.environment[envVarOf(key)];
    } else {
      this.emptyKeys.delete(key);
      this.environment[envVarOf(key)] = String(value);
    }
  }

  /** The plain value of `key` ('' for an empty setting), or undefined when it is not set or a secret. */
  valueOf(key: string): string | undefined {
    return this.emptyKeys.has(key) ? '' : this.environment[envVarOf(key)];
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

  /** Whether `key` has been set, as plain value or secret. */
  has(key: string): boolean {
    return this.valueOf(key) !== undefined || envVarOf(key) in this.secrets;
  }

  /** Checks the result against the catalog: known keys only, secrets never plain, and only keys the component reads. */
  done(): TtsContainerConfig {
    assertKnownEnv(this.environment);
    if (this.component !== 'ops') {
      const allowed = allowedKeys(this.component, this.edition);
      for (const name of [...Object.keys(this.environment), ...Object.keys(this.secrets)]) {
        if (!allowed.has(name))
          throw new Error(`${name} is not a key the ${this.component} component reads (catalog configKeys).`);
      }
    }
    for (const key of this.emptyKeys) {
      if (this.component !== 'ops' && !allowedKeys(this.component, this.edition).has(envVarOf(key)))
        throw new Error(`${envVarOf(key)} is not a key the ${this.component} component reads (catalog configKeys).`);
    }
    return {
      environment: this.environment,
      flags: [...this.emptyKeys].sort().map((key) => `--${key}=`),
      secrets: this.secrets,
      taskStatements: this.taskStatements,
      // assertKnownEnv above proved every one of them is a plain catalog key.
      catalogPlain: Object.keys(this.environment),
    };
  }
}

/** The runtime contract context of a cluster. */
export function contractContextOf(ctx: TtsEnvContext): ContractContext {
  return {
    edition: ctx.config.tts.edition,
    role: ctx.cluster.role,
    interop: ctx.config.ingress.interop,
    timescale: ctx.config.features.timescale,
    served: ctx.served,
    defaultTenantId: ctx.defaultTenantId,
  };
}

/**
 * `TTN_LW_*` configuration of one component (official templates 5-3a/5-4), from the catalog keys only, with its
 * runtime contract applied (listeners, blob files) and checked (required settings): a configuration that would stop
 * the component at start throws here, at synth, naming the setting and its source.
 */
export function ttsContainerConfig(component: ComponentId | 'ops', ctx: TtsEnvContext): TtsContainerConfig {
  const b = new ConfigBuilder(component, ctx.config.tts.edition);
  const contract = component === 'ops' ? undefined : runtimeContractOf(component, contractContextOf(ctx));
  if (contract) applyContract(b, contract, ctx);
  common(b, component, ctx);
  const id = component === 'ops' ? 'is' : component;
  // The ops task runs `is-db` commands: it needs the Identity Server's database and tenancy settings.
  if (component === 'ops' && ctx.cluster.role !== 'primary') return b.done();
  SPECIFIC[id]?.(b, ctx);
  if (contract) requireContract(b, contract);
  return b.done();
}

/** Listener settings and the blob files of the contract (folder keys hold folders, never file names). */
function applyContract(b: ConfigBuilder, contract: RuntimeContract, ctx: TtsEnvContext): void {
  for (const l of contract.listeners) b.plain(l.key, l.value);
  const { buckets, rateLimiting } = ctx.inputs.data;
  for (const f of contract.blobFiles) {
    const bucket = f.bucket === 'plugins' ? rateLimiting?.bucket : buckets[f.bucket];
    if (!bucket) continue;
    b.plain(f.sourceKey, 'blob');
    b.plain(f.bucketKey, bucket.name);
    b.plain(f.folderKey, f.folder);
    b.readBucket(`Read${f.bucket[0].toUpperCase()}${f.bucket.slice(1)}Config`, bucket);
  }
}

/** Throws when a setting the contract requires is missing or has another value. */
function requireContract(b: ConfigBuilder, contract: RuntimeContract): void {
  for (const r of contract.required) {
    const actual = b.valueOf(r.key);
    const ok = r.value === undefined ? b.has(r.key) : actual === r.value;
    if (!ok) {
      throw new Error(
        `The ${contract.component} component needs ${r.key}${r.value === undefined ? '' : ` = "${r.value}"`} ` +
          `(${r.why}; source: ${r.source}), but its configuration has ${actual === undefined ? 'none' : `"${actual}"`}.`,
      );
    }
  }
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
  // Event history (the Console's live data after a reload); the Enterprise Docker reference turns it on.
  b.plain('events.redis.store.enable', true);

  b.plain('blob.provider', 'aws');
  b.plain('blob.aws.region', cluster.region);

  b.secret('cluster.keys', inputs.secrets.clusterKeysArn);
  if (component !== 'ops') b.plain('cluster.address', `${ctx.hostOf(component)}:${INTERNAL_PORTS.grpc}`);
  for (const [key, peer] of CLUSTER_PEERS) {
    const reachable = ctx.served.has(peer) || (peer === 'is' && cluster.role !== 'primary');
    const knownKey = component === 'ops' || configKeysOf(component).includes(key);
    if (reachable && knownKey) b.plain(key, `${ctx.hostOf(peer)}:${INTERNAL_PORTS.grpc}`);
  }

  if (config.multiTenant) b.plain('tenancy.base-domains', ctx.domain);
  if (config.tts.edition === 'enterprise') b.plain('tenancy.default-id', ctx.defaultTenantId);
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
    // LoRaWAN Backend Interfaces in cleartext behind the NLB's TLS listener 8886 (interop.listen: runtime contract).
    // The NLB cannot pass client certificates on, so Packet Broker authenticates with its token (ECS interop guide).
    if (config.ingress.interop) {
      b.plain('interop.packet-broker.enabled', true);
      // The token audience Packet Broker uses: the URL it calls (NLB 8886). Required with the flag above.
      b.plain('interop.public-tls-address', `https://${domain}:8886`);
    }
  },
  gs: (b, { domain }) => {
    // NLB 8887 terminates TLS: without this the GS sees cleartext and tells gateways to use ws:// (semtechws/ws.go).
    b.plain('gs.basic-station.use-traffic-tls-address', true);
    b.plain('gs.mqtt.public-address', `${domain}:1882`);
    b.plain('gs.mqtt.public-tls-address', `${domain}:8882`);
    b.plain('gs.mqtt-v2.public-address', `${domain}:1881`);
    b.plain('gs.mqtt-v2.public-tls-address', `${domain}:8881`);
  },
  ns: (b, { config, cluster }) => {
    b.plain('ns.net-id', config.data.netId);
    b.plain('ns.dev-addr-prefixes', config.data.devAddrPrefixes.join(' '));
    b.plain('ns.cluster-id', cluster.id);
  },
  as: (b, { domain, inputs }) => {
    b.plain('as.mqtt.public-address', `${domain}:1883`);
    b.plain('as.mqtt.public-tls-address', `${domain}:8883`);
    b.plain('as.webhooks.downlink.public-tls-address', https(domain, '/api/v3'));
    // Storage Integration in the TimescaleDB host of features.timescale (Enterprise: the wiring passes it to no other).
    if (inputs.data.timescale) {
      b.plain('as.packages.storage.provider', 'postgres');
      b.secret('as.packages.storage.postgres.database-uri', inputs.data.timescale.uriSecretArn);
    }
  },
  console: (b, { inputs, domain, primaryDomain, served, cluster }) => {
    b.plain('console.oauth.client-id', consoleClientIdOf(cluster));
    b.secret('console.oauth.client-secret', inputs.secrets.consoleOAuthClientSecretArn);
    b.plain('console.oauth.authorize-url', https(primaryDomain, '/oauth/authorize'));
    b.plain('console.oauth.token-url', https(primaryDomain, '/oauth/token'));
    b.plain('console.oauth.logout-url', https(primaryDomain, '/oauth/logout'));
    b.plain('console.ui.canonical-url', https(domain, '/console'));
    b.plain('console.ui.account-url', https(primaryDomain, '/oauth'));
    b.plain('console.ui.is.base-url', https(primaryDomain, '/api/v3'));
    // Login happens on the primary's domain: the OAuth state cookie must come back cross-site (SameSite=None, which
    // browsers accept only on Secure cookies: the router tells TTS that 443 traffic is https).
    if (cluster.role !== 'primary') b.plain('console.oauth.cross-site-cookie', true);
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
    for (const [ui, c] of bases) if (served.has(c)) b.plain(`console.ui.${ui}.base-url`, https(domain, '/api/v3'));
  },
  gcs: (b, { domain }) => {
    b.plain('gcs.basic-station.default.lns-uri', `wss://${domain}:8887`);
    b.plain('gcs.the-things-gateway.default.mqtt-server', `mqtts://${domain}:8881`);
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
  noc: (b, { domain, inputs }) => {
    b.plain('noc.ui.canonical-url', https(domain, '/noc'));
    b.secret('noc.store.database-uri', inputs.data.timescale?.uriSecretArn);
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
