import { ComponentId, Edition } from '../catalog/components';

/**
 * Which component serves which public HTTP path or gRPC service, as data. The router (official template 5-7) and
 * the Identity Server proxy (5-3b) are generated from this table.
 *
 * `confidence: 'verified'` routes were read from The Things Stack source (the services each component registers in
 * RegisterServices, and the google.api.http paths of their protos, mounted under /api/v3). `assumed` routes follow
 * the same naming pattern but could not be confirmed from a public source; see the tts package report.
 */
export type Confidence = 'verified' | 'assumed';

interface RouteBase {
  /** Candidate components in order of preference; the first one that is deployed serves the route. */
  readonly targets: readonly ComponentId[];
  readonly confidence: Confidence;
  /** Editions that serve the route. */
  readonly editions: readonly Edition[];
  /** Long-lived streams (event streams, gateway and application links): no route timeout. */
  readonly streaming?: boolean;
}

export interface HttpRouteSpec extends RouteBase {
  readonly kind: 'http';
  /** Path prefix, e.g. `/api/v3/as/`. */
  readonly prefix: string;
  /** Allow WebSocket upgrades (Console and NOC live views). */
  readonly websocket?: boolean;
}

export interface GrpcRouteSpec extends RouteBase {
  readonly kind: 'grpc';
  /** Fully qualified service, e.g. `ttn.lorawan.v3.AppAs`; routed by the `/<service>/` path prefix. */
  readonly service: string;
}

export type RouteSpec = HttpRouteSpec | GrpcRouteSpec;

const BOTH: readonly Edition[] = ['open-source', 'enterprise'];
const ENT: readonly Edition[] = ['enterprise'];
/** Every component registers the Events and Configuration services; any one of them can answer. */
const ANY: readonly ComponentId[] = ['is', 'ns', 'as', 'gs', 'js', 'console'];

function http(
  prefix: string,
  targets: ComponentId | readonly ComponentId[],
  confidence: Confidence,
  extra: Partial<HttpRouteSpec> = {},
): HttpRouteSpec {
  return {
    kind: 'http',
    prefix,
    targets: typeof targets === 'string' ? [targets] : targets,
    confidence,
    editions: BOTH,
    ...extra,
  };
}

function grpc(
  target: ComponentId | readonly ComponentId[],
  confidence: Confidence,
  names: string[],
  extra: Partial<GrpcRouteSpec> = {},
): GrpcRouteSpec[] {
  const targets = typeof target === 'string' ? [target] : target;
  return names.map((n) => ({
    kind: 'grpc',
    service: `ttn.lorawan.v3.${n}`,
    targets,
    confidence,
    editions: BOTH,
    ...extra,
  }));
}

export const HTTP_ROUTES: readonly HttpRouteSpec[] = [
  // Identity Server REST (grpc-gateway under /api/v3) and the OAuth server / Account app.
  ...[
    'applications',
    'users',
    'gateways',
    'organizations',
    'clients',
    'auth_info',
    'is',
    'search',
    'contact_info',
    'invitations',
  ].map((p) => http(`/api/v3/${p}`, 'is', 'verified')),
  http('/api/v3/email', 'is', 'assumed'),
  http('/api/v3/tenants', 'is', 'assumed', { editions: ENT }),
  http('/oauth', 'is', 'verified'),
  // Per-component REST prefixes.
  http('/api/v3/gs/', 'gs', 'verified'),
  http('/api/v3/ns/', 'ns', 'verified'),
  http('/api/v3/as/', 'as', 'verified', { streaming: true }),
  http('/api/v3/js/', 'js', 'verified'),
  http('/api/v3/gcs/', 'gcs', 'assumed'),
  http('/update-info', 'gcs', 'assumed'), // LoRa Basics Station CUPS
  http('/api/v2/', 'gcs', 'assumed'), // The Things Kickstarter Gateway
  http('/api/v3/edcs/', 'dcs', 'verified'),
  http('/api/v3/gcls/', 'dcs', 'verified'),
  http('/api/v3/qr-codes/', 'qrg', 'verified'),
  http('/api/v3/edtc/', 'dtc', 'assumed'),
  http('/api/v3/dr/', 'dr', 'assumed'),
  http('/api/v3/pba/', 'pba', 'assumed'),
  http('/api/v3/noc/', 'noc', 'assumed', { editions: ENT }),
  http('/api/v3/tbs/', 'tbs', 'assumed', { editions: ENT }),
  http('/api/v3/console/internal/events/', 'console', 'assumed', { streaming: true, websocket: true }),
  http('/api/v3/events', ANY, 'assumed', { streaming: true, websocket: true }),
  http('/api/v3/configuration/', ANY, 'assumed'),
  // Web UIs and their static assets (every web UI serves /assets from the same image).
  http('/console', 'console', 'verified'),
  http('/noc', 'noc', 'assumed', { editions: ENT, websocket: true }),
  http('/assets/', ['console', 'is'], 'verified'),
  // The Console (or the Account app) redirects `/` to its mount.
  http('/', ['console', 'is'], 'verified'),
];

