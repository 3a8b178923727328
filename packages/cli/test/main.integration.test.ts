import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// The compiled command, as users run it (`pnpm tts-ecs`); built here so the test never runs a stale dist.
const ROOT = path.join(__dirname, '../../..');
const MAIN = path.join(ROOT, 'packages/cli/dist/main.js');
beforeAll(() => {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'packages/cli'], { cwd: ROOT });
  execFileSync(process.execPath, ['scripts/bundle-cli.js'], { cwd: ROOT }); // as pnpm build does
});

const run = (...args: string[]) => spawnSync(process.execPath, [MAIN, ...args], { cwd: ROOT, encoding: 'utf8' });

describe('tts-ecs', () => {
  it('prints its version', () => {
    const version = require('../package.json').version as string;
    const result = run('--version');
    expect([result.status, result.stdout]).toEqual([0, `tts-ecs ${version}\n`]);
  });

  it('lists --allow-skipped and --version in its usage', () => {
    const result = run('--help');
    expect(result.stdout).toContain('--allow-skipped');
    expect(result.stdout).toContain('--version');
  });

  it('lists --golden and --update-golden, and refuses --golden with --stacks before running terraform', () => {
    expect(run('--help').stdout).toMatch(/--golden <file>[\s\S]*--update-golden/);
    const result = run(
      'verify',
      '--golden',
      'deployments/golden/example.plan.txt',
      '--stacks',
      'acme-prod-eu1-network',
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('cannot be combined with --stacks');
  });

  it('suggests the stack meant by a misspelt --stacks name, before running terraform', () => {
    const result = run('verify', '--stacks', 'acme-prod-eu1-netwrk');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown stack "acme-prod-eu1-netwrk" (did you mean "acme-prod-eu1-network"?).');
  });

  it('reports a config problem found while composing once, with the file name and without a stack trace', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-ecs-cli-'));
    const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'deployments/example.json'), 'utf8'));
    config.tts.components = { gs: { cpu: 4096 } }; // the catalog's 2048 MiB does not fit 4096 CPU units
    const file = path.join(dir, 'acme.json');
    fs.writeFileSync(file, JSON.stringify(config));
    const result = run('synth', '--config', file, '--out', path.join(dir, 'out'));
    fs.rmSync(dir, { recursive: true, force: true });
    expect(result.status).toBe(1);
    expect(result.stderr.match(/Invalid deployment config/g)).toHaveLength(1);
    expect(result.stderr).toContain(`Invalid deployment config ${file} (1 problem):`);
    expect(result.stderr).toContain('tts.components.gs.memory = 2048: is not a Fargate size with cpu 4096.');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('writes all of a JSON report longer than a pipe buffer before it exits (order --json, 40 secondaries)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-ecs-cli-'));
    const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'deployments/example.json'), 'utf8'));
    const primary = config.clusters.find((c: { role: string }) => c.role === 'primary');
    const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-1'];
    config.clusters = [
      primary,
      ...Array.from({ length: 40 }, (_, i) => ({
        id: `s${i}`,
        role: 'secondary',
        accountId: primary.accountId,
        region: regions[i % 3],
        availabilityZones: [`${regions[i % 3]}a`, `${regions[i % 3]}b`],
        vpcCidr: `10.${100 + i}.0.0/16`,
      })),
    ];
    const file = path.join(dir, 'many.json');
    fs.writeFileSync(file, JSON.stringify(config));
    // A reader that starts late, as `| jq` may: the writer must wait for the pipe instead of exiting.
    const command = [process.execPath, MAIN, 'order', '--config', file, '--out', path.join(dir, 'out'), '--json']
      .map((a) => `'${a}'`)
      .join(' ');
    const result = spawnSync('sh', ['-c', `${command} | (sleep 1; cat)`], { cwd: ROOT, encoding: 'utf8' });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(result.status).toBe(0);
    expect(result.stdout.length).toBeGreaterThan(65_536); // the size a pipe took before process.exit cut it off
    expect(JSON.parse(result.stdout).stacks).toHaveLength(5 * 41);
  }, 120_000);

  it('runs the bundle pnpm build made, which writes what the compiled files write; the build leaves it alone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-ecs-cli-'));
    const bundle = path.join(ROOT, 'packages/cli/bundle/tts-ecs.bundle.js');
    const built = fs.statSync(bundle).mtimeMs;
    const again = spawnSync(process.execPath, ['scripts/bundle-cli.js'], { cwd: ROOT, encoding: 'utf8' });
    expect([again.status, again.stdout, again.stderr]).toEqual([0, '', '']);
    expect(fs.statSync(bundle).mtimeMs).toBe(built);
    // Stale when what require() would find may have changed: pnpm's install record and the inputs' folders count.
    const recorded = (
      JSON.parse(fs.readFileSync(path.join(path.dirname(bundle), 'tts-ecs.bundle.json'), 'utf8')) as {
        inputs: [string][];
      }
    ).inputs.map(([file]) => file);
    expect(recorded).toEqual(
      expect.arrayContaining([
        path.join(ROOT, 'pnpm-lock.yaml'),
        path.join(ROOT, 'node_modules/.modules.yaml'),
        path.join(ROOT, 'packages/cli/dist'),
        path.join(ROOT, 'apps/primary/cdktf.json'),
      ]),
    );
    // ASCII only: a single other character makes Node decode all of it as UTF-8, four times slower.
    expect(fs.readFileSync(bundle, 'utf8').match(/^.*[\u0080-\uffff].*$/m)).toBeNull();
    const synth = (name: string, bundleSetting: string) => {
      const out = path.join(dir, name);
      const result = spawnSync(process.execPath, [MAIN, 'synth', '--out', out], {
        cwd: ROOT,
        encoding: 'utf8',
        // TTS_ECS_BUNDLE=1: fail unless the bundle runs
        env: { ...process.env, TTS_ECS_BUNDLE: bundleSetting, TTS_ECS_COMPILE_CACHE_DIR: path.join(dir, 'cache') },
      });
      expect([result.status, result.stderr.includes('TTS_ECS_BUNDLE')]).toEqual([0, false]);
      return filesOf(out);
    };
    const bundled = synth('bundled', '1');
    const cached = fs.readdirSync(path.join(dir, 'cache', 'bundle')); // the compile cache took the bundle
    const bundledWarm = synth('bundled-warm', '1');
    const compiled = synth('compiled', '0');
    fs.rmSync(dir, { recursive: true, force: true });
    expect(cached).toHaveLength(1);
    expect(bundled.size).toBeGreaterThan(16);
    expect(bundled).toEqual(compiled);
    expect(bundledWarm).toEqual(compiled);
  }, 60_000);

  it('writes the same synth output with its compile cache cold, warm and off', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-ecs-cli-'));
    const cacheDir = path.join(dir, 'cache'); // not the checkout's: other test files run the command meanwhile
    const synth = (name: string, env: NodeJS.ProcessEnv = {}) => {
      const out = path.join(dir, name);
      const result = spawnSync(process.execPath, [MAIN, 'synth', '--out', out], {
        cwd: ROOT,
        encoding: 'utf8',
        env: {
          ...process.env,
          TTS_ECS_BUNDLE: '0', // the compile cache serves the compiled files; the bundle runs without it
          TTS_ECS_COMPILE_CACHE: undefined,
          TTS_ECS_COMPILE_CACHE_DIR: cacheDir,
          ...env,
        },
      });
      expect(result.status).toBe(0);
      return filesOf(out);
    };
    const off = synth('off', { TTS_ECS_COMPILE_CACHE: '0' });
    expect(fs.existsSync(cacheDir)).toBe(false);
    const cold = synth('cold');
    expect(fs.readdirSync(cacheDir)).toEqual(['modules']); // the compiled files' cache; the bundle has its own
    const cacheFile = path.join('modules', fs.readdirSync(path.join(cacheDir, 'modules'))[0]);
    const written = fs.statSync(path.join(cacheDir, cacheFile)).mtimeMs;
    const warm = synth('warm');
    // Untouched by the warm run: every module came from the cache (a miss rewrites the file).
    expect(fs.statSync(path.join(cacheDir, cacheFile)).mtimeMs).toBe(written);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(off.size).toBeGreaterThan(16);
    expect(cold).toEqual(off);
    expect(warm).toEqual(off);
  }, 60_000);
});

/** Every file under `dir` (relative path -> content), without terraform's working files. */
function filesOf(dir: string): Map<string, string> {
  return new Map(
    (fs.readdirSync(dir, { recursive: true }) as string[])
      .filter((f) => fs.statSync(path.join(dir, f)).isFile() && !f.includes('.terraform'))
      .sort()
      .map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]),
  );
}
