import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { topLevelMembers } from '@tts-ecs/terraform';
import { synthesize } from '../src/synth';

// A real synth of the example deployment through the compiled apps, twice into one folder.
const ROOT = path.join(__dirname, '../../..');
const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tts-ecs-synth-')), 'cdktf.out');
const network = path.join(out, 'primary', 'stacks', 'acme-prod-eu1-network');
let first: Awaited<ReturnType<typeof synthesize>>;

beforeAll(async () => {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b'], { cwd: ROOT });
  const options = { repoRoot: ROOT, configPath: path.join(ROOT, 'deployments/example.json'), outDir: out };
  first = await synthesize(options);
  // What `terraform init` leaves in a stack folder.
  fs.mkdirSync(path.join(network, '.terraform', 'providers'), { recursive: true });
  fs.writeFileSync(path.join(network, '.terraform.lock.hcl'), '# lock\n');
  await synthesize(options);
}, 120_000);
afterAll(() => fs.rmSync(path.dirname(out), { recursive: true, force: true }));

describe('tts-ecs synth', () => {
  it('keeps terraform working files (.terraform/, the lock file) of each stack across synths', () => {
    expect(fs.existsSync(path.join(network, '.terraform', 'providers'))).toBe(true);
    expect(fs.readFileSync(path.join(network, '.terraform.lock.hcl'), 'utf8')).toBe('# lock\n');
  });

  it('returns (and prints) the construct warnings of every stack, in words', () => {
    expect(first.warnings).toContain(
      'warning: acme-prod-eu1-data: Every object of bucket acme-prod-eu1-profile-pictures-111111111111 is publicly readable by URL, by design.',
    );
    expect(first.warnings.some((w) => w.startsWith('warning: acme-prod-eu1-compute: E-mail is off'))).toBe(true);
  });

  it('lists the stacks in apply order, the order `tts-ecs order` prints', () => {
    const order = JSON.parse(fs.readFileSync(path.join(out, 'apply-order.json'), 'utf8'));
    expect(first.stacks.map((s) => s.name)).toEqual([
      'acme-prod-bootstrap',
      ...order.stacks.map((s: { name: string }) => s.name),
    ]);
    expect(first.stacks[1].name).toBe('acme-prod-eu1-network');
    expect(first.stacks[6].name).toBe('acme-prod-us1-network'); // config order: us1 before ap1
  });

  it('writes no absolute path of this machine into the output', () => {
    for (const app of ['bootstrap', 'primary', 'secondary']) {
      const manifest = fs.readFileSync(path.join(out, app, 'manifest.json'), 'utf8');
      expect([app, manifest.includes(ROOT), manifest.includes('stacktrace')]).toEqual([app, false, false]);
    }
  });
});

describe('tts-ecs synth in one process', () => {
  /** Every file under `dir`, relative path -> content. */
  const filesOf = (dir: string): Map<string, string> =>
    new Map(
      (fs.readdirSync(dir, { recursive: true }) as string[])
        .filter((f) => fs.statSync(path.join(dir, f)).isFile() && !f.includes('.terraform'))
        .map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]),
    );

  it.each(['bootstrap', 'primary', 'secondary'])(
    'writes byte for byte what the %s app writes as its own process (cdktf synth)',
    (app) => {
      const alone = path.join(path.dirname(out), `alone-${app}`);
      execFileSync(process.execPath, [path.join(ROOT, 'apps', app, 'dist/main.js')], {
        cwd: path.join(ROOT, 'apps', app),
        env: { ...process.env, TTS_ECS_CONFIG: path.join(ROOT, 'deployments/example.json'), CDKTF_OUTDIR: alone },
      });
      const [expected, actual] = [filesOf(alone), filesOf(path.join(out, app))];
      expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [file, text] of expected) expect({ file, text: actual.get(file) }).toEqual({ file, text });
    },
  );
});

it('writes every cdk.tf.json and manifest.json as stock cdktf would (json-stable-stringify; patches/cdktf@0.21.0.patch writes them directly)', () => {
  const cdktfDir = path.dirname(require.resolve('cdktf/package.json', { paths: [path.join(ROOT, 'packages/stacks')] }));
  const stock = require(require.resolve('json-stable-stringify', { paths: [cdktfDir] })) as (
    obj: unknown,
    opts: { space: number },
  ) => string;
  const manifests = [...new Set(first.stacks.map((s) => path.join(first.outDir, s.app, 'manifest.json')))];
  const files = [...first.stacks.map((s) => path.join(s.dir, 'cdk.tf.json')), ...manifests];
  expect(files.length).toBe(16 + 3);
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const name = path.relative(first.outDir, file);
    expect({ name, same: text === stock(JSON.parse(text), { space: 2 }) }).toEqual({ name, same: true });
  }
});

it('reads the backend and remote states of every cdk.tf.json for the apply order as a full parse would', () => {
  expect(first.stacks).toHaveLength(16);
  for (const stack of first.stacks) {
    const text = fs.readFileSync(path.join(stack.dir, 'cdk.tf.json'));
    const full = JSON.parse(String(text)) as Record<string, unknown>;
    expect({ stack: stack.name, members: topLevelMembers(text, ['terraform', 'data']) }).toEqual({
      stack: stack.name,
      members: { terraform: full.terraform, ...(full.data ? { data: full.data } : {}) },
    });
  }
});
