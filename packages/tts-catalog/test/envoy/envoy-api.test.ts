import { COMPONENTS, ComponentId, Edition } from '../../src';
import { identityServerProxyConfig, routerConfig } from '../../src/envoy';
import { loadEnvoyApi, unsupportedRulesInApi, validateEnvoyBootstrap, validateEnvoyMessage } from '@tts-ecs/testing';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const EDITIONS: Edition[] = ['enterprise', 'open-source'];
const upstreamHost = (c: ComponentId): string => `${c}.tts.internal`;
const componentsOf = (edition: Edition, filter: (c: (typeof COMPONENTS)[number]) => boolean = () => true) =>
  COMPONENTS.filter((c) => c.editions.includes(edition) && filter(c)).map((c) => c.id);
/** What Envoy reads: the JSON text of the object (`undefined` members dropped). */
const asJson = (o: object): Json => JSON.parse(JSON.stringify(o));

const router = (edition: Edition = 'enterprise'): Json =>
  asJson(routerConfig({ includedComponents: componentsOf(edition), upstreamHost, edition }));
const isProxy = (edition: Edition = 'enterprise'): Json =>
  asJson(identityServerProxyConfig({ primaryDomain: 'eu1.thethings.example.com', edition }));

/** Problems of the enterprise router config after `mutate`. */
function routerWith(mutate: (config: Json) => void): string[] {
  const config = router();
  mutate(config);
  return validateEnvoyBootstrap(config);
}
function isProxyWith(mutate: (config: Json) => void): string[] {
  const config = isProxy();
  mutate(config);
  return validateEnvoyBootstrap(config);
}

const HCM_TYPE = 'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
const HCM = '$.static_resources.listeners[0].filter_chains[0].filters[0].typed_config';
const VHOST = `${HCM}.route_config.virtual_hosts[0]`;
const CLUSTER = '$.static_resources.clusters[0]';
const HTTP_OPTIONS = `${CLUSTER}.typed_extension_protocol_options["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"]`;
const hcmOf = (c: Json): Json => c.static_resources.listeners[0].filter_chains[0].filters[0].typed_config;
const vhostOf = (c: Json): Json => hcmOf(c).route_config.virtual_hosts[0];
const httpOptionsOf = (c: Json): Json =>
  c.static_resources.clusters[0].typed_extension_protocol_options[
    'envoy.extensions.upstreams.http.v3.HttpProtocolOptions'
  ];

describe('Envoy API', () => {
  it('loads the v3 bootstrap and every extension proto once', () => {
    const api = loadEnvoyApi();
    expect(loadEnvoyApi()).toBe(api);
    expect(api.root.lookupType('envoy.config.bootstrap.v3.Bootstrap')).toBeDefined();
    expect(api.root.lookupType(HCM_TYPE)).toBeDefined();
    expect(api.files).toContain('envoy/extensions/transport_sockets/tls/v3/tls.proto');
    // Protos importing packages that grpc-js-xds does not ship (opencensus, opentelemetry) are left out.
    expect(api.skipped.length).toBeLessThan(10);
  });
});

describe('generated configs validate against the Envoy API', () => {
  it.each(EDITIONS)('router with every %s component', (edition) => {
    expect(validateEnvoyBootstrap(router(edition))).toEqual([]);
  });

  it.each(EDITIONS)('router with the default %s components, explicit ports and timeout', (edition) => {
    const config = routerConfig({
      includedComponents: componentsOf(edition, (c) => c.defaultIncluded),
      upstreamHost,
      edition,
      listenPorts: { http: 8080, grpc: 1884 },
      httpTimeout: '30s',
    });
    expect(validateEnvoyBootstrap(asJson(config))).toEqual([]);
  });

  it('router of a secondary (IS proxy standing in for the Identity Server)', () => {
    const config = routerConfig({ includedComponents: ['is', 'gs', 'ns', 'as'], upstreamHost, edition: 'open-source' });
    expect(validateEnvoyBootstrap(asJson(config))).toEqual([]);
  });

  it.each(EDITIONS)('Identity Server proxy (%s)', (edition) => {
    expect(validateEnvoyBootstrap(isProxy(edition))).toEqual([]);
    const custom = identityServerProxyConfig({
      primaryDomain: 'eu1.thethings.example.com',
      edition,
      primaryHttpsPort: 8443,
      primaryGrpcTlsPort: 8884,
      listenPorts: { http: 2885, grpc: 2884 },
    });
    expect(validateEnvoyBootstrap(asJson(custom))).toEqual([]);
  });
});

