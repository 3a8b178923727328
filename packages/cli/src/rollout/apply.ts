import * as path from 'path';
import { ApplyOrder, OrderedStack, Selection, selectOrdered } from './order-source';
import { readManifest, stalePlanReason, writeManifest } from './plan-store';
import { failedOutcome } from './plan';
import { blockedRemovals, formatBlocked } from './safety';
import { prepareTerraform, TerraformSettings } from './steps';
import { outcomeOf, ProgressListener, StackOutcome } from './types';

/** Options of {@link runApply}. */
export interface ApplyOptions extends TerraformSettings {
  readonly outDir: string;
  readonly plansDir: string;
  readonly order: ApplyOrder;
  /** Subset to apply. @default every stack with an unapplied saved plan */
  readonly selection?: Selection;
  /** Stateful removals allowed, as `<stack>:<address>` or `<address>`. @default [] */
  readonly allowDestroy?: readonly string[];
  readonly onProgress?: ProgressListener;
}

export interface ApplyResult {
  readonly ok: boolean;
  readonly stacks: readonly StackOutcome[];
  /** Why nothing was applied, when the checks before the first apply failed. */
  readonly refused?: string;
}

/**
 * `tts-ecs apply`: applies saved plans only, in apply order, and stops at the first failure. Before anything
 * runs, every plan is checked: it exists, was not applied yet, was made from the synth output now on disk, and
 * destroys no stateful resource that `allowDestroy` does not name. One failed check applies nothing.
 */
export async function runApply(options: ApplyOptions): Promise<ApplyResult> {
  const manifest = readManifest(options.plansDir, options.outDir);
  const explicit = Object.values(options.selection ?? {}).some((list) => (list as string[] | undefined)?.length);
  const selected = selectOrdered(options.order, options.selection ?? {});
  const stacks = explicit
    ? selected
    : selected.filter((s) => manifest.plans[s.name] && !manifest.plans[s.name].appliedAt);
  if (stacks.length === 0) {
    return { ok: false, stacks: [], refused: 'no saved plan to apply: run `tts-ecs plan` first and review it.' };
  }
  const dirOf = (s: OrderedStack): string => path.join(options.outDir, s.dir);
  const problems: string[] = [];
  for (const stack of stacks) {
    const plan = manifest.plans[stack.name];
    const stale = stalePlanReason(plan, stack.name, dirOf(stack));
    if (stale) problems.push(stale);
    else {
      const blocked = blockedRemovals(stack.name, plan.summary, options.allowDestroy ?? []);
      if (blocked.length > 0) problems.push(`${stack.name}: ${formatBlocked(blocked)}`);
    }
  }
  if (problems.length > 0) {
    return { ok: false, stacks: stacks.map((s) => outcomeOf(s, 'not-run')), refused: problems.join('\n') };
  }

  const emit = (stack: OrderedStack, outcome: StackOutcome): StackOutcome => {
    options.onProgress?.({ type: 'stack', stack, outcome });
    return outcome;
  };
  for (const stack of stacks) emit(stack, outcomeOf(stack, 'pending'));
  const toRun = stacks.filter((s) => manifest.plans[s.name].changes.length > 0);
  const tf = await prepareTerraform(
    options,
    options.plansDir,
    toRun.map((s) => ({ name: s.name, dir: dirOf(s) })),
  );
  const outcomes: StackOutcome[] = [];
  let failed = false;
  for (const stack of stacks) {
    const plan = manifest.plans[stack.name];
    if (failed) {
      outcomes.push(emit(stack, outcomeOf(stack, 'not-run', { summary: plan.summary })));
      continue;
    }
    if (plan.changes.length === 0) {
      outcomes.push(emit(stack, outcomeOf(stack, 'no-changes', { summary: plan.summary })));
      continue;
    }
    emit(stack, outcomeOf(stack, 'applying', { summary: plan.summary }));
    try {
      const ref = { name: stack.name, dir: dirOf(stack) };
      await tf.init(ref);
      await tf.apply(ref, plan.planFile);
      manifest.plans[stack.name] = { ...plan, appliedAt: new Date().toISOString() };
      writeManifest(options.plansDir, manifest);
      outcomes.push(emit(stack, outcomeOf(stack, 'applied', { summary: plan.summary })));
    } catch (error) {
      failed = true;
      outcomes.push(emit(stack, { ...failedOutcome(stack, error), summary: plan.summary }));
    }
  }
  return { ok: !failed, stacks: outcomes };
}
