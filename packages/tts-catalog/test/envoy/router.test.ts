import { InvalidPropError } from '@tts-ecs/core';
import { COMPONENTS, ComponentId } from '../../src';
import { ROUTES, grpcClusterOf, httpClusterOf, matchPrefixOf, renderRouterConfig, routesFor } from '../../src/envoy';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const upstreamHost = (c: ComponentId): string => `${c}.tts.internal`;
const ALL = COMPONENTS.map((c) => c.id);
const withoutAs: ComponentId[] = ['is', 'gs', 'ns', 'js', 'console', 'gcs', 'dcs', 'qrg', 'dtc'];

function listenerRoutes(config: Json, name: string): Json[] {
  const l = config.static_resources.listeners.find((x: Json) => x.name === name);
  return l.filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].routes;
}

describe('routing table', () => {
  it.each(['open-source', 'enterprise'] as const)('has each gRPC service and HTTP prefix once (%s)', (edition) => {
    const prefixes = ROUTES.filter((r) => r.editions.includes(edition)).map(matchPrefixOf);
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });

  it('reaches every included component that serves HTTP or gRPC', () => {
    const routed = new Set(routesFor(ALL).map((r) => r.target));
    for (const c of COMPONENTS.filter((x) => x.http || x.grpc)) expect(routed).toContain(c.id);
  });

  it('never routes to an excluded component', () => {
    const targets = new Set(routesFor(withoutAs).map((r) => r.target));
    expect(targets).not.toContain('as');
    expect(targets).not.toContain('noc');
    // A route served by several components falls back to one that is deployed (the first in catalog order).
    expect(
      routesFor(['ns', 'as']).find((r) => r.kind === 'grpc' && r.service === 'ttn.lorawan.v3.Events')?.target,
    ).toBe('ns');
  });

  it('puts more specific prefixes first', () => {
    const prefixes = routesFor(ALL).map(matchPrefixOf);
    for (let i = 1; i < prefixes.length; i++) expect(prefixes[i - 1].length).toBeGreaterThanOrEqual(prefixes[i].length);
    expect(prefixes.indexOf('/api/v3/console/')).toBeGreaterThanOrEqual(0);
    expect(prefixes.indexOf('/api/v3/console/')).toBeLessThan(prefixes.indexOf('/console'));
    expect(prefixes[prefixes.length - 1]).toBe('/');
  });

  it('filters Enterprise-only routes from the open-source edition', () => {
    const oss = routesFor(
      ALL.filter((c) => c !== 'noc' && c !== 'tbs'),
      'open-source',
    ).map(matchPrefixOf);
    expect(oss).not.toContain('/tti.lorawan.v3.TenantAccess/');
    expect(routesFor(['is']).map(matchPrefixOf)).toContain('/tti.lorawan.v3.TenantAccess/');
  });
});

