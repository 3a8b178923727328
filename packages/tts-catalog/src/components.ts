import { remembered } from '@tts-ecs/core';
import { SourceId } from './sources';

/** The Things Stack components tts-ecs can run, one ECS service each. */
export type ComponentId =
  'is' | 'gs' | 'ns' | 'as' | 'js' | 'console' | 'gcs' | 'dcs' | 'pba' | 'dtc' | 'qrg' | 'dr' | 'noc' | 'tbs';

/** Open Source (`ttn-lw-stack`) or Enterprise (`tti-lw-stack`, licensed). Enterprise has every Open Source component. */
export type Edition = 'open-source' | 'enterprise';

/** Internal ports every component listens on inside the VPC (cleartext; TLS terminates at the NLB). */
export const INTERNAL_PORTS = { grpc: 1884, http: 1885 } as const;

/** A port the NLB exposes for a component. */
export interface PublicPort {
  /** Listener name, unique per component, usable in resource ids. */
  readonly name: string;
  /** Port on the NLB. */
  readonly port: number;
  readonly protocol: 'tcp' | 'udp';
  /** The NLB terminates TLS on this port (ACM certificate) and forwards cleartext. */
  readonly tls: boolean;
  /** Port the container listens on. */
  readonly containerPort: number;
  /** Keep the client's source IP (gateways and MQTT clients are identified and rate limited by it). */
  readonly preserveClientIp: boolean;
  /** Editions that serve this port. @default every edition of the component */
  readonly editions?: readonly Edition[];
}

/** Fargate task size. */
export interface TaskSize {
  readonly cpu: number;
  readonly memoryMiB: number;
}

export interface ComponentSpec {
  readonly id: ComponentId;
  readonly name: string;
  /** Arguments after `<binary> start`, e.g. `['gs']`. */
  readonly start: readonly string[];
  readonly editions: readonly Edition[];
  /** Serves gRPC on {@link INTERNAL_PORTS}.grpc. */
  readonly grpc: boolean;
  /** Serves HTTP on {@link INTERNAL_PORTS}.http. */
  readonly http: boolean;
  /** Ports reached directly through the NLB, not through the HTTP/gRPC router. */
  readonly publicPorts: readonly PublicPort[];
  /**
   * Components whose services this component's process starts as well (`start dcs` also starts DTC and QRG,
   * SOURCES.startCommandCode332): while it runs, they need no service of their own. @default none
   */
  readonly alsoStarts?: readonly ComponentId[];
  /** Runs only in the primary cluster; secondaries reach it over the network. */
  readonly primaryOnly: boolean;
  /** Started in a default deployment; others are opt-in. */
  readonly defaultIncluded: boolean;
  readonly defaultSize: TaskSize;
  /** Configuration keys this component needs beyond {@link COMMON_CONFIG_KEYS}. */
  readonly configKeys: readonly string[];
  /** Facts in this entry that could not be confirmed from a public source (empty when all are confirmed). */
  readonly assumptions: readonly string[];
  readonly source: SourceId;
}

const BOTH: readonly Edition[] = ['open-source', 'enterprise'];
const ENTERPRISE: readonly Edition[] = ['enterprise'];

function plainAndTls(name: string, plain: number, tls: number, preserveClientIp: boolean): PublicPort[] {
  return [
    { name, port: plain, protocol: 'tcp', tls: false, containerPort: plain, preserveClientIp },
    { name: `${name}-tls`, port: tls, protocol: 'tcp', tls: true, containerPort: plain, preserveClientIp },
  ];
}

/** Keys every component reads: cluster membership, Redis, events, cookies, metrics, blob, tenancy, rate limiting. */
export const COMMON_CONFIG_KEYS: readonly string[] = [
  'log.format',
  'license.key',
  'grpc.allow-insecure-for-credentials',
  'http.trusted-proxies',
  'grpc.trusted-proxies',
  'http.cookie.block-key',
  'http.cookie.hash-key',
  'http.metrics.password',
  'http.pprof.password',
  'redis.address',
  'redis.password',
  'redis.tls.require',
  'redis.namespace',
  'cache.service',
  'cache.redis.address',
  'cache.redis.password',
  'cache.redis.tls.require',
  'events.backend',
  'events.redis.address',
  'events.redis.password',
  'events.redis.tls.require',
  'blob.provider',
  'blob.aws.region',
  'cluster.keys',
  'cluster.address',
  'cluster.tls',
  'cluster.identity-server',
  'cluster.gateway-server',
  'cluster.network-server',
  'cluster.application-server',
  'cluster.join-server',
  'tenancy.base-domains',
  'tenancy.default-id',
  'tenancy.ttl',
  'rate-limiting.config-source',
  'rate-limiting.blob.bucket',
  'rate-limiting.blob.path',
];

