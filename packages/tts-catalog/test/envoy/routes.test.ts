import { COMPONENT_SERVICES, TTI_LORAWAN_V3, TTN_LORAWAN_V3 } from '../../src/api';
import { COMPONENTS, ComponentId, Edition } from '../../src';
import { identityServerProxyConfig, renderRouterConfig } from '../../src/envoy';
import { groupByPrefix, longestPrefixMatch, samplePath } from '../../src/envoy/http-prefixes';
import {
  HttpRouteSpec,
  ROUTES,
  ResolvedRoute,
  identityServerRoutes,
  matchPrefixOf,
  routesFor,
} from '../../src/envoy/routes';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const EDITIONS: Edition[] = ['open-source', 'enterprise'];
const ALL: ComponentId[] = COMPONENTS.map((c) => c.id);
const OSS: ComponentId[] = COMPONENTS.filter((c) => c.editions.includes('open-source')).map((c) => c.id);
const allOf = (edition: Edition): ComponentId[] => (edition === 'enterprise' ? ALL : OSS);
const sameSet = (a: readonly string[], b: readonly string[]): boolean => [...a].sort().join() === [...b].sort().join();

/** Who registers each service in an edition, straight from the registration data. */
function registrants(edition: Edition, gatewayOnly = false): Map<string, ComponentId[]> {
  const out = new Map<string, ComponentId[]>();
  for (const c of COMPONENT_SERVICES.components) {
    for (const s of c.services) {
      if (s.editions.includes(edition) && (!gatewayOnly || s.gateway)) {
        out.set(s.service, [...(out.get(s.service) ?? []), c.id]);
      }
    }
  }
  return out;
}

/** Every HTTP binding of the data with its fully qualified service. */
function bindings(): { service: string; path: string; streaming: boolean }[] {
  const of = (pkg: string, services: typeof TTN_LORAWAN_V3.services) =>
    services.flatMap((s) =>
      s.rpcs.flatMap((r) =>
        r.http.map((h) => ({
          service: `${pkg}.${s.name}`,
          path: `/api/v3${h.path}`,
          streaming: r.clientStreaming || r.serverStreaming,
        })),
      ),
    );
  return [
    ...of('ttn.lorawan.v3', TTN_LORAWAN_V3.services),
    ...of('ttn.lorawan.v3', TTI_LORAWAN_V3.ttnServicesOnlyInDocs),
    ...of('tti.lorawan.v3', TTI_LORAWAN_V3.services),
  ];
}

const httpRoutesOf = (edition: Edition): HttpRouteSpec[] =>
  ROUTES.filter((r): r is HttpRouteSpec => r.kind === 'http' && r.editions.includes(edition));
const grpcTarget = (routes: ResolvedRoute[], service: string): ComponentId | undefined =>
  routes.find((r) => r.kind === 'grpc' && r.service === service)?.target;
const httpTarget = (routes: ResolvedRoute[], prefix: string): ComponentId | undefined =>
  routes.find((r) => r.kind === 'http' && r.prefix === prefix)?.target;

describe('API data', () => {
  it('names the commits it was extracted from', () => {
    expect(TTN_LORAWAN_V3.source).toMatchObject({
      repository: 'https://github.com/TheThingsNetwork/lorawan-stack',
      commit: '1d2182161975e038d6634b7dd4dd15fda86b1d68',
      ref: expect.stringMatching(/^v3\.32\.1-/),
    });
    expect(TTI_LORAWAN_V3.source).toMatchObject({
      repository: 'https://github.com/TheThingsIndustries/lorawan-stack-docs',
      commit: 'a189a5255199ce9ac016abbcf66d69fd3a73fed9',
    });
    expect(COMPONENT_SERVICES.source).toEqual(TTN_LORAWAN_V3.source);
    expect(COMPONENT_SERVICES.docsSource).toEqual(TTI_LORAWAN_V3.source);
  });

  it('cites a source for every registration and handler', () => {
    for (const c of COMPONENT_SERVICES.components) {
      for (const s of c.services) expect(s.source).toMatch(/\.(go|md|yml)\b/);
    }
    for (const w of COMPONENT_SERVICES.web) expect(w.source.length).toBeGreaterThan(0);
  });

  it('routes every service of the API or says why not', () => {
    const routed = new Set(ROUTES.flatMap((r) => (r.kind === 'grpc' ? [r.service] : [])));
    const unserved = new Set(COMPONENT_SERVICES.unserved.map((u) => u.service));
    for (const s of TTN_LORAWAN_V3.services) {
      const name = `ttn.lorawan.v3.${s.name}`;
      expect([name, routed.has(name) !== unserved.has(name)]).toEqual([name, true]);
    }
    for (const s of TTI_LORAWAN_V3.services) {
      const name = `tti.lorawan.v3.${s.name}`;
      expect([name, routed.has(name) !== unserved.has(name)]).toEqual([name, true]);
    }
  });
});

