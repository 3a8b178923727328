import * as fs from 'fs';
import * as path from 'path';
import { PlanManifest, SavedPlan } from '../../src/rollout/plan-store';
import { readRolloutState } from '../../src/rollout/rollout';
import { LAYERS, name, PRIMARY, SECONDARIES, Workspace } from './helpers';

// Each fake terraform call is a node process (~50 ms): a rollout of 15 stacks takes seconds.
jest.setTimeout(60_000);

// Every test drives the CLI commands with the fake terraform (test/rollout/fake-terraform) on PATH.
const clusterOf = (stack: string): string => stack.split('-')[2];
const applied = (calls: { stack: string; command: string }[]): string[] =>
  calls.filter((c) => c.command === 'apply').map((c) => c.stack);

describe('rollout order (wave size 2)', () => {
  const ws = new Workspace();
  let code: number;
  let calls: ReturnType<Workspace['calls']>;
  beforeAll(async () => {
    expect(await ws.cli('plan')).toBe(0);
    ws.calls();
    code = await ws.cli('rollout', '--wave-size', '2');
    calls = ws.calls();
  });
  afterAll(() => ws.dispose());

  it('applies every stack once and exits 0', () => {
    expect(code).toBe(0);
    expect(applied(calls).sort()).toEqual(
      [PRIMARY, ...SECONDARIES].flatMap((c) => LAYERS.map((l) => name(c, l))).sort(),
    );
  });

  it('applies the primary layer by layer before any secondary', () => {
    expect(applied(calls).slice(0, 3)).toEqual(LAYERS.map((l) => name(PRIMARY, l)));
  });

  it('rolls the canary (first secondary) alone, then waves of two, then the rest', () => {
    const order = applied(calls).slice(3).map(clusterOf);
    const lastOf = (c: string): number => order.lastIndexOf(c);
    const firstOf = (c: string): number => order.indexOf(c);
    expect(order.slice(0, 3)).toEqual(['us1', 'us1', 'us1']);
    expect(Math.max(lastOf('ap1'), lastOf('sa1'))).toBeLessThan(firstOf('af1'));
    expect(Math.min(firstOf('ap1'), firstOf('sa1'))).toBeGreaterThan(lastOf('us1'));
  });

  it('keeps layer order within each secondary cluster', () => {
    for (const cluster of SECONDARIES) {
      expect(applied(calls).filter((s) => clusterOf(s) === cluster)).toEqual(LAYERS.map((l) => name(cluster, l)));
    }
  });

  it('re-plans each stack right before applying it, with a lock timeout', () => {
    const stack = name('ap1', 'data');
    const own = calls.filter((c) => c.stack === stack).map((c) => c.command);
    expect(own).toEqual(['init', 'plan', 'show', 'apply']);
    const plan = calls.find((c) => c.stack === stack && c.command === 'plan');
    expect(plan?.args).toContain('-lock-timeout=120s');
    expect(plan?.args).toContain('-detailed-exitcode');
  });

  it('prints the summary and a finished state', () => {
    expect(ws.output).toContain('Rollout complete: 15 stacks in 4 waves.');
    expect(readRolloutState(ws.plansDir)?.finished).toBe(true);
  });
});

