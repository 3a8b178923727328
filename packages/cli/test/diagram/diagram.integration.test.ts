import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { mermaidInMarkdown } from '@tts-ecs/diagram';
import { writeFixtureSynth } from './fixture';

// `tts-ecs diagram` as users run it: the compiled command, built here so the test never runs a stale dist.
const ROOT = path.join(__dirname, '../../../..');
const MAIN = path.join(ROOT, 'packages/cli/dist/main.js');
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-ecs-diagram-cli-'));
const FIXTURE = writeFixtureSynth(path.join(TMP, 'fixture'));
beforeAll(() =>
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'packages/cli'], { cwd: ROOT }),
);
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

const run = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(process.execPath, [MAIN, 'diagram', ...args], { cwd: ROOT, encoding: 'utf8', env });

describe('tts-ecs diagram', () => {
  it('synthesizes the example and prints the diagram the README shows', () => {
    const result = run(['--config', 'deployments/example.json', '--out', path.join(TMP, 'cdktf.out')]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(mermaidInMarkdown(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')));
  }, 120_000);

  it('writes DOT of an existing synth output', () => {
    const result = run(['--from', FIXTURE, '--format', 'dot']);
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain('digraph deployment {');
    expect(result.stdout).toContain('"st_acme_dev_p1_network__lb" [shape=hexagon');
  });

  it('names the missing program when --format svg finds no Graphviz', () => {
    const result = run(['--from', FIXTURE, '--format', 'svg'], { ...process.env, PATH: path.join(TMP, 'empty') });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("--format svg runs Graphviz's `dot`, which is not on PATH. Install Graphviz");
  });

  it('suggests the format meant by a misspelt --format, with the usage', () => {
    const result = run(['--from', FIXTURE, '--format', 'svgg']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--format: unknown format "svgg" (did you mean "svg"?). Known: mermaid, dot, svg.');
    expect(result.stderr).toContain('Options of diagram:');
  });

  it('says to synthesize first when there is no synth output', () => {
    const result = run(['--from', path.join(TMP, 'nothing')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('no synth output in');
    expect(result.stderr).toContain('run `tts-ecs synth` first');
  });

  it('reports a config that fails, and draws nothing', () => {
    const file = path.join(TMP, 'bad.json');
    fs.writeFileSync(file, JSON.stringify({ prefix: 'acme' }));
    const result = run(['--config', file, '--out', path.join(TMP, 'bad-out')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`Invalid deployment config ${file}`);
    expect(result.stdout).toBe('');
  });

  it('writes the block between the markers of a Markdown file, and refuses a file without them', () => {
    const doc = path.join(TMP, 'doc.md');
    fs.writeFileSync(doc, '# Doc\n\n<!-- tts-ecs diagram: begin -->\n<!-- tts-ecs diagram: end -->\n\nAfter.\n');
    const result = run(['--from', FIXTURE, '--output', doc]);
    expect([result.status, result.stdout]).toEqual([0, `Wrote ${path.relative(ROOT, doc)} (mermaid)\n`]);
    const written = fs.readFileSync(doc, 'utf8');
    expect(written).toMatch(/^# Doc\n\n<!-- tts-ecs diagram: begin -->\n\n```mermaid\nflowchart LR\n[\s\S]*\n```\n\n/);
    expect(written.endsWith('<!-- tts-ecs diagram: end -->\n\nAfter.\n')).toBe(true);

    const plain = path.join(TMP, 'plain.md');
    fs.writeFileSync(plain, '# No markers\n');
    const refused = run(['--from', FIXTURE, '--output', plain]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('has no "<!-- tts-ecs diagram: begin -->"');
    expect(fs.readFileSync(plain, 'utf8')).toBe('# No markers\n');
  });

  it('refuses --from together with --config', () => {
    const result = run(['--from', FIXTURE, '--config', 'deployments/example.json']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--from draws an existing synth output; --config and --out synthesize one');
  });
});
