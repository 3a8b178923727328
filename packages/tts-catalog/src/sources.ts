/**
 * Where a fact about The Things Stack comes from. Every configuration key and component fact in this catalog names
 * one of these, so a reviewer can check it, and so `assumed` facts stand out instead of hiding among verified ones.
 */
const DOCS = 'https://www.thethingsindustries.com/docs/enterprise/management/configuration';
const CODE = 'https://github.com/TheThingsNetwork/lorawan-stack/blob/v3.33';
/**
 * The sources the runtime contract was checked against: lorawan-stack commit 1d2182161975e038d6634b7dd4dd15fda86b1d68
 * (v3.32.1, "Merge release/v3.32.1") and lorawan-stack-docs commit a189a5255199ce9ac016abbcf66d69fd3a73fed9.
 */
const CODE_3_32 = 'https://github.com/TheThingsNetwork/lorawan-stack/blob/v3.32.1';
const SITE = 'https://www.thethingsindustries.com/docs';
/** The documentation source at the commit the runtime contract was checked against (file path + commit). */
const DOCS_SRC =
  'https://github.com/TheThingsIndustries/lorawan-stack-docs/blob/a189a5255199ce9ac016abbcf66d69fd3a73fed9/doc/content';

export const SOURCES = {
  general: `${DOCS}/the-things-stack/`,
  identityServer: `${DOCS}/identity-server/`,
  networkServer: `${DOCS}/network-server/`,
  applicationServer: `${DOCS}/application-server/`,
  joinServer: `${DOCS}/join-server/`,
  gatewayServer: `${DOCS}/gateway-server/`,
  gatewayConfigurationServer: `${DOCS}/gateway-configuration-server/`,
  console: `${DOCS}/console/`,
  deviceClaimingServer: `${DOCS}/device-claiming-server/`,
  packetBrokerAgent: `${DOCS}/packet-broker-agent/`,
  networkOperationsCenter: `${DOCS}/network-operations-center/`,
  tenantBillingServer: `${DOCS}/tenant-billing-server/`,
  /** The Enterprise Docker example configuration (shows keys the reference pages omit, e.g. `console.ui.dcs.base-url`). */
  enterpriseDockerExample:
    'https://www.thethingsindustries.com/docs/enterprise/docker/configuration/ (ttn-lw-stack-docker-enterprise.yml)',
  /** `redis.Config` (address, password, namespace, tls.require) is the type of `redis`, `cache.redis` and `events.redis`. */
  redisConfigCode: `${CODE}/pkg/redis/redis.go`,
  /** `ttn-lw-stack start` arguments and the services each component registers. */
  startCommandCode: `${CODE}/cmd/ttn-lw-stack/commands/start.go`,
  /** Environment variable mapping: prefix `TTN_LW`, `.` and `-` replaced by `_`, upper case. */
  configManagerCode: `${CODE}/pkg/config/config.go`,
  ecsDeployment: 'https://www.thethingsindustries.com/docs/enterprise/aws/ecs/deployment/',
  ecsChangelog: 'https://www.thethingsindustries.com/docs/enterprise/aws/ecs/changelog/',
  /** Default listeners: `grpc.listen(-tls)` :1884/:8884, `http.listen(-tls)` :1885/:8885, `interop.listen(-tls)` :1886/:8886. */
  sharedDefaultsCode: `${CODE_3_32}/cmd/internal/shared/config.go`,
  /** Start() fails ("Could not start gRPC server" / web / interop server) when a TLS listener has no certificate. */
  componentStartCode: `${CODE_3_32}/pkg/component/component.go`,
  /** serveOnEndpoints skips an endpoint whose address is empty: `listen-tls: ""` disables a TLS listener. */
  listenersCode: `${CODE_3_32}/pkg/component/listeners.go`,
  /** Every component serves `/healthz` on its HTTP listener (no password unless `http.health.password` is set). */
  healthEndpointCode: `${CODE_3_32}/pkg/component/web.go`,
  /** Empty environment values count (viper AllowEmptyEnv), so `TTN_LW_GRPC_LISTEN_TLS=""` overrides a default. */
  emptyEnvCode: `${CODE_3_32}/pkg/config/config.go`,
  /** GS frontends: MQTT :1882/:8882, MQTT v2 :1881/:8881, Basic Station :1887/:8887, TTI gateway (`ttigw`) :1889/:8889. */
  gatewayServerDefaultsCode: `${CODE_3_32}/cmd/internal/shared/gatewayserver/config.go`,
  /** AS MQTT frontend :1883/:8883. */
  applicationServerDefaultsCode: `${CODE_3_32}/cmd/internal/shared/applicationserver/config.go`,
  /** `gs.basic-station.use-traffic-tls-address`: advertise wss:// although the connection arrived in cleartext. */
  basicStationConfigCode: `${CODE_3_32}/pkg/gatewayserver/io/semtechws/config.go`,
  /** `blob.path` is a folder: files are read as `<path>/<name>` (FromBucket, realPath). */
  fetchBucketCode: `${CODE_3_32}/pkg/fetch/bucket.go`,
  /** The interop client reads `config.yml` from its configuration source. */
  interopConfigCode: `${CODE_3_32}/pkg/interop/config.go`,
  /** The Device Claiming Server reads `config.yml` from its `dcs.edcs` source. */
  edcsConfigCode: `${CODE_3_32}/pkg/deviceclaimingserver/enddevices/config.go`,
  /** Rate limiting reads `rate-limiting.yml` from its configuration source. */
  rateLimitingConfigCode: `${CODE_3_32}/pkg/ratelimit/config.go`,
  /** The interop server's `packet-broker.enabled`: Packet Broker authenticates with a token, not a client certificate. */
  interopServerConfigCode: `${CODE_3_32}/pkg/config/shared.go`,
  /** With `interop.packet-broker.enabled`, the interop server refuses to start without `interop.public-tls-address`. */
  interopServerCode: `${CODE_3_32}/pkg/interop/server.go`,
  /** `start dcs` also starts the End Device Template Converter and the QR Code Generator. */
  startCommandCode332: `${CODE_3_32}/cmd/ttn-lw-stack/commands/start.go`,
  /** The open-source cluster "only has a single instance of each component": GetPeer fails with two, claims are no-ops. */
  referenceClusterCode: `${CODE_3_32}/pkg/cluster/cluster.go`,
  /** The image's own HEALTHCHECK: `curl -f http://localhost:1885/healthz` (alpine with curl, user thethings). */
  imageDockerfile: `${CODE_3_32}/Dockerfile`,
  /** X-Forwarded-Proto from trusted proxies sets the request scheme, which decides Secure cookies. */
  proxyHeadersCode: `${CODE_3_32}/pkg/webmiddleware/proxy_headers.go`,
  /** `console.oauth.cross-site-cookie`: the OAuth state cookie becomes SameSite=None (needs Secure, i.e. https). */
  oauthStateCookieCode: `${CODE_3_32}/pkg/web/oauthclient/cookie_state.go`,
  /** Every component fetches rights from the Identity Server (ClusterRole_ACCESS): it needs `cluster.identity-server`. */
  componentRightsCode: `${CODE_3_32}/pkg/component/rights.go`,
  /** GS peers: Network Server (uplinks), Packet Broker Agent (ClusterRole_* in pkg/gatewayserver). */
  gatewayServerPeersCode: `${CODE_3_32}/pkg/gatewayserver`,
  /** NS peers: Application Server, Join Server, Gateway Server, Packet Broker Agent (ClusterRole_* in pkg/networkserver). */
  networkServerPeersCode: `${CODE_3_32}/pkg/networkserver`,
  /** AS peers: Network Server and Join Server (ClusterRole_* in pkg/applicationserver). */
  applicationServerPeersCode: `${CODE_3_32}/pkg/applicationserver`,
  /** PBA peers: Gateway Server and Network Server (ClusterRole_* in pkg/packetbrokeragent). */
  packetBrokerAgentPeersCode: `${CODE_3_32}/pkg/packetbrokeragent`,
  /** The DTC fetches device profiles from the Device Repository cluster peer (GetPeerConn DEVICE_REPOSITORY). */
  deviceTemplateConverterCode: `${CODE_3_32}/pkg/devicetemplateconverter/profilefetcher/profile_fetcher.go`,
  /** The AS's repository payload formatters call the Device Repository cluster peer. */
  repositoryFormattersCode: `${CODE_3_32}/pkg/messageprocessors/devicerepository/devicerepository.go`,
  /** "TLS listeners have to be disabled" behind a TLS-terminating proxy; the list of `listen-tls` keys. */
  dockerProxy: `${SITE}/enterprise/docker/proxy/`,
  /** Enterprise needs a tenant even when single-tenant: `is-db create-tenant` takes `tenancy.default-id`. */
  dockerRunningTheStack: `${SITE}/enterprise/docker/running-the-stack/`,
  /** ECS ops commands: create-tenant, create-admin-user --tenant-id, create-oauth-client --tenant-id (NULL when multi-tenant). */
  ecsDatabaseOperations: `${SITE}/enterprise/aws/ecs/database-operations/`,
  /** Interop behind the NLB: TLS ends at the load balancer, so client certificates cannot authenticate peers. */
  ecsInterop: `${SITE}/enterprise/aws/ecs/interop/`,
  /** TTI gateway (8889) and mTLS need the proxy to terminate TLS and forward the client certificate (SupportProxyTLS). */
  ecsMutualTls: `${SITE}/enterprise/aws/ecs/mutual-tls/`,
  /** ECS changelog 3.32.0: 8889 needs TLS termination by the proxy, which forwards to the GS on 1889. */
  ecsChangelog332: `${SITE}/enterprise/aws/ecs/changelog/#3320`,
  /** AS "Storage Integration Options": `as.packages.storage.provider`, `as.packages.storage.postgres.database-uri`. */
  storageIntegrationDocs: `${DOCS_SRC}/enterprise/management/configuration/application-server.md`,
  /** NOC "Database Options": `noc.store.database-uri`. */
  nocDatabaseDocs: `${DOCS_SRC}/enterprise/management/configuration/network-operations-center.md`,
  fargateTaskSizes: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-cpu-memory-error.html',
} as const;

export type SourceId = keyof typeof SOURCES;