const SMALL: TaskSize = { cpu: 256, memoryMiB: 512 };
const MEDIUM: TaskSize = { cpu: 512, memoryMiB: 1024 };
const LARGE: TaskSize = { cpu: 1024, memoryMiB: 2048 };

type Defaults = Pick<ComponentSpec, 'grpc' | 'http' | 'publicPorts' | 'primaryOnly' | 'assumptions'>;
const DEFAULTS: Defaults = {
  grpc: true,
  http: true,
  publicPorts: [],
  primaryOnly: false,
  assumptions: [],
};

function spec(s: Omit<ComponentSpec, keyof Defaults> & Partial<Defaults>): ComponentSpec {
  return { ...DEFAULTS, ...s };
}

/** The component catalog, in the order services are usually deployed. */
export const COMPONENTS: readonly ComponentSpec[] = [
  spec({
    id: 'is',
    name: 'Identity Server',
    start: ['is'],
    editions: BOTH,
    primaryOnly: true,
    defaultIncluded: true,
    defaultSize: LARGE,
    source: 'ecsDeployment',
    // LoRaWAN Backend Interfaces: the Identity Server answers NetID/NSID look-ups (RegisterInterop in start.go).
    publicPorts: [
      { name: 'interop', port: 8886, protocol: 'tcp', tls: true, containerPort: 1886, preserveClientIp: false },
    ],
    configKeys: [
      'is.database-uri',
      'is.read-database-uri',
      'is.email.provider',
      'is.email.sendgrid.api-key',
      'is.email.smtp.address',
      'is.email.smtp.username',
      'is.email.smtp.password',
      'is.email.sender-address',
      'is.email.sender-name',
      'is.email.network.name',
      'is.email.network.console-url',
      'is.email.network.identity-server-url',
      'is.oauth.ui.canonical-url',
      'is.oauth.ui.is.base-url',
      'is.oauth.ui.console-url',
      'is.profile-picture.bucket',
      'is.profile-picture.bucket-url',
      'is.end-device-picture.bucket',
      'is.end-device-picture.bucket-url',
      'is.tenancy.admin-keys',
      'is.gateways.encryption-key-id',
      'is.network.net-id',
      'key-vault.provider',
      'key-vault.aws.region',
      'key-vault.aws.secret-id-prefix',
      'interop.listen',
    ],
    assumptions: [
      'The public interop port (8886) targets the Identity Server, as the ECS templates did after 3.24 (InteropEnabledIS).',
    ],
  }),
  spec({
    id: 'gs',
    name: 'Gateway Server',
    start: ['gs'],
    editions: BOTH,
    defaultIncluded: true,
    defaultSize: LARGE,
    source: 'gatewayServer',
    publicPorts: [
      // Semtech UDP has no TLS; since TTS 3.26 the ordinary GS serves it behind an `ip` target group.
      { name: 'udp', port: 1700, protocol: 'udp', tls: false, containerPort: 1700, preserveClientIp: true },
      ...plainAndTls('mqtt-v2', 1881, 8881, true),
      ...plainAndTls('mqtt', 1882, 8882, true),
      // Basic Station: TLS only. The GS tells every gateway to use wss:// (use-traffic-tls-address, runtime contract),
      // so a plain 1887 listener would send gateways to a TLS address that is not there.
      plainAndTls('basic-station', 1887, 8887, true)[1],
      // No 8889 (The Things Industries Gateway Protocol): it needs a proxy that terminates mutual TLS and forwards the
      // client certificate to the GS on 1889 (ECS changelog 3.32.0); the NLB cannot. See the runtime contract.
    ],
    configKeys: [
      'gs.mqtt.public-address',
      'gs.mqtt.public-tls-address',
      'gs.mqtt-v2.public-address',
      'gs.mqtt-v2.public-tls-address',
      'cluster.packet-broker-agent',
      'key-vault.provider',
      'key-vault.aws.region',
      'key-vault.aws.secret-id-prefix',
    ],
  }),
  spec({
    id: 'ns',
    name: 'Network Server',
    start: ['ns'],
    editions: BOTH,
    defaultIncluded: true,
    defaultSize: LARGE,
    source: 'networkServer',
    configKeys: [
      'ns.net-id',
      'ns.dev-addr-prefixes',
      'ns.cluster-id',
      'ns.interop.config-source',
      'ns.interop.blob.bucket',
      'ns.interop.blob.path',
      'cluster.packet-broker-agent',
    ],
  }),
  spec({
    id: 'as',
    name: 'Application Server',
    start: ['as'],
    editions: BOTH,
    defaultIncluded: true,
    defaultSize: LARGE,
    source: 'ecsDeployment',
    publicPorts: plainAndTls('mqtt', 1883, 8883, true),
    configKeys: [
      'as.mqtt.public-address',
      'as.mqtt.public-tls-address',
      'as.webhooks.downlink.public-address',
      'as.webhooks.downlink.public-tls-address',
      'as.interop.config-source',
      'as.interop.blob.bucket',
      'cluster.device-repository',
      'as.packages.storage.provider',
      'as.packages.storage.postgres.database-uri',
    ],
  }),
  spec({
    id: 'js',
    name: 'Join Server',
    start: ['js'],
    editions: BOTH,
    defaultIncluded: true,
    defaultSize: MEDIUM,
    source: 'joinServer',
    configKeys: ['js.join-eui-prefix', 'key-vault.provider', 'key-vault.aws.region', 'key-vault.aws.secret-id-prefix'],
  }),
  spec({
    id: 'console',
    name: 'Console',
    start: ['console'],
    editions: BOTH,
    defaultIncluded: true,
    defaultSize: SMALL,
    source: 'console',
    configKeys: [
      'console.oauth.client-id',
      'console.oauth.client-secret',
      'console.oauth.authorize-url',
      'console.oauth.token-url',
      'console.oauth.logout-url',
      'console.oauth.cross-site-cookie',
      'console.ui.canonical-url',
      'console.ui.account-url',
      'console.ui.is.base-url',
      'console.ui.gs.base-url',
      'console.ui.ns.base-url',
      'console.ui.as.base-url',
      'console.ui.js.base-url',
      'console.ui.gcs.base-url',
      'console.ui.qrg.base-url',
      'console.ui.edtc.base-url',
      'console.ui.dcs.base-url',
    ],
  }),
  spec({
    id: 'gcs',
    name: 'Gateway Configuration Server',
    start: ['gcs'],
    editions: BOTH,
    defaultIncluded: true,
    defaultSize: SMALL,
    source: 'gatewayConfigurationServer',
    configKeys: ['gcs.basic-station.default.lns-uri', 'gcs.the-things-gateway.default.mqtt-server'],
  }),
  spec({
    id: 'dcs',
    name: 'Device Claiming Server',
    start: ['dcs'],
    editions: BOTH,
    defaultIncluded: true,
    defaultSize: SMALL,
    source: 'deviceClaimingServer',
    alsoStarts: ['dtc', 'qrg'],
    configKeys: ['cluster.device-repository', 'dcs.edcs.source', 'dcs.edcs.blob.bucket', 'dcs.edcs.blob.path'],
  }),
  spec({
    id: 'pba',
    name: 'Packet Broker Agent',
    start: ['pba'],
    editions: BOTH,
    defaultIncluded: false,
    defaultSize: MEDIUM,
    source: 'packetBrokerAgent',
    configKeys: [
      'pba.authentication-mode',
      'pba.oauth2.client-id',
      'pba.oauth2.client-secret',
      'pba.net-id',
      'pba.tenant-id',
      'pba.cluster-id',
      'pba.forwarder.enable',
      'pba.forwarder.token-key',
      'pba.home-network.enable',
      'pba.home-network.dev-addr-prefixes',
    ],
    assumptions: ['More than one task is safe: pba.cluster-id is documented as splitting traffic over several agents.'],
  }),
  spec({
    id: 'dtc',
    name: 'End Device Template Converter',
    start: ['dtc'],
    editions: BOTH,
    defaultIncluded: true,
    defaultSize: SMALL,
    source: 'startCommandCode',
    configKeys: ['cluster.device-repository'],
  }),
  spec({
    id: 'qrg',
    name: 'QR Code Generator',
    start: ['qrg'],
    editions: BOTH,
    defaultIncluded: true,
    defaultSize: SMALL,
    source: 'startCommandCode',
    configKeys: [],
  }),
  spec({
    id: 'dr',
    name: 'Device Repository',
    start: ['dr'],
    editions: BOTH,
    defaultIncluded: true,
    defaultSize: SMALL,
    source: 'startCommandCode',
    configKeys: [],
    assumptions: [
      'The ECS templates do not list a Device Repository service; the Console needs one for device templates.',
    ],
  }),
  spec({
    id: 'noc',
    name: 'Network Operations Center',
    start: ['noc'],
    editions: ENTERPRISE,
    defaultIncluded: false,
    defaultSize: MEDIUM,
    source: 'networkOperationsCenter',
    configKeys: [
      'noc.ui.canonical-url',
      'noc.oauth.client-id',
      'noc.oauth.client-secret',
      'noc.oauth.authorize-url',
      'noc.oauth.token-url',
      'noc.oauth.logout-url',
      'noc.store.database-uri',
      'noc.grafana.target-url',
      'noc.grafana.admin-password',
      'noc.grafana.noc-address',
    ],
    assumptions: ['`start noc` matches the `noc.` configuration prefix; the Enterprise start command is not public.'],
  }),
  spec({
    id: 'tbs',
    name: 'Tenant Billing Server',
    start: ['tbs'],
    editions: ENTERPRISE,
    defaultIncluded: false,
    defaultSize: SMALL,
    primaryOnly: true,
    source: 'tenantBillingServer',
    configKeys: ['tbs.tenant-admin-key', 'tbs.stripe.enable', 'tbs.stripe.api-key', 'tbs.stripe.endpoint-secret-key'],
    assumptions: [
      '`start tbs` matches the `tbs.` configuration prefix; the Enterprise start command is not public.',
      'Singleton and primary-only: it pulls metering on an interval and talks to the Identity Server with a tenant admin key.',
    ],
  }),
];

