import {
  PRIMARY_GRPC_CLUSTER,
  PRIMARY_HTTPS_CLUSTER,
  SYSTEM_CA_BUNDLE,
  renderIdentityServerProxyConfig,
} from '../../src/envoy';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('renderIdentityServerProxyConfig', () => {
  const config: Json = JSON.parse(renderIdentityServerProxyConfig({ primaryDomain: 'eu1.thethings.example.com' }));
  const [httpListener, grpcListener] = config.static_resources.listeners;
  const routesOf = (l: Json): Json[] => l.filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].routes;
  const clusters: Json[] = config.static_resources.clusters;

  it('listens where the Identity Server would (1885 HTTP, 1884 gRPC)', () => {
    expect(httpListener.address.socket_address.port_value).toBe(1885);
    expect(grpcListener.address.socket_address.port_value).toBe(1884);
  });

  it('forwards the Identity Server gRPC services to the primary on 8884', () => {
    const prefixes = routesOf(grpcListener).map((r) => r.match.prefix);
    for (const s of [
      'Is',
      'EntityAccess',
      'ApplicationRegistry',
      'ClientRegistry',
      'GatewayRegistry',
      'OrganizationRegistry',
      'UserRegistry',
      'EndDeviceRegistry',
      'ContactInfoRegistry',
      'OAuthAuthorizationRegistry',
      'EntityRegistrySearch',
    ]) {
      expect(prefixes).toContain(`/ttn.lorawan.v3.${s}/`);
    }
    // Enterprise services of the Identity Server are in the tti.lorawan.v3 package.
    for (const s of ['TenantRegistry', 'TenantAccess', 'AuthenticationProviderRegistry']) {
      expect(prefixes).toContain(`/tti.lorawan.v3.${s}/`);
    }
    expect(routesOf(grpcListener).every((r) => r.route.cluster === PRIMARY_GRPC_CLUSTER)).toBe(true);
    const grpc = clusters.find((c) => c.name === PRIMARY_GRPC_CLUSTER)!;
    expect(grpc.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address).toEqual({
      address: 'eu1.thethings.example.com',
      port_value: 8884,
    });
  });

  it('forwards nothing but the Identity Server', () => {
    const prefixes = [...routesOf(grpcListener), ...routesOf(httpListener)].map((r) => r.match.prefix);
    for (const other of [
      '/ttn.lorawan.v3.GtwGs/',
      '/ttn.lorawan.v3.AppAs/',
      '/ttn.lorawan.v3.Events/',
      '/ttn.lorawan.v3.Configuration/',
      '/tti.lorawan.v3.Tbs/',
      '/api/v3/events',
      '/api/v3/configuration/',
      '/assets/',
      '/api/v3/as/',
      '/console',
      '/',
    ]) {
      expect(prefixes).not.toContain(other);
    }
  });

  it('forwards /oauth and the Identity Server REST paths to the primary on 443', () => {
    const http = routesOf(httpListener)
      .filter((r) => r.route.cluster === PRIMARY_HTTPS_CLUSTER)
      .map((r) => r.match.prefix);
    expect(http).toEqual(
      expect.arrayContaining(['/oauth', '/api/v3/users', '/api/v3/applications', '/api/v3/auth_info']),
    );
    const https = clusters.find((c) => c.name === PRIMARY_HTTPS_CLUSTER)!;
    expect(https.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value).toBe(443);
  });

  it('uses TLS with SNI, verifies the certificate against the system trust store and checks its name', () => {
    for (const c of clusters) {
      const tls = c.transport_socket.typed_config;
      expect(tls.sni).toBe('eu1.thethings.example.com');
      expect(tls.common_tls_context.validation_context.trusted_ca).toEqual({ filename: SYSTEM_CA_BUNDLE });
      expect(tls.common_tls_context.validation_context.match_typed_subject_alt_names).toEqual([
        { san_type: 'DNS', matcher: { exact: 'eu1.thethings.example.com' } },
      ]);
      expect(tls.common_tls_context.tls_params.tls_minimum_protocol_version).toBe('TLSv1_2');
    }
    expect(
      clusters.find((c) => c.name === PRIMARY_GRPC_CLUSTER)!.transport_socket.typed_config.common_tls_context
        .alpn_protocols,
    ).toEqual(['h2']);
  });

  it('keeps the Host header (multi-tenant Identity Servers read the tenant from it)', () => {
    expect(routesOf(httpListener).every((r) => r.route.host_rewrite_literal === undefined)).toBe(true);
  });

  it('leaves Enterprise-only services out of the open-source edition', () => {
    const oss: Json = JSON.parse(
      renderIdentityServerProxyConfig({ primaryDomain: 'tts.example.org', edition: 'open-source' }),
    );
    const prefixes = routesOf(oss.static_resources.listeners[1]).map((r) => r.match.prefix);
    expect(prefixes).toContain('/ttn.lorawan.v3.UserRegistry/');
    expect(prefixes).not.toContain('/tti.lorawan.v3.TenantAccess/');
  });

  it('rejects a domain with a scheme, a bare host and bad ports', () => {
    expect(() => renderIdentityServerProxyConfig({ primaryDomain: 'https://eu1.example.com' })).toThrow(
      'renderIdentityServerProxyConfig: invalid primaryDomain "https://eu1.example.com". Give the primary cluster\'s public DNS name without scheme',
    );
    expect(() => renderIdentityServerProxyConfig({ primaryDomain: 'localhost' })).toThrow(
      /invalid primaryDomain "localhost"/,
    );
    expect(() =>
      renderIdentityServerProxyConfig({ primaryDomain: 'eu1.example.com', listenPorts: { grpc: 1885 } }),
    ).toThrow(/Give every listener a port of its own/);
    expect(() => renderIdentityServerProxyConfig({ primaryDomain: 'eu1.example.com', primaryGrpcTlsPort: 0 })).toThrow(
      'renderIdentityServerProxyConfig: invalid primaryGrpcTlsPort 0. Use a whole number from 1 to 65535.',
    );
  });
});
