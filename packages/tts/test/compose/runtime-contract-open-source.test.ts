import { inNamedTest } from '@tts-ecs/testing';
import { exampleConfig, synthAll } from './helpers';
import { describeRuntimeContract, synthesizedComponents } from './runtime-contract-checks';

// The example deployment on the open-source edition.
const config = exampleConfig((c) => {
  c.tts = { edition: 'open-source', version: '3.33.1' };
});
const stacks = synthAll(config);
describeRuntimeContract('deployments/example.json, open-source edition', config, stacks);

describe('open-source specifics', () => {
  const eu1 = inNamedTest('reads the components of eu1', () => synthesizedComponents(stacks['acme-prod-eu1-compute']));

  it('runs one Gateway Server and one Network Server task (one instance per component in the reference cluster)', () => {
    expect(eu1.get('gs')!.service.desired_count).toBe(1);
    expect(eu1.get('ns')!.service.desired_count).toBe(1);
    expect(eu1.get('is')!.service.desired_count).toBe(2);
  });

  it('has no tenant, no tenant flags and no Enterprise-only listener setting', () => {
    for (const c of eu1.values()) {
      expect([c.id, c.settings.has('tenancy.default-id')]).toEqual([c.id, false]);
      expect([c.id, c.settings.has('gs.tabs-hubs.listen-tls')]).toEqual([c.id, false]);
    }
    const commands = stacks['acme-prod-eu1-compute'].output.ops_commands.value;
    expect(commands.createTenant).toBeUndefined();
    expect(JSON.stringify(commands)).not.toContain('--tenant-id');
    expect(commands.createConsoleClient).toContain('ttn-lw-stack is-db create-oauth-client --owner admin --id console');
  });

  it('runs the open-source image, which has no -aws variant', () => {
    for (const c of eu1.values()) expect(c.container.image).toBe('thethingsnetwork/lorawan-stack:3.33.1');
  });
});
