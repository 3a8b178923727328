import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readApplyOrderFile } from '@tts-ecs/terraform';
import { applyJobId, githubWorkflow, GithubWorkflowOptions, renderGithubWorkflow } from '../../src/ci/github';
import { toYaml } from '../../src/ci/yaml';
import { name, PRIMARY, SECONDARIES, writeSynthFixture } from '../rollout/helpers';
import { validateWorkflow } from './validator';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const OUT = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-ecs-ci-'));
afterAll(() => fs.rmSync(OUT, { recursive: true, force: true }));
writeSynthFixture(OUT);

/** Each cluster in its own account, to see that every job assumes the role of its cluster's account. */
const ACCOUNT: Record<string, string> = { eu1: '100000000001', us1: '100000000002', ap1: '100000000003' };
const accountOf = (cluster: string) => ACCOUNT[cluster] ?? '199999999999';
const options = (extra: Partial<GithubWorkflowOptions> = {}): GithubWorkflowOptions => ({
  order: readApplyOrderFile(OUT),
  clusters: Object.fromEntries(
    [PRIMARY, ...SECONDARIES].map((c) => [c, { accountId: accountOf(c), region: 'eu-west-1' }]),
  ),
  deployment: 'acme-prod',
  configPath: 'deployments/acme.json',
  ...extra,
});
const jobsOf = (o: GithubWorkflowOptions): Record<string, Json> => githubWorkflow(o).jobs as Record<string, Json>;
const chain = (cluster: string) => ['network', 'data', 'compute'].map((l) => name(cluster, l));
/** apply job -> the apply jobs it needs, by stack name. */
function needsOf(jobs: Record<string, Json>): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(jobs)
      .filter(([id]) => id.startsWith('apply-'))
      .map(([id, job]) => [
        id.slice('apply-'.length),
        ((job.needs as string[] | undefined) ?? []).map((n) => n.slice('apply-'.length)),
      ]),
  );
}
/** The expected `needs:` of a sequence of waves (each a list of clusters side by side). */
function expectedNeeds(waves: string[][]): Record<string, string[]> {
  const needs: Record<string, string[]> = {};
  let before: string[] = [];
  for (const wave of waves) {
    for (const cluster of wave) chain(cluster).forEach((s, i, all) => (needs[s] = i === 0 ? before : [all[i - 1]]));
    before = wave.map((c) => chain(c)[2]);
  }
  return needs;
}

