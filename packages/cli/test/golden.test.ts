import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { StackVerifyResult, VerifyResult } from '@tts-ecs/terraform';
import { goldenCheck } from '../src/golden';
import { verifyCommand } from '../src/verify-command';
import { UsageError } from '../src/args';

// verifyCommand with a fake synth and a fake runVerify: only the exit codes and the golden check are under test.
const fakeRun = jest.fn<Promise<VerifyResult>, []>();
jest.mock('@tts-ecs/terraform', () => ({
  ...jest.requireActual('@tts-ecs/terraform'),
  runVerify: () => fakeRun(),
}));
jest.mock('../src/synth', () => ({
  synthesize: async (o: { outDir: string }) => ({
    outDir: o.outDir,
    stacks: [
      { name: 'acme-eu1-data', app: 'primary', dir: '' },
      { name: 'acme-ap1-network', app: 'secondary', dir: '' },
    ],
    seconds: 0,
    warnings: [],
  }),
}));
jest.mock('@tts-ecs/config', () => ({ loadDeploymentConfig: () => ({}) }));
jest.mock('@tts-ecs/stacks', () => ({ contractFixtures: () => ({}) }));

const stack = (app: string, name: string, changes?: string[]): StackVerifyResult => ({
  app,
  stack: name,
  validate: 'ok',
  plan: changes ? 'ok' : 'skipped',
  ...(changes ? { changes } : { reason: 'provider not installable offline' }),
  seconds: 1,
  stepSeconds: {},
});
const run = (...stacks: StackVerifyResult[]): VerifyResult => ({
  ok: true,
  stacks,
  seconds: 2,
  pluginCacheDir: '/cache',
  cacheWarmup: { seconds: 0, cold: false },
});
const planned = run(
  stack('primary', 'acme-eu1-data', ['create aws_s3_bucket.b', 'create aws_db_instance.d']),
  stack('secondary', 'acme-ap1-network', ['create aws_vpc.v']),
);

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-test-'));
  file = path.join(dir, 'golden', 'example.plan.txt');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('goldenCheck', () => {
  const options = (update = false) => ({ file, update, config: 'deployments/example.json' });

  it('writes the normalised plan with --update-golden, then matches it', () => {
    expect(goldenCheck(planned, options(true))).toMatchObject({ code: 0, message: expect.stringContaining('written') });
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('## primary/acme-eu1-data\ncreate aws_db_instance.d\ncreate aws_s3_bucket.b\n');
    expect(text).toContain('pnpm golden:update');
    expect(text).not.toContain(dir);
    expect(goldenCheck(planned, options(true)).message).toContain('up to date');
    expect(goldenCheck(planned, options())).toMatchObject({ code: 0, message: expect.stringContaining('matches') });
  });

  it('exits 1 with a readable diff and the regenerate command when the plan differs', () => {
    goldenCheck(planned, options(true));
    const changed = run(
      stack('primary', 'acme-eu1-data', ['replace aws_db_instance.d', 'create aws_s3_bucket.b']),
      stack('secondary', 'acme-ap1-network', ['create aws_vpc.v']),
    );
    const check = goldenCheck(changed, options());
    expect(check.code).toBe(1);
    expect(check.message).toContain(
      '## primary/acme-eu1-data: +1 -1\n- create aws_db_instance.d\n+ replace aws_db_instance.d',
    );
    expect(check.message).toContain('If the change is intended, regenerate with: pnpm golden:update');
  });

  it('limits the diff', () => {
    goldenCheck(planned, options(true));
    const many = Array.from({ length: 300 }, (_, i) => `create aws_sqs_queue.q${String(i).padStart(3, '0')}`);
    const check = goldenCheck(run(stack('primary', 'acme-eu1-data', many)), { ...options(), limit: 200 });
    expect(check.code).toBe(1);
    expect(check.message.split('\n').filter((l) => /^([-+] |## )/.test(l))).toHaveLength(200);
    expect(check.message).toMatch(/\.\.\. \d+ more diff lines not shown/);
  });

  it('exits 1 when the golden file is missing', () => {
    expect(goldenCheck(planned, options())).toMatchObject({ code: 1, message: expect.stringContaining('missing') });
  });

  it('says it could not compare, and writes nothing, when a stack did not plan', () => {
    const partial = run(stack('primary', 'acme-eu1-data', ['create aws_s3_bucket.b']), stack('secondary', 'x'));
    expect(goldenCheck(partial, options(true))).toEqual({
      code: 1,
      message: expect.stringContaining('could not compare, 1 of 2 stacks did not plan (secondary/x: plan skipped)'),
    });
    expect(fs.existsSync(file)).toBe(false);
    expect(goldenCheck(partial, options()).code).toBe(1);
  });
});

describe('verify --golden exit codes', () => {
  const repoRoot = path.join(__dirname, '..', '..', '..');
  const verify = (options: Record<string, string | true>) =>
    verifyCommand(repoRoot, {
      command: 'verify',
      options: { config: 'deployments/example.json', ...options },
      positional: [],
    });
  let out: jest.SpyInstance;
  beforeEach(() => {
    out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => out.mockRestore());
  const printed = () => out.mock.calls.map((c) => String(c[0])).join('');

  it('exits 0 when the plan matches the golden file and 1 with the diff when it does not', async () => {
    fakeRun.mockResolvedValue(planned);
    expect(await verify({ golden: file, 'update-golden': true })).toBe(0);
    expect(await verify({ golden: file })).toBe(0);
    expect(printed()).toContain('matches (2 stacks, 3 changes)');
    fakeRun.mockResolvedValue(run(stack('primary', 'acme-eu1-data', ['create aws_s3_bucket.b']), planned.stacks[1]));
    expect(await verify({ golden: file })).toBe(1);
    expect(printed()).toContain('- create aws_db_instance.d');
  });

  it('exits 1 when a stack was skipped, even with --allow-skipped', async () => {
    fakeRun.mockResolvedValue(planned);
    await verify({ golden: file, 'update-golden': true });
    fakeRun.mockResolvedValue(run(planned.stacks[0], stack('secondary', 'acme-ap1-network')));
    expect(await verify({ golden: file, 'allow-skipped': true })).toBe(1);
    expect(printed()).toContain('could not compare');
    expect(await verify({ 'allow-skipped': true })).toBe(0);
  });

  it('rejects --golden with --stacks and --update-golden without --golden', async () => {
    await expect(verify({ golden: file, stacks: 'acme-eu1-data' })).rejects.toThrow(UsageError);
    await expect(verify({ 'update-golden': true })).rejects.toThrow('--update-golden needs --golden');
  });
});

describe('verify --from an existing synth output', () => {
  const repoRoot = path.join(__dirname, '..', '..', '..');
  const verify = (options: Record<string, string | true>) =>
    verifyCommand(repoRoot, { command: 'verify', options, positional: [] });
  let out: jest.SpyInstance;
  beforeEach(() => {
    out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => out.mockRestore());

  it('verifies and compares the stacks found there without synthesizing a config', async () => {
    const app = path.join(dir, 'cdktf.out');
    fs.mkdirSync(path.join(app, 'stacks', 'web'), { recursive: true });
    fs.writeFileSync(
      path.join(app, 'manifest.json'),
      JSON.stringify({
        stacks: {
          web: { name: 'web', workingDirectory: 'stacks/web', synthesizedStackPath: 'stacks/web/cdk.tf.json' },
        },
      }),
    );
    fs.writeFileSync(path.join(app, 'stacks', 'web', 'cdk.tf.json'), '{}');
    fakeRun.mockResolvedValue(run(stack('cdktf.out', 'web', ['create aws_lb.alb'])));
    expect(await verify({ from: app, golden: file, 'update-golden': true })).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toContain('create aws_lb.alb');
    expect(await verify({ from: app, golden: file })).toBe(0);
  });

  it('refuses a folder without a manifest, a missing folder name and --config with --from', async () => {
    await expect(verify({ from: dir })).rejects.toThrow(/--from .*: no manifest.json there/);
    await expect(verify({ from: true })).rejects.toThrow('--from needs the folder of a synth output.');
    await expect(verify({ from: dir, config: 'deployments/example.json' })).rejects.toThrow(/pick one/);
  });
});
