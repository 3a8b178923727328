import { ComponentId, Edition, INTERNAL_PORTS } from './components';
import { SourceId } from './sources';

/**
 * The runtime contract of each The Things Stack component behind our load balancers, as data: the listeners it opens
 * (TLS ends at the NLB or the router, so every TLS listener is off), the files it reads from S3 at start, the settings
 * it cannot run without, its health check and how many tasks may run. Every row names the TTS source or doc page it
 * comes from (see SOURCES). The composition applies the listener rows and checks the rest; tests assert every row on
 * the synthesized task definitions, so a container that would exit at start cannot be planned unnoticed.
 */

/** What a deployment decides that changes a contract. */
export interface ContractContext {
  readonly edition: Edition;
  readonly role: 'primary' | 'secondary';
  /** `ingress.interop`: the Identity Server serves LoRaWAN Backend Interfaces behind the NLB's TLS listener 8886. */
  readonly interop: boolean;
  /** `features.timescale`: the data layer runs a TimescaleDB host (Enterprise: AS Storage Integration, NOC). */
  readonly timescale: boolean;
  /** Components whose services run in this cluster, counting those another component's process starts. */
  readonly served: ReadonlySet<ComponentId>;
  /** `tenancy.default-id` (Enterprise). */
  readonly defaultTenantId: string;
}

/** A setting with the exact value a component must run with. */
export interface ExactSetting {
  readonly key: string;
  /** `''` switches a listener off (empty environment values count: SOURCES.emptyEnvCode). */
  readonly value: string;
  readonly why: string;
  readonly source: SourceId;
}

/** A setting that must be present; `value` undefined means any value (secrets, addresses). */
export interface RequiredSetting {
  readonly key: string;
  readonly value?: string;
  readonly why: string;
  readonly source: SourceId;
}

/** A file a component reads at start from S3 through `<prefix>` blob settings: `<bucket>/<folder>/<file>`. */
export interface BlobFile {
  /** Key that selects the source, set to `blob` (e.g. `ns.interop.config-source`). */
  readonly sourceKey: string;
  readonly bucketKey: string;
  /** Key of the folder (never the file: SOURCES.fetchBucketCode joins folder and file name). */
  readonly folderKey: string;
  /** Folder in the bucket; `''` is the bucket root. */
  readonly folder: string;
  readonly file: string;
  /** Which data-layer bucket holds it. */
  readonly bucket: 'interop' | 'edcs' | 'plugins';
  readonly source: SourceId;
}

export interface HealthCheckContract {
  /** Container health check (exec form); the image ships curl. */
  readonly command: readonly string[];
  /** Load balancer check: HTTP GET of `path` on `port`. */
  readonly port: number;
  readonly path: string;
  readonly source: SourceId;
  /** What the source does not confirm, for operators to check. */
  readonly assumption: string;
}

export interface RuntimeContract {
  readonly component: ComponentId;
  readonly listeners: readonly ExactSetting[];
  readonly blobFiles: readonly BlobFile[];
  readonly required: readonly RequiredSetting[];
  readonly healthCheck: HealthCheckContract;
  /** Most tasks that may run at once. */
  readonly maxTasks: number;
  /** Why {@link maxTasks} is 1, with its source; undefined when the component scales out. */
  readonly singletonBecause?: { readonly why: string; readonly source: SourceId };
}

type Applies = 'all' | readonly ComponentId[] | { readonly allBut: readonly ComponentId[] };
type Value = string | ((ctx: ContractContext) => string);
interface Row {
  readonly components: Applies;
  readonly editions?: readonly Edition[];
  readonly when?: (ctx: ContractContext) => boolean;
  readonly key: string;
  readonly value?: Value;
  readonly why: string;
  readonly source: SourceId;
}

const OFF = '';
const port = (n: number): string => `:${n}`;
const TLS_OFF = 'TLS ends at the NLB or router; without a certificate file the listener fails the start';