describe('tts-ecs ci github: the job graph', () => {
  it('applies like tts-ecs rollout: primary layer by layer, the canary alone, then one secondary per wave', () => {
    expect(needsOf(jobsOf(options()))).toEqual(expectedNeeds([[PRIMARY], ['us1'], ['ap1'], ['sa1'], ['af1']]));
  });

  it('follows --canary and --wave-size: a wave needs the last stack of every cluster of the wave before', () => {
    const needs = needsOf(jobsOf(options({ canary: 'sa1', waveSize: 2 })));
    expect(needs).toEqual(expectedNeeds([[PRIMARY], ['sa1'], ['us1', 'ap1'], ['af1']]));
    expect(needs[name('af1', 'network')]).toEqual([name('us1', 'compute'), name('ap1', 'compute')]);
  });

  it('has one plan job per stack, on pull requests only, and never applies there', () => {
    const jobs = jobsOf(options());
    const stacks = readApplyOrderFile(OUT).stacks.map((s) => s.name);
    expect(Object.keys(jobs)).toEqual([
      ...stacks.map((s) => `plan-${s}`),
      ...stacks.map(applyJobId),
      ...[PRIMARY, ...SECONDARIES].map((c) => `drift-${c}`),
    ]);
    for (const stack of stacks) {
      const job = jobs[`plan-${stack}`];
      expect(job.if).toBe("github.event_name == 'pull_request'");
      expect(job.needs).toBeUndefined();
      expect(job.environment).toBeUndefined();
      const runs = (job.steps as Json[]).map((s) => s.run as string | undefined).join('\n');
      expect(runs).toContain('pnpm install --frozen-lockfile');
      expect(runs).toContain(`main.js plan --config deployments/acme.json --stacks ${stack} | tee plan.txt`);
      expect(runs).toContain('>> "$GITHUB_STEP_SUMMARY"');
      expect(runs).not.toMatch(/\bapply\b/);
      expect(job.steps).toContainEqual(
        expect.objectContaining({
          uses: 'actions/upload-artifact@v4',
          with: expect.objectContaining({ name: `plan-${stack}` }),
        }),
      );
    }
  });

  it('gates every apply job: environment of its cluster, one concurrency group per stack, OIDC role of its account', () => {
    const { order } = options();
    const jobs = jobsOf(options({ roleArnTemplate: 'arn:aws:iam::{account}:role/deploy' }));
    for (const stack of order.stacks) {
      const job = jobs[applyJobId(stack.name)];
      expect(job.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
      expect(job.environment).toBe(`acme-prod-${stack.cluster}`);
      expect(job.concurrency).toEqual({ group: `tts-ecs-${stack.name}`, 'cancel-in-progress': false });
      expect(job.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
      const steps = job.steps as Json[];
      const aws = steps.find((s) => s.uses === 'aws-actions/configure-aws-credentials@v4');
      expect(aws?.with['role-to-assume']).toBe(`arn:aws:iam::${accountOf(stack.cluster)}:role/deploy`);
      const runs = steps.map((s) => s.run as string | undefined).filter(Boolean);
      expect(runs.slice(-1)[0]).toBe(`node packages/cli/dist/main.js apply --stacks ${stack.name}\n`);
      expect(runs.join('\n')).toContain(`main.js plan --config deployments/acme.json --stacks ${stack.name}`);
      expect(runs.join('\n')).not.toContain('--allow-destroy');
      expect(steps).toContainEqual(expect.objectContaining({ uses: 'actions/cache@v4' }));
    }
  });

  it('uses the plan role on pull requests when one is given', () => {
    const jobs = jobsOf(options({ planRoleArnTemplate: 'arn:aws:iam::{account}:role/plan' }));
    const role = (job: Json) =>
      (job.steps as Json[]).find((s) => s.uses === 'aws-actions/configure-aws-credentials@v4')?.with['role-to-assume'];
    expect(role(jobs[`plan-${name(PRIMARY, 'network')}`])).toBe(`arn:aws:iam::${accountOf(PRIMARY)}:role/plan`);
    expect(role(jobs[applyJobId(name(PRIMARY, 'network'))])).toBe(
      `arn:aws:iam::${accountOf(PRIMARY)}:role/tts-ecs-deploy`,
    );
  });
});

describe('tts-ecs ci github: drift', () => {
  it('checks each cluster daily and on demand with its account plan role, and only then', () => {
    const workflow = githubWorkflow(options({ planRoleArnTemplate: 'arn:aws:iam::{account}:role/read-only' }));
    expect((workflow.on as Json).schedule).toEqual([{ cron: '0 5 * * *' }]);
    const jobs = workflow.jobs as Record<string, Json>;
    const drift = Object.keys(jobs).filter((id) => id.startsWith('drift-'));
    expect(drift.sort()).toEqual([PRIMARY, ...SECONDARIES].map((c) => `drift-${c}`).sort());
    for (const cluster of [PRIMARY, ...SECONDARIES]) {
      const job = jobs[`drift-${cluster}`];
      expect(job.if).toBe("github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'");
      const steps = job.steps as Json[];
      expect(steps.find((st) => st.uses === 'aws-actions/configure-aws-credentials@v4')!.with['role-to-assume']).toBe(
        `arn:aws:iam::${accountOf(cluster)}:role/read-only`,
      );
      expect(
        steps.some((st) => String(st.run ?? '').includes(`drift --config deployments/acme.json --clusters ${cluster}`)),
      ).toBe(true);
      expect(steps.some((st) => / apply /.test(String(st.run ?? '')))).toBe(false);
    }
    // Plan and apply jobs never run on the schedule.
    for (const [id, job] of Object.entries(jobs))
      if (!id.startsWith('drift-')) expect(job.if).not.toContain('schedule');
  });
});

describe('tts-ecs ci github: the file', () => {
  const text = renderGithubWorkflow(options(), 'tts-ecs ci github');

  it('holds no static AWS keys and no secrets', () => {
    expect(text).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|secrets\./);
    expect(text).toContain('id-token: write');
  });

  it('is the same every time', () => expect(renderGithubWorkflow(options(), 'tts-ecs ci github')).toBe(text));

  it('passes action-validator (the workflow schema and needs references)', () => {
    const result = validateWorkflow(text);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it.each([
    ['a needed job is missing', (t: string) => t.replace(`  ${applyJobId(name(PRIMARY, 'network'))}:`, '  renamed:')],
    ['a permission is misspelt', (t: string) => t.replace('id-token: write', 'id-token: writ')],
    ['a job key is unknown', (t: string) => t.replace('runs-on: ubuntu-latest', 'run-on: ubuntu-latest')],
  ])('action-validator rejects the file when %s', (_, breakIt) => {
    const broken = breakIt(text);
    expect(broken).not.toBe(text);
    expect(validateWorkflow(broken).status).not.toBe(0);
  });
});

describe('toYaml', () => {
  it('writes plain scalars only where they read back as the same string', () => {
    expect(
      toYaml({
        on: { push: null },
        a: 'ubuntu-latest',
        b: 'yes',
        c: '111111111111',
        d: 'x: y',
        e: 'a #b',
        f: '${{ x }}',
        g: 20,
        h: true,
        m: "it's",
        i: [],
        j: {},
        k: 'always()',
        l: 'trailing ',
      }),
    ).toBe(
      [
        'on:',
        '  push: null',
        'a: ubuntu-latest',
        "b: 'yes'",
        "c: '111111111111'",
        "d: 'x: y'",
        "e: 'a #b'",
        "f: '${{ x }}'",
        'g: 20',
        'h: true',
        'm: "it\'s"',
        'i: []',
        'j: {}',
        'k: always()',
        "l: 'trailing '",
        '',
      ].join('\n'),
    );
  });

  it('writes sequences of mappings and literal blocks', () => {
    expect(toYaml({ steps: [{ run: 'one\ntwo\n', name: 'n' }, 'x', { run: 'no newline\nend' }] })).toBe(
      [
        'steps:',
        '  - run: |',
        '      one',
        '      two',
        "    name: 'n'",
        '  - x',
        '  - run: |-',
        '      no newline',
        '      end',
        '',
      ].join('\n'),
    );
  });
});
