import { InvalidPropError } from '@tts-ecs/core';
import { Edition } from '../components';
import { ADMIN, EnvoyObject, RouteEntry, cluster, isHostName, listener, requireListenPorts } from './envoy';
import { identityServerRoutes, matchPrefixOf } from './routes';

export interface IdentityServerProxyConfigProps {
  /** Public domain of the primary cluster, e.g. `eu1.thethings.example.com` (its certificate must cover it). */
  readonly primaryDomain: string;
  /**
   * Ports the proxy listens on inside the secondary's VPC. The secondary's router and components reach the proxy
   * here as if it were the Identity Server. @default { http: 1885, grpc: 1884 } (the Identity Server's own ports)
   */
  readonly listenPorts?: { readonly http?: number; readonly grpc?: number };
  /** Primary's HTTPS port. @default 443 */
  readonly primaryHttpsPort?: number;
  /** Primary's gRPC-over-TLS port. @default 8884 */
  readonly primaryGrpcTlsPort?: number;
  /** @default 'enterprise' */
  readonly edition?: Edition;
  /** Route timeout of HTTP requests to the primary. @default '60s' */
  readonly httpTimeout?: string;
}

const WHERE = 'renderIdentityServerProxyConfig';
export const PRIMARY_HTTPS_CLUSTER = 'primary-is-https';
export const PRIMARY_GRPC_CLUSTER = 'primary-is-grpc';

/**
 * The Envoy v3 bootstrap of the Identity Server proxy of a secondary cluster (official template 5-3b): it forwards
 * Identity Server gRPC services and HTTP paths to the primary cluster's public endpoints over TLS, with SNI =
 * `primaryDomain`, the certificate verified against the system trust store and its DNS name checked. Nothing else
 * is forwarded, so a secondary never reaches the primary's other components through this proxy.
 *
 * The Host header is kept: in multi-tenant deployments the Identity Server infers the tenant from it.
 */
export function identityServerProxyConfig(props: IdentityServerProxyConfigProps): EnvoyObject {
  const ports = { http: props.listenPorts?.http ?? 1885, grpc: props.listenPorts?.grpc ?? 1884 };
  validate(props, ports);
  const routes = identityServerRoutes(props.edition ?? 'enterprise');
  const grpcRoutes: RouteEntry[] = routes
    .filter((r) => r.kind === 'grpc')
    .map((r) => ({ prefix: matchPrefixOf(r), cluster: PRIMARY_GRPC_CLUSTER, timeout: '0s' }));
  const httpRoutes: RouteEntry[] = routes
    .filter((r) => r.kind === 'http')
    .sort((a, b) => matchPrefixOf(b).length - matchPrefixOf(a).length)
    .map((r) => ({ prefix: matchPrefixOf(r), cluster: PRIMARY_HTTPS_CLUSTER, timeout: props.httpTimeout ?? '60s' }));
  return {
    admin: ADMIN,
    static_resources: {
      listeners: [
        // Components call the Identity Server's HTTP port for the REST API and gRPC on 1884; the router may send h2c.
        listener('http', ports.http, 'AUTO', [...grpcRoutes, ...httpRoutes]),
        listener('grpc', ports.grpc, 'HTTP2', grpcRoutes),
      ],
      clusters: [
        cluster({
          name: PRIMARY_HTTPS_CLUSTER,
          host: props.primaryDomain,
          port: props.primaryHttpsPort ?? 443,
          http2: false,
          tlsServerName: props.primaryDomain,
        }),
        cluster({
          name: PRIMARY_GRPC_CLUSTER,
          host: props.primaryDomain,
          port: props.primaryGrpcTlsPort ?? 8884,
          http2: true,
          tlsServerName: props.primaryDomain,
        }),
      ],
    },
  };
}

/** {@link identityServerProxyConfig} as the JSON text Envoy reads. */
export function renderIdentityServerProxyConfig(props: IdentityServerProxyConfigProps): string {
  return JSON.stringify(identityServerProxyConfig(props), null, 2);
}

function validate(props: IdentityServerProxyConfigProps, ports: { http: number; grpc: number }): void {
  if (!isHostName(props.primaryDomain) || !props.primaryDomain.includes('.')) {
    throw new InvalidPropError(
      WHERE,
      'primaryDomain',
      props.primaryDomain,
      'Give the primary cluster\'s public DNS name without scheme, port or path, e.g. "eu1.thethings.example.com".',
    );
  }
  requireListenPorts(WHERE, ports);
  for (const [field, port] of [
    ['primaryHttpsPort', props.primaryHttpsPort],
    ['primaryGrpcTlsPort', props.primaryGrpcTlsPort],
  ] as const) {
    if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) {
      throw new InvalidPropError(WHERE, field, port, 'Use a whole number from 1 to 65535.');
    }
  }
}