/** Listener settings. Defaults: SOURCES.sharedDefaultsCode, gatewayServerDefaultsCode, applicationServerDefaultsCode. */
const LISTENERS: readonly Row[] = [
  {
    components: 'all',
    key: 'grpc.listen',
    value: port(INTERNAL_PORTS.grpc),
    why: 'cluster peers and the router',
    source: 'sharedDefaultsCode',
  },
  { components: 'all', key: 'grpc.listen-tls', value: OFF, why: TLS_OFF, source: 'componentStartCode' },
  {
    components: 'all',
    key: 'http.listen',
    value: port(INTERNAL_PORTS.http),
    why: 'router, /healthz and /metrics',
    source: 'sharedDefaultsCode',
  },
  { components: 'all', key: 'http.listen-tls', value: OFF, why: TLS_OFF, source: 'componentStartCode' },
  {
    components: ['is'],
    key: 'interop.listen',
    value: (ctx) => (ctx.interop ? port(1886) : OFF),
    why: 'the Identity Server answers LoRaWAN Backend Interfaces behind NLB 8886 when ingress.interop is on',
    source: 'ecsInterop',
  },
  {
    components: { allBut: ['is'] },
    key: 'interop.listen',
    value: OFF,
    why: 'every component opens :1886 by default; nothing reaches it but the Identity Server (ECS interop guide)',
    source: 'ecsInterop',
  },
  { components: 'all', key: 'interop.listen-tls', value: OFF, why: TLS_OFF, source: 'componentStartCode' },
  {
    components: ['gs'],
    key: 'gs.mqtt.listen',
    value: port(1882),
    why: 'NLB 1882 and 8882 (TLS) forward here',
    source: 'gatewayServerDefaultsCode',
  },
  { components: ['gs'], key: 'gs.mqtt.listen-tls', value: OFF, why: TLS_OFF, source: 'dockerProxy' },
  {
    components: ['gs'],
    key: 'gs.mqtt-v2.listen',
    value: port(1881),
    why: 'NLB 1881 and 8881 (TLS) forward here',
    source: 'gatewayServerDefaultsCode',
  },
  { components: ['gs'], key: 'gs.mqtt-v2.listen-tls', value: OFF, why: TLS_OFF, source: 'dockerProxy' },
  {
    components: ['gs'],
    key: 'gs.basic-station.listen',
    value: port(1887),
    why: 'NLB 1887 and 8887 (TLS) forward here',
    source: 'gatewayServerDefaultsCode',
  },
  { components: ['gs'], key: 'gs.basic-station.listen-tls', value: OFF, why: TLS_OFF, source: 'dockerProxy' },
  {
    components: ['gs'],
    key: 'gs.ttigw.listen',
    value: OFF,
    why: 'the TTI gateway protocol needs a proxy that terminates mutual TLS and forwards the client certificate; the NLB cannot',
    source: 'ecsChangelog332',
  },
  { components: ['gs'], key: 'gs.ttigw.listen-tls', value: OFF, why: TLS_OFF, source: 'gatewayServerDefaultsCode' },
  {
    components: ['gs'],
    editions: ['enterprise'],
    key: 'gs.tabs-hubs.listen-tls',
    value: OFF,
    why: TLS_OFF,
    source: 'dockerProxy',
  },
  {
    components: ['as'],
    key: 'as.mqtt.listen',
    value: port(1883),
    why: 'NLB 1883 and 8883 (TLS) forward here',
    source: 'applicationServerDefaultsCode',
  },
  { components: ['as'], key: 'as.mqtt.listen-tls', value: OFF, why: TLS_OFF, source: 'dockerProxy' },
];

const PEER_KEY: Partial<Record<ComponentId, string>> = {
  gs: 'cluster.gateway-server',
  ns: 'cluster.network-server',
  as: 'cluster.application-server',
  js: 'cluster.join-server',
  pba: 'cluster.packet-broker-agent',
};

