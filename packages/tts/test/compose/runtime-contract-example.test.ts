import { inNamedTest } from '@tts-ecs/testing';
import { exampleConfig, resources, synthAll } from './helpers';
import { describeRuntimeContract, synthesizedComponents } from './runtime-contract-checks';

// deployments/example.json: Enterprise, single-tenant, a primary and two secondaries, TLS-only listeners, no interop.
const config = exampleConfig();
const stacks = synthAll(config);
describeRuntimeContract('deployments/example.json', config, stacks);

describe('defects of the first wave, on deployments/example.json', () => {
  const eu1 = inNamedTest('reads the components of eu1', () => synthesizedComponents(stacks['acme-prod-eu1-compute']));
  const us1 = inNamedTest('reads the components of us1', () => synthesizedComponents(stacks['acme-prod-us1-compute']));

  it('switches off every TLS listener TTS opens by default (docs enterprise/docker/proxy.md)', () => {
    const tlsKeys = ['grpc.listen-tls', 'http.listen-tls', 'interop.listen-tls'];
    for (const c of [...eu1.values(), ...us1.values()]) {
      for (const key of tlsKeys) expect([c.id, key, c.settings.get(key)]).toEqual([c.id, key, '']);
    }
    const gs = eu1.get('gs')!;
    for (const key of ['gs.mqtt', 'gs.mqtt-v2', 'gs.basic-station', 'gs.ttigw', 'gs.tabs-hubs'])
      expect([key, gs.settings.get(`${key}.listen-tls`)]).toEqual([key, '']);
    expect(eu1.get('as')!.settings.get('as.mqtt.listen-tls')).toBe('');
    // As flags: ECS drops environment variables with empty values.
    expect(gs.container.command).toEqual(
      expect.arrayContaining(['start', 'gs', '--grpc.listen-tls=', '--gs.mqtt.listen-tls=']),
    );
  });

  it('points the interop and claiming blob paths at folders, not at config.yml', () => {
    expect(eu1.get('ns')!.settings.get('ns.interop.blob.path')).toBe('');
    expect(eu1.get('as')!.settings.get('as.interop.blob.path')).toBe('');
    expect(eu1.get('dcs')!.settings.get('dcs.edcs.blob.path')).toBe('');
  });

  it('gives every Enterprise component the default tenant, and the ops task creates it first', () => {
    for (const c of eu1.values()) expect([c.id, c.settings.get('tenancy.default-id')]).toEqual([c.id, 'default']);
    const order = stacks['acme-prod-eu1-compute'].output.ops_first_run_order.value;
    expect(order.slice(0, 6)).toEqual([
      'migrate',
      'createTenant',
      'createAdminUser',
      'createConsoleClient',
      'createCliClient',
      'nsDbMigrate',
    ]);
    const commands = stacks['acme-prod-eu1-compute'].output.ops_commands.value;
    expect(commands.createTenant).toContain('tti-lw-stack is-db create-tenant --id default');
    expect(commands.createAdminUser).toContain('create-admin-user --tenant-id default --id admin');
    expect(commands.createConsoleClient).toContain(
      'create-oauth-client --tenant-id default --owner admin --id console',
    );
    expect(commands.createCliClient).toContain(
      'create-oauth-client --tenant-id default --owner admin --id cli --name \\"Command Line Interface\\" --no-secret',
    );
  });

  it('makes Basic Station gateways use wss:// although the GS sees cleartext', () => {
    expect(eu1.get('gs')!.settings.get('gs.basic-station.use-traffic-tls-address')).toBe('true');
  });

  it('gives the AS and the template converter the Device Repository peer, and keeps event history', () => {
    expect(eu1.get('as')!.settings.get('cluster.device-repository')).toBe('dr.tts.internal:1884');
    // The template converter runs inside the DCS (`start dcs`), which therefore needs the peer.
    expect(eu1.get('dcs')!.settings.get('cluster.device-repository')).toBe('dr.tts.internal:1884');
    for (const c of eu1.values()) expect([c.id, c.settings.get('events.redis.store.enable')]).toEqual([c.id, 'true']);
  });

  it('lets secondary Consoles keep the OAuth state cookie across the login on the primary', () => {
    expect(us1.get('console')!.settings.get('console.oauth.cross-site-cookie')).toBe('true');
    expect(eu1.get('console')!.settings.has('console.oauth.cross-site-cookie')).toBe(false);
  });

  it('health-checks every component in the container and at the load balancer over HTTP', () => {
    const gs = eu1.get('gs')!;
    expect(gs.container.healthCheck.command).toEqual([
      'CMD',
      'curl',
      '-fsS',
      '-o',
      '/dev/null',
      'http://localhost:1885/healthz',
    ]);
    const groups = resources(stacks['acme-prod-eu1-compute'], 'aws_lb_target_group');
    const gsGroups = groups.filter((g) => g.tags.Name.startsWith('gs-'));
    expect(gsGroups.length).toBeGreaterThan(0);
    for (const g of gsGroups)
      expect(g.health_check).toMatchObject({ protocol: 'HTTP', port: '1885', path: '/healthz' });
  });

  it('starts the template converter and QR code generator inside the DCS, not as services of their own', () => {
    expect(eu1.has('dcs')).toBe(true);
    expect(eu1.has('dtc')).toBe(false);
    expect(eu1.has('qrg')).toBe(false);
    const consoleUi = eu1.get('console')!.settings;
    expect(consoleUi.get('console.ui.edtc.base-url')).toBe('https://lns.example.com/api/v3');
    expect(consoleUi.get('console.ui.qrg.base-url')).toBe('https://lns.example.com/api/v3');
  });

  it('runs the -aws image of the official ECS guide, pinned to the configured version', () => {
    for (const c of eu1.values()) expect(c.container.image).toBe('thethingsindustries/lorawan-stack:3.33.1-aws');
  });
});