describe('a failure in cluster k of N, then --resume', () => {
  const ws = new Workspace();
  const failing = name('ap1', 'data'); // ap1 is the second secondary: wave 1 after the canary
  let code: number;
  let calls: ReturnType<Workspace['calls']>;
  let output: string;
  beforeAll(async () => {
    expect(await ws.cli('plan')).toBe(0);
    ws.calls();
    ws.control({
      fail: [{ stack: failing, command: 'apply', message: 'creating ECS Service: InvalidParameterException' }],
    });
    code = await ws.cli('rollout');
    calls = ws.calls();
    output = ws.output;
  });
  afterAll(() => ws.dispose());

  it('exits non-zero', () => expect(code).toBe(1));

  it('applied the primary and the canary, and the failing cluster up to the failed stack', () => {
    expect(applied(calls)).toEqual([
      ...LAYERS.map((l) => name(PRIMARY, l)),
      ...LAYERS.map((l) => name('us1', l)),
      name('ap1', 'network'),
      failing,
    ]);
  });

  it("halts before the next wave: later clusters and the failed cluster's next layer are untouched", () => {
    const touched = new Set(calls.map((c) => c.stack));
    for (const stack of [name('ap1', 'compute'), ...['sa1', 'af1'].flatMap((c) => LAYERS.map((l) => name(c, l)))]) {
      expect(touched.has(stack)).toBe(false);
    }
  });

  it('summarises applied, not applied, the error and the exact resume command', () => {
    expect(output).toMatch(/Applied or unchanged \(7\): acme-prod-eu1-network, .*acme-prod-ap1-network\n/);
    expect(output).toContain('Not applied (8): acme-prod-ap1-data, acme-prod-ap1-compute, acme-prod-sa1-network');
    expect(output).toContain('acme-prod-ap1-data FAILED at apply:');
    expect(output).toContain('InvalidParameterException');
    expect(output).toContain(`tts-ecs rollout --resume --out ${ws.outDir} --plans ${ws.plansDir}\n`);
    expect(readRolloutState(ws.plansDir)?.stacks[failing]).toMatchObject({ status: 'failed' });
  });

  it('--resume continues from the failed stack and finishes', async () => {
    ws.control({});
    expect(await ws.cli('rollout', '--resume')).toBe(0);
    const resumed = ws.calls();
    expect(resumed[0]).toMatchObject({ stack: failing, command: 'init' });
    expect(applied(resumed)).toEqual([
      failing,
      name('ap1', 'compute'),
      ...['sa1', 'af1'].flatMap((c) => LAYERS.map((l) => name(c, l))),
    ]);
    expect(ws.output).toContain('acme-prod-eu1-network  eu1      network  applied (earlier)');
  });

  it('--resume after a finished rollout is refused', async () => {
    await expect(ws.cli('rollout', '--resume')).rejects.toThrow(/nothing to resume: the rollout started .* finished/);
  });
});

describe('a replacement of a stateful resource', () => {
  const ws = new Workspace();
  const stack = name(PRIMARY, 'data');
  const address = 'aws_rds_cluster.main';
  let code: number;
  let calls: ReturnType<Workspace['calls']>;
  beforeAll(async () => {
    ws.control({ replace: [{ stack, type: 'aws_rds_cluster', address }] });
    expect(await ws.cli('plan')).toBe(0);
    expect(ws.output).toMatch(/acme-prod-eu1-data\s+planned\s+1\s+1\s+1\s+1\s+STATEFUL REMOVAL/);
    ws.calls();
    code = await ws.cli('rollout');
    calls = ws.calls();
  });
  afterAll(() => ws.dispose());

  it('halts the rollout before applying it, without --allow-destroy', () => {
    expect(code).toBe(1);
    expect(applied(calls)).toEqual([name(PRIMARY, 'network')]);
    expect(calls.some((c) => c.stack === name(PRIMARY, 'compute'))).toBe(false);
  });

  it('names the resource and the exact flag that allows it', () => {
    expect(ws.output).toContain(`acme-prod-eu1-data FAILED at safety:`);
    expect(ws.output).toContain(`replaces ${address} (aws_rds_cluster)`);
    expect(ws.output).toContain(`--allow-destroy ${stack}:${address}`);
  });

  it('apply refuses the saved plan too, and applies nothing', async () => {
    expect(await ws.cli('apply', '--stacks', stack)).toBe(1);
    expect(ws.output).toContain('Nothing applied:');
    expect(ws.calls()).toEqual([]);
  });

  it('goes on once --allow-destroy names it (on resume)', async () => {
    expect(await ws.cli('rollout', '--resume', '--allow-destroy', `${stack}:${address}`)).toBe(0);
    expect(applied(ws.calls())[0]).toBe(stack);
  });
});

describe('state lock contention', () => {
  const ws = new Workspace();
  beforeAll(async () => expect(await ws.cli('plan', '--clusters', PRIMARY)).toBe(0));
  afterAll(() => ws.dispose());

  it('retries a plan that could not get the lock within -lock-timeout, and goes on', async () => {
    ws.calls();
    ws.control({ lock: [{ stack: name(PRIMARY, 'network'), command: 'plan', times: 1 }] });
    expect(await ws.cli('rollout', '--clusters', PRIMARY, '--lock-timeout', '5')).toBe(0);
    const plans = ws.calls().filter((c) => c.stack === name(PRIMARY, 'network') && c.command === 'plan');
    expect(plans).toHaveLength(2);
    expect(plans[1].args).toContain('-lock-timeout=5s');
  });

  it('reports a lock still held after the retry clearly: who, since when, how to release it', async () => {
    ws.control({ lock: [{ stack: name(PRIMARY, 'compute'), command: 'apply', who: 'bob@ci-runner' }] });
    expect(await ws.cli('rollout', '--clusters', PRIMARY)).toBe(1);
    expect(ws.output).toContain('the state of acme-prod-eu1-compute is locked by bob@ci-runner (OperationTypeApply)');
    expect(ws.output).toContain('gave up after 2 attempts of 120 s each');
    expect(ws.output).toContain('force-unlock 9db590f1-b6fe-c5f2-2678-8804f089deba');
  });
});

