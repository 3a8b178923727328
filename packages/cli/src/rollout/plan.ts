import * as path from 'path';
import { runPool } from '@tts-ecs/terraform';
import { ApplyOrder, OrderedStack, Selection, selectOrdered } from './order-source';
import { hashStackDir, readManifest, SavedPlan, writeManifest } from './plan-store';
import { newValueSalt, planValues } from './plan-values';
import { blockedRemovals } from './safety';
import { prepareTerraform, StepFailure, TerraformSettings } from './steps';
import { outcomeOf, ProgressListener, StackOutcome } from './types';

/** Options of {@link runPlan}. */
export interface PlanOptions extends TerraformSettings {
  /** Synth output folder (holds the apps and apply-order.json). Required. */
  readonly outDir: string;
  /** Where plans, their manifest and the rollout state live. Required. */
  readonly plansDir: string;
  /** Apply order of the synth output. Required. */
  readonly order: ApplyOrder;
  /** Subset to plan. @default every stack */
  readonly selection?: Selection;
  /** Stateful removals already allowed (they are then not flagged). @default [] */
  readonly allowDestroy?: readonly string[];
  /** Stacks planned at once (plans only read state). @default 1 */
  readonly concurrency?: number;
  readonly onProgress?: ProgressListener;
}

export interface PlanResult {
  /** No stack failed to plan (flagged stateful removals do not fail a plan; apply and rollout stop on them). */
  readonly ok: boolean;
  readonly stacks: readonly StackOutcome[];
  readonly plansDir: string;
}

export const planFileOf = (plansDir: string, stack: string): string => path.join(plansDir, 'plans', `${stack}.tfplan`);

/**
 * `tts-ecs plan`: init + `plan -out` of the selected stacks in apply order, each summarised from
 * `terraform show -json`. Saved plans go to the manifest with the hash of what was planned, so `apply` can
 * refuse a plan whose synth output changed, and the values each change sets (sensitive ones hashed), so `rollout`
 * can refuse a fresh plan that sets other values. A stack that fails loses its earlier saved plan.
 */
export async function runPlan(options: PlanOptions): Promise<PlanResult> {
  const stacks = selectOrdered(options.order, options.selection ?? {});
  const refs = stacks.map((s) => ({ name: s.name, dir: path.join(options.outDir, s.dir) }));
  const tf = await prepareTerraform(options, options.plansDir, refs);
  const previous = readManifest(options.plansDir, options.outDir);
  const plans: Record<string, SavedPlan> = previous.outDir === options.outDir ? { ...previous.plans } : {};
  const save = (): void => writeManifest(options.plansDir, { version: 1, outDir: options.outDir, plans });
  const emit = (stack: OrderedStack, outcome: StackOutcome): StackOutcome => {
    options.onProgress?.({ type: 'stack', stack, outcome });
    return outcome;
  };
  for (const stack of stacks) emit(stack, outcomeOf(stack, 'pending'));

  const outcomes = await runPool(stacks, options.concurrency ?? 1, async (stack, i) => {
    const ref = refs[i];
    const planFile = planFileOf(options.plansDir, stack.name);
    emit(stack, outcomeOf(stack, 'planning'));
    try {
      const synthHash = hashStackDir(ref.dir);
      await tf.init(ref);
      const { summary, changes, json } = await tf.plan(ref, planFile);
      const valueSalt = newValueSalt();
      plans[stack.name] = {
        stack: stack.name,
        planFile,
        synthHash,
        summary,
        changes,
        values: planValues(json, valueSalt),
        valueSalt,
        createdAt: new Date().toISOString(),
      };
      save();
      const blocked = blockedRemovals(stack.name, summary, options.allowDestroy ?? []);
      return emit(
        stack,
        outcomeOf(stack, changes.length === 0 ? 'no-changes' : 'planned', {
          summary,
          ...(blocked.length > 0 ? { blocked } : {}),
        }),
      );
    } catch (error) {
      delete plans[stack.name];
      save();
      return emit(stack, failedOutcome(stack, error));
    }
  });
  return { ok: outcomes.every((o) => o.status !== 'failed'), stacks: outcomes, plansDir: options.plansDir };
}

/** The outcome for a stack whose step threw. */
export function failedOutcome(stack: OrderedStack, error: unknown): StackOutcome {
  if (error instanceof StepFailure) {
    return outcomeOf(stack, 'failed', {
      step: error.step,
      error: error.message,
      ...(error.lock ? { lock: error.lock } : {}),
    });
  }
  return outcomeOf(stack, 'failed', { error: error instanceof Error ? error.message : String(error) });
}
