import { InvalidPropError } from '@tts-ecs/core';
import { COMPONENTS, ComponentId, Edition, INTERNAL_PORTS, componentOf } from '../components';
import { ADMIN, EnvoyObject, RouteEntry, cluster, isHostName, listener, requireListenPorts } from './envoy';
import { IdentityServerMode, ResolvedRoute, matchPrefixOf, routesFor } from './routes';

/** Ports the router listens on. The NLB forwards 80 to `http`, 443 to `https` and 1884/8884 to `grpc`. */
export interface RouterListenPorts {
  /** HTTP/1.1 and cleartext HTTP/2 (h2c) from the NLB's plain listener 80. @default 8080 */
  readonly http?: number;
  /**
   * The same routes for traffic whose TLS the NLB terminated (443): requests leave with `X-Forwarded-Proto: https`,
   * so TTS sets `Secure` cookies. @default 8443
   */
  readonly https?: number;
  /** gRPC (cleartext HTTP/2) from the NLB's 1884 and 8884 listeners. @default 1884 */
  readonly grpc?: number;
}

export interface RouterConfigProps {
  /** Components deployed in this cluster. In a secondary, `is` stands for the Identity Server proxy. */
  readonly includedComponents: readonly ComponentId[];
  /**
   * DNS name of a component's tasks inside the VPC, typically its Cloud Map name (`gs.tts.internal`).
   * Called once per routed component.
   */
  readonly upstreamHost: (component: ComponentId) => string;
  /** @default 'enterprise' */
  readonly edition?: Edition;
  /** @default { http: 8080, grpc: 1884 } */
  readonly listenPorts?: RouterListenPorts;
  /** Route timeout of non-streaming HTTP routes. @default '60s' */
  readonly httpTimeout?: string;
  /**
   * What `is` in {@link includedComponents} is: the Identity Server (`local`, a primary), or the Identity Server proxy
   * of a secondary (`proxy`), which forwards only what only the Identity Server serves; the routes other components
   * serve too (Events, Configuration, static assets) then go to a local component. @default 'local'
   */
  readonly identityServer?: IdentityServerMode;
}

const WHERE = 'renderRouterConfig';

/** Envoy cluster names used by the router. */
export function httpClusterOf(component: ComponentId): string {
  return `${component}-http`;
}
export function grpcClusterOf(component: ComponentId): string {
  return `${component}-grpc`;
}

/**
 * The Envoy v3 bootstrap of the HTTP/gRPC router (official template 5-7) as an object.
 *
 * TLS terminates at the NLB (ACM certificate, TLS >= 1.2); the router and the components talk cleartext inside the
 * VPC, where security groups admit only the NLB and the router. Each routed component gets an HTTP cluster (port
 * 1885) and/or a gRPC cluster (port 1884, HTTP/2), both STRICT_DNS to `upstreamHost(component)`.
 */
export function routerConfig(props: RouterConfigProps): EnvoyObject {
  const ports = {
    http: props.listenPorts?.http ?? 8080,
    https: props.listenPorts?.https ?? 8443,
    grpc: props.listenPorts?.grpc ?? 1884,
  };
  const included = validate(props, ports);
  const edition = props.edition ?? 'enterprise';
  const routes = routesFor(included, edition, { identityServer: props.identityServer ?? 'local' });
  const httpRoutes = routes.filter((r) => r.kind === 'http');
  const grpcRoutes = routes.filter((r) => r.kind === 'grpc');
  const httpTimeout = props.httpTimeout ?? '60s';

  const entry = (r: ResolvedRoute, clusterName: string): RouteEntry => ({
    prefix: matchPrefixOf(r),
    cluster: clusterName,
    // gRPC clients carry their own deadlines; streams must not be cut by the proxy.
    timeout: r.kind === 'grpc' || r.streaming ? '0s' : httpTimeout,
    websocket: r.kind === 'http' && r.websocket,
  });
  // gRPC also arrives on the HTTP listener (h2c through the NLB's 443 with ALPN h2), so that listener routes both.
  const httpListenerRoutes = [
    ...grpcRoutes.map((r) => entry(r, grpcClusterOf(r.target))),
    ...httpRoutes.map((r) => entry(r, httpClusterOf(r.target))),
  ];
  const grpcListenerRoutes = grpcRoutes.map((r) => entry(r, grpcClusterOf(r.target)));

  const hosts = new Map<ComponentId, string>();
  const hostOf = (c: ComponentId): string => {
    if (!hosts.has(c)) {
      const host = props.upstreamHost(c);
      if (!isHostName(host)) {
        throw new InvalidPropError(
          WHERE,
          `upstreamHost(${JSON.stringify(c)})`,
          host,
          'Return a DNS name without scheme or port, e.g. "gs.tts.internal".',
        );
      }
      hosts.set(c, host);
    }
    return hosts.get(c)!;
  };
  const clusters = [
    ...unique(httpRoutes.map((r) => r.target)).map((c) =>
      cluster({ name: httpClusterOf(c), host: hostOf(c), port: INTERNAL_PORTS.http, http2: false }),
    ),
    ...unique(grpcRoutes.map((r) => r.target)).map((c) =>
      cluster({ name: grpcClusterOf(c), host: hostOf(c), port: INTERNAL_PORTS.grpc, http2: true }),
    ),
  ];

  return {
    admin: ADMIN,
    static_resources: {
      listeners: [
        listener('http', ports.http, 'AUTO', httpListenerRoutes),
        listener('https', ports.https, 'AUTO', httpListenerRoutes, { forwardedProto: 'https' }),
        listener('grpc', ports.grpc, 'HTTP2', grpcListenerRoutes),
      ],
      clusters,
    },
  };
}

/** {@link routerConfig} as the JSON text Envoy reads (`envoy -c /etc/envoy/envoy.json`). */
export function renderRouterConfig(props: RouterConfigProps): string {
  return JSON.stringify(routerConfig(props), null, 2);
}

function validate(props: RouterConfigProps, ports: Required<RouterListenPorts>): ComponentId[] {
  const known = new Set(COMPONENTS.map((c) => c.id));
  for (const c of props.includedComponents) {
    if (!known.has(c)) {
      throw new InvalidPropError(
        WHERE,
        'includedComponents',
        c,
        `Use component ids of the catalog: ${[...known].join(', ')}.`,
      );
    }
  }
  const edition = props.edition ?? 'enterprise';
  for (const c of props.includedComponents) {
    if (!componentOf(c).editions.includes(edition)) {
      throw new InvalidPropError(
        WHERE,
        'includedComponents',
        c,
        `The ${componentOf(c).name} is not part of The Things Stack ${edition}; remove it or use the enterprise edition.`,
      );
    }
  }
  if (props.includedComponents.length === 0) {
    throw new InvalidPropError(
      WHERE,
      'includedComponents',
      [],
      'Include at least one component that serves HTTP or gRPC.',
    );
  }
  requireListenPorts(WHERE, ports);
  return unique(props.includedComponents);
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
