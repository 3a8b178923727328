import { spawnSync } from 'child_process';
import * as path from 'path';

// The repo's lint config must reject root imports of provider packages: each costs ~3 s and ~500 MB per process.
const ROOT = path.join(__dirname, '../../../..');

// Package names are assembled so that repository greps for root imports do not flag this test's fixtures.
const AWS = ['@cdktf', 'provider-aws'].join('/');
const RANDOM = ['@cdktf', 'provider-random'].join('/');

const REJECTED: [string, RegExp][] = [
  [`import { Vpc } from '${AWS}';`, /Import the resource by deep path: @cdktf\/provider-aws\/lib\/<resource>/],
  [`import * as random from '${RANDOM}';`, /@cdktf\/provider-random\/lib\/<resource>/],
  [`export { s3Bucket } from '${AWS}';`, /deep path/],
];
const ACCEPTED = "import { Vpc } from '@cdktf/provider-aws/lib/vpc';\nexport const x = Vpc;\n";

// Lints every snippet with the repo's real eslint config (as `pnpm lint` does), as a file of a construct package,
// in one eslint process: starting eslint costs about 2 s.
const LINT_SCRIPT = `
const { ESLint } = require('eslint');
const snippets = JSON.parse(require('fs').readFileSync(0, 'utf8'));
(async () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const out = [];
  for (const code of snippets) {
    const [result] = await eslint.lintText(code, { filePath: 'packages/network/src/example.ts' });
    out.push(result.messages.map((m) => m.ruleId + ': ' + m.message));
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
`;

function lintAll(snippets: string[]): string[][] {
  const run = spawnSync(process.execPath, ['-e', LINT_SCRIPT], {
    cwd: ROOT,
    input: JSON.stringify(snippets),
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`eslint failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as string[][];
}

describe('lint rule against provider root imports', () => {
  let messages: string[][] = [];
  beforeAll(() => {
    messages = lintAll([...REJECTED.map(([code]) => `${code}\n`), ACCEPTED]);
  });

  it.each(REJECTED.map(([code, message], index) => [code, message, index] as const))(
    'rejects %s',
    (_code, message, index) => {
      expect(messages[index].some((m) => m.startsWith('no-restricted-imports') && message.test(m))).toBe(true);
    },
  );

  it('accepts a deep import', () => {
    expect(messages[REJECTED.length]).toEqual([]);
  });
});
