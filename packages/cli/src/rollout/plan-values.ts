import { createHmac, randomBytes } from 'crypto';

/**
 * The values a plan sets, per resource change: attribute path (`desired_count`, `container_definitions[0].image`,
 * `tags["team name"]`) to a token for the planned value, for the paths the change sets (the planned value differs
 * from the current one). Tokens: the value as canonical JSON text (`"tts:3.34.0"`, `2`, `null`, `[]`),
 * {@link UNKNOWN} for a value known after apply, `(sensitive hmac-sha256:<hex>)` for a value terraform marks
 * sensitive (never the value), {@link REMOVED} for a list element or map key the change drops.
 */
export type PlannedValues = Record<string, string>;

/** Planned values of every real change of a plan, by address (no-ops and reads left out, like `changeLines`). */
export type PlanValues = Record<string, PlannedValues>;

export const UNKNOWN = '(known after apply)';
export const REMOVED = '(removed)';
/** Shown for a path that one plan sets and the other does not touch. */
export const NOT_SET = '(not changed)';
const SENSITIVE_PREFIX = '(sensitive ';

/** A new salt for the hashes of sensitive values of one saved plan. */
export function newValueSalt(): string {
  return randomBytes(16).toString('hex');
}

interface JsonChange {
  actions?: string[];
  before?: unknown;
  after?: unknown;
  after_unknown?: unknown;
  before_sensitive?: unknown;
  after_sensitive?: unknown;
}
interface JsonResourceChange {
  address?: string;
  mode?: string;
  deposed?: string;
  change?: JsonChange;
}

/**
 * The planned values of a `terraform show -json` plan. `salt` keys the hashes of sensitive values (the rollout
 * hashes the fresh plan with the reviewed plan's salt so equal secrets compare equal).
 */
export function planValues(plan: unknown, salt: string): PlanValues {
  const result: PlanValues = {};
  for (const rc of (plan as { resource_changes?: JsonResourceChange[] } | undefined)?.resource_changes ?? []) {
    const actions = rc.change?.actions ?? [];
    if (rc.mode === 'data' || actions.every((a) => a === 'no-op' || a === 'read')) continue;
    const key = `${rc.address ?? '?'}${rc.deposed ? ` (deposed ${rc.deposed})` : ''}`;
    result[key] = actions.every((a) => a === 'delete') ? {} : changeValues(rc.change ?? {}, salt);
  }
  return result;
}

/** The paths one change sets, with their planned-value tokens. */
export function changeValues(change: JsonChange, salt: string): PlannedValues {
  const out: PlannedValues = {};
  const sensitive = (value: unknown): string =>
    `${SENSITIVE_PREFIX}hmac-sha256:${createHmac('sha256', salt).update(canonicalJson(value)).digest('hex')})`;

  const walk = (
    path: string,
    before: unknown,
    after: unknown,
    unknown: unknown,
    beforeSensitive: unknown,
    afterSensitive: unknown,
  ): void => {
    if (unknown === true) {
      out[path] = UNKNOWN;
      return;
    }
    if (afterSensitive === true || beforeSensitive === true) {
      if (canonicalJson(before) !== canonicalJson(after)) {
        out[path] = after === undefined ? REMOVED : sensitive(after);
      }
      return;
    }
    const a = parseJsonString(after);
    const b = parseJsonString(before);
    if (!isContainer(a)) {
      if (canonicalJson(a) !== canonicalJson(b)) out[path] = canonicalJson(a);
      return;
    }
    const sameKind = isContainer(b) && Array.isArray(a) === Array.isArray(b);
    const keys = new Set<string>(Object.keys(a));
    if (sameKind) for (const k of Object.keys(b)) keys.add(k);
    if (isContainer(unknown)) {
      for (const [k, v] of Object.entries(unknown)) if (v) keys.add(k);
    }
    if (keys.size === 0) {
      if (canonicalJson(a) !== canonicalJson(b)) out[path] = canonicalJson(a);
      return;
    }
    const sorted = [...keys].sort(Array.isArray(a) ? (x, y) => Number(x) - Number(y) : undefined);
    for (const k of sorted) {
      const childPath = Array.isArray(a) ? `${path}[${k}]` : joinKey(path, k);
      const child = (v: unknown): unknown => (isContainer(v) ? (v as Record<string, unknown>)[k] : undefined);
      const bChild = sameKind ? child(b) : undefined;
      const aChild = child(a);
      const uChild = child(unknown);
      if (aChild === undefined && !uChild) {
        out[childPath] = REMOVED;
        continue;
      }
      walk(childPath, bChild, aChild, uChild, child(beforeSensitive), child(afterSensitive));
    }
  };

  walk(
    '',
    change.before ?? null,
    change.after ?? null,
    change.after_unknown,
    change.before_sensitive,
    change.after_sensitive,
  );
  return out;
}

