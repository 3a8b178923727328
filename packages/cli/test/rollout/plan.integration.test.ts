import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from '../../src/args';
import { findRepoRoot } from '../../src/paths';
import { planCommand, ROLLOUT_FLAGS } from '../../src/rollout/commands';
import { PlanManifest } from '../../src/rollout/plan-store';

// The one test with the real terraform binary: `tts-ecs plan --layers network` of the example deployment, through
// the CLI code path (real synth of the built apps, real init/plan/show). `offline: true` is a test-only setting
// (no CLI flag) that plans with a local backend and fake credentials, as `tts-ecs verify` does.
const repoRoot = findRepoRoot(__dirname);
const ready = (() => {
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore' });
  } catch {
    return false;
  }
  return ['primary', 'secondary'].every((app) => fs.existsSync(path.join(repoRoot, 'apps', app, 'dist', 'main.js')));
})();
if (!ready) console.warn('plan.real-terraform.test: SKIPPED, needs `terraform` on PATH and built apps (pnpm build).');
const describeReal = ready ? describe : describe.skip;
jest.setTimeout(300_000);

describeReal('tts-ecs plan --layers network with the real terraform (offline)', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-ecs-plan-real-'));
  const outDir = path.join(root, 'cdktf.out');
  const plansDir = path.join(root, 'plans');
  const networks = ['eu1', 'us1', 'ap1'].map((c) => `acme-prod-${c}-network`);
  let output = '';
  let code: number;
  let manifest: PlanManifest;
  beforeAll(async () => {
    const argv = ['plan', '--layers', 'network', '--out', outDir, '--plans', plansDir, '--lock-timeout', '10'];
    code = await planCommand(repoRoot, parseArgs(argv, ['json', ...ROLLOUT_FLAGS]), {
      stdout: { write: (text: string) => void (output += text), isTTY: false },
      terraform: { offline: true },
    });
    manifest = JSON.parse(fs.readFileSync(path.join(plansDir, 'plans.json'), 'utf8')) as PlanManifest;
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('plans every network stack and exits 0', () => {
    expect({ code, output }).toMatchObject({ code: 0 });
    expect(Object.keys(manifest.plans).sort()).toEqual([...networks].sort());
  });

  it('summarises each plan from terraform show -json: a fresh network creates tens of resources, destroys none', () => {
    for (const stack of networks) {
      const { summary, planFile, changes } = manifest.plans[stack];
      expect(summary.add).toBeGreaterThan(20);
      expect(summary.destroy).toBe(0);
      expect(changes.length).toBe(summary.add);
      expect(fs.existsSync(planFile)).toBe(true);
      expect(output).toMatch(new RegExp(`${stack}\\s+planned\\s+${summary.add}\\s+0\\s+0\\s+0`));
    }
  });

  it('prints the overall table with a total row', () => {
    const total = networks.reduce((sum, s) => sum + manifest.plans[s].summary.add, 0);
    expect(output).toMatch(new RegExp(`total\\s+${total}\\s+0\\s+0\\s+0`));
  });
});
