import { inNamedTest } from '@tts-ecs/testing';
import { DeploymentConfig, parseDeploymentConfig } from '@tts-ecs/config';
import * as fs from 'fs';
import * as path from 'path';
import { Json, synthAll } from './helpers';
import { describeRuntimeContract, synthesizedComponents } from './runtime-contract-checks';

// deployments/all-features.json: multi-tenant, interop, plain listeners, every feature.
const file = path.join(__dirname, '../../../../deployments/all-features.json');
const config: DeploymentConfig = parseDeploymentConfig(JSON.parse(fs.readFileSync(file, 'utf8')), 'all-features.json');
const stacks = synthAll(config);
describeRuntimeContract('deployments/all-features.json', config, stacks);

describe('multi-tenant and interop specifics, on deployments/all-features.json', () => {
  const eu1 = inNamedTest('reads the components of eu1', () => synthesizedComponents(stacks['acme-prod-eu1-compute']));

  it('serves interop in cleartext on 1886 behind NLB 8886, with Packet Broker token authentication', () => {
    const is = eu1.get('is')!;
    expect(is.settings.get('interop.listen')).toBe(':1886');
    expect(is.settings.get('interop.listen-tls')).toBe('');
    expect(is.settings.get('interop.packet-broker.enabled')).toBe('true');
    // Without the token audience the interop server refuses to start (pkg/interop/server.go).
    expect(is.settings.get('interop.public-tls-address')).toBe('https://lns.example.com:8886');
    for (const c of eu1.values())
      if (c.id !== 'is') expect([c.id, c.settings.get('interop.listen')]).toEqual([c.id, '']);
  });

  it('opens no plain Basic Station listener even with plain listeners on (the GS advertises wss:// only)', () => {
    const listeners = Object.values(stacks['acme-prod-eu1-compute'].resource.aws_lb_listener as Record<string, Json>);
    const ports = listeners.map((l) => l.port);
    expect(ports).toContain(8887);
    expect(ports).toContain(1881); // plain listeners are on
    expect(ports).not.toContain(1887);
  });

  it('registers the OAuth clients for every tenant (--tenant-id NULL, no owner) and the admin in the default tenant', () => {
    const commands = stacks['acme-prod-eu1-compute'].output.ops_commands.value;
    expect(commands.createConsoleClient).toContain('create-oauth-client --tenant-id NULL --id console');
    expect(commands.createConsoleClient).not.toContain('--owner');
    expect(commands.createCliClient).toContain('create-oauth-client --tenant-id NULL --id cli');
    expect(commands.createAdminUser).toContain('create-admin-user --tenant-id default --id admin');
    expect(commands.createTenant).toContain('is-db create-tenant --id default');
  });
});