describe('gRPC routes', () => {
  it.each(EDITIONS)('go, one per service, to the components that register the service (%s)', (edition) => {
    const registered = registrants(edition);
    const routes = ROUTES.filter((r) => r.kind === 'grpc' && r.editions.includes(edition));
    expect(routes.map((r) => (r.kind === 'grpc' ? r.service : '')).sort()).toEqual([...registered.keys()].sort());
    for (const r of routes) {
      if (r.kind !== 'grpc') continue;
      expect([r.service, ...r.targets].sort()).toEqual([r.service, ...registered.get(r.service)!].sort());
    }
  });

  it('routes the Enterprise services as tti.lorawan.v3, in the Enterprise edition only', () => {
    const enterprise = routesFor(ALL, 'enterprise');
    expect(grpcTarget(enterprise, 'tti.lorawan.v3.TenantRegistry')).toBe('is');
    expect(grpcTarget(enterprise, 'tti.lorawan.v3.TenantAccess')).toBe('is');
    expect(grpcTarget(enterprise, 'tti.lorawan.v3.Tbs')).toBe('tbs');
    expect(grpcTarget(enterprise, 'tti.lorawan.v3.Noc')).toBe('noc');
    for (const name of ['TenantRegistry', 'TenantAccess', 'Tbs', 'Noc']) {
      expect(grpcTarget(enterprise, `ttn.lorawan.v3.${name}`)).toBeUndefined();
    }
    const oss = routesFor(OSS, 'open-source');
    expect(oss.filter((r) => matchPrefixOf(r).startsWith('/tti.'))).toEqual([]);
    // Storage Integration: a public proto, served by the Enterprise Application Server only.
    expect(grpcTarget(enterprise, 'ttn.lorawan.v3.ApplicationUpStorage')).toBe('as');
    expect(grpcTarget(oss, 'ttn.lorawan.v3.ApplicationUpStorage')).toBeUndefined();
  });

  it('marks streaming services', () => {
    const streaming = new Set(ROUTES.filter((r) => r.streaming).map(matchPrefixOf));
    for (const s of ['GtwGs', 'AppAs', 'Events']) expect(streaming).toContain(`/ttn.lorawan.v3.${s}/`);
    expect(streaming).not.toContain('/ttn.lorawan.v3.Is/');
  });

  it('prefers the component that starts a service itself, then the catalog order', () => {
    expect(grpcTarget(routesFor(['dcs', 'dtc']), 'ttn.lorawan.v3.EndDeviceTemplateConverter')).toBe('dtc');
    // `start dcs` also starts the Device Template Converter and the QR Code Generator.
    expect(grpcTarget(routesFor(['dcs']), 'ttn.lorawan.v3.EndDeviceTemplateConverter')).toBe('dcs');
    expect(grpcTarget(routesFor(['ns', 'gs']), 'ttn.lorawan.v3.Events')).toBe('gs');
  });
});