describe('proto3 JSON mapping', () => {
  it('rejects an unknown field, with the closest field name', () => {
    expect(
      routerWith((c) => {
        const hcm = hcmOf(c);
        hcm.stat_prefixx = hcm.stat_prefix;
        delete hcm.stat_prefix;
      }),
    ).toEqual([
      `${HCM}.stat_prefixx: unknown field "stat_prefixx" in ${HCM_TYPE} (did you mean "stat_prefix"?)`,
      `${HCM}.stat_prefix: value length must be at least 1 runes (${HCM_TYPE}.stat_prefix: validate.rules string.min_len = 1)`,
    ]);
    expect(routerWith((c) => (c.admin.adress = {}))).toEqual([
      '$.admin.adress: unknown field "adress" in envoy.config.bootstrap.v3.Admin (did you mean "address"?)',
    ]);
  });

  it('accepts lowerCamelCase JSON names like Envoy, but not a field set under both names', () => {
    expect(
      routerWith((c) => {
        const hcm = hcmOf(c);
        hcm.statPrefix = hcm.stat_prefix;
        delete hcm.stat_prefix;
        c.static_resources.clusters[0].connectTimeout = '2s';
        delete c.static_resources.clusters[0].connect_timeout;
      }),
    ).toEqual([]);
    expect(routerWith((c) => (hcmOf(c).statPrefix = 'x'))).toEqual([
      `${HCM}.statPrefix: field stat_prefix of ${HCM_TYPE} is set twice ("stat_prefix", "statPrefix")`,
    ]);
  });

  it('rejects a typed_config whose @type does not resolve', () => {
    expect(
      routerWith((c) => {
        hcmOf(c).http_filters[0].typed_config['@type'] =
          'type.googleapis.com/envoy.extensions.filters.http.router.v3.Routr';
      }),
    ).toEqual([
      `${HCM}.http_filters[0].typed_config["@type"]: cannot resolve type URL "type.googleapis.com/envoy.extensions.filters.http.router.v3.Routr": no message envoy.extensions.filters.http.router.v3.Routr in the loaded Envoy API`,
    ]);
    expect(
      routerWith(
        (c) => (hcmOf(c).http_filters[0].typed_config['@type'] = 'envoy.extensions.filters.http.router.v3.Router'),
      ),
    ).toEqual([
      `${HCM}.http_filters[0].typed_config["@type"]: expected a type URL of the form "type.googleapis.com/<message>", got string "envoy.extensions.filters.http.router.v3.Router"`,
    ]);
    expect(routerWith((c) => delete hcmOf(c).http_filters[0].typed_config['@type'])).toEqual([]); // {} is an empty Any
    expect(routerWith((c) => (hcmOf(c).http_filters[0].typed_config = { dynamic_stats: true }))).toEqual([
      `${HCM}.http_filters[0].typed_config: "@type" is missing (google.protobuf.Any)`,
    ]);
  });

  it('validates the message inside an Any', () => {
    expect(routerWith((c) => (hcmOf(c).http_filters[0].typed_config.dynamic_stats = 'yes'))).toEqual([
      `${HCM}.http_filters[0].typed_config.dynamic_stats: expected true or false (bool), got string "yes"`,
    ]);
    expect(
      validateEnvoyMessage('google.protobuf.Any', {
        '@type': 'type.googleapis.com/google.protobuf.Duration',
        value: '1.5s',
      }),
    ).toEqual([]);
  });

  it('rejects values of the wrong JSON type', () => {
    expect(
      routerWith((c) => {
        hcmOf(c).use_remote_address = 'true';
        c.static_resources.clusters[0].connect_timeout = 5;
        c.static_resources.listeners[1].address.socket_address.port_value = 'grpc';
        vhostOf(c).domains = '*';
        c.static_resources.clusters[0].per_connection_buffer_limit_bytes = { value: 1024 };
      }),
    ).toEqual([
      `${VHOST}.domains: expected a JSON array (repeated string), got string "*"`,
      `${HCM}.use_remote_address: expected true or false (bool), got string "true"`,
      '$.static_resources.listeners[1].address.socket_address.port_value: expected an integer (number or decimal string) (uint32), got string "grpc"',
      `${CLUSTER}.connect_timeout: expected a duration string such as "5s" or "0.25s" (google.protobuf.Duration), got number 5`,
      `${CLUSTER}.per_connection_buffer_limit_bytes: expected an integer (number or decimal string) (uint32), got an object`,
    ]);
  });

  it('takes integers as numbers or decimal strings, and checks their range', () => {
    expect(
      routerWith((c) => {
        c.static_resources.listeners[0].address.socket_address.port_value = '8080';
        c.static_resources.clusters[0].per_connection_buffer_limit_bytes = 32768;
      }),
    ).toEqual([]);
    expect(routerWith((c) => (c.static_resources.clusters[0].per_connection_buffer_limit_bytes = 2 ** 32))).toEqual([
      `${CLUSTER}.per_connection_buffer_limit_bytes: 4294967296 is out of range for uint32 (0 to 4294967295)`,
    ]);
  });

  it('takes enums by name (or number) and rejects an unknown name', () => {
    expect(routerWith((c) => (c.static_resources.clusters[0].lb_policy = 'ROUND_ROBINN'))).toEqual([
      `${CLUSTER}.lb_policy: invalid enum value "ROUND_ROBINN" for envoy.config.cluster.v3.Cluster.LbPolicy; use one of ROUND_ROBIN, LEAST_REQUEST, RING_HASH, RANDOM, MAGLEV, CLUSTER_PROVIDED, LOAD_BALANCING_POLICY_CONFIG`,
    ]);
    expect(routerWith((c) => (c.static_resources.clusters[0].lb_policy = 1))).toEqual([]);
  });

  it('rejects two members of one oneof', () => {
    expect(routerWith((c) => (c.static_resources.listeners[0].address.socket_address.named_port = 'http'))).toEqual([
      '$.static_resources.listeners[0].address.socket_address: oneof port_specifier of envoy.config.core.v3.SocketAddress has 2 members set (port_value, named_port); set at most one',
    ]);
    expect(routerWith((c) => (c.static_resources.clusters[0].cluster_type = { name: 'envoy.clusters.dns' }))).toEqual([
      `${CLUSTER}: oneof cluster_discovery_type of envoy.config.cluster.v3.Cluster has 2 members set (type, cluster_type); set at most one`,
    ]);
  });

  it('checks Duration strings; Envoy rejects negative durations', () => {
    expect(routerWith((c) => (c.static_resources.clusters[0].connect_timeout = '0.25s'))).toEqual([]);
    expect(
      routerWith((c) => {
        c.static_resources.clusters[0].connect_timeout = '5';
        hcmOf(c).stream_idle_timeout = '-1s';
      }),
    ).toEqual([
      `${HCM}.stream_idle_timeout: duration must not be negative (Envoy rejects negative durations), got string "-1s"`,
      `${CLUSTER}.connect_timeout: expected a duration string such as "5s" or "0.25s" (google.protobuf.Duration), got string "5"`,
    ]);
  });

  it('checks maps (typed_extension_protocol_options is a map<string, Any>)', () => {
    expect(routerWith((c) => (c.static_resources.clusters[0].typed_extension_protocol_options = []))).toEqual([
      `${CLUSTER}.typed_extension_protocol_options: expected a JSON object (map<string, google.protobuf.Any>), got an array`,
    ]);
    expect(routerWith((c) => (httpOptionsOf(c).explicit_http_config = { http2_protocol_options: 'h2' }))).toEqual([
      `${HTTP_OPTIONS}.explicit_http_config.http2_protocol_options: expected a JSON object (envoy.config.core.v3.Http2ProtocolOptions), got string "h2"`,
    ]);
  });

  it('treats null as not set', () => {
    expect(routerWith((c) => (hcmOf(c).upgrade_configs = null))).toEqual([]);
  });
});