/** `cluster.<peer>` rows for the peers `components` call, required where the peer runs in the cluster. */
function peers(components: readonly ComponentId[], called: readonly ComponentId[], source: SourceId): Row[] {
  return called.map((peer) => ({
    components,
    when: (ctx: ContractContext) => ctx.served.has(peer),
    key: PEER_KEY[peer]!,
    why: `calls the ${peer.toUpperCase()} as a cluster peer`,
    source,
  }));
}

const REQUIRED: readonly Row[] = [
  { components: 'all', key: 'cluster.keys', why: 'cluster peers authenticate each other with it', source: 'general' },
  { components: 'all', key: 'cluster.address', why: 'peers announce where they can be reached', source: 'general' },
  { components: 'all', key: 'http.cookie.block-key', why: 'cookies of the web UIs and OAuth', source: 'general' },
  { components: 'all', key: 'http.cookie.hash-key', why: 'cookies of the web UIs and OAuth', source: 'general' },
  { components: 'all', key: 'redis.address', why: 'shared state of every component', source: 'general' },
  {
    components: 'all',
    key: 'events.backend',
    value: 'redis',
    why: 'events cross tasks and components',
    source: 'general',
  },
  {
    components: 'all',
    key: 'events.redis.store.enable',
    value: 'true',
    why: 'event history for the Console (the Enterprise Docker reference turns it on)',
    source: 'enterpriseDockerExample',
  },
  {
    components: 'all',
    key: 'blob.provider',
    value: 'aws',
    why: 'configuration files and pictures live in S3',
    source: 'general',
  },
  {
    components: 'all',
    editions: ['enterprise'],
    key: 'license.key',
    why: 'Enterprise refuses to start unlicensed',
    source: 'general',
  },
  {
    components: 'all',
    editions: ['enterprise'],
    key: 'tenancy.default-id',
    value: (ctx) => ctx.defaultTenantId,
    why: 'Enterprise needs a tenant even when single-tenant; is-db create-tenant creates this one',
    source: 'dockerRunningTheStack',
  },
  {
    components: { allBut: ['is'] },
    key: 'cluster.identity-server',
    why: 'rights of every call come from the Identity Server (in secondaries: the local IS proxy)',
    source: 'componentRightsCode',
  },
  ...peers(['gs'], ['ns', 'pba'], 'gatewayServerPeersCode'),
  ...peers(['ns'], ['as', 'js', 'gs', 'pba'], 'networkServerPeersCode'),
  ...peers(['as'], ['ns', 'js'], 'applicationServerPeersCode'),
  ...peers(['pba'], ['gs', 'ns'], 'packetBrokerAgentPeersCode'),
  {
    components: ['as'],
    key: 'as.mqtt.public-tls-address',
    why: 'address handed to MQTT clients',
    source: 'applicationServer',
  },
  {
    components: ['gcs'],
    key: 'gcs.basic-station.default.lns-uri',
    why: 'where Basic Station gateways are sent after CUPS',
    source: 'gatewayConfigurationServer',
  },
  {
    components: ['console'],
    key: 'console.ui.canonical-url',
    why: 'Console links and OAuth callbacks',
    source: 'console',
  },
  { components: ['is'], key: 'is.database-uri', why: 'the Identity Server database', source: 'identityServer' },
  { components: ['is'], key: 'is.oauth.ui.canonical-url', why: 'OAuth redirects', source: 'identityServer' },
  {
    components: ['is'],
    when: (ctx) => ctx.interop,
    key: 'interop.packet-broker.enabled',
    value: 'true',
    why: 'behind the NLB no client certificate arrives; Packet Broker authenticates with its token instead',
    source: 'interopServerConfigCode',
  },
  {
    components: ['is'],
    when: (ctx) => ctx.interop,
    key: 'interop.public-tls-address',
    why: 'the audience of Packet Broker tokens; without it the interop server (and the IS) refuses to start',
    source: 'interopServerCode',
  },
  {
    components: ['gs'],
    key: 'gs.basic-station.use-traffic-tls-address',
    value: 'true',
    why: 'gateways connect to NLB 8887 over TLS, but the GS sees cleartext and would advertise ws://',
    source: 'basicStationConfigCode',
  },
  {
    components: ['gs'],
    key: 'gs.mqtt.public-tls-address',
    why: 'address handed to MQTT gateways',
    source: 'gatewayServer',
  },
  {
    components: ['as'],
    editions: ['enterprise'],
    when: (ctx) => ctx.timescale,
    key: 'as.packages.storage.provider',
    value: 'postgres',
    why: 'the Storage Integration writes to the TimescaleDB host of features.timescale',
    source: 'storageIntegrationDocs',
  },
  {
    components: ['as'],
    editions: ['enterprise'],
    when: (ctx) => ctx.timescale,
    key: 'as.packages.storage.postgres.database-uri',
    why: 'the Storage Integration needs its database (secret timescale-uri)',
    source: 'storageIntegrationDocs',
  },
  {
    components: ['noc'],
    editions: ['enterprise'],
    when: (ctx) => ctx.timescale,
    key: 'noc.store.database-uri',
    why: 'the NOC stores its data in the TimescaleDB host (secret timescale-uri)',
    source: 'nocDatabaseDocs',
  },
  { components: ['ns'], key: 'ns.net-id', why: 'NetID of the network', source: 'networkServer' },
  {
    components: ['ns'],
    key: 'ns.dev-addr-prefixes',
    why: 'DevAddr blocks the NS assigns from',
    source: 'networkServer',
  },
  {
    // The DCS runs the DTC in its process (`start dcs`), so it needs the peer too.
    components: ['as', 'dtc', 'dcs'],
    when: (ctx) => ctx.served.has('dr'),
    key: 'cluster.device-repository',
    why: 'repository payload formatters (AS) and device templates (DTC, also inside the DCS) call the Device Repository',
    source: 'repositoryFormattersCode',
  },
  { components: ['console'], key: 'console.oauth.client-id', why: 'Console login', source: 'console' },
  { components: ['console'], key: 'console.oauth.client-secret', why: 'Console login', source: 'console' },
  {
    components: ['console'],
    when: (ctx) => ctx.role === 'secondary',
    key: 'console.oauth.cross-site-cookie',
    value: 'true',
    why: "a secondary's Console logs in on the primary's domain: the OAuth state cookie must survive the cross-site return",
    source: 'oauthStateCookieCode',
  },
];