describe('--dry-run', () => {
  const ws = new Workspace();
  afterAll(() => ws.dispose());

  it("runs no terraform command and writes no state, and shows the waves with each stack's commands", async () => {
    expect(await ws.cli('plan')).toBe(0);
    ws.calls();
    expect(await ws.cli('rollout', '--dry-run', '--wave-size', '3', '--canary', 'sa1')).toBe(0);
    expect(ws.calls()).toEqual([]);
    expect(fs.existsSync(path.join(ws.plansDir, 'rollout-state.json'))).toBe(false);
    expect(ws.output).toContain('Dry run: nothing was run.');
    expect(ws.output).toContain('canary: sa1\n');
    expect(ws.output).toContain('wave 1: us1, ap1, af1\n');
    expect(ws.output).toContain('terraform apply -auto-approve');
  });

  it('flags stacks without a reviewed plan and exits 1', async () => {
    fs.rmSync(path.join(ws.plansDir, 'plans.json'));
    expect(await ws.cli('rollout', '--dry-run', '--clusters', 'us1')).toBe(1);
    expect(ws.calls()).toEqual([]);
    expect(ws.output).toContain('acme-prod-us1-network has no reviewed plan');
  });
});

describe('apply: saved, reviewed plans only', () => {
  const ws = new Workspace();
  afterAll(() => ws.dispose());

  it('refuses when nothing was planned', async () => {
    expect(await ws.cli('apply')).toBe(1);
    expect(ws.output).toContain('no saved plan to apply: run `tts-ecs plan` first');
    expect(ws.calls()).toEqual([]);
  });

  it("refuses every apply when one stack's synth output changed since it was planned", async () => {
    expect(await ws.cli('plan', '--clusters', PRIMARY)).toBe(0);
    ws.calls();
    const file = path.join(ws.outDir, 'primary', 'stacks', name(PRIMARY, 'data'), 'cdk.tf.json');
    const original = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, original.replace('"tts"', '"tts2"'));
    expect(await ws.cli('apply')).toBe(1);
    expect(ws.output).toContain('the synthesized acme-prod-eu1-data changed since it was planned');
    expect(ws.calls()).toEqual([]);
    fs.writeFileSync(file, original);
  });

  it('applies the saved plan files in order without planning again, then never twice', async () => {
    expect(await ws.cli('apply', '--json')).toBe(0);
    const calls = ws.calls();
    expect(calls.some((c) => c.command === 'plan')).toBe(false);
    expect(applied(calls)).toEqual(LAYERS.map((l) => name(PRIMARY, l)));
    expect(calls.find((c) => c.command === 'apply')?.args.at(-1)).toBe(
      path.join(ws.plansDir, 'plans', `${name(PRIMARY, 'network')}.tfplan`),
    );
    expect(JSON.parse(ws.output)).toMatchObject({ ok: true, stacks: [{ status: 'applied' }, {}, {}] });
    expect(await ws.cli('apply', '--stacks', name(PRIMARY, 'network'))).toBe(1);
    expect(ws.output).toContain('was already applied');
  });
});