describe('protoc-gen-validate rules', () => {
  it('string.min_len: a cluster without a name', () => {
    expect(routerWith((c) => delete c.static_resources.clusters[0].name)).toEqual([
      `${CLUSTER}.name: value length must be at least 1 runes (envoy.config.cluster.v3.Cluster.name: validate.rules string.min_len = 1)`,
    ]);
  });

  it('uint32.lte: a port above 65535', () => {
    expect(routerWith((c) => (c.static_resources.listeners[0].address.socket_address.port_value = 65536))).toEqual([
      '$.static_resources.listeners[0].address.socket_address.port_value: value must be less than or equal to 65535 (envoy.config.core.v3.SocketAddress.port_value: validate.rules uint32.lte = 65535)',
    ]);
  });

  it('uint32.gte/lt on a plain uint32, checked at its default when absent', () => {
    const withDirectResponse = (status?: number) =>
      routerWith((c) => {
        const route = vhostOf(c).routes[0];
        delete route.route;
        route.direct_response = status === undefined ? {} : { status };
      });
    const rule = 'envoy.config.route.v3.DirectResponseAction.status: validate.rules uint32.gte = 200, uint32.lt = 600';
    expect(withDirectResponse(404)).toEqual([]);
    expect(withDirectResponse(600)).toEqual([
      `${VHOST}.routes[0].direct_response.status: value must be inside range [200, 600) (${rule})`,
    ]);
    expect(withDirectResponse()).toEqual([
      `${VHOST}.routes[0].direct_response.status: value must be inside range [200, 600) (${rule})`,
    ]);
  });

  it('uint32.gt and uint32.gte on wrapper types (UInt32Value as a plain number)', () => {
    expect(
      routerWith((c) => {
        c.static_resources.listeners[0].max_connections_to_accept_per_socket_event = 0;
        httpOptionsOf(c).explicit_http_config = { http2_protocol_options: { max_concurrent_streams: 0 } };
      }),
    ).toEqual([
      '$.static_resources.listeners[0].max_connections_to_accept_per_socket_event: value must be greater than 0 (envoy.config.listener.v3.Listener.max_connections_to_accept_per_socket_event: validate.rules uint32.gt = 0)',
      `${HTTP_OPTIONS}.explicit_http_config.http2_protocol_options.max_concurrent_streams: value must be inside range [1, 2147483647] (envoy.config.core.v3.Http2ProtocolOptions.max_concurrent_streams: validate.rules uint32.gte = 1, uint32.lte = 2147483647)`,
    ]);
    expect(routerWith((c) => (c.static_resources.listeners[0].max_connections_to_accept_per_socket_event = 8))).toEqual(
      [],
    );
  });

  it('message.required: a route without a match', () => {
    expect(routerWith((c) => delete vhostOf(c).routes[0].match)).toEqual([
      `${VHOST}.routes[0].match: value is required (envoy.config.route.v3.Route.match: validate.rules message.required)`,
    ]);
  });

  it('(validate.required) oneofs: a route without an action, an address without a port', () => {
    expect(
      routerWith((c) => {
        delete vhostOf(c).routes[0].route;
        delete c.static_resources.listeners[1].address.socket_address.port_value;
      }),
    ).toEqual([
      `${VHOST}.routes[0]: one of route, redirect, direct_response, filter_action, non_forwarding_action is required (oneof action of envoy.config.route.v3.Route, validate.required)`,
      '$.static_resources.listeners[1].address.socket_address: one of port_value, named_port is required (oneof port_specifier of envoy.config.core.v3.SocketAddress, validate.required)',
    ]);
  });

  it('repeated.min_items: a virtual host without domains', () => {
    expect(routerWith((c) => (vhostOf(c).domains = []))).toEqual([
      `${VHOST}.domains: value must contain at least 1 item(s) (envoy.config.route.v3.VirtualHost.domains: validate.rules repeated.min_items = 1)`,
    ]);
  });

  it('repeated.unique', () => {
    expect(
      validateEnvoyMessage('envoy.config.route.v3.InternalRedirectPolicy', {
        response_headers_to_copy: ['x-a', 'x-a'],
      }),
    ).toEqual([
      '$.response_headers_to_copy[1]: repeated value must contain unique items (envoy.config.route.v3.InternalRedirectPolicy.response_headers_to_copy: validate.rules repeated.unique)',
    ]);
  });

  it('map.min_pairs', () => {
    expect(validateEnvoyMessage('xds.type.matcher.v3.Matcher.MatcherTree.MatchMap', { map: {} })).toEqual([
      '$.map: value must contain at least 1 pair(s) (xds.type.matcher.v3.Matcher.MatcherTree.MatchMap.map: validate.rules map.min_pairs = 1)',
    ]);
  });

  it('enum.defined_only: an enum number without a name', () => {
    expect(routerWith((c) => (c.static_resources.clusters[0].lb_policy = 99))).toEqual([
      `${CLUSTER}.lb_policy: value must be one of the defined enum values of envoy.config.cluster.v3.Cluster.LbPolicy (envoy.config.cluster.v3.Cluster.lb_policy: validate.rules enum.defined_only)`,
    ]);
  });

  it('enum.not_in: a SAN matcher without san_type (SAN_TYPE_UNSPECIFIED)', () => {
    const sanMatcher =
      '$.static_resources.clusters[0].transport_socket.typed_config.common_tls_context.validation_context.match_typed_subject_alt_names[0]';
    expect(
      isProxyWith(
        (c) =>
          delete c.static_resources.clusters[0].transport_socket.typed_config.common_tls_context.validation_context
            .match_typed_subject_alt_names[0].san_type,
      ),
    ).toEqual([
      `${sanMatcher}.san_type: value must not be in list [SAN_TYPE_UNSPECIFIED] (envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher.san_type: validate.rules enum.not_in)`,
    ]);
  });

  it('string.max_bytes: an SNI longer than 255 bytes', () => {
    expect(
      isProxyWith(
        (c) => (c.static_resources.clusters[0].transport_socket.typed_config.sni = `${'a'.repeat(63)}.`.repeat(5)),
      ),
    ).toEqual([
      '$.static_resources.clusters[0].transport_socket.typed_config.sni: value length must be at most 255 bytes (envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext.sni: validate.rules string.max_bytes = 255)',
    ]);
  });

  it('string.well_known_regex: strict and loose HTTP header names', () => {
    expect(
      routerWith((c) => {
        httpOptionsOf(c).upstream_http_protocol_options = { override_auto_sni_header: 'x sni' };
        vhostOf(c).request_headers_to_remove = ['x-ok', 'x-a\r\nx-b'];
      }),
    ).toEqual([
      `${VHOST}.request_headers_to_remove[1]: value does not match regex pattern for HTTP_HEADER_NAME (strict: false) (envoy.config.route.v3.VirtualHost.request_headers_to_remove[]: validate.rules string.well_known_regex = HTTP_HEADER_NAME)`,
      `${HTTP_OPTIONS}.upstream_http_protocol_options.override_auto_sni_header: value does not match regex pattern for HTTP_HEADER_NAME (envoy.config.core.v3.UpstreamHttpProtocolOptions.override_auto_sni_header: validate.rules string.well_known_regex = HTTP_HEADER_NAME)`,
    ]);
    // ignore_empty
    expect(
      routerWith((c) => (httpOptionsOf(c).upstream_http_protocol_options = { override_auto_sni_header: '' })),
    ).toEqual([]);
  });

  it('string.pattern', () => {
    expect(routerWith((c) => (vhostOf(c).routes[0].match = { path_separated_prefix: '/api/' }))).toEqual([
      `${VHOST}.routes[0].match.path_separated_prefix: value does not match regex pattern "^[^?#]+[^?#/]$" (envoy.config.route.v3.RouteMatch.path_separated_prefix: validate.rules string.pattern)`,
    ]);
  });

  it('duration.gt and duration.gte/lt', () => {
    expect(
      routerWith((c) => {
        c.static_resources.clusters[0].dns_refresh_rate = '0.001s';
        c.stats_flush_interval = '300s';
      }),
    ).toEqual([
      `${CLUSTER}.dns_refresh_rate: value must be greater than 0.001s (envoy.config.cluster.v3.Cluster.dns_refresh_rate: validate.rules duration.gt = 0.001s)`,
      '$.stats_flush_interval: value must be inside range [0.001s, 300s) (envoy.config.bootstrap.v3.Bootstrap.stats_flush_interval: validate.rules duration.gte = 0.001s, duration.lt = 300s)',
    ]);
    expect(routerWith((c) => (c.stats_flush_interval = '0.0005s'))).toEqual([
      '$.stats_flush_interval: value must be inside range [0.001s, 300s) (envoy.config.bootstrap.v3.Bootstrap.stats_flush_interval: validate.rules duration.gte = 0.001s, duration.lt = 300s)',
    ]);
  });

  it('double.gte/lte, bool.const, any.required', () => {
    expect(validateEnvoyMessage('envoy.type.v3.Percent', { value: 100.5 })).toEqual([
      '$.value: value must be inside range [0, 100] (envoy.type.v3.Percent.value: validate.rules double.gte = 0, double.lte = 100)',
    ]);
    expect(routerWith((c) => (c.stats_flush_on_admin = false))).toEqual([
      '$.stats_flush_on_admin: value must equal true (envoy.config.bootstrap.v3.Bootstrap.stats_flush_on_admin: validate.rules bool.const)',
    ]);
    expect(routerWith((c) => (c.static_resources.clusters[0].typed_dns_resolver_config = { name: 'dns' }))).toEqual([
      `${CLUSTER}.typed_dns_resolver_config.typed_config: value is required (envoy.config.core.v3.TypedExtensionConfig.typed_config: validate.rules any.required)`,
    ]);
  });
});

