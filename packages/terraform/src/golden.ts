import { StackVerifyResult } from './verify';

/**
 * Golden plans: the offline plan of a deployment, normalised to text (per stack, `## <app>/<stack>` and then the sorted
 * `<action> <address>` lines of its managed resources), committed next to the config so that a change that alters the
 * plan shows up in review as a diff. Nothing machine-specific goes in: no paths, no timings, no counts of skipped work.
 *
 * Lines starting with `# ` (one hash) are comments: they are written as a header and ignored when comparing.
 */

/** A golden plan parsed: the sorted lines of each stack, by `app/stack`. */
export type GoldenPlan = ReadonlyMap<string, readonly string[]>;

const STACK_HEADING = '## ';

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The golden plan of a run. Every stack must have planned (its `changes` set); throws otherwise. */
export function goldenPlanOf(stacks: readonly StackVerifyResult[]): GoldenPlan {
  const plan = new Map<string, readonly string[]>();
  for (const s of stacks) {
    if (s.plan !== 'ok' || !s.changes) throw new Error(`Stack ${s.app}/${s.stack} has no plan (plan ${s.plan}).`);
    plan.set(`${s.app}/${s.stack}`, [...s.changes].sort(byText));
  }
  return plan;
}

/** The text of a golden plan: the header as `# ` comments, then the stacks sorted by `app/stack`, one blank line apart. */
export function renderGoldenPlan(plan: GoldenPlan, header: readonly string[] = []): string {
  const out = header.map((h) => `# ${h}`.trimEnd());
  for (const name of [...plan.keys()].sort(byText)) {
    if (out.length > 0) out.push('');
    out.push(`${STACK_HEADING}${name}`, ...(plan.get(name) ?? []));
  }
  return `${out.join('\n')}\n`;
}

/** Reads the text of a golden plan (comments and blank lines ignored; lines before the first stack heading too). */
export function parseGoldenPlan(text: string): GoldenPlan {
  const plan = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (line.startsWith(STACK_HEADING)) {
      current = [];
      plan.set(line.slice(STACK_HEADING.length).trim(), current);
    } else if (line !== '' && !line.startsWith('#') && current) current.push(line.trim());
  }
  for (const lines of plan.values()) lines.sort(byText);
  return plan;
}

/** What {@link diffGoldenPlans} found. */
export interface GoldenDiff {
  /** No stack, line or action differs. */
  readonly equal: boolean;
  /** Lines only in the actual plan, over all stacks. */
  readonly added: number;
  /** Lines only in the golden plan, over all stacks. */
  readonly removed: number;
  /** Stacks with a difference (including stacks only on one side). */
  readonly stacks: readonly string[];
  /** The readable diff: per stack heading, `- ` removed and `+ ` added lines in address order; empty when equal. */
  readonly lines: readonly string[];
}

/** The address of a golden line (`<action> <address>`): what orders the diff, so a changed action shows `-` then `+`. */
const addressOf = (line: string): string => line.slice(line.indexOf(' ') + 1);

/**
 * Compares a golden plan (`expected`) with a fresh one (`actual`). Lines are unique per stack (one line per address),
 * so the diff is the set difference of each stack's lines, shown in address order with `-` before `+`. A stack only
 * on one side is shown whole, its heading marked `(new stack)` or `(stack removed)`.
 */
export function diffGoldenPlans(expected: GoldenPlan, actual: GoldenPlan): GoldenDiff {
  const names = [...new Set([...expected.keys(), ...actual.keys()])].sort(byText);
  const lines: string[] = [];
  const stacks: string[] = [];
  let added = 0;
  let removed = 0;
  for (const name of names) {
    const before = expected.get(name);
    const after = actual.get(name);
    const was = new Set(before ?? []);
    const is = new Set(after ?? []);
    const gone = [...was].filter((l) => !is.has(l)).map((l) => ({ sign: '-', line: l }));
    const come = [...is].filter((l) => !was.has(l)).map((l) => ({ sign: '+', line: l }));
    if (before && after && gone.length === 0 && come.length === 0) continue;
    stacks.push(name);
    removed += gone.length;
    added += come.length;
    const note = !before ? ' (new stack)' : !after ? ' (stack removed)' : '';
    lines.push(`${STACK_HEADING}${name}${note}: +${come.length} -${gone.length}`);
    lines.push(
      ...[...gone, ...come]
        .sort((a, b) => byText(addressOf(a.line), addressOf(b.line)) || (a.sign === '-' ? -1 : 1))
        .map((d) => `${d.sign} ${d.line}`),
    );
  }
  return { equal: stacks.length === 0, added, removed, stacks, lines };
}

/** The diff for a terminal: at most `limit` lines, then how many more there are. */
export function formatGoldenDiff(diff: GoldenDiff, limit = 200): string {
  const shown = diff.lines.slice(0, limit);
  const rest = diff.lines.length - shown.length;
  if (rest > 0) shown.push(`... ${rest} more diff ${rest === 1 ? 'line' : 'lines'} not shown`);
  return shown.join('\n');
}