/** A path whose planned value differs between the reviewed and the fresh plan. */
export interface ValueDifference {
  readonly address: string;
  readonly path: string;
  /** Token of the reviewed plan, {@link NOT_SET} when it did not set the path. */
  readonly reviewed: string;
  /** Token of the fresh plan, {@link NOT_SET} when it does not set the path. */
  readonly now: string;
}

/**
 * The paths whose planned values differ, for every address both plans change (an address only one of them changes
 * is the `<address> <actions>` comparison's business). Object key order never matters: values are canonical JSON.
 */
export function valueDifferences(reviewed: PlanValues, fresh: PlanValues): ValueDifference[] {
  const diffs: ValueDifference[] = [];
  for (const address of Object.keys(fresh).sort()) {
    const was = reviewed[address];
    if (!was) continue;
    const now = fresh[address];
    const paths = [...new Set([...Object.keys(was), ...Object.keys(now)])].sort();
    for (const path of paths) {
      const r = was[path] ?? NOT_SET;
      const n = now[path] ?? NOT_SET;
      if (r !== n) diffs.push({ address, path, reviewed: r, now: n });
    }
  }
  return diffs;
}

/** A token as shown to people: sensitive values as `(sensitive)`, long values shortened. */
export function displayToken(token: string): string {
  if (token.startsWith(SENSITIVE_PREFIX)) return '(sensitive)';
  return token.length > 120 ? `${token.slice(0, 117)}...` : token;
}

/**
 * The refusal for value differences, e.g.
 * ```text
 * the fresh plan of acme-prod-eu1-compute sets values the reviewed plan (2025-05-01T09:30:00.000Z) did not show:
 *   aws_ecs_service.tts
 *     desired_count: reviewed 2, now 3
 * Review them with `tts-ecs plan --stacks acme-prod-eu1-compute`, then resume.
 * ```
 */
export function formatValueDifferences(stack: string, reviewedAt: string, diffs: readonly ValueDifference[]): string {
  const lines: string[] = [];
  let address: string | undefined;
  for (const d of diffs) {
    if (d.address !== address) lines.push(`  ${(address = d.address)}`);
    const sensitiveBoth = d.reviewed.startsWith(SENSITIVE_PREFIX) && d.now.startsWith(SENSITIVE_PREFIX);
    lines.push(
      `    ${d.path || '(whole resource)'}: reviewed ${displayToken(d.reviewed)}, now ${displayToken(d.now)}` +
        (sensitiveBoth ? ' (a different value)' : ''),
    );
  }
  return (
    `the fresh plan of ${stack} sets values the reviewed plan (${reviewedAt}) did not show:\n${lines.join('\n')}\n` +
    `Review them with \`tts-ecs plan --stacks ${stack}\`, then resume.`
  );
}

/** JSON text with object keys sorted, so key order never makes two values differ; `undefined` as `(absent)`. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return '(absent)';
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null;
}

/** A string holding a JSON object or array (`jsonencode`: container definitions, policies) as that value. */
function parseJsonString(value: unknown): unknown {
  if (typeof value !== 'string' || !/^\s*[[{]/.test(value)) return value;
  try {
    const parsed = JSON.parse(value) as unknown;
    return isContainer(parsed) ? parsed : value;
  } catch {
    return value;
  }
}

function joinKey(path: string, key: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}
