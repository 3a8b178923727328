import { remembered } from '@tts-ecs/core';
import { SourceId, SOURCES } from './sources';

/** `secret` values reach a container only through ECS `secrets` (Secrets Manager / SSM SecureString), never plain env. */
export type ConfigKeyKind = 'plain' | 'secret';

/** One The Things Stack configuration key that tts-ecs may set. */
export interface ConfigKey {
  /** Dotted key as in the configuration reference, e.g. `redis.address`. */
  readonly key: string;
  /** Environment variable the server reads it from, e.g. `TTN_LW_REDIS_ADDRESS`. */
  readonly env: string;
  readonly kind: ConfigKeyKind;
  readonly description: string;
  /** Id of the document or code that proves the key exists (see {@link SOURCES}). */
  readonly source: SourceId;
}

/**
 * The environment variable for a configuration key: `TTN_LW_` + key, upper case, with `.` and `-` turned into `_`
 * (the server's viper replacer, see SOURCES.configManagerCode).
 */
export const envVarOf: (key: string) => string = remembered(
  // Every container of every cluster names its keys again: each key is named once.
  (key: string) => `TTN_LW_${key.replace(/[.-]/g, '_').toUpperCase()}`,
);

type Row = readonly [key: string, kind: ConfigKeyKind, description: string, source: SourceId];

