import * as fs from 'fs';
import * as path from 'path';
import { ApplyOrder, OrderedStack, selectOrdered } from './order-source';
import { failedOutcome } from './plan';
import { hashStackDir, PlanManifest, readManifest } from './plan-store';
import { formatValueDifferences, planValues, valueDifferences } from './plan-values';
import { blockedRemovals, formatBlocked } from './safety';
import { prepareTerraform, StepFailure, Terraform, TerraformSettings } from './steps';
import { outcomeOf, ProgressListener, StackOutcome } from './types';
import { planWaves, Wave } from './waves';

/** What a rollout acts on; stored in the state file so `--resume` continues the same rollout. */
export interface RolloutScope {
  /** @default every cluster */
  readonly clusters?: readonly string[];
  /** @default every layer */
  readonly layers?: readonly string[];
  /** Secondary clusters per wave after the canary. @default 1 */
  readonly waveSize?: number;
  /** @default the first secondary in apply order */
  readonly canary?: string;
  /** Stateful removals allowed, as `<stack>:<address>` or `<address>`. @default [] */
  readonly allowDestroy?: readonly string[];
}

/** Options of {@link runRollout}. */
export interface RolloutOptions extends TerraformSettings, RolloutScope {
  readonly outDir: string;
  readonly plansDir: string;
  readonly order: ApplyOrder;
  /** Print (through the result) what would run; run nothing, write nothing. @default false */
  readonly dryRun?: boolean;
  /** Continue the stopped rollout recorded in the state file. Its scope is kept; `allowDestroy` adds to it. */
  readonly resume?: boolean;
  readonly onProgress?: ProgressListener;
}

export const ROLLOUT_STATE = 'rollout-state.json';

/** The state file: enough to resume. */
export interface RolloutState {
  readonly version: 1;
  readonly startedAt: string;
  updatedAt: string;
  readonly outDir: string;
  readonly scope: RolloutScope;
  finished: boolean;
  /** Stacks done (`applied` / `no-changes`) or `failed`, by name. */
  readonly stacks: Record<string, { status: 'applied' | 'no-changes' | 'failed'; error?: string }>;
}

export interface RolloutResult {
  readonly ok: boolean;
  readonly dryRun: boolean;
  readonly waves: readonly { label: string; clusters: readonly string[] }[];
  readonly stacks: readonly StackOutcome[];
  /** For a dry run: the terraform commands each stack would run. */
  readonly commands?: Readonly<Record<string, readonly string[]>>;
  /** The scope in effect (after `--resume` merged the stored one). */
  readonly scope: RolloutScope;
  readonly stateFile: string;
}

export function readRolloutState(plansDir: string): RolloutState | undefined {
  const file = path.join(plansDir, ROLLOUT_STATE);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as RolloutState) : undefined;
}

function resolveScope(options: RolloutOptions): { scope: RolloutScope; earlier?: RolloutState } {
  const own: RolloutScope = {
    clusters: options.clusters,
    layers: options.layers,
    waveSize: options.waveSize,
    canary: options.canary,
    allowDestroy: options.allowDestroy,
  };
  if (!options.resume) return { scope: own };
  const earlier = readRolloutState(options.plansDir);
  if (!earlier) throw new Error(`nothing to resume: ${path.join(options.plansDir, ROLLOUT_STATE)} does not exist.`);
  if (earlier.finished) throw new Error(`nothing to resume: the rollout started ${earlier.startedAt} finished.`);
  const allowDestroy = [...new Set([...(earlier.scope.allowDestroy ?? []), ...(options.allowDestroy ?? [])])];
  return { scope: { ...earlier.scope, allowDestroy }, earlier };
}

/**
 * `tts-ecs rollout`: the primary cluster layer by layer, then the canary secondary, then the other secondaries
 * in waves. Each stack is planned afresh right before it is applied (stacks applied before it may have changed
 * its inputs) and that plan is applied only if (1) a reviewed plan from `tts-ecs plan` exists for the same synth
 * output, (2) the fresh plan makes no change the reviewed one did not show (same `<address> <actions>` lines, and
 * each change sets the same attribute values: {@link valueDifferences}), and (3) it destroys or replaces no
 * stateful resource outside `allowDestroy`. The first failure stops the rollout after the stacks already running
 * finish; the state file records what was done so `resume` continues at the failed stack.
 */
