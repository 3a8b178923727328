import { ApiService, Basis, COMPONENT_SERVICES, RegistrationOrigin, TTI_LORAWAN_V3, TTN_LORAWAN_V3 } from '../api';
import { COMPONENTS, ComponentId, Edition } from '../components';
import { OwnedPath, groupByPrefix, longestFirst, ownerKey, samplePath, weakestBasis } from './http-prefixes';

/**
 * Which component serves which public HTTP path or gRPC service, derived from The Things Stack's API as checked in
 * under catalog/api (scripts/extract-tts-api.mjs): the services and HTTP bindings of lorawan-stack's protos at a
 * pinned commit, the services each component registers there, its other HTTP handlers, and the Enterprise
 * (tti.lorawan.v3) API of the docs. The router (official template 5-7) and the Identity Server proxy (5-3b) are
 * generated from it.
 */

export type { Basis } from '../api';

interface RouteBase {
  /** Components that serve the route, in order of preference; the first one that is deployed gets it. */
  readonly targets: readonly ComponentId[];
  /** Editions that serve the route. */
  readonly editions: readonly Edition[];
  /** The least certain fact behind the route: read in the code, in the docs, or inferred (`unconfirmed`). */
  readonly basis: Basis;
  /** Server or client streams (event streams, gateway links, stored uplinks): no route timeout. */
  readonly streaming?: boolean;
}

export interface HttpRouteSpec extends RouteBase {
  readonly kind: 'http';
  /** Path prefix, e.g. `/api/v3/as/`. */
  readonly prefix: string;
  /** Allow WebSocket upgrades (Console events, NOC). */
  readonly websocket?: boolean;
}

export interface GrpcRouteSpec extends RouteBase {
  readonly kind: 'grpc';
  /** Fully qualified service, e.g. `ttn.lorawan.v3.AppAs`; routed by the `/<service>/` path prefix. */
  readonly service: string;
}

export type RouteSpec = HttpRouteSpec | GrpcRouteSpec;

/** What the component id `is` stands for in a cluster. */
export type IdentityServerMode = 'local' | 'proxy';

export interface RoutingOptions {
  /**
   * `local`: `is` is the Identity Server. `proxy`: `is` is the Identity Server proxy of a secondary cluster, which
   * forwards only the routes that only the Identity Server serves ({@link identityServerRoutes}); a route other
   * components serve too (Events, Configuration, static assets) goes to one of those instead.
   * @default 'local'
   */
  readonly identityServer?: IdentityServerMode;
}

const EDITIONS: readonly Edition[] = ['open-source', 'enterprise'];
const API_ROOT = TTN_LORAWAN_V3.httpPrefix;

/** Every service definition of the data by fully qualified name: the snapshot first, then what only the docs know. */
const SERVICES = new Map<string, ApiService>([
  ...TTN_LORAWAN_V3.services.map((s) => [`${TTN_LORAWAN_V3.package}.${s.name}`, s] as const),
  ...TTI_LORAWAN_V3.ttnServicesOnlyInDocs.map((s) => [`${TTN_LORAWAN_V3.package}.${s.name}`, s] as const),
  ...TTI_LORAWAN_V3.services.map((s) => [`${TTI_LORAWAN_V3.package}.${s.name}`, s] as const),
]);

interface Server {
  readonly component: ComponentId;
  readonly origin: RegistrationOrigin;
  readonly gateway: boolean;
  readonly basis: Basis;
}

/** A component that starts a service itself before one that co-starts it, before one whose every process has it. */
const ORIGIN_RANK: Record<RegistrationOrigin, number> = { component: 0, 'co-started': 1, base: 2 };
const catalogIndex = (c: ComponentId): number => COMPONENTS.findIndex((x) => x.id === c);
const byPreference = (a: Server, b: Server): number =>
  ORIGIN_RANK[a.origin] - ORIGIN_RANK[b.origin] || catalogIndex(a.component) - catalogIndex(b.component);

