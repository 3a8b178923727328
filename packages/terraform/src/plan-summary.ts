import { runTerraform, requireSuccess, RunOptions } from './runner';

/** One resource that a plan deletes or replaces. */
export interface PlannedRemoval {
  /** Full Terraform address, e.g. `module.x.aws_db_instance.main[0]`. */
  readonly address: string;
  /** Resource type, e.g. `aws_db_instance`. */
  readonly type: string;
}

/**
 * Counts of a plan, with the same meaning as Terraform's own "Plan: X to add, Y to change, Z to destroy" line
 * (a replacement counts once in `add` and once in `destroy`), plus the replacements on their own.
 */
export interface PlanSummary {
  /** Resources created: pure creates plus replacements. */
  readonly add: number;
  /** Resources updated in place. */
  readonly change: number;
  /** Resources destroyed: pure deletes plus replacements. */
  readonly destroy: number;
  /** Resources destroyed and re-created (either order). */
  readonly replace: number;
  /** Resources removed from state without being destroyed (`removed` blocks, Terraform >= 1.7). */
  readonly forget: number;
  /** Deleted resources (not replaced). A rollout stops on stateful types here. */
  readonly deleted: readonly PlannedRemoval[];
  /** Replaced resources. Replacing a database is as destructive as deleting it. */
  readonly replaced: readonly PlannedRemoval[];
}

interface ResourceChange {
  address?: string;
  type?: string;
  mode?: string;
  change?: { actions?: string[] };
}

/**
 * Summarises the JSON plan representation (`terraform show -json <planfile>`, or the `test_plan` message of
 * `terraform test -json -verbose`). Data source reads are not counted, as in Terraform's own summary.
 */
export function summarizePlan(plan: unknown): PlanSummary {
  if (typeof plan !== 'object' || plan === null) {
    throw new Error(`Not a Terraform JSON plan: expected an object, got ${plan === null ? 'null' : typeof plan}.`);
  }
  const changes = ((plan as { resource_changes?: ResourceChange[] }).resource_changes ?? []).filter(
    (rc) => rc.mode !== 'data',
  );
  let create = 0;
  let change = 0;
  let del = 0;
  let forget = 0;
  const deleted: PlannedRemoval[] = [];
  const replaced: PlannedRemoval[] = [];
  for (const rc of changes) {
    const actions = rc.change?.actions ?? [];
    const removal = { address: rc.address ?? '?', type: rc.type ?? '?' };
    if (actions.includes('create') && actions.includes('delete')) replaced.push(removal);
    else if (actions.includes('create')) create++;
    else if (actions.includes('delete')) {
      del++;
      deleted.push(removal);
    } else if (actions.includes('update')) change++;
    else if (actions.includes('forget')) forget++;
  }
  return {
    add: create + replaced.length,
    change,
    destroy: del + replaced.length,
    replace: replaced.length,
    forget,
    deleted,
    replaced,
  };
}

/**
 * The planned changes of managed resources as `<action> <address>` lines, sorted by address (then action): the
 * content of a golden plan. Data sources and ephemeral resources are left out, and so are `no-op`s (nothing to do).
 * A replacement is `replace` whichever order Terraform picks; other actions keep Terraform's name (`create`,
 * `update`, `delete`, `forget`), and an unknown combination reads as its actions joined by `+`.
 */
export function planChanges(plan: unknown): string[] {
  if (typeof plan !== 'object' || plan === null) {
    throw new Error(`Not a Terraform JSON plan: expected an object, got ${plan === null ? 'null' : typeof plan}.`);
  }
  const rows: { address: string; action: string }[] = [];
  for (const rc of (plan as { resource_changes?: ResourceChange[] }).resource_changes ?? []) {
    if ((rc.mode ?? 'managed') !== 'managed') continue;
    const actions = rc.change?.actions ?? [];
    if (actions.length === 0 || (actions.length === 1 && actions[0] === 'no-op')) continue;
    const action =
      actions.length === 2 && actions.includes('create') && actions.includes('delete') ? 'replace' : actions.join('+');
    rows.push({ address: rc.address ?? '?', action });
  }
  const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return rows
    .sort((a, b) => order(a.address, b.address) || order(a.action, b.action))
    .map((r) => `${r.action} ${r.address}`);
}

/** Runs `terraform show -json <planFile>` in `options.cwd` and summarises the plan. */
export async function summarizePlanFile(planFile: string, options: RunOptions): Promise<PlanSummary> {
  const result = requireSuccess(await runTerraform(['show', '-json', '-no-color', planFile], options));
  return summarizePlan(JSON.parse(result.stdout));
}