/** Where rate limiting reads its profiles; the data layer writes the file there. */
export const RATE_LIMITING_FILE = { folder: 'rate-limiting', file: 'rate-limiting.yml' } as const;

interface BlobRow extends BlobFile {
  readonly components: Applies;
}

const BLOB_FILES: readonly BlobRow[] = [
  {
    components: ['ns'],
    sourceKey: 'ns.interop.config-source',
    bucketKey: 'ns.interop.blob.bucket',
    folderKey: 'ns.interop.blob.path',
    folder: '',
    file: 'config.yml',
    bucket: 'interop',
    source: 'interopConfigCode',
  },
  {
    components: ['as'],
    sourceKey: 'as.interop.config-source',
    bucketKey: 'as.interop.blob.bucket',
    folderKey: 'as.interop.blob.path',
    folder: '',
    file: 'config.yml',
    bucket: 'interop',
    source: 'interopConfigCode',
  },
  {
    components: ['dcs'],
    sourceKey: 'dcs.edcs.source',
    bucketKey: 'dcs.edcs.blob.bucket',
    folderKey: 'dcs.edcs.blob.path',
    folder: '',
    file: 'config.yml',
    bucket: 'edcs',
    source: 'edcsConfigCode',
  },
  {
    components: 'all',
    sourceKey: 'rate-limiting.config-source',
    bucketKey: 'rate-limiting.blob.bucket',
    folderKey: 'rate-limiting.blob.path',
    ...RATE_LIMITING_FILE,
    bucket: 'plugins',
    source: 'rateLimitingConfigCode',
  },
];