describe('HTTP routes', () => {
  it.each(EDITIONS)('send every binding to a component that serves it through grpc-gateway (%s)', (edition) => {
    const servers = registrants(edition, true);
    const routes = httpRoutesOf(edition);
    for (const b of bindings().filter((x) => servers.has(x.service))) {
      const route = longestPrefixMatch(routes, samplePath(b.path));
      expect([b.path, route?.targets.slice().sort()]).toEqual([b.path, servers.get(b.service)!.slice().sort()]);
      if (b.streaming) expect([b.path, route?.streaming]).toEqual([b.path, true]);
    }
  });

  it.each(EDITIONS)('send every other HTTP handler to the components that register it (%s)', (edition) => {
    const routes = httpRoutesOf(edition);
    for (const w of COMPONENT_SERVICES.web.filter((x) => x.editions.includes(edition))) {
      const path = w.api ? `/api/v3${w.path}` : w.path;
      const route = longestPrefixMatch(routes, samplePath(path))!;
      expect([path, route.targets]).toEqual([path, w.components]);
      if (w.websocket) expect([path, route.websocket]).toEqual([path, true]);
    }
  });

  it.each(EDITIONS)('route nothing under /api/v3 that the data does not serve there (%s)', (edition) => {
    const servers = registrants(edition, true);
    const paths = [
      ...bindings()
        .filter((b) => servers.has(b.service))
        .map((b) => ({ path: b.path, owners: servers.get(b.service)! })),
      ...COMPONENT_SERVICES.web
        .filter((w) => w.api && w.editions.includes(edition))
        .map((w) => ({ path: `/api/v3${w.path}`, owners: w.components })),
    ];
    for (const r of httpRoutesOf(edition).filter((x) => x.prefix.startsWith('/api/v3/'))) {
      const covered = paths.filter((p) => samplePath(p.path).startsWith(r.prefix));
      expect([r.prefix, covered.length > 0]).toEqual([r.prefix, true]);
      expect([r.prefix, covered.every((p) => sameSet(p.owners, r.targets))]).toEqual([r.prefix, true]);
    }
  });

  it('groups paths into the shortest unambiguous prefixes', () => {
    const prefixes = httpRoutesOf('enterprise').map((r) => r.prefix);
    expect(prefixes).toEqual(
      expect.arrayContaining([
        '/api/v3/as/',
        '/api/v3/ns/',
        '/api/v3/js/',
        '/api/v3/gs/',
        '/api/v3/applications',
        '/api/v3/users',
        '/api/v3/events',
        '/api/v3/configuration/',
        '/api/v3/tenants',
        '/api/v3/tbs/',
        '/api/v3/noc/',
        '/api/v3/console/',
      ]),
    );
    // Today's API needs nothing deeper than one segment below /api/v3.
    for (const p of prefixes.filter((x) => x.startsWith('/api/v3/'))) expect(p).toMatch(/^\/api\/v3\/[^/]+\/?$/);
    const enterprise = routesFor(ALL, 'enterprise');
    expect(httpTarget(enterprise, '/api/v3/tenants')).toBe('is');
    expect(httpTarget(enterprise, '/api/v3/tbs/')).toBe('tbs');
    expect(httpTarget(routesFor(OSS, 'open-source'), '/api/v3/tenants')).toBeUndefined();
  });

  it('keeps the streams open: events, Console events (WebSocket), Enterprise stored uplinks', () => {
    const enterprise = routesFor(ALL, 'enterprise');
    const find = (prefix: string) => enterprise.find((r) => r.kind === 'http' && r.prefix === prefix) as HttpRouteSpec;
    expect(find('/api/v3/events')).toMatchObject({ streaming: true, websocket: false });
    expect(find('/api/v3/console/')).toMatchObject({ target: 'console', streaming: true, websocket: true });
    expect(find('/api/v3/as/')).toMatchObject({ target: 'as', streaming: true });
    expect(routesFor(OSS, 'open-source').find((r) => matchPrefixOf(r) === '/api/v3/as/')?.streaming).toBe(false);
  });
});

describe('groupByPrefix', () => {
  const path = (p: string, owners: ComponentId[]) => ({
    path: p,
    owners,
    streaming: false,
    websocket: false,
    basis: 'code' as const,
  });

  it('goes one segment deeper only where another component serves a path', () => {
    const groups = groupByPrefix('/api/v3', [
      path('/api/v3/applications', ['is']),
      path('/api/v3/applications/{id}/rights', ['is']),
      path('/api/v3/x/a/{id}', ['is']),
      path('/api/v3/x/a/{id}/b', ['is']),
      path('/api/v3/x/c/{id}', ['as']),
    ]);
    expect(groups.map((g) => [g.prefix, g.owners])).toEqual([
      ['/api/v3/applications', ['is']],
      ['/api/v3/x/a/', ['is']],
      ['/api/v3/x/c/', ['as']],
    ]);
  });

  it('refuses paths it cannot separate by whole literal segments', () => {
    expect(() =>
      groupByPrefix('/api/v3', [path('/api/v3/a/{id}/b', ['is']), path('/api/v3/a/{id}/c', ['as'])]),
    ).toThrow('Ambiguous HTTP paths: /api/v3/a/{id}/b (is) and /api/v3/a/{id}/c (as)');
    // A variable where another component has a literal is refused too, although longest-first could serve it.
    expect(() =>
      groupByPrefix('/api/v3', [path('/api/v3/x/{id}', ['is']), path('/api/v3/x/special/{id}', ['as'])]),
    ).toThrow(/Ambiguous HTTP paths/);
    expect(() => groupByPrefix('/api/v3', [path('/api/v3/{id}', ['is'])])).toThrow(/starts with a variable/);
  });
});