export async function runRollout(options: RolloutOptions): Promise<RolloutResult> {
  const { scope, earlier } = resolveScope(options);
  const stacks = selectOrdered(options.order, { clusters: scope.clusters, layers: scope.layers });
  const waves = planWaves(stacks, scope);
  const stateFile = path.join(options.plansDir, ROLLOUT_STATE);
  const manifest = readManifest(options.plansDir, options.outDir);
  const dirOf = (s: OrderedStack): string => path.join(options.outDir, s.dir);
  const base = { dryRun: !!options.dryRun, waves: waves.map(summaryOf), scope, stateFile };

  if (options.dryRun) {
    const commands: Record<string, string[]> = {};
    const outcomes = stacks.map((s) => {
      const done = earlier?.stacks[s.name];
      if (done && done.status !== 'failed') return outcomeOf(s, done.status, { earlier: true });
      const problem = reviewProblem(manifest, s, dirOf(s));
      commands[s.name] = dryRunCommands(s, options);
      return outcomeOf(s, 'pending', problem ? { step: 'review', error: problem } : {});
    });
    return { ...base, ok: outcomes.every((o) => !o.error), stacks: outcomes, commands };
  }

  const state: RolloutState = earlier ?? {
    version: 1,
    startedAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    outDir: options.outDir,
    scope,
    finished: false,
    stacks: {},
  };
  const saveState = (): void => {
    state.updatedAt = new Date().toISOString();
    fs.mkdirSync(options.plansDir, { recursive: true });
    fs.writeFileSync(stateFile, `${JSON.stringify({ ...state, scope }, null, 2)}\n`);
  };
  saveState();

  const outcomes = new Map<string, StackOutcome>();
  const emit = (stack: OrderedStack, outcome: StackOutcome): void => {
    outcomes.set(stack.name, outcome);
    options.onProgress?.({ type: 'stack', stack, outcome });
  };
  const todo = stacks.filter((s) => {
    const done = state.stacks[s.name];
    if (done && done.status !== 'failed') emit(s, outcomeOf(s, done.status, { earlier: true }));
    else emit(s, outcomeOf(s, 'pending'));
    return !(done && done.status !== 'failed');
  });
  const tf = await prepareTerraform(
    options,
    options.plansDir,
    todo.map((s) => ({ name: s.name, dir: dirOf(s) })),
  );

  let halted = false;
  const runStack = async (stack: OrderedStack): Promise<void> => {
    if (outcomes.get(stack.name)?.earlier) return;
    emit(stack, outcomeOf(stack, 'planning'));
    try {
      const outcome = await rollStack(tf, stack, dirOf(stack), manifest, scope.allowDestroy ?? [], options, emit);
      state.stacks[stack.name] = { status: outcome.status as 'applied' | 'no-changes' };
      emit(stack, outcome);
    } catch (error) {
      halted = true;
      const outcome = { ...failedOutcome(stack, error), summary: outcomes.get(stack.name)?.summary };
      state.stacks[stack.name] = { status: 'failed', error: outcome.error };
      emit(stack, outcome);
    }
    saveState();
  };
  for (const [index, wave] of waves.entries()) {
    if (halted) break;
    options.onProgress?.({ type: 'wave', index, label: wave.label, clusters: wave.clusters.map((c) => c.cluster) });
    // Clusters of a wave run side by side; a failure anywhere stops each of them before its next stack.
    await Promise.all(
      wave.clusters.map(async ({ stacks: clusterStacks }) => {
        for (const stack of clusterStacks) {
          if (halted) return;
          await runStack(stack);
        }
      }),
    );
  }
  for (const stack of stacks) {
    if (outcomes.get(stack.name)?.status === 'pending') emit(stack, outcomeOf(stack, 'not-run'));
  }
  state.finished = !halted;
  saveState();
  return { ...base, ok: !halted, stacks: stacks.map((s) => outcomes.get(s.name) ?? outcomeOf(s, 'not-run')) };
}

