import { spawnSync } from 'child_process';
import * as path from 'path';

/**
 * `inNamedTest` as jest sees it: the fixtures under fixtures/ (*.fixture.ts, outside the normal run) run in a jest of
 * their own, and this test reads its --json report.
 */
const ROOT = path.join(__dirname, '../../..');
const FIXTURES = path.join(__dirname, 'fixtures');

interface AssertionResult {
  title: string;
  status: string;
  failureMessages: string[];
}
interface SuiteResult {
  name: string;
  testExecError?: unknown;
  failureMessage?: string;
  assertionResults: AssertionResult[];
}

function runFixtures(): SuiteResult[] {
  const config = {
    rootDir: FIXTURES,
    testMatch: ['**/*.fixture.ts'],
    testEnvironment: 'node',
    // As in the root jest.config.js.
    transform: {
      '^.+\\.ts$': [require.resolve('@swc/jest'), { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }],
    },
  };
  const env = { ...process.env };
  delete env.JEST_WORKER_ID;
  const jest = spawnSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/jest/bin/jest.js'),
      '--config',
      JSON.stringify(config),
      '--json',
      '--ci',
      '--runInBand',
      '--watchman=false',
    ],
    { cwd: ROOT, encoding: 'utf8', env },
  );
  if (!jest.stdout.trim()) throw new Error(`jest wrote no report (exit ${jest.status}): ${jest.stderr}`);
  return JSON.parse(jest.stdout).testResults;
}

describe('inNamedTest in a describe body', () => {
  let suites: SuiteResult[] = [];
  beforeAll(() => {
    suites = runFixtures();
  }, 30_000);
  const suite = (file: string): SuiteResult => {
    const found = suites.find((s) => path.basename(s.name) === file);
    if (!found) throw new Error(`no report for ${file} among ${suites.map((s) => s.name).join(', ')}`);
    return found;
  };
  const resultOf = (file: string, title: string): AssertionResult => {
    const found = suite(file).assertionResults.find((a) => a.title === title);
    if (!found) throw new Error(`no test "${title}" in ${file}`);
    return found;
  };

  it('turns a build error into a failed test named after the work, not a crashed file', () => {
    const failing = suite('build-fails.fixture.ts');
    expect(failing.testExecError).toBeUndefined();
    expect(failing.failureMessage ?? '').not.toContain('Test suite failed to run');
    expect(failing.assertionResults.map((a) => [a.title, a.status])).toEqual([
      ['synthesizes x', 'failed'],
      ['uses the result', 'failed'],
      ['does not need the result', 'passed'],
    ]);
    expect(resultOf('build-fails.fixture.ts', 'synthesizes x').failureMessages.join('\n')).toContain('Error: boom');
  });

  it('fails every test using the result with a pointer to the named test', () => {
    expect(resultOf('build-fails.fixture.ts', 'uses the result').failureMessages.join('\n')).toContain(
      'not available: the test "synthesizes x" failed (boom)',
    );
  });

  it('hands a working result to the tests, built once, after collection', () => {
    const working = suite('build-works.fixture.ts');
    expect(working.testExecError).toBeUndefined();
    expect(working.assertionResults.filter((a) => a.status !== 'passed')).toEqual([]);
    expect(working.assertionResults.map((a) => a.title)).toEqual([
      'synthesizes y',
      'is not built while jest collects tests',
      'reads properties, keys, entries and `in` like the real result',
      'keeps `this` for methods and getters (private fields work)',
      'builds once',
      'runs the build at once inside a test, without a stand-in',
    ]);
  });
});