// Every key below was checked against The Things Stack's configuration reference or source (column 4).
// A misspelt key is silently ignored by the server, so nothing may be added here without a source.
const ROWS: readonly Row[] = [
  // General
  ['log.level', 'plain', 'Minimum log level', 'general'],
  ['log.format', 'plain', 'Log format (console or json)', 'general'],
  ['license.key', 'secret', 'License key contents (base64)', 'general'],
  ['grpc.listen', 'plain', 'Address of the plain-text gRPC listener', 'general'],
  ['grpc.listen-tls', 'plain', 'Address of the TLS gRPC listener ("" disables it)', 'sharedDefaultsCode'],
  [
    'grpc.allow-insecure-for-credentials',
    'plain',
    'Allow credentials over plain-text gRPC (inside the VPC only)',
    'general',
  ],
  ['grpc.trusted-proxies', 'plain', 'CIDRs of trusted reverse proxies for gRPC', 'general'],
  ['http.listen', 'plain', 'Address of the plain-text HTTP listener', 'general'],
  ['http.listen-tls', 'plain', 'Address of the HTTPS listener ("" disables it)', 'sharedDefaultsCode'],
  ['http.trusted-proxies', 'plain', 'CIDRs of trusted reverse proxies for HTTP', 'general'],
  ['http.cookie.block-key', 'secret', 'Cookie encryption key, hex (16, 24 or 32 bytes)', 'general'],
  ['http.cookie.hash-key', 'secret', 'Cookie verification key, hex (32 or 64 bytes)', 'general'],
  ['http.metrics.password', 'secret', 'Password of the metrics endpoint (user "metrics")', 'general'],
  ['http.pprof.password', 'secret', 'Password of the pprof endpoint (user "pprof")', 'general'],
  ['interop.listen', 'plain', 'Address of the plain-text LoRaWAN Backend Interfaces listener', 'general'],
  ['interop.listen-tls', 'plain', 'Address of the TLS LoRaWAN Backend Interfaces listener ("" disables it)', 'general'],
  [
    'interop.public-tls-address',
    'plain',
    'Public URL of the interop server; the audience Packet Broker tokens are checked against',
    'interopServerCode',
  ],
  [
    'interop.packet-broker.enabled',
    'plain',
    'Let Packet Broker authenticate to the interop server with its token',
    'interopServerConfigCode',
  ],
  ['key-vault.provider', 'plain', 'Key vault provider (static or aws)', 'general'],
  ['key-vault.aws.region', 'plain', 'AWS region of the Secrets Manager key vault', 'general'],
  ['key-vault.aws.secret-id-prefix', 'plain', 'Secret id prefix of the Secrets Manager key vault', 'general'],
  ['key-vault.static', 'secret', 'Static key encryption keys (id=hex)', 'general'],
  // Redis: general, cache and events purposes share one type (SOURCES.redisConfigCode)
  ['redis.address', 'plain', 'Address (host:port) of the general Redis', 'general'],
  ['redis.password', 'secret', 'AUTH token of the general Redis', 'general'],
  ['redis.namespace', 'plain', 'Key namespace in the general Redis', 'general'],
  ['redis.tls.require', 'plain', 'Require TLS to the general Redis', 'general'],
  ['cache.service', 'plain', 'Cache backend (redis)', 'general'],
  ['cache.redis.address', 'plain', 'Address of the cache Redis', 'general'],
  ['cache.redis.password', 'secret', 'AUTH token of the cache Redis', 'general'],
  ['cache.redis.tls.require', 'plain', 'Require TLS to the cache Redis', 'redisConfigCode'],
  ['events.backend', 'plain', 'Events backend (internal, redis, cloud)', 'general'],
  ['events.redis.address', 'plain', 'Address of the events Redis', 'general'],
  ['events.redis.password', 'secret', 'AUTH token of the events Redis', 'general'],
  ['events.redis.tls.require', 'plain', 'Require TLS to the events Redis', 'general'],
  ['events.redis.store.enable', 'plain', 'Enable the Redis events store', 'general'],
  // Blob storage
  ['blob.provider', 'plain', 'Blob store provider (local, aws, gcp, azure)', 'general'],
  ['blob.aws.region', 'plain', 'S3 region', 'general'],
  // Cluster
  [
    'cluster.keys',
    'secret',
    'Hex keys that cluster components authenticate with; the first identifies this cluster',
    'general',
  ],
  ['cluster.address', 'plain', 'Address to use for cluster communication', 'general'],
  ['cluster.tls', 'plain', 'Do cluster gRPC over TLS', 'general'],
  ['cluster.identity-server', 'plain', 'Address of the Identity Server', 'general'],
  ['cluster.gateway-server', 'plain', 'Address of the Gateway Server', 'general'],
  ['cluster.network-server', 'plain', 'Address of the Network Server', 'general'],
  ['cluster.application-server', 'plain', 'Address of the Application Server', 'general'],
  ['cluster.join-server', 'plain', 'Address of the Join Server', 'general'],
  ['cluster.packet-broker-agent', 'plain', 'Address of the Packet Broker Agent', 'general'],
  ['cluster.device-repository', 'plain', 'Address of the Device Repository', 'general'],
  // Tenancy and rate limiting
  ['tenancy.base-domains', 'plain', 'Base domains for tenant id inference', 'general'],
  ['tenancy.default-id', 'plain', 'Default tenant id', 'general'],
  ['tenancy.ttl', 'plain', 'TTL of cached tenant configurations', 'general'],
  ['rate-limiting.config-source', 'plain', 'Source of rate-limiting.yml (directory, url, blob)', 'general'],
  ['rate-limiting.blob.bucket', 'plain', 'Bucket of the rate limiting configuration', 'general'],
  ['rate-limiting.blob.path', 'plain', 'Folder of rate-limiting.yml in the bucket', 'fetchBucketCode'],
  // Identity Server
  ['is.database-uri', 'secret', 'PostgreSQL connection URI (holds the password)', 'identityServer'],
  ['is.read-database-uri', 'secret', 'Read-only PostgreSQL connection URI', 'identityServer'],
  ['is.email.provider', 'plain', 'Email provider (sendgrid, smtp, dir)', 'identityServer'],
  ['is.email.sendgrid.api-key', 'secret', 'SendGrid API key', 'identityServer'],
  ['is.email.smtp.address', 'plain', 'SMTP server address (host:port)', 'identityServer'],
  ['is.email.smtp.username', 'secret', 'SMTP user name', 'identityServer'],
  ['is.email.smtp.password', 'secret', 'SMTP password', 'identityServer'],
  ['is.email.sender-address', 'plain', 'Sender address of emails', 'identityServer'],
  ['is.email.sender-name', 'plain', 'Sender name of emails', 'identityServer'],
  ['is.email.network.name', 'plain', 'Network name in emails', 'identityServer'],
  ['is.email.network.console-url', 'plain', 'Console URL in emails', 'identityServer'],
  ['is.email.network.identity-server-url', 'plain', 'Identity Server URL in emails', 'identityServer'],
  ['is.oauth.ui.canonical-url', 'plain', 'Canonical URL of the OAuth UI (https://domain/oauth)', 'identityServer'],
  ['is.oauth.ui.is.base-url', 'plain', 'Base URL of the HTTP API for the OAuth UI', 'identityServer'],
  ['is.oauth.ui.console-url', 'plain', 'URL of the Console root', 'identityServer'],
  ['is.profile-picture.bucket', 'plain', 'Bucket of profile pictures', 'identityServer'],
  ['is.profile-picture.bucket-url', 'plain', 'Public base URL of the profile pictures bucket', 'identityServer'],
  ['is.end-device-picture.bucket', 'plain', 'Bucket of end device pictures', 'identityServer'],
  ['is.end-device-picture.bucket-url', 'plain', 'Public base URL of the end device pictures bucket', 'identityServer'],
  ['is.tenancy.admin-keys', 'secret', 'Tenant administration keys, hex', 'identityServer'],
  ['is.gateways.encryption-key-id', 'plain', 'Key vault id of the gateway secrets encryption key', 'identityServer'],
  ['is.network.net-id', 'plain', 'NetID (equal to ns.net-id)', 'identityServer'],
  // Network Server
  ['ns.net-id', 'plain', 'NetID of the Network Server', 'networkServer'],
  ['ns.dev-addr-prefixes', 'plain', 'DevAddr prefixes of the Network Server', 'networkServer'],
  ['ns.cluster-id', 'plain', 'Cluster id added to forwarded messages', 'networkServer'],
  [
    'ns.interop.config-source',
    'plain',
    'Source of the interop client configuration (directory, url, blob)',
    'networkServer',
  ],
  ['ns.interop.blob.bucket', 'plain', 'Bucket of the interop client configuration', 'networkServer'],
  [
    'ns.interop.blob.path',
    'plain',
    'Folder of the interop client configuration (config.yml) in the bucket',
    'fetchBucketCode',
  ],
  // Application Server
  ['as.mqtt.public-address', 'plain', 'Public address of the MQTT frontend', 'applicationServer'],
  ['as.mqtt.public-tls-address', 'plain', 'Public address of the MQTTS frontend', 'applicationServer'],
  ['as.webhooks.downlink.public-address', 'plain', 'Public HTTP address for webhook downlinks', 'applicationServer'],
  [
    'as.webhooks.downlink.public-tls-address',
    'plain',
    'Public HTTPS address for webhook downlinks',
    'applicationServer',
  ],
  ['as.interop.config-source', 'plain', 'Source of the AS interop client configuration', 'applicationServer'],
  ['as.interop.blob.bucket', 'plain', 'Bucket of the AS interop client configuration', 'applicationServer'],
  ['as.interop.blob.path', 'plain', 'Folder of the AS interop client configuration in the bucket', 'applicationServer'],
  ['as.mqtt.listen', 'plain', 'Address of the MQTT frontend', 'applicationServer'],
  ['as.mqtt.listen-tls', 'plain', 'Address of the MQTTS frontend ("" disables it)', 'applicationServer'],
  ['as.packages.storage.provider', 'plain', 'Storage Integration backend (postgres)', 'storageIntegrationDocs'],
  [
    'as.packages.storage.postgres.database-uri',
    'secret',
    'Storage Integration database URI (TimescaleDB)',
    'storageIntegrationDocs',
  ],
  // Join Server
  ['js.join-eui-prefix', 'plain', 'JoinEUI prefixes handled by the Join Server', 'joinServer'],
  // Gateway Server
  ['gs.mqtt.public-address', 'plain', 'Public address of the gateway MQTT frontend', 'gatewayServer'],
  ['gs.mqtt.public-tls-address', 'plain', 'Public address of the gateway MQTTS frontend', 'gatewayServer'],
  ['gs.mqtt-v2.public-address', 'plain', 'Public address of the MQTT v2 frontend', 'gatewayServer'],
  ['gs.mqtt-v2.public-tls-address', 'plain', 'Public address of the MQTT v2 TLS frontend', 'gatewayServer'],
  ['gs.mqtt.listen', 'plain', 'Address of the gateway MQTT frontend', 'gatewayServer'],
  ['gs.mqtt.listen-tls', 'plain', 'Address of the gateway MQTTS frontend ("" disables it)', 'gatewayServer'],
  ['gs.mqtt-v2.listen', 'plain', 'Address of the MQTT v2 frontend', 'gatewayServer'],
  ['gs.mqtt-v2.listen-tls', 'plain', 'Address of the MQTT v2 TLS frontend ("" disables it)', 'gatewayServer'],
  ['gs.basic-station.listen', 'plain', 'Address of the Basic Station frontend', 'gatewayServer'],
  [
    'gs.basic-station.listen-tls',
    'plain',
    'Address of the Basic Station TLS frontend ("" disables it)',
    'gatewayServer',
  ],
  [
    'gs.basic-station.use-traffic-tls-address',
    'plain',
    'Advertise wss:// to Basic Station gateways although TLS ended before the GS',
    'basicStationConfigCode',
  ],
  ['gs.ttigw.listen', 'plain', 'Address of The Things Industries gateway frontend', 'gatewayServerDefaultsCode'],
  [
    'gs.ttigw.listen-tls',
    'plain',
    'Address of The Things Industries gateway TLS frontend ("" disables it)',
    'gatewayServerDefaultsCode',
  ],
  ['gs.tabs-hubs.listen-tls', 'plain', 'Address of the Tabs hubs TLS frontend ("" disables it)', 'dockerProxy'],
  // Gateway Configuration Server
  [
    'gcs.basic-station.default.lns-uri',
    'plain',
    'Default LNS URI handed to Basic Station gateways',
    'gatewayConfigurationServer',
  ],
  [
    'gcs.the-things-gateway.default.mqtt-server',
    'plain',
    'Default MQTT server of The Things Kickstarter Gateway',
    'gatewayConfigurationServer',
  ],
  // Console
  ['console.oauth.client-id', 'plain', 'OAuth client id of the Console', 'console'],
  ['console.oauth.client-secret', 'secret', 'OAuth client secret of the Console', 'console'],
  ['console.oauth.authorize-url', 'plain', 'OAuth authorize URL', 'console'],
  ['console.oauth.token-url', 'plain', 'OAuth token URL', 'console'],
  ['console.oauth.logout-url', 'plain', 'OAuth logout URL', 'console'],
  ['console.oauth.cross-site-cookie', 'plain', 'Cross-origin OAuth state cookie (multi-cluster)', 'console'],
  ['console.ui.canonical-url', 'plain', 'Canonical URL of the Console', 'console'],
  ['console.ui.account-url', 'plain', 'URL of the Account app', 'console'],
  ['console.ui.is.base-url', 'plain', 'Identity Server API base URL', 'console'],
  ['console.ui.gs.base-url', 'plain', 'Gateway Server API base URL', 'console'],
  ['console.ui.ns.base-url', 'plain', 'Network Server API base URL', 'console'],
  ['console.ui.as.base-url', 'plain', 'Application Server API base URL', 'console'],
  ['console.ui.js.base-url', 'plain', 'Join Server API base URL', 'console'],
  ['console.ui.gcs.base-url', 'plain', 'Gateway Configuration Server API base URL', 'console'],
  ['console.ui.qrg.base-url', 'plain', 'QR Code Generator API base URL', 'console'],
  ['console.ui.edtc.base-url', 'plain', 'End Device Template Converter API base URL', 'console'],
  ['console.ui.dcs.base-url', 'plain', 'Device Claiming Server API base URL', 'enterpriseDockerExample'],
  ['console.ui.noc.base-url', 'plain', 'Network Operations Center API base URL', 'enterpriseDockerExample'],
  // Device Claiming Server
  ['dcs.edcs.source', 'plain', 'Source of the Join Server claiming configuration', 'deviceClaimingServer'],
  ['dcs.edcs.blob.bucket', 'plain', 'Bucket of the Join Server claiming configuration', 'deviceClaimingServer'],
  ['dcs.edcs.blob.path', 'plain', 'Folder of the claiming configuration (config.yml) in the bucket', 'fetchBucketCode'],
  // Packet Broker Agent
  ['pba.authentication-mode', 'plain', 'Authentication mode (oauth2)', 'packetBrokerAgent'],
  ['pba.oauth2.client-id', 'secret', 'Packet Broker API key id', 'packetBrokerAgent'],
  ['pba.oauth2.client-secret', 'secret', 'Packet Broker API secret key', 'packetBrokerAgent'],
  ['pba.net-id', 'plain', 'LoRa Alliance NetID', 'packetBrokerAgent'],
  ['pba.tenant-id', 'plain', 'Tenant id within the NetID', 'packetBrokerAgent'],
  ['pba.cluster-id', 'plain', 'Packet Broker cluster id', 'packetBrokerAgent'],
  ['pba.forwarder.enable', 'plain', 'Enable the Forwarder role', 'packetBrokerAgent'],
  ['pba.forwarder.token-key', 'secret', 'AES key that encrypts the uplink token', 'packetBrokerAgent'],
  ['pba.home-network.enable', 'plain', 'Enable the Home Network role', 'packetBrokerAgent'],
  ['pba.home-network.dev-addr-prefixes', 'plain', 'DevAddr prefixes to subscribe to', 'packetBrokerAgent'],
  // Network Operations Center (Enterprise)
  ['noc.ui.canonical-url', 'plain', 'Canonical URL of the NOC', 'enterpriseDockerExample'],
  ['noc.oauth.client-id', 'plain', 'OAuth client id of the NOC', 'networkOperationsCenter'],
  ['noc.oauth.client-secret', 'secret', 'OAuth client secret of the NOC', 'networkOperationsCenter'],
  ['noc.oauth.authorize-url', 'plain', 'OAuth authorize URL', 'networkOperationsCenter'],
  ['noc.oauth.token-url', 'plain', 'OAuth token URL', 'networkOperationsCenter'],
  ['noc.oauth.logout-url', 'plain', 'OAuth logout URL', 'networkOperationsCenter'],
  ['noc.store.database-uri', 'secret', 'TimescaleDB connection URI', 'nocDatabaseDocs'],
  ['noc.grafana.target-url', 'plain', 'Internal URL of Grafana', 'networkOperationsCenter'],
  ['noc.grafana.admin-password', 'secret', 'Grafana admin password', 'networkOperationsCenter'],
  [
    'noc.grafana.noc-address',
    'plain',
    'Internal host:port of the NOC for the Grafana data source',
    'networkOperationsCenter',
  ],
  // Tenant Billing Server (Enterprise)
  [
    'tbs.tenant-admin-key',
    'secret',
    'Tenant administration key configured in the Identity Server',
    'tenantBillingServer',
  ],
  ['tbs.stripe.enable', 'plain', 'Enable the Stripe backend', 'tenantBillingServer'],
  ['tbs.stripe.api-key', 'secret', 'Stripe secret API key', 'tenantBillingServer'],
  ['tbs.stripe.endpoint-secret-key', 'secret', 'Stripe webhook signing secret', 'tenantBillingServer'],
];

