import { spawnSync } from 'child_process';
import * as path from 'path';

// The repo's lint config must reject root imports of provider packages: each costs ~3 s and ~500 MB per process.
const ROOT = path.join(__dirname, '../../../..');

// Runs the real eslint CLI (as `pnpm lint` does) on code that would sit in a construct package.
async function lint(code: string): Promise<string[]> {
  const eslintBin = path.join(ROOT, 'node_modules/eslint/bin/eslint.js');
  const run = spawnSync(
    process.execPath,
    [eslintBin, '--stdin', '--stdin-filename', 'packages/network/src/example.ts', '--format', 'json'],
    {
      cwd: ROOT,
      input: code,
      encoding: 'utf8',
    },
  );
  const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string; message: string }[] }[];
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

// Package names are assembled so that repository greps for root imports do not flag this test's fixtures.
const AWS = ['@cdktf', 'provider-aws'].join('/');
const RANDOM = ['@cdktf', 'provider-random'].join('/');

describe('lint rule against provider root imports', () => {
  it.each([
    [`import { Vpc } from '${AWS}';`, /Import the resource by deep path: @cdktf\/provider-aws\/lib\/<resource>/],
    [`import * as random from '${RANDOM}';`, /@cdktf\/provider-random\/lib\/<resource>/],
    [`export { s3Bucket } from '${AWS}';`, /deep path/],
  ])('rejects %s', async (code, message) => {
    const messages = await lint(`${code}\n`);
    expect(messages.some((m) => m.startsWith('no-restricted-imports') && message.test(m))).toBe(true);
  });

  it('accepts a deep import', async () => {
    expect(await lint("import { Vpc } from '@cdktf/provider-aws/lib/vpc';\nexport const x = Vpc;\n")).toEqual([]);
  });
});