describe('secondary cluster (identityServer: proxy)', () => {
  const secondary: ComponentId[] = ['is', 'gs', 'ns', 'as', 'js', 'console', 'gcs', 'dcs'];
  const proxied = routesFor(secondary, 'enterprise', { identityServer: 'proxy' });

  it('routes Configuration, Events and the static assets to a local component, never to the proxy', () => {
    expect(grpcTarget(proxied, 'ttn.lorawan.v3.Configuration')).toBe('gs');
    expect(grpcTarget(proxied, 'ttn.lorawan.v3.Events')).toBe('gs');
    expect(httpTarget(proxied, '/api/v3/configuration/')).toBe('gs');
    expect(httpTarget(proxied, '/api/v3/events')).toBe('gs');
    expect(httpTarget(proxied, '/assets/')).toBe('console');
    expect(httpTarget(proxied, '/')).toBe('console');
    // A primary may use its Identity Server for them.
    expect(grpcTarget(routesFor(secondary, 'enterprise'), 'ttn.lorawan.v3.Events')).toBe('is');
  });

  it('gives the proxy only what only the Identity Server serves', () => {
    const isOnly = new Set(identityServerRoutes('enterprise').map(matchPrefixOf));
    const toProxy = proxied.filter((r) => r.target === 'is').map(matchPrefixOf);
    expect(toProxy.length).toBeGreaterThan(0);
    for (const p of toProxy) expect([p, isOnly.has(p)]).toEqual([p, true]);
    // Every service the data says only the IS registers is such a route.
    for (const [service, servers] of registrants('enterprise')) {
      if (sameSet(servers, ['is'])) expect(toProxy).toContain(`/${service}/`);
    }
  });

  it('drops a route that only the proxy could take but does not forward', () => {
    expect(routesFor(['is'], 'enterprise', { identityServer: 'proxy' }).map(matchPrefixOf)).not.toContain(
      '/ttn.lorawan.v3.Events/',
    );
  });

  it.each(EDITIONS)('has every Identity Server-only route forwarded by the IS proxy (%s)', (edition) => {
    const proxy: Json = identityServerProxyConfig({ primaryDomain: 'eu1.example.com', edition });
    const forwarded = new Set(
      proxy.static_resources.listeners.flatMap((l: Json) =>
        l.filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].routes.map(
          (r: Json) => r.match.prefix,
        ),
      ),
    );
    const toProxy = routesFor(allOf(edition), edition, { identityServer: 'proxy' }).filter((r) => r.target === 'is');
    for (const r of toProxy) expect(forwarded).toContain(matchPrefixOf(r));
    // …and nothing else.
    const isOnly = new Set(identityServerRoutes(edition).map(matchPrefixOf));
    for (const p of forwarded) expect([p, isOnly.has(p as string)]).toEqual([p, true]);
    expect(forwarded.has('/tti.lorawan.v3.TenantRegistry/')).toBe(edition === 'enterprise');
  });

  it('makes the router send them to the local component', () => {
    const upstreamHost = (c: ComponentId): string => `${c}.tts.internal`;
    const routesOf = (identityServer: 'local' | 'proxy'): Json[] =>
      JSON.parse(
        renderRouterConfig({ includedComponents: secondary, upstreamHost, identityServer }),
      ).static_resources.listeners.find((l: Json) => l.name === 'grpc').filter_chains[0].filters[0].typed_config
        .route_config.virtual_hosts[0].routes;
    const events = (routes: Json[]) => routes.find((r) => r.match.prefix === '/ttn.lorawan.v3.Events/')!.route.cluster;
    expect(events(routesOf('proxy'))).toBe('gs-grpc');
    expect(events(routesOf('local'))).toBe('is-grpc');
  });
});

describe('routesFor answers each call on its own', () => {
  it('gives the same routes again, unaffected by what a caller did with an earlier answer', () => {
    const first = routesFor(['is', 'gs', 'ns', 'as'], 'enterprise', { identityServer: 'proxy' });
    const expected = JSON.stringify(first);
    first.reverse();
    first.push(first[0]);
    expect(() => ((first[0] as { target: string }).target = 'gs')).toThrow(TypeError); // the routes are shared
    expect(JSON.stringify(routesFor(['as', 'ns', 'gs', 'is'], 'enterprise', { identityServer: 'proxy' }))).toBe(
      expected,
    );
  });

  it('distinguishes the component set, the edition and the Identity Server mode', () => {
    const answers = [
      routesFor(['is', 'gs']),
      routesFor(['is', 'gs', 'ns']),
      routesFor(['is', 'gs'], 'open-source'),
      routesFor(['is', 'gs'], 'enterprise', { identityServer: 'proxy' }),
    ].map((routes) => JSON.stringify(routes));
    expect(new Set(answers).size).toBe(answers.length);
  });
});
