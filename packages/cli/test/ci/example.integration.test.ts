import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from '../../src/args';
import { applyJobId, githubWorkflow, GithubWorkflowOptions, renderGithubWorkflow } from '../../src/ci/github';
import { githubWorkflowOptions } from '../../src/ci/command';
import { planWaves } from '../../src/rollout/waves';
import { validateWorkflow } from './validator';

/**
 * docs/github-workflow-example.yml is the workflow `tts-ecs ci github` generates for the example deployment now
 * (synthesized for real, apply order from the order module), it passes action-validator, and its apply jobs are
 * chained exactly as `tts-ecs rollout` applies: eu1 (primary) layer by layer, us1 (canary), ap1.
 */
const ROOT = path.join(__dirname, '../../../..');
const CHECKED_IN = 'docs/github-workflow-example.yml';
const REGENERATE = `pnpm tts-ecs ci github --out ${CHECKED_IN}`;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let options: GithubWorkflowOptions;
let generated = '';
beforeAll(async () => {
  const args = parseArgs(['ci', 'github'], []);
  options = await githubWorkflowOptions(ROOT, args, {});
  generated = renderGithubWorkflow(options, 'tts-ecs ci github');
}, 120_000);

describe('the example GitHub workflow', () => {
  it(`${CHECKED_IN} is up to date`, () => {
    const shown = fs.readFileSync(path.join(ROOT, CHECKED_IN), 'utf8');
    if (shown !== generated) throw new Error(`${CHECKED_IN} is stale. Regenerate it: ${REGENERATE}`);
  });

  it('passes action-validator', () => {
    const result = validateWorkflow(fs.readFileSync(path.join(ROOT, CHECKED_IN), 'utf8'));
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it("chains the apply jobs in the rollout's order: one job after the other, primary, canary, then the wave", () => {
    const jobs = githubWorkflow(options).jobs as Record<string, Json>;
    const waves = planWaves(options.order.stacks);
    expect(waves.map((w) => [w.label, w.clusters.map((c) => c.cluster)])).toEqual([
      ['primary', ['eu1']],
      ['canary', ['us1']],
      ['wave 1', ['ap1']],
    ]);
    const sequence = waves.flatMap((w) => w.clusters.flatMap((c) => c.stacks.map((s) => s.name)));
    expect(sequence).toHaveLength(15);
    sequence.forEach((stack, i) => {
      const job = jobs[applyJobId(stack)];
      expect([stack, job.needs]).toEqual([stack, i === 0 ? undefined : [applyJobId(sequence[i - 1])]]);
      expect(job.environment).toBe(`acme-prod-${stack.split('-')[2]}`);
      expect(job.concurrency).toEqual({ group: `tts-ecs-${stack}`, 'cancel-in-progress': false });
      expect(job.permissions['id-token']).toBe('write');
    });
    expect(Object.keys(jobs).filter((id) => id.startsWith('apply-'))).toHaveLength(15);
    expect(sequence.slice(0, 5)).toEqual(
      ['network', 'secrets', 'data', 'compute', 'observability'].map((l) => `acme-prod-eu1-${l}`),
    );
  });

  it('assumes arn:aws:iam::<account>:role/tts-ecs-deploy of the cluster, never static keys', () => {
    expect(generated).toContain("role-to-assume: 'arn:aws:iam::111111111111:role/tts-ecs-deploy'");
    expect(generated).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|secrets\./);
  });
});
