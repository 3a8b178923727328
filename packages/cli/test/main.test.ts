import { execFileSync, spawnSync } from 'child_process';
import * as path from 'path';

// The compiled command, as users run it (`pnpm tts-ecs`); built here so the test never runs a stale dist.
const ROOT = path.join(__dirname, '../../..');
const MAIN = path.join(ROOT, 'packages/cli/dist/main.js');
beforeAll(() =>
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'packages/cli'], { cwd: ROOT }),
);

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

  it('suggests the stack meant by a misspelt --stacks name, before running terraform', () => {
    const result = run('verify', '--stacks', 'acme-prod-eu1-netwrk');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown stack "acme-prod-eu1-netwrk" (did you mean "acme-prod-eu1-network"?).');
  });
});
