import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApplyOrder, deriveApplyOrder, formatApplyOrder, writeApplyOrder } from '../../src';

/** The layers and apps of a TTS deployment; the harness itself knows neither. */
const TTS = { layers: ['network', 'secrets', 'data', 'compute', 'observability'], apps: ['primary', 'secondary'] };

interface FakeStack {
  app: string;
  name: string;
  key?: string; // S3 state key; none = local backend
  deps?: string[]; // manifest dependencies
  reads?: string[]; // state keys read through terraform_remote_state
}

/** Writes a synth output folder with cdktf-shaped manifests and stacks. */
function synthDir(stacks: FakeStack[]): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'order-test-'));
  for (const app of [...new Set(stacks.map((s) => s.app))]) {
    const manifest: Record<string, unknown> = {};
    for (const s of stacks.filter((x) => x.app === app)) {
      const dir = `stacks/${s.name}`;
      fs.mkdirSync(path.join(root, app, dir), { recursive: true });
      const backend = s.key ? { s3: { bucket: 'state', key: s.key, region: 'eu-west-1' } } : { local: { path: 'x' } };
      const remote = Object.fromEntries(
        (s.reads ?? []).map((key, i) => [
          `r${i}`,
          { backend: 's3', config: { bucket: 'state', key, region: 'eu-west-1' } },
        ]),
      );
      fs.writeFileSync(
        path.join(root, app, dir, 'cdk.tf.json'),
        JSON.stringify({ terraform: { backend }, data: { terraform_remote_state: remote } }),
      );
      manifest[s.name] = {
        name: s.name,
        workingDirectory: dir,
        synthesizedStackPath: `${dir}/cdk.tf.json`,
        dependencies: s.deps ?? [],
      };
    }
    fs.writeFileSync(path.join(root, app, 'manifest.json'), JSON.stringify({ version: '0.21.0', stacks: manifest }));
  }
  return root;
}

const key = (cluster: string, layer: string) => `prod/${cluster}/${layer}.tfstate`;
const stack = (app: string, cluster: string, layer: string, extra: Partial<FakeStack> = {}): FakeStack => ({
  app,
  name: `acme-prod-${cluster}-${layer}`,
  key: key(cluster, layer),
  ...extra,
});

function expectTopological(order: ApplyOrder): void {
  const seen = new Set<string>();
  for (const s of order.stacks) {
    for (const d of s.dependsOn) expect(seen.has(d) ? d : `${s.name} before ${d}`).toBe(d);
    seen.add(s.name);
  }
}

