// A verify batch skips `terraform init` when every provider is cached: the layout init would leave is written
// directly, and the real init runs when terraform says the layout is not what it needs. verify.integration.test
// plans real batches this way with terraform itself.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Run, serializer, SynthesizedStack, terraformPlatform } from '../src';
import { linkInitialized, needsInit } from '../src/linked-init';
import { verifyBatch } from '../src/verify-batch';
import type { StackContext } from '../src/verify';

const AWS = 'registry.terraform.io/hashicorp/aws';
const LOCK = `provider "${AWS}" {\n  version     = "5.100.0"\n  constraints = "5.100.0"\n  hashes = ["h1:abc="]\n}\n`;

let dir: string;
let cache: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linked-init-'));
  cache = path.join(dir, 'cache');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function cacheProvider(version = '5.100.0'): string {
  const unpacked = path.join(cache, AWS, version, terraformPlatform());
  fs.mkdirSync(unpacked, { recursive: true });
  fs.writeFileSync(path.join(unpacked, 'terraform-provider-aws_v5.100.0_x5'), 'binary');
  return unpacked;
}

function root(...modules: string[]): string {
  const at = path.join(dir, 'root');
  for (const name of modules) fs.mkdirSync(path.join(at, name), { recursive: true });
  return at;
}

describe('linkInitialized', () => {
  it('records each local module as init does and links each locked provider from the cache', () => {
    const unpacked = cacheProvider();
    const at = root('s_primary_net', 's_secondary_compute');
    expect(linkInitialized(at, ['s_primary_net', 's_secondary_compute'], LOCK, cache)).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(at, '.terraform/modules/modules.json'), 'utf8'))).toEqual({
      Modules: [
        { Key: '', Source: '', Dir: '.' },
        { Key: 's_primary_net', Source: './s_primary_net', Dir: 's_primary_net' },
        { Key: 's_secondary_compute', Source: './s_secondary_compute', Dir: 's_secondary_compute' },
      ],
    });
    const link = path.join(at, '.terraform/providers', AWS, '5.100.0', terraformPlatform());
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(link)).toBe(path.resolve(unpacked));
  });

  it('lays out a directory again that an earlier run laid out (a reused work dir)', () => {
    cacheProvider();
    const at = root('s_net', 's_data');
    expect(linkInitialized(at, ['s_net', 's_data'], LOCK, cache)).toBe(true);
    expect(linkInitialized(at, ['s_net'], LOCK, cache)).toBe(true);
    const record = JSON.parse(fs.readFileSync(path.join(at, '.terraform/modules/modules.json'), 'utf8'));
    expect(record.Modules.map((m: { Key: string }) => m.Key)).toEqual(['', 's_net']);
  });

  it('leaves the directory alone when the locked version is not unpacked in the cache', () => {
    cacheProvider('5.99.0');
    const at = root('s_net');
    expect(linkInitialized(at, ['s_net'], LOCK, cache)).toBe(false);
    expect(fs.existsSync(path.join(at, '.terraform'))).toBe(false);
  });

  it('leaves the directory alone for a module folder that is missing or not a plain name', () => {
    cacheProvider();
    const at = root('s_net');
    expect(linkInitialized(at, ['s_net', 's_gone'], LOCK, cache)).toBe(false);
    expect(linkInitialized(at, ['../s_net'], LOCK, cache)).toBe(false);
    expect(fs.existsSync(path.join(at, '.terraform'))).toBe(false);
  });

  it('leaves the directory alone for a lock entry without a version', () => {
    cacheProvider();
    const at = root('s_net');
    expect(linkInitialized(at, ['s_net'], `provider "${AWS}" {\n  hashes = []\n}\n`, cache)).toBe(false);
  });
});

/** Terraform's own diagnostics (1.11.4) for a directory init has not prepared, one per `-json` line. */
const diagnostic = (summary: string, detail: string): string =>
  JSON.stringify({ '@level': 'error', type: 'diagnostic', diagnostic: { severity: 'error', summary, detail } });