describe('more protoc-gen-validate rules', () => {
  it('implements every rule the loaded Envoy API uses', () => {
    expect(unsupportedRulesInApi()).toEqual([]);
  });

  it('string.max_len', () => {
    expect(
      validateEnvoyMessage('envoy.extensions.path.match.uri_template.v3.UriTemplateMatchConfig', {
        path_template: `/${'a'.repeat(256)}`,
      }),
    ).toEqual([
      '$.path_template: value length must be at most 256 runes (envoy.extensions.path.match.uri_template.v3.UriTemplateMatchConfig.path_template: validate.rules string.max_len = 256)',
    ]);
  });

  it('string.in on repeated items (router filter strict_check_headers)', () => {
    const problems = routerWith(
      (c) => (hcmOf(c).http_filters[0].typed_config.strict_check_headers = ['x-envoy-retry-on', 'x-bogus']),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^\$\.static_resources\.listeners\[0\]\..*\.http_filters\[0\]\.typed_config\.strict_check_headers\[1\]: value must be in list \[.*x-envoy-retry-on.*\] \(envoy\.extensions\.filters\.http\.router\.v3\.Router\.strict_check_headers\[\]: validate\.rules string\.in\)$/,
    );
  });

  it('bytes.max_len (base64 in JSON)', () => {
    expect(
      validateEnvoyMessage('envoy.config.core.v3.HeaderValue', {
        key: 'x-a',
        raw_value: Buffer.alloc(16385).toString('base64'),
      }),
    ).toEqual([
      '$.raw_value: value length must be at most 16384 bytes (envoy.config.core.v3.HeaderValue.raw_value: validate.rules bytes.max_len = 16384)',
    ]);
    expect(validateEnvoyMessage('envoy.config.core.v3.HeaderValue', { key: 'x-a', raw_value: '!!' })).toEqual([
      '$.raw_value: expected a base64 string (bytes), got string "!!"',
    ]);
  });

  it('repeated.max_items', () => {
    const header = { header: { key: 'x-a', value: 'b' } };
    expect(routerWith((c) => (vhostOf(c).request_headers_to_add = Array(1001).fill(header)))).toEqual([
      `${VHOST}.request_headers_to_add: value must contain no more than 1000 item(s) (envoy.config.route.v3.VirtualHost.request_headers_to_add: validate.rules repeated.max_items = 1000)`,
    ]);
  });

  it('map.keys', () => {
    expect(routerWith((c) => (c.static_resources.clusters[0].metadata = { filter_metadata: { '': {} } }))).toEqual([
      `${CLUSTER}.metadata.filter_metadata[""]: value length must be at least 1 runes (envoy.config.core.v3.Metadata.filter_metadata (key): validate.rules string.min_len = 1)`,
    ]);
  });

  it('duration.required and duration.lte', () => {
    expect(validateEnvoyMessage('envoy.config.core.v3.BackoffStrategy', {})).toEqual([
      '$.base_interval: value is required (envoy.config.core.v3.BackoffStrategy.base_interval: validate.rules duration.required)',
    ]);
    expect(validateEnvoyMessage('envoy.config.core.v3.QuicProtocolOptions', { idle_network_timeout: '601s' })).toEqual([
      '$.idle_network_timeout: value must be inside range [1s, 600s] (envoy.config.core.v3.QuicProtocolOptions.idle_network_timeout: validate.rules duration.gte = 1s, duration.lte = 600s)',
    ]);
  });

  it('range rules on int32, int64, uint64, float and double', () => {
    expect(
      validateEnvoyMessage('envoy.extensions.filters.http.thrift_to_metadata.v3.FieldSelector', {
        name: 'f',
        id: 40000,
      }),
    ).toEqual([
      '$.id: value must be inside range [-32768, 32767] (envoy.extensions.filters.http.thrift_to_metadata.v3.FieldSelector.id: validate.rules int32.gte = -32768, int32.lte = 32767)',
    ]);
    expect(
      validateEnvoyMessage('envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig', {
        max_active_downstream_connections: '-5',
      }),
    ).toEqual([
      '$.max_active_downstream_connections: value must be greater than 0 (envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig.max_active_downstream_connections: validate.rules int64.gt = 0)',
    ]);
    expect(validateEnvoyMessage('envoy.config.core.v3.UdpSocketConfig', { max_rx_datagram_size: 65536 })).toEqual([
      '$.max_rx_datagram_size: value must be inside range (0, 65536) (envoy.config.core.v3.UdpSocketConfig.max_rx_datagram_size: validate.rules uint64.gt = 0, uint64.lt = 65536)',
    ]);
    expect(
      validateEnvoyMessage(
        'envoy.extensions.load_balancing_policies.client_side_weighted_round_robin.v3.ClientSideWeightedRoundRobin',
        { error_utilization_penalty: -1 },
      ),
    ).toEqual([
      '$.error_utilization_penalty: value must be greater than or equal to 0 (envoy.extensions.load_balancing_policies.client_side_weighted_round_robin.v3.ClientSideWeightedRoundRobin.error_utilization_penalty: validate.rules float.gte = 0)',
    ]);
    expect(
      validateEnvoyMessage('envoy.config.metrics.v3.HistogramBucketSettings', {
        match: { exact: 'x' },
        buckets: [1, 0, 1],
      }),
    ).toEqual([
      '$.buckets[2]: repeated value must contain unique items (envoy.config.metrics.v3.HistogramBucketSettings.buckets: validate.rules repeated.unique)',
      '$.buckets[1]: value must be greater than 0 (envoy.config.metrics.v3.HistogramBucketSettings.buckets[]: validate.rules double.gt = 0)',
    ]);
  });
});

