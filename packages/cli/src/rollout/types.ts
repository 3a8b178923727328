import { PlanSummary } from '@tts-ecs/terraform';
import { LockInfo } from './locks';
import { OrderedStack } from './order-source';
import { BlockedRemoval } from './safety';

/** Where a stack stands in a plan / apply / rollout run. */
export type StackStatus =
  'pending' | 'planning' | 'applying' | 'planned' | 'applied' | 'no-changes' | 'failed' | 'not-run';

/** Outcome for one stack. */
export interface StackOutcome {
  readonly stack: string;
  readonly cluster: string;
  readonly layer: string;
  readonly status: StackStatus;
  readonly summary?: PlanSummary;
  /** Stateful resources the plan destroys or replaces without `--allow-destroy`. */
  readonly blocked?: readonly BlockedRemoval[];
  /** Step that failed, and why. */
  readonly step?: string;
  readonly error?: string;
  readonly lock?: LockInfo;
  /** Set for stacks skipped on resume: they were done in an earlier run. */
  readonly earlier?: boolean;
}

/** Progress as it happens; the reporters turn it into the live grid, plain lines or nothing (--json). */
export type ProgressEvent =
  | { readonly type: 'stack'; readonly stack: OrderedStack; readonly outcome: StackOutcome }
  | { readonly type: 'wave'; readonly index: number; readonly label: string; readonly clusters: readonly string[] };

export type ProgressListener = (event: ProgressEvent) => void;

export function outcomeOf(stack: OrderedStack, status: StackStatus, extra: Partial<StackOutcome> = {}): StackOutcome {
  return { stack: stack.name, cluster: stack.cluster, layer: stack.layer, status, ...extra };
}

/** Terminal states: the stack will not change again in this run. */
export function isDone(status: StackStatus): boolean {
  return (
    status === 'planned' ||
    status === 'applied' ||
    status === 'no-changes' ||
    status === 'failed' ||
    status === 'not-run'
  );
}