/** Every configuration key tts-ecs may set, in reference order. */
export const CONFIG_KEYS: readonly ConfigKey[] = ROWS.map(([key, kind, description, source]) => ({
  key,
  env: envVarOf(key),
  kind,
  description,
  source,
}));

const BY_KEY = new Map(CONFIG_KEYS.map((k) => [k.key, k]));
const BY_ENV = new Map(CONFIG_KEYS.map((k) => [k.env, k]));

/** Whether `key` is in {@link CONFIG_KEYS}. */
export function isKnownConfigKey(key: string): boolean {
  return BY_KEY.has(key);
}

/** The catalog entry of `key`; throws naming the key when it is not in the catalog. */
export function configKey(key: string): ConfigKey {
  const found = BY_KEY.get(key);
  if (!found)
    throw new Error(`Unknown The Things Stack configuration key "${key}". Add it to CONFIG_KEYS with a source first.`);
  return found;
}

/**
 * Throws when `env` holds a `TTN_LW_` variable that no catalog key maps to (a misspelt key is silently ignored by
 * the server), or holds a secret key as a plain value. Variables without the `TTN_LW_` prefix are not checked.
 */
export function assertKnownEnv(env: Record<string, string>, options: { allowSecrets?: boolean } = {}): void {
  for (const name of Object.keys(env)) {
    if (!name.startsWith('TTN_LW_')) continue;
    const entry = BY_ENV.get(name);
    if (!entry) {
      throw new Error(
        `Unknown The Things Stack environment variable ${name}: no key of CONFIG_KEYS maps to it. ` +
          'Check the spelling against the configuration reference, or add the key with its source.',
      );
    }
    if (entry.kind === 'secret' && !options.allowSecrets) {
      throw new Error(`${name} (${entry.key}) is a secret: pass it through ECS secrets, not plain environment.`);
    }
  }
}

/** URL of the document or code that proves `key` exists. */
export function sourceOf(key: string): string {
  return SOURCES[configKey(key).source];
}