export const GRPC_ROUTES: readonly GrpcRouteSpec[] = [
  ...grpc('is', 'verified', [
    'Is',
    'EntityAccess',
    'ApplicationRegistry',
    'ApplicationAccess',
    'ClientRegistry',
    'ClientAccess',
    'EndDeviceRegistry',
    'GatewayRegistry',
    'GatewayAccess',
    'GatewayBatchRegistry',
    'GatewayBatchAccess',
    'OrganizationRegistry',
    'OrganizationAccess',
    'UserRegistry',
    'UserAccess',
    'UserSessionRegistry',
    'UserInvitationRegistry',
    'EntityRegistrySearch',
    'EndDeviceRegistrySearch',
    'OAuthAuthorizationRegistry',
    'ContactInfoRegistry',
    'NotificationService',
    'EndDeviceBatchRegistry',
  ]),
  ...grpc('is', 'assumed', ['EmailValidationRegistry']),
  ...grpc('is', 'verified', ['TenantAccess'], { editions: ENT }),
  ...grpc('is', 'assumed', ['TenantRegistry'], { editions: ENT }),
  ...grpc('gs', 'verified', ['Gs', 'NsGs']),
  ...grpc('gs', 'verified', ['GtwGs'], { streaming: true }),
  ...grpc('ns', 'verified', [
    'GsNs',
    'AsNs',
    'NsEndDeviceRegistry',
    'NsEndDeviceBatchRegistry',
    'Ns',
    'NsRelayConfigurationService',
    'NsMACSettingsProfileRegistry',
  ]),
  ...grpc('as', 'verified', [
    'As',
    'NsAs',
    'AsEndDeviceRegistry',
    'ApplicationWebhookRegistry',
    'ApplicationPubSubRegistry',
    'ApplicationUpStorage',
  ]),
  ...grpc('as', 'verified', ['AppAs'], { streaming: true }),
  ...grpc('as', 'assumed', ['ApplicationPackageRegistry']),
  ...grpc('js', 'verified', [
    'AsJs',
    'AppJs',
    'NsJs',
    'JsEndDeviceRegistry',
    'JsEndDeviceBatchRegistry',
    'Js',
    'ApplicationActivationSettingRegistry',
  ]),
  ...grpc('dcs', 'verified', ['EndDeviceClaimingServer', 'EndDeviceBatchClaimingServer', 'GatewayClaimingServer']),
  ...grpc('qrg', 'verified', ['EndDeviceQRCodeGenerator', 'GatewayQRCodeGenerator']),
  ...grpc('dtc', 'assumed', ['EndDeviceTemplateConverter']),
  ...grpc('gcs', 'assumed', ['GatewayConfigurationService']),
  ...grpc('dr', 'assumed', ['DeviceRepository']),
  ...grpc('pba', 'assumed', ['Pba', 'GsPba', 'NsPba']),
  ...grpc('tbs', 'assumed', ['Tbs'], { editions: ENT }),
  ...grpc(ANY, 'verified', ['Configuration']),
  ...grpc(ANY, 'verified', ['Events'], { streaming: true }),
];

export const ROUTES: readonly RouteSpec[] = [...HTTP_ROUTES, ...GRPC_ROUTES];

/** A route whose target has been chosen among the deployed components. */
export type ResolvedRoute = RouteSpec & { readonly target: ComponentId };

/** The path prefix a route matches: its HTTP prefix, or `/<service>/` for gRPC. */
export function matchPrefixOf(route: RouteSpec): string {
  return route.kind === 'http' ? route.prefix : `/${route.service}/`;
}

/**
 * The routes that reach a deployed component, each resolved to the first of its targets that is included,
 * most specific (longest) prefix first so that e.g. `/api/v3/console/internal/events/` wins over `/`.
 */
export function routesFor(
  includedComponents: readonly ComponentId[],
  edition: Edition = 'enterprise',
): ResolvedRoute[] {
  const included = new Set(includedComponents);
  const resolved: ResolvedRoute[] = [];
  for (const route of ROUTES) {
    if (!route.editions.includes(edition)) continue;
    const target = route.targets.find((t) => included.has(t));
    if (target) resolved.push({ ...route, target });
  }
  return resolved.sort((a, b) => matchPrefixOf(b).length - matchPrefixOf(a).length);
}

/** Routes served only by the Identity Server: what a secondary cluster forwards to the primary. */
export function identityServerRoutes(edition: Edition = 'enterprise'): RouteSpec[] {
  return ROUTES.filter((r) => r.editions.includes(edition) && r.targets.length === 1 && r.targets[0] === 'is');
}