describe('rollout against the reviewed plan', () => {
  const ws = new Workspace();
  afterAll(() => ws.dispose());

  it('stops when the fresh plan makes a change the reviewed plan did not show', async () => {
    expect(await ws.cli('plan', '--clusters', PRIMARY)).toBe(0);
    ws.control({
      extra: [{ stack: name(PRIMARY, 'compute'), address: 'aws_iam_role_policy.extra', actions: ['create'] }],
    });
    ws.calls();
    expect(await ws.cli('rollout', '--clusters', PRIMARY, '--json')).toBe(1);
    expect(applied(ws.calls())).toEqual([name(PRIMARY, 'network'), name(PRIMARY, 'data')]);
    const result = JSON.parse(ws.output) as {
      stacks: { status: string; step?: string; error?: string }[];
      resumeCommand: string;
    };
    expect(result.stacks[2]).toMatchObject({ status: 'failed', step: 'review' });
    expect(result.stacks[2].error).toContain('aws_iam_role_policy.extra create');
    expect(result.resumeCommand).toContain('tts-ecs rollout --resume');
  });

  it('refuses stacks that were never planned (no reviewed plan)', async () => {
    expect(await ws.cli('rollout', '--clusters', 'us1')).toBe(1);
    expect(ws.output).toContain('acme-prod-us1-network has no reviewed plan');
    expect(ws.calls().some((c) => c.command === 'apply')).toBe(false);
  });
});

describe('rollout against the values of the reviewed plan', () => {
  const ws = new Workspace();
  const stack = name(PRIMARY, 'compute');
  const args = ['rollout', '--clusters', PRIMARY, '--layers', 'compute'];
  const taskDefinition = (image: string, secret: string, keyOrder: 'a-z' | 'z-a' = 'a-z') => {
    const container = { name: 'tts', image, essential: true };
    const after = { family: 'tts', cpu: '1024', secret, container_definitions: JSON.stringify([container]) };
    const reverse = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).reverse()) as T;
    return {
      stack,
      address: 'aws_ecs_service.tts',
      before: { family: 'tts', cpu: '1024', secret: 'db-pass-0', container_definitions: '[]' },
      after:
        keyOrder === 'a-z' ? after : { ...reverse(after), container_definitions: JSON.stringify([reverse(container)]) },
      after_unknown: { arn: true },
      before_sensitive: { secret: true },
      after_sensitive: { secret: true },
    };
  };
  afterAll(() => ws.dispose());

  it('stores the planned values, sensitive ones only as a hash', async () => {
    ws.control({ values: [taskDefinition('tts:3.34.0', 'db-pass-1')] });
    expect(await ws.cli('plan', '--clusters', PRIMARY, '--layers', 'compute')).toBe(0);
    const manifest = fs.readFileSync(path.join(ws.plansDir, 'plans.json'), 'utf8');
    expect(manifest).toContain('"container_definitions[0].image": "\\"tts:3.34.0\\""');
    expect(manifest).toContain('"arn": "(known after apply)"');
    expect(manifest).not.toContain('db-pass');
  });

  it('stops when the fresh plan updates the same address to other values, naming them, never a sensitive one', async () => {
    ws.calls();
    ws.control({ values: [taskDefinition('tts:3.35.0', 'db-pass-2')] });
    expect(await ws.cli(...args)).toBe(1);
    expect(applied(ws.calls())).toEqual([]);
    expect(ws.output).toContain(`${stack} FAILED at review:`);
    expect(ws.output).toContain(`the fresh plan of ${stack} sets values the reviewed plan (`);
    expect(ws.output).toContain('aws_ecs_service.tts\n');
    expect(ws.output).toContain('container_definitions[0].image: reviewed "tts:3.34.0", now "tts:3.35.0"\n');
    expect(ws.output).toContain('secret: reviewed (sensitive), now (sensitive) (a different value)\n');
    expect(ws.output).not.toContain('db-pass');
  });

  it('applies when the fresh plan sets the reviewed values, whatever their key order', async () => {
    ws.control({ values: [taskDefinition('tts:3.34.0', 'db-pass-1', 'z-a')] });
    expect(await ws.cli(...args)).toBe(0);
    expect(applied(ws.calls())).toEqual([stack]);
  });

  it('refuses a reviewed plan saved without values (older tts-ecs): plan again', async () => {
    const file = path.join(ws.plansDir, 'plans.json');
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as PlanManifest;
    const old: { -readonly [K in keyof SavedPlan]?: SavedPlan[K] } = { ...manifest.plans[stack] };
    delete old.values;
    delete old.valueSalt;
    fs.writeFileSync(file, JSON.stringify({ ...manifest, plans: { [stack]: old } }));
    expect(await ws.cli(...args)).toBe(1);
    expect(applied(ws.calls())).toEqual([]);
    expect(ws.output).toContain(
      `the reviewed plan of ${stack} (${old.createdAt}) was saved by an older tts-ecs without the values its changes ` +
        'set, so the fresh plan cannot be checked against them: run `tts-ecs plan` again and review it.',
    );
  });
});