describe('renderRouterConfig', () => {
  const text = renderRouterConfig({ includedComponents: withoutAs, upstreamHost });
  const config: Json = JSON.parse(text);
  const clusters: Json[] = config.static_resources.clusters;
  const httpRoutes = listenerRoutes(config, 'http');
  const grpcRoutes = listenerRoutes(config, 'grpc');

  it('emits JSON with HTTP, HTTPS-terminated and gRPC listeners on the default ports and a loopback-only admin', () => {
    const ports = config.static_resources.listeners.map((l: Json) => l.address.socket_address.port_value);
    expect(ports).toEqual([8080, 8443, 1884]);
    expect(config.admin.address.socket_address.address).toBe('127.0.0.1');
  });

  it('has one HTTP cluster per HTTP-routed component and one gRPC cluster per gRPC-routed component', () => {
    const resolved = routesFor(withoutAs);
    const expected = [
      ...new Set(resolved.filter((r) => r.kind === 'http').map((r) => httpClusterOf(r.target))),
      ...new Set(resolved.filter((r) => r.kind === 'grpc').map((r) => grpcClusterOf(r.target))),
    ];
    expect(clusters.map((c) => c.name).sort()).toEqual(expected.sort());
    expect(clusters.map((c) => c.name)).not.toContain('as-http');
  });

  it('resolves components by DNS on the internal ports, HTTP/2 for gRPC', () => {
    const gsGrpc = clusters.find((c) => c.name === 'gs-grpc')!;
    expect(gsGrpc.type).toBe('STRICT_DNS');
    expect(gsGrpc.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address).toEqual({
      address: 'gs.tts.internal',
      port_value: 1884,
    });
    expect(
      gsGrpc.typed_extension_protocol_options['envoy.extensions.upstreams.http.v3.HttpProtocolOptions']
        .explicit_http_config,
    ).toEqual({ http2_protocol_options: {} });
    const isHttp = clusters.find((c) => c.name === 'is-http')!;
    expect(isHttp.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value).toBe(1885);
    // Cleartext inside the VPC: TLS terminates at the NLB.
    expect(isHttp.transport_socket).toBeUndefined();
  });

  it('routes gRPC services to the serving component without a timeout', () => {
    const gtwGs = grpcRoutes.find((r) => r.match.prefix === '/ttn.lorawan.v3.GtwGs/');
    expect(gtwGs!.route).toMatchObject({ cluster: 'gs-grpc', timeout: '0s' });
    expect(grpcRoutes.every((r) => /^\/tt[ni]\.lorawan\.v3\.\w+\/$/.test(r.match.prefix))).toBe(true);
  });

  it('routes HTTP paths, with the catch-all last and WebSockets only where needed', () => {
    expect(httpRoutes.find((r) => r.match.prefix === '/oauth')!.route).toMatchObject({
      cluster: 'is-http',
      timeout: '60s',
    });
    expect(httpRoutes[httpRoutes.length - 1]).toMatchObject({
      match: { prefix: '/' },
      route: { cluster: 'console-http' },
    });
    // The Console's event stream is a WebSocket; /api/v3/events is a grpc-gateway stream (chunked HTTP).
    expect(httpRoutes.find((r) => r.match.prefix === '/api/v3/console/')!.route.upgrade_configs).toEqual([
      { upgrade_type: 'websocket', enabled: true },
    ]);
    expect(httpRoutes.find((r) => r.match.prefix === '/api/v3/events')!.route).toMatchObject({ timeout: '0s' });
    expect(httpRoutes.find((r) => r.match.prefix === '/api/v3/events')!.route.upgrade_configs).toBeUndefined();
    expect(httpRoutes.find((r) => r.match.prefix === '/oauth')!.route.upgrade_configs).toBeUndefined();
  });

  it('accepts custom listener ports', () => {
    const custom: Json = JSON.parse(
      renderRouterConfig({
        includedComponents: ['is'],
        upstreamHost,
        listenPorts: { http: 9080, https: 9443, grpc: 9084 },
      }),
    );
    expect(custom.static_resources.listeners.map((l: Json) => l.address.socket_address.port_value)).toEqual([
      9080, 9443, 9084,
    ]);
  });

  it('rejects unknown components, editions and empty inclusions with the fix', () => {
    expect(() => renderRouterConfig({ includedComponents: ['xs' as ComponentId], upstreamHost })).toThrow(
      'renderRouterConfig: invalid includedComponents "xs". Use component ids of the catalog',
    );
    expect(() => renderRouterConfig({ includedComponents: ['noc'], upstreamHost, edition: 'open-source' })).toThrow(
      /invalid includedComponents "noc". The Network Operations Center is not part of The Things Stack open-source/,
    );
    expect(() => renderRouterConfig({ includedComponents: [], upstreamHost })).toThrow(InvalidPropError);
  });

  it('rejects privileged, clashing ports and host names with a scheme', () => {
    expect(() => renderRouterConfig({ includedComponents: ['is'], upstreamHost, listenPorts: { http: 80 } })).toThrow(
      'renderRouterConfig: invalid listenPorts.http 80. Use a whole number from 1024 to 65535',
    );
    expect(() => renderRouterConfig({ includedComponents: ['is'], upstreamHost, listenPorts: { http: 1884 } })).toThrow(
      /invalid listenPorts .*Give every listener a port of its own/,
    );
    expect(() =>
      renderRouterConfig({ includedComponents: ['is'], upstreamHost: () => 'http://is.internal:1885' }),
    ).toThrow(
      'renderRouterConfig: invalid upstreamHost("is") "http://is.internal:1885". Return a DNS name without scheme or port',
    );
  });
});
