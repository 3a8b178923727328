import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compileCacheFile } from '../src/compile-cache';
import { GROWS_ABOVE_CLUSTERS } from '../src/young-generation';

// The command keeps V8's young generation small for small synths and lets it grow for large ones
// (young-generation.ts). Observed from outside: the new space of a finished synth, and the code cache that must not
// be rewritten when small and large synths alternate (V8 records the flags in cached code).
const ROOT = path.join(__dirname, '../../..');
const MAIN = path.join(ROOT, 'packages/cli/dist/main.js');
beforeAll(() => {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'packages/cli'], { cwd: ROOT });
  execFileSync(process.execPath, ['scripts/bundle-cli.js'], { cwd: ROOT }); // as pnpm build does
});

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-ecs-young-'));
  // Prints the new space's size (MiB) when the process exits.
  fs.writeFileSync(
    path.join(work, 'new-space.js'),
    "process.on('exit', () => { const s = require('v8').getHeapSpaceStatistics().find((x) => x.space_name === 'new_space');" +
      " require('fs').writeFileSync(process.env.NEW_SPACE_FILE, String(s.space_size / 1048576)); });\n",
  );
  // The example with enough secondaries to count as large.
  const example = JSON.parse(fs.readFileSync(path.join(ROOT, 'deployments/example.json'), 'utf8'));
  delete example.$schema;
  const primary = example.clusters.find((c: { role: string }) => c.role === 'primary');
  example.clusters = [
    primary,
    ...Array.from({ length: GROWS_ABOVE_CLUSTERS }, (_, i) => ({
      id: `s${i}`,
      role: 'secondary',
      accountId: primary.accountId,
      region: 'us-east-1',
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      vpcCidr: `10.${100 + i}.0.0/16`,
    })),
  ];
  fs.writeFileSync(path.join(work, 'large.json'), JSON.stringify(example));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Synthesizes `config` with a compile cache in the work folder; returns the new space's size in MiB. */
function synth(config: string, env: NodeJS.ProcessEnv = {}): number {
  const sizeFile = path.join(work, 'new-space.txt');
  const result = spawnSync(
    process.execPath,
    ['-r', path.join(work, 'new-space.js'), MAIN, 'synth', '--out', path.join(work, 'out'), '--config', config],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NEW_SPACE_FILE: sizeFile, TTS_ECS_COMPILE_CACHE_DIR: path.join(work, 'cache'), ...env },
    },
  );
  if (result.status !== 0) throw new Error(result.stderr);
  return Number(fs.readFileSync(sizeFile, 'utf8'));
}

const example = path.join(ROOT, 'deployments/example.json');

describe('the young generation', () => {
  it('stays at its initial size for the example, grows above the cluster threshold, and as V8 likes when off', () => {
    expect(synth(example)).toBeLessThanOrEqual(2);
    expect(synth(path.join(work, 'large.json'))).toBeGreaterThan(2);
    expect(synth(example, { TTS_ECS_SMALL_YOUNG_GENERATION: '0' })).toBeGreaterThan(2);
  });

  it('leaves the code cache valid when small and large synths alternate', () => {
    fs.rmSync(path.join(work, 'cache'), { recursive: true, force: true });
    synth(path.join(work, 'large.json')); // writes the cache at exit, after letting the space grow
    const file = compileCacheFile(path.join(work, 'cache', 'bundle'));
    const written = fs.statSync(file).mtimeMs;
    synth(example);
    synth(path.join(work, 'large.json'));
    expect(fs.statSync(file).mtimeMs).toBe(written);
  });
});
