import { InvalidPropError } from '@tts-ecs/core';

/**
 * Small builders for Envoy v3 bootstrap objects, shared by the router and the Identity Server proxy.
 * Envoy reads the bootstrap as JSON or YAML; we emit JSON (`envoy -c envoy.json`).
 */
export type EnvoyObject = Record<string, unknown>;

const HCM = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
const ROUTER = 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router';
const HTTP_OPTIONS = 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions';
const UPSTREAM_TLS = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext';

/**
 * Admin interface on loopback only, never reachable from the network. A container health check can probe
 * `http://127.0.0.1:9901/ready` (Envoy answers 200 once its listeners are up), with whatever client the image has.
 */
export const ADMIN = { address: { socket_address: { address: '127.0.0.1', port_value: 9901 } } };

export interface RouteEntry {
  readonly prefix: string;
  readonly cluster: string;
  /** `0s` disables the route timeout (streams). */
  readonly timeout: string;
  readonly websocket?: boolean;
  /** Rewrite the Host header to this value. */
  readonly hostRewrite?: string;
}

export interface ListenerOptions {
  /**
   * The scheme the client used, when it differs from the connection Envoy sees: traffic of the NLB's TLS listeners
   * arrives in cleartext, so Envoy would send `X-Forwarded-Proto: http` and TTS (which trusts the router) would drop
   * `Secure` from its cookies (pkg/webmiddleware/proxy_headers.go, pkg/web/cookie). @default the connection's scheme
   */
  readonly forwardedProto?: 'https';
}

/** An HTTP connection manager listener routing by path prefix, in the given order (first match wins). */
export function listener(
  name: string,
  port: number,
  codec: 'AUTO' | 'HTTP2',
  routes: readonly RouteEntry[],
  options: ListenerOptions = {},
): EnvoyObject {
  return {
    name,
    address: { socket_address: { address: '0.0.0.0', port_value: port } },
    filter_chains: [
      {
        filters: [
          {
            name: 'envoy.filters.network.http_connection_manager',
            typed_config: {
              '@type': HCM,
              stat_prefix: name,
              codec_type: codec,
              // The NLB passes the client connection through: its address is the remote address.
              use_remote_address: true,
              // Long-lived streams (gateway links, event streams) send data regularly; an idle hour is a dead peer.
              stream_idle_timeout: '3600s',
              upgrade_configs: routes.some((r) => r.websocket)
                ? [{ upgrade_type: 'websocket', enabled: false }]
                : undefined,
              route_config: {
                name: `${name}-routes`,
                virtual_hosts: [{ name, domains: ['*'], routes: routes.map(routeOf) }],
                // Applied by the router filter after the connection manager set the header from the connection.
                ...(options.forwardedProto
                  ? {
                      request_headers_to_add: [
                        {
                          header: { key: 'x-forwarded-proto', value: options.forwardedProto },
                          append_action: 'OVERWRITE_IF_EXISTS_OR_ADD',
                        },
                      ],
                    }
                  : {}),
              },
              http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': ROUTER } }],
            },
          },
        ],
      },
    ],
  };
}

function routeOf(r: RouteEntry): EnvoyObject {
  return {
    match: { prefix: r.prefix },
    route: {
      cluster: r.cluster,
      timeout: r.timeout,
      ...(r.websocket ? { upgrade_configs: [{ upgrade_type: 'websocket', enabled: true }] } : {}),
      ...(r.hostRewrite ? { host_rewrite_literal: r.hostRewrite } : {}),
    },
  };
}

export interface ClusterOptions {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** HTTP/2 to the upstream (required for gRPC). */
  readonly http2: boolean;
  /** Originate TLS with this SNI and verify the upstream certificate against the system trust store. */
  readonly tlsServerName?: string;
}

/** System CA bundle of the Envoy image (Debian/Ubuntu path). */
export const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/** A STRICT_DNS cluster: every A record of `host` is an endpoint (Cloud Map names and NLBs resolve to several). */
export function cluster(o: ClusterOptions): EnvoyObject {
  const protocol = o.http2 ? { http2_protocol_options: {} } : { http_protocol_options: {} };
  return {
    name: o.name,
    type: 'STRICT_DNS',
    connect_timeout: '5s',
    dns_lookup_family: 'V4_ONLY',
    lb_policy: 'ROUND_ROBIN',
    typed_extension_protocol_options: {
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
        '@type': HTTP_OPTIONS,
        explicit_http_config: protocol,
      },
    },
    load_assignment: {
      cluster_name: o.name,
      endpoints: [
        { lb_endpoints: [{ endpoint: { address: { socket_address: { address: o.host, port_value: o.port } } } }] },
      ],
    },
    ...(o.tlsServerName
      ? {
          transport_socket: {
            name: 'envoy.transport_sockets.tls',
            typed_config: {
              '@type': UPSTREAM_TLS,
              sni: o.tlsServerName,
              common_tls_context: {
                tls_params: { tls_minimum_protocol_version: 'TLSv1_2' },
                alpn_protocols: [o.http2 ? 'h2' : 'http/1.1'],
                validation_context: {
                  trusted_ca: { filename: SYSTEM_CA_BUNDLE },
                  match_typed_subject_alt_names: [{ san_type: 'DNS', matcher: { exact: o.tlsServerName } }],
                },
              },
            },
          },
        }
      : {}),
  };
}

/**
 * Rejects listener ports an unprivileged container cannot listen on, and two listeners on the same port.
 * @param where the function named in the error (e.g. `renderRouterConfig`)
 */
export function requireListenPorts(where: string, ports: Readonly<Record<string, number>>): void {
  for (const [field, port] of Object.entries(ports)) {
    if (!(Number.isInteger(port) && port >= 1024 && port <= 65535))
      throw new InvalidPropError(
        where,
        `listenPorts.${field}`,
        port,
        'Use a whole number from 1024 to 65535 (the container runs unprivileged).',
      );
  }
  if (new Set(Object.values(ports)).size !== Object.keys(ports).length)
    throw new InvalidPropError(where, 'listenPorts', ports, 'Give every listener a port of its own.');
}

/** RFC 1123 host name (no scheme, path or port). */
export function isHostName(host: string): boolean {
  return (
    host.length <= 253 &&
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(host)
  );
}