const BY_ID = new Map(COMPONENTS.map((c) => [c.id, c]));

/** The catalog entry of `id`; throws naming the valid ids when unknown. */
export function componentOf(id: string): ComponentSpec {
  const found = BY_ID.get(id as ComponentId);
  if (!found)
    throw new Error(
      `Unknown The Things Stack component "${id}". Use one of: ${COMPONENTS.map((c) => c.id).join(', ')}.`,
    );
  return found;
}

/** Components available in `edition`. */
export function componentsOf(edition: Edition): readonly ComponentSpec[] {
  return COMPONENTS.filter((c) => c.editions.includes(edition));
}

/** The server binary of an edition. */
export function binaryOf(edition: Edition): string {
  return edition === 'enterprise' ? 'tti-lw-stack' : 'ttn-lw-stack';
}

/** Container command for a component: `<binary> start <args>`. */
export function startCommandOf(id: ComponentId, edition: Edition): string[] {
  const c = componentOf(id);
  if (!c.editions.includes(edition)) {
    throw new Error(
      `The ${c.name} (${id}) is not part of The Things Stack ${edition}; it needs: ${c.editions.join(', ')}.`,
    );
  }
  return [binaryOf(edition), 'start', ...c.start];
}

/** Every configuration key a component reads: the common keys then its own. */
export const configKeysOf: (id: ComponentId) => readonly string[] = remembered(
  // Built once per component and shared (frozen): composition asks for every peer of every container of every cluster.
  (id: ComponentId) => Object.freeze([...new Set([...COMMON_CONFIG_KEYS, ...componentOf(id).configKeys])]),
);