/** Who serves each service in an edition, most preferred first. */
function serversOf(edition: Edition): Map<string, Server[]> {
  const servers = new Map<string, Server[]>();
  for (const { id, services } of COMPONENT_SERVICES.components) {
    for (const r of services) {
      if (!r.editions.includes(edition)) continue;
      if (!SERVICES.has(r.service)) throw new Error(`${r.service} (registered by ${id}) is in no API data`);
      const server = { component: id, origin: r.origin, gateway: r.gateway, basis: r.basis };
      servers.set(r.service, [...(servers.get(r.service) ?? []), server]);
    }
  }
  for (const list of servers.values()) list.sort(byPreference);
  return servers;
}

const isStreaming = (s: ApiService): boolean => s.rpcs.some((r) => r.clientStreaming || r.serverStreaming);
const basisOf = (servers: readonly Server[]): Basis => servers.map((s) => s.basis).reduce(weakestBasis);

function grpcRoutesOf(edition: Edition): GrpcRouteSpec[] {
  return [...serversOf(edition)].map(([service, servers]) => ({
    kind: 'grpc',
    service,
    targets: servers.map((s) => s.component),
    editions: [edition],
    basis: basisOf(servers),
    streaming: isStreaming(SERVICES.get(service)!),
  }));
}

/** Every HTTP path an edition serves under /api/v3: grpc-gateway bindings and the other API handlers. */
function apiPathsOf(edition: Edition): OwnedPath[] {
  const bindings = [...serversOf(edition)].flatMap(([service, all]) => {
    const servers = all.filter((s) => s.gateway);
    if (servers.length === 0) return [];
    return SERVICES.get(service)!.rpcs.flatMap((rpc) =>
      rpc.http.map((h) => ({
        path: `${API_ROOT}${h.path}`,
        owners: servers.map((s) => s.component),
        streaming: rpc.clientStreaming || rpc.serverStreaming,
        websocket: false,
        basis: basisOf(servers),
      })),
    );
  });
  const handlers = COMPONENT_SERVICES.web
    .filter((w) => w.api && w.editions.includes(edition))
    .map((w) => ({
      path: `${API_ROOT}${w.path}`,
      owners: w.components,
      streaming: w.streaming,
      websocket: w.websocket,
      basis: w.basis,
    }));
  return [...bindings, ...handlers];
}

/** Web apps, static assets and handlers outside /api/v3, each under its own fixed prefix. */
function mountsOf(edition: Edition): HttpRouteSpec[] {
  return COMPONENT_SERVICES.web
    .filter((w) => !w.api && w.editions.includes(edition))
    .map((w) => ({
      kind: 'http',
      prefix: w.path,
      targets: w.components,
      editions: [edition],
      basis: w.basis,
      streaming: w.streaming,
      websocket: w.websocket,
    }));
}

function httpRoutesOf(edition: Edition): HttpRouteSpec[] {
  const apiPaths = apiPathsOf(edition);
  const grouped: HttpRouteSpec[] = groupByPrefix(API_ROOT, apiPaths).map((g) => ({
    kind: 'http',
    prefix: g.prefix,
    targets: g.owners,
    editions: [edition],
    basis: g.basis,
    streaming: g.streaming,
    websocket: g.websocket,
  }));
  const mounts = mountsOf(edition);
  const routes = [...grouped, ...mounts];
  requireUnambiguous(edition, routes, [...apiPaths, ...mounts.map((m) => ({ path: m.prefix, owners: m.targets }))]);
  return routes;
}

/**
 * Fails unless every known path reaches the components that serve it when Envoy tries the routes longest prefix
 * first, and no prefix is routed twice.
 */