/** The image's own HEALTHCHECK (SOURCES.imageDockerfile) against `/healthz` (SOURCES.healthEndpointCode). */
export const HEALTH_CHECK: HealthCheckContract = {
  command: ['CMD', 'curl', '-fsS', '-o', '/dev/null', `http://localhost:${INTERNAL_PORTS.http}/healthz`],
  port: INTERNAL_PORTS.http,
  path: '/healthz',
  source: 'imageDockerfile',
  assumption:
    'The Enterprise image (thethingsindustries/lorawan-stack:<version>-aws) is built like the open-source one and ships ' +
    'curl; its Dockerfile is not public. Check once with `docker run --rm --entrypoint curl <image> --version`: ' +
    'without curl the container check fails and ECS replaces the tasks.',
};

/** Components limited to one task, per edition, and why. */
const SINGLETONS: ReadonlyArray<{
  readonly components: readonly ComponentId[];
  readonly editions: readonly Edition[];
  readonly why: string;
  readonly source: SourceId;
}> = [
  {
    components: ['as', 'tbs'],
    editions: ['open-source', 'enterprise'],
    why: 'keeps state that tasks do not share (AS links and pub/subs; TBS metering)',
    source: 'ecsDeployment',
  },
  {
    components: ['gs', 'ns'],
    editions: ['open-source'],
    why: 'the open-source cluster has one instance per component: GetPeer fails with two and ID claims are no-ops',
    source: 'referenceClusterCode',
  },
];

function applies(row: { components: Applies; editions?: readonly Edition[] }, id: ComponentId, e: Edition): boolean {
  const c = row.components;
  const forComponent = c === 'all' || ('allBut' in c ? !c.allBut.includes(id) : c.includes(id));
  return forComponent && (!row.editions || row.editions.includes(e));
}

function resolve(rows: readonly Row[], id: ComponentId, ctx: ContractContext): RequiredSetting[] {
  return rows
    .filter((r) => applies(r, id, ctx.edition) && (!r.when || r.when(ctx)))
    .map(({ key, value, why, source }) => ({
      key,
      value: typeof value === 'function' ? value(ctx) : value,
      why,
      source,
    }));
}

/** Why `id` may run only one task in `edition`, with the source; undefined when it scales out. */
export function singletonReasonOf(
  id: ComponentId,
  edition: Edition,
): { readonly why: string; readonly source: SourceId } | undefined {
  const rule = SINGLETONS.find((s) => s.components.includes(id) && s.editions.includes(edition));
  return rule && { why: rule.why, source: rule.source };
}

/** The runtime contract of `id` in a deployment described by `ctx`. */
export function runtimeContractOf(id: ComponentId, ctx: ContractContext): RuntimeContract {
  const singleton = singletonReasonOf(id, ctx.edition);
  return {
    component: id,
    listeners: resolve(LISTENERS, id, ctx) as ExactSetting[],
    blobFiles: BLOB_FILES.filter((b) => applies(b, id, ctx.edition)).map(({ components: _, ...file }) => file),
    required: resolve(REQUIRED, id, ctx),
    healthCheck: HEALTH_CHECK,
    maxTasks: singleton ? 1 : Number.POSITIVE_INFINITY,
    singletonBecause: singleton,
  };
}

/** Most tasks `id` may run in `edition` (1 for singletons). */
export function maxTasksOf(id: ComponentId, edition: Edition): number {
  return singletonReasonOf(id, edition) ? 1 : Number.POSITIVE_INFINITY;
}

/** Tasks a component runs unless configured otherwise: 2 for high availability, 1 for singletons. */
export function defaultDesiredCountOf(id: ComponentId, edition: Edition): number {
  return Math.min(2, maxTasksOf(id, edition));
}

/** Every configuration key a contract row may set (the composition allows them for the components they apply to). */
export function contractKeysOf(id: ComponentId, edition: Edition): string[] {
  const rows = [...LISTENERS, ...REQUIRED].filter((r) => applies(r, id, edition)).map((r) => r.key);
  const blob = BLOB_FILES.filter((b) => applies(b, id, edition)).flatMap((b) => [
    b.sourceKey,
    b.bucketKey,
    b.folderKey,
  ]);
  return [...new Set([...rows, ...blob])];
}