async function rollStack(
  tf: Terraform,
  stack: OrderedStack,
  dir: string,
  manifest: PlanManifest,
  allow: readonly string[],
  options: RolloutOptions,
  emit: (stack: OrderedStack, outcome: StackOutcome) => void,
): Promise<StackOutcome> {
  const problem = reviewProblem(manifest, stack, dir);
  if (problem) throw new StepFailure(stack.name, 'review', problem);
  const ref = { name: stack.name, dir };
  const planFile = path.join(options.plansDir, 'rollout', `${stack.name}.tfplan`);
  await tf.init(ref);
  const { summary, changes, json } = await tf.plan(ref, planFile);
  emit(stack, outcomeOf(stack, 'planning', { summary })); // so a stop below still shows what the plan wanted
  const blocked = blockedRemovals(stack.name, summary, allow);
  if (blocked.length > 0) throw new StepFailure(stack.name, 'safety', formatBlocked(blocked));
  const reviewedPlan = manifest.plans[stack.name];
  const reviewed = new Set(reviewedPlan.changes);
  const unreviewed = changes.filter((c) => !reviewed.has(c));
  if (unreviewed.length > 0) {
    throw new StepFailure(
      stack.name,
      'review',
      `the plan now makes changes the reviewed plan did not show:\n${unreviewed.map((c) => `  ${c}`).join('\n')}\n` +
        `Review them with \`tts-ecs plan --stacks ${stack.name}\`, then resume.`,
    );
  }
  // Same addresses and actions: each change must also set the values the reviewed one showed.
  const differences = valueDifferences(reviewedPlan.values ?? {}, planValues(json, reviewedPlan.valueSalt ?? ''));
  if (differences.length > 0) {
    throw new StepFailure(
      stack.name,
      'review',
      formatValueDifferences(stack.name, reviewedPlan.createdAt, differences),
    );
  }
  if (changes.length === 0) return outcomeOf(stack, 'no-changes', { summary });
  emit(stack, outcomeOf(stack, 'applying', { summary }));
  await tf.apply(ref, planFile);
  return outcomeOf(stack, 'applied', { summary });
}

/** Why `stack` has no usable reviewed plan, or undefined. */
function reviewProblem(manifest: PlanManifest, stack: OrderedStack, dir: string): string | undefined {
  const plan = manifest.plans[stack.name];
  if (!plan) return `${stack.name} has no reviewed plan: run \`tts-ecs plan\` and review it before rolling out.`;
  if (!fs.existsSync(dir) || hashStackDir(dir) !== plan.synthHash) {
    return `the synthesized ${stack.name} changed since it was reviewed (${plan.createdAt}): run \`tts-ecs plan\` again.`;
  }
  if (plan.changes.length > 0 && (!plan.values || plan.valueSalt === undefined)) {
    return (
      `the reviewed plan of ${stack.name} (${plan.createdAt}) was saved by an older tts-ecs without the values its ` +
      `changes set, so the fresh plan cannot be checked against them: run \`tts-ecs plan\` again and review it.`
    );
  }
  return undefined;
}

function dryRunCommands(stack: OrderedStack, options: RolloutOptions): string[] {
  const planFile = path.join(options.plansDir, 'rollout', `${stack.name}.tfplan`);
  const lock = `-lock-timeout=${options.lockTimeoutSeconds ?? 120}s`;
  return [
    `terraform -chdir=${path.join(options.outDir, stack.dir)} init -input=false`,
    `terraform plan -detailed-exitcode ${lock} -out=${planFile}`,
    `terraform show -json ${planFile}`,
    `terraform apply -auto-approve ${lock} ${planFile}`,
  ];
}

function summaryOf(wave: Wave): { label: string; clusters: string[] } {
  return { label: wave.label, clusters: wave.clusters.map((c) => c.cluster) };
}