describe('deriveApplyOrder on a deployment with a primary and two secondaries', () => {
  const dir = synthDir([
    { app: 'bootstrap', name: 'acme-prod-bootstrap' },
    // Manifest order deliberately scrambled: the result must not depend on it.
    stack('secondary', 'us1', 'compute', {
      deps: ['acme-prod-us1-network'],
      reads: [key('eu1', 'network'), key('eu1', 'secrets')],
    }),
    stack('secondary', 'us1', 'network'),
    stack('secondary', 'ap1', 'compute', { reads: [key('eu1', 'network')] }),
    stack('secondary', 'ap1', 'network'),
    stack('primary', 'eu1', 'compute', { deps: ['acme-prod-eu1-network', 'acme-prod-eu1-secrets'] }),
    stack('primary', 'eu1', 'secrets'),
    stack('primary', 'eu1', 'network'),
  ]);
  const order = writeApplyOrder(dir, { ...TTS, clusterOrder: ['eu1', 'us1', 'ap1'] });

  it('lists the bootstrap stack apart, with its local backend', () => {
    expect(order.bootstrap).toEqual({
      name: 'acme-prod-bootstrap',
      app: 'bootstrap',
      dir: 'bootstrap/stacks/acme-prod-bootstrap',
      backend: 'local',
    });
    expect(order.stacks.map((s) => s.name)).not.toContain('acme-prod-bootstrap');
  });

  it('orders the primary first, then each secondary in config order, layers in layer order', () => {
    expect(order.stacks.map((s) => s.name)).toEqual([
      'acme-prod-eu1-network',
      'acme-prod-eu1-secrets',
      'acme-prod-eu1-compute',
      'acme-prod-us1-network',
      'acme-prod-us1-compute',
      'acme-prod-ap1-network',
      'acme-prod-ap1-compute',
    ]);
    expectTopological(order);
  });

  it('adds the primary stacks a secondary reads through remote state to its dependencies', () => {
    const us1 = order.stacks.find((s) => s.name === 'acme-prod-us1-compute');
    expect(us1).toMatchObject({
      app: 'secondary',
      cluster: 'us1',
      role: 'secondary',
      layer: 'compute',
      dir: 'secondary/stacks/acme-prod-us1-compute',
      stateKey: 'prod/us1/compute.tfstate',
      dependsOn: ['acme-prod-eu1-network', 'acme-prod-eu1-secrets', 'acme-prod-us1-network'],
    });
  });

  it('groups stacks into waves whose dependencies are all in earlier waves', () => {
    expect(order.waves[0]).toEqual([
      'acme-prod-eu1-network',
      'acme-prod-eu1-secrets',
      'acme-prod-us1-network',
      'acme-prod-ap1-network',
    ]);
    expect(order.waves[1]).toEqual(['acme-prod-eu1-compute', 'acme-prod-us1-compute', 'acme-prod-ap1-compute']);
    for (const s of order.stacks)
      for (const d of s.dependsOn) expect(order.stacks.find((x) => x.name === d)!.wave).toBeLessThan(s.wave);
  });

  it('writes the same order to apply-order.json and prints it as a table', () => {
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'apply-order.json'), 'utf8'))).toEqual(order);
    expect(formatApplyOrder(order)).toContain('  5  acme-prod-us1-compute');
  });
});

describe('deriveApplyOrder follows dependencies over the usual layer order', () => {
  it('puts a stack after what it depends on even when its rank is lower', () => {
    const order = deriveApplyOrder(
      synthDir([
        stack('primary', 'eu1', 'network', { deps: ['acme-prod-eu1-observability'] }),
        stack('primary', 'eu1', 'observability'),
      ]),
      TTS,
    );
    expect(order.stacks.map((s) => s.layer)).toEqual(['observability', 'network']);
    expectTopological(order);
  });
});

describe('deriveApplyOrder rejects', () => {
  it('a remote state that no synthesized stack writes', () => {
    const dir = synthDir([stack('secondary', 'us1', 'compute', { reads: [key('eu1', 'compute')] })]);
    expect(() => deriveApplyOrder(dir, TTS)).toThrow(
      'acme-prod-us1-compute reads terraform_remote_state.r0 (s3://state/prod/eu1/compute.tfstate), which no synthesized stack writes: the stack it reads does not exist in this deployment.',
    );
  });

  it('a dependency cycle, naming it', () => {
    const dir = synthDir([
      stack('primary', 'eu1', 'network', { deps: ['acme-prod-eu1-data'] }),
      stack('primary', 'eu1', 'data', { deps: ['acme-prod-eu1-network'] }),
    ]);
    expect(() => deriveApplyOrder(dir, TTS)).toThrow(
      'stack dependencies form a cycle: acme-prod-eu1-data -> acme-prod-eu1-network -> acme-prod-eu1-data.',
    );
  });

  it('a state key that does not name a layer', () => {
    const dir = synthDir([{ app: 'primary', name: 'odd', key: 'prod/eu1/odd.tfstate' }]);
    expect(() => deriveApplyOrder(dir, TTS)).toThrow(
      'odd: state key "prod/eu1/odd.tfstate" is not "<environment>/<cluster>/<layer>.tfstate"',
    );
  });

  it('two stacks sharing a state key', () => {
    const dir = synthDir([
      stack('primary', 'eu1', 'network'),
      { ...stack('secondary', 'eu1', 'network'), name: 'copy' },
    ]);
    expect(() => deriveApplyOrder(dir, TTS)).toThrow(
      'stacks acme-prod-eu1-network and copy both keep their state in s3://state/prod/eu1/network.tfstate.',
    );
  });
});