describe('needsInit', () => {
  it('recognizes a module init has not recorded and a provider it has not linked or that fails the lock', () => {
    expect(
      needsInit(diagnostic('Module not installed', 'This module is not yet installed. Run "terraform init"')),
    ).toBe(true);
    const missing = `${AWS}: there is no package for ${AWS} 5.100.0 cached in .terraform/providers`;
    expect(needsInit(diagnostic(missing, ''))).toBe(true);
    const mismatch = `${AWS}: the cached package for ${AWS} 5.100.0 (in .terraform/providers) does not match any of the checksums recorded in the dependency lock file`;
    expect(needsInit(diagnostic(mismatch, ''))).toBe(true);
  });

  it('leaves a stack error to the plan: an unsupported argument is not an init problem', () => {
    const unsupported = diagnostic('Unsupported argument', 'An argument named "not_an_argument" is not expected here.');
    expect(needsInit(`${unsupported}\nnot json\n`)).toBe(false);
    expect(
      needsInit(
        JSON.stringify({ type: 'diagnostic', diagnostic: { severity: 'warning', summary: 'Module not installed' } }),
      ),
    ).toBe(false);
  });
});

describe('verifyBatch without terraform init', () => {
  function stack(name: string): SynthesizedStack {
    const stackDir = path.join(dir, 'synth', name);
    fs.mkdirSync(stackDir, { recursive: true });
    const json = { terraform: { required_providers: { aws: { source: 'aws', version: '5.100.0' } } } };
    fs.writeFileSync(path.join(stackDir, 'cdk.tf.json'), JSON.stringify(json));
    return { app: 'primary', name, dir: stackDir, file: path.join(stackDir, 'cdk.tf.json'), dependencies: [] };
  }

  const passed = [
    JSON.stringify({ type: 'test_plan', test_plan: { resource_changes: [] } }),
    JSON.stringify({ type: 'test_summary', test_summary: { status: 'pass' } }),
  ].join('\n');

  async function batch(
    testOutputs: string[],
  ): Promise<{ calls: string[]; outcome: Awaited<ReturnType<typeof verifyBatch>> }> {
    cacheProvider();
    const calls: string[] = [];
    const run: Run = async (args) => {
      calls.push(args[0]);
      const stdout = args[0] === 'test' ? (testOutputs.shift() ?? '') : '';
      return {
        args,
        stack: 'batch',
        exitCode: stdout === passed || args[0] === 'init' ? 0 : 1,
        stdout,
        stderr: '',
        seconds: 0.1,
      };
    };
    const stacks = [stack('net'), stack('data')];
    const parsed = new Map(
      stacks.map((s) => [s, JSON.parse(fs.readFileSync(s.file, 'utf8')) as Record<string, unknown>]),
    );
    const ctx: StackContext = {
      run,
      producers: new Map(),
      options: { synthDir: path.join(dir, 'synth') },
      locks: new Map([[`${AWS}@5.100.0`, LOCK.trim()]]),
      serialInit: serializer(),
      pluginCacheDir: cache,
    };
    return { calls, outcome: await verifyBatch(stacks, parsed, path.join(dir, 'batch'), ctx) };
  }

  it('plans without running init when every provider is cached', async () => {
    const { calls, outcome } = await batch([passed]);
    expect(calls).toEqual(['test']);
    expect(outcome.ok).toBe(true);
    if (outcome.ok) for (const result of outcome.results.values()) expect(result.stepSeconds.init).toBeUndefined();
  });

  it('runs the real init and plans again when terraform says the layout is not what it needs', async () => {
    const notInstalled = diagnostic('Module not installed', 'This module is not yet installed. Run "terraform init"');
    const { calls, outcome } = await batch([notInstalled, passed]);
    expect(calls).toEqual(['test', 'init', 'test']);
    expect(outcome.ok).toBe(true);
    if (outcome.ok) for (const result of outcome.results.values()) expect(result.stepSeconds.init).toBe(0.1);
  });
});