describe('deprecation', () => {
  it('flags deprecated fields and enum values', () => {
    expect(
      routerWith((c) => {
        c.static_resources.clusters[0].http2_protocol_options = {};
        c.dynamic_resources = { cds_config: { ads: {}, resource_api_version: 'V2' } };
      }),
    ).toEqual([
      `${CLUSTER}.http2_protocol_options: envoy.config.cluster.v3.Cluster.http2_protocol_options is deprecated (since API 3.0); Envoy warns (or rejects with envoy.features.fail_on_any_deprecated_feature)`,
      '$.dynamic_resources.cds_config.resource_api_version: envoy.config.core.v3.ApiVersion.V2 is deprecated (since API 3.0); Envoy warns (or rejects with envoy.features.fail_on_any_deprecated_feature)',
    ]);
  });

  it('flags fields and enum values that are disallowed by default', () => {
    expect(
      routerWith((c) => {
        vhostOf(c).rate_limits = [{ actions: [{ dynamic_metadata: { descriptor_key: 'k', metadata_key: {} } }] }];
        c.dynamic_resources = {
          cds_config: { api_config_source: { api_type: 'DEPRECATED_AND_UNAVAILABLE_DO_NOT_USE' } },
        };
      }),
    ).toEqual(
      expect.arrayContaining([
        '$.dynamic_resources.cds_config.api_config_source.api_type: envoy.config.core.v3.ApiConfigSource.ApiType.DEPRECATED_AND_UNAVAILABLE_DO_NOT_USE is disallowed by default; Envoy rejects it unless a runtime override allows it',
        `${VHOST}.rate_limits[0].actions[0].dynamic_metadata: envoy.config.route.v3.RateLimit.Action.dynamic_metadata is disallowed by default; Envoy rejects it unless a runtime override allows it`,
      ]),
    );
  });

  it('ignores a deprecated scalar left at its default (it is not serialized)', () => {
    expect(routerWith((c) => (c.static_resources.listeners[0].reuse_port = false))).toEqual([]);
    expect(routerWith((c) => (c.static_resources.listeners[0].reuse_port = true))).toEqual([
      '$.static_resources.listeners[0].reuse_port: envoy.config.listener.v3.Listener.reuse_port is deprecated (since API 3.0); Envoy warns (or rejects with envoy.features.fail_on_any_deprecated_feature)',
    ]);
  });
});
