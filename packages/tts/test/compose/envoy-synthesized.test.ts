import { validateEnvoyBootstrap } from '@tts-ecs/testing';
import { Json, exampleConfig, resources, synthAll } from './helpers';

// The Envoy bootstraps exactly as ECS passes them (`envoy --config-yaml <json>`) in the example deployment's task
// definitions, checked against Envoy's own API protos: every router and every IS proxy.
const stacks = synthAll(exampleConfig());

function envoyBootstraps(): Array<{ where: string; bootstrap: Json }> {
  const found: Array<{ where: string; bootstrap: Json }> = [];
  for (const [stack, json] of Object.entries(stacks)) {
    for (const td of resources(json, 'aws_ecs_task_definition')) {
      for (const c of JSON.parse(td.container_definitions) as Json[]) {
        const at = (c.command ?? []).indexOf('--config-yaml');
        if (at >= 0) found.push({ where: `${stack} ${td.family}`, bootstrap: JSON.parse(c.command[at + 1]) });
      }
    }
  }
  return found;
}

describe('Envoy bootstraps of the synthesized example deployment', () => {
  it('has a router in every cluster and an IS proxy in every secondary', () => {
    expect(
      envoyBootstraps()
        .map((b) => b.where)
        .sort(),
    ).toEqual(
      [
        'acme-prod-ap1-compute acme-prod-ap1-is-proxy',
        'acme-prod-ap1-compute acme-prod-ap1-router',
        'acme-prod-eu1-compute acme-prod-eu1-router',
        'acme-prod-us1-compute acme-prod-us1-is-proxy',
        'acme-prod-us1-compute acme-prod-us1-router',
      ].sort(),
    );
  });

  it('validates every one against the Envoy v3 API (unknown fields, @type, validate rules)', () => {
    for (const { where, bootstrap } of envoyBootstraps())
      expect([where, validateEnvoyBootstrap(bootstrap)]).toEqual([where, []]);
  });

  it('tells TTS that NLB 443 traffic is https (Secure cookies), and plain 80 traffic is http', () => {
    const router = envoyBootstraps().find((b) => b.where.endsWith('eu1-router'))!.bootstrap;
    const routeConfigOf = (name: string): Json =>
      router.static_resources.listeners.find((l: Json) => l.name === name).filter_chains[0].filters[0].typed_config
        .route_config;
    const https = router.static_resources.listeners.find((l: Json) => l.name === 'https');
    expect(https.address.socket_address.port_value).toBe(8443);
    expect(routeConfigOf('https').request_headers_to_add).toEqual([
      { header: { key: 'x-forwarded-proto', value: 'https' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' },
    ]);
    expect(routeConfigOf('http').request_headers_to_add).toBeUndefined();
    // Same routes on both: only the scheme differs.
    expect(routeConfigOf('https').virtual_hosts[0].routes).toEqual(routeConfigOf('http').virtual_hosts[0].routes);
  });
});
