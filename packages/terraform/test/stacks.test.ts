import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { copyStackDir, discoverStacks, selectStacks } from '../src';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-ecs-stacks-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

function app(name: string, stacks: Record<string, string[]>): void {
  const manifest = { version: '0.21.0', stacks: {} as Record<string, unknown> };
  for (const [stack, dependencies] of Object.entries(stacks)) {
    fs.mkdirSync(path.join(out, name, 'stacks', stack), { recursive: true });
    fs.writeFileSync(path.join(out, name, 'stacks', stack, 'cdk.tf.json'), '{}');
    manifest.stacks[stack] = {
      name: stack,
      synthesizedStackPath: `stacks/${stack}/cdk.tf.json`,
      workingDirectory: `stacks/${stack}`,
      dependencies,
    };
  }
  fs.writeFileSync(path.join(out, name, 'manifest.json'), JSON.stringify(manifest));
}
app('primary', { 'acme-prod-eu1-network': [], 'acme-prod-eu1-data': ['acme-prod-eu1-network'] });
app('secondary', { 'acme-prod-us1-network': [] });

describe('discoverStacks', () => {
  const stacks = discoverStacks(out);

  it('finds the stacks of every app manifest under the synth dir', () => {
    expect(stacks.map((s) => `${s.app}/${s.name}`)).toEqual([
      'primary/acme-prod-eu1-network',
      'primary/acme-prod-eu1-data',
      'secondary/acme-prod-us1-network',
    ]);
    expect(stacks[1]).toMatchObject({
      dir: path.join(out, 'primary/stacks/acme-prod-eu1-data'),
      dependencies: ['acme-prod-eu1-network'],
    });
  });

  it('reads a single app directory too', () => {
    expect(discoverStacks(path.join(out, 'secondary')).map((s) => `${s.app}/${s.name}`)).toEqual([
      'secondary/acme-prod-us1-network',
    ]);
  });

  it('tells to synthesize first when there is nothing to verify', () => {
    expect(() => discoverStacks(path.join(out, 'primary', 'stacks'))).toThrow(
      /no cdktf manifest\.json in .* or its sub-directories: run `pnpm synth` first\./,
    );
    expect(() => discoverStacks(path.join(out, 'nope'))).toThrow(/does not exist: run `pnpm synth` first\./);
  });

  it('selects by name or app/name and rejects unknown names listing the known ones', () => {
    expect(selectStacks(stacks, ['acme-prod-eu1-data', 'secondary/acme-prod-us1-network']).map((s) => s.name)).toEqual([
      'acme-prod-eu1-data',
      'acme-prod-us1-network',
    ]);
    expect(selectStacks(stacks, [])).toHaveLength(3);
    expect(() => selectStacks(stacks, ['acme-prod-eu1-netwrk'])).toThrow(
      'unknown stack(s) acme-prod-eu1-netwrk. Known: primary/acme-prod-eu1-network, primary/acme-prod-eu1-data, secondary/acme-prod-us1-network.',
    );
  });
});

describe('copyStackDir', () => {
  it('copies the stack but not the state, plugins or lock file of an earlier terraform run', () => {
    const from = path.join(out, 'primary/stacks/acme-prod-eu1-network');
    fs.mkdirSync(path.join(from, '.terraform', 'providers'), { recursive: true });
    for (const f of ['terraform.tfstate', 'terraform.tfstate.backup', '.terraform.lock.hcl', 'plan.tfplan'])
      fs.writeFileSync(path.join(from, f), '');
    const to = path.join(out, 'work', 'network');
    copyStackDir(from, to);
    expect(fs.readdirSync(to)).toEqual(['cdk.tf.json']);
  });
});