function requireUnambiguous(
  edition: Edition,
  routes: readonly HttpRouteSpec[],
  paths: readonly Pick<OwnedPath, 'path' | 'owners'>[],
): void {
  const prefixes = routes.map((r) => r.prefix);
  const duplicate = prefixes.find((p, i) => prefixes.indexOf(p) !== i);
  if (duplicate) throw new Error(`HTTP prefix ${duplicate} is routed twice (${edition})`);
  const ordered = longestFirst(routes);
  for (const { path, owners } of paths) {
    const sample = samplePath(path);
    const route = ordered.find((r) => sample.startsWith(r.prefix));
    if (!route || ownerKey(route.targets) !== ownerKey(owners)) {
      throw new Error(
        `HTTP route conflict (${edition}): ${path} is served by ${owners.join(', ')} but would reach ` +
          `${route ? `${route.prefix} (${route.targets.join(', ')})` : 'no route'}`,
      );
    }
  }
}

/** Routes computed per edition, one spec per route that is the same in several editions. */
function mergeEditions<T extends RouteSpec>(perEdition: readonly T[]): T[] {
  const merged = new Map<string, T>();
  for (const route of perEdition) {
    const key = JSON.stringify({ ...route, editions: undefined });
    const seen = merged.get(key);
    merged.set(key, seen ? { ...seen, editions: [...seen.editions, ...route.editions] } : route);
  }
  return [...merged.values()];
}

export const HTTP_ROUTES: readonly HttpRouteSpec[] = mergeEditions(EDITIONS.flatMap(httpRoutesOf)).sort((a, b) =>
  a.prefix.localeCompare(b.prefix),
);
export const GRPC_ROUTES: readonly GrpcRouteSpec[] = mergeEditions(EDITIONS.flatMap(grpcRoutesOf)).sort((a, b) =>
  a.service.localeCompare(b.service),
);
export const ROUTES: readonly RouteSpec[] = [...HTTP_ROUTES, ...GRPC_ROUTES];

/** A route whose target has been chosen among the deployed components. */
export type ResolvedRoute = RouteSpec & { readonly target: ComponentId };

/** The path prefix a route matches: its HTTP prefix, or `/<service>/` for gRPC. */
export function matchPrefixOf(route: RouteSpec): string {
  return route.kind === 'http' ? route.prefix : `/${route.service}/`;
}

/** Whether only the Identity Server serves the route: what a secondary's Identity Server proxy forwards. */
export function isIdentityServerOnly(route: RouteSpec): boolean {
  return route.targets.length === 1 && route.targets[0] === 'is';
}

/** routesFor's answers, by edition, Identity Server mode and component set. */
const resolvedRoutes = new Map<string, readonly ResolvedRoute[]>();

/**
 * The routes that reach a deployed component, each resolved to the first of its targets that is included,
 * most specific (longest) prefix first so that e.g. `/api/v3/console/` wins over `/`.
 */
export function routesFor(
  includedComponents: readonly ComponentId[],
  edition: Edition = 'enterprise',
  options: RoutingOptions = {},
): ResolvedRoute[] {
  const included = new Set(includedComponents);
  const proxy = (options.identityServer ?? 'local') === 'proxy';
  // Every cluster asks twice (its router and its security groups), with one of few component sets: the same answer.
  const key = `${edition}|${proxy}|${[...included].sort().join(',')}`;
  let resolved = resolvedRoutes.get(key);
  if (resolved === undefined) {
    const found: ResolvedRoute[] = [];
    for (const route of ROUTES) {
      if (!route.editions.includes(edition)) continue;
      // The proxy forwards Identity Server-only routes; anything else must reach a real local component.
      const candidates =
        proxy && !isIdentityServerOnly(route) ? route.targets.filter((t) => t !== 'is') : route.targets;
      const target = candidates.find((t) => included.has(t));
      if (target) found.push(Object.freeze({ ...route, target })); // shared by every caller with the same question
    }
    resolved = found.sort((a, b) => matchPrefixOf(b).length - matchPrefixOf(a).length);
    resolvedRoutes.set(key, resolved);
  }
  return [...resolved];
}

/** Routes served only by the Identity Server: what a secondary cluster forwards to the primary. */
export function identityServerRoutes(edition: Edition = 'enterprise'): RouteSpec[] {
  return ROUTES.filter((r) => r.editions.includes(edition) && isIdentityServerOnly(r));
}
