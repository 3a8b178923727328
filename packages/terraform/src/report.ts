import { BatchSummary, StackVerifyResult, VerifyResult } from './verify';

const HEADERS = ['stack', 'validate', 'plan', 'to add', 'seconds'] as const;

function row(r: StackVerifyResult): string[] {
  return [
    `${r.app}/${r.stack}`,
    r.validate,
    r.plan,
    r.toAdd === undefined ? '-' : String(r.toAdd),
    r.seconds.toFixed(1),
  ];
}

/** Counts of a run, as the summary line and the JSON report show them. */
export function countResults(stacks: readonly StackVerifyResult[]): {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
} {
  const failed = stacks.filter((s) => s.validate === 'fail' || s.plan === 'fail').length;
  const skipped = stacks.filter((s) => s.validate !== 'fail' && s.plan === 'skipped').length;
  return { total: stacks.length, passed: stacks.length - failed - skipped, failed, skipped };
}

/**
 * The human report: a table (stack | validate | plan | to add | seconds), the reason of every skipped stack,
 * the error of every failed one, and a summary line.
 */
export function formatReport(result: VerifyResult): string {
  const rows = result.stacks.map(row);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i >= 3 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const out = [line(HEADERS), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  const notes = result.stacks.filter((s) => s.reason || s.error);
  if (notes.length > 0) out.push('');
  for (const s of notes) {
    const status = s.validate === 'fail' || s.plan === 'fail' ? 'FAILED' : 'skipped';
    out.push(`${s.app}/${s.stack} ${status}${s.reason ? `: ${s.reason}` : ''}`);
    if (s.error) out.push(...s.error.split('\n').map((l) => `    ${l}`));
  }
  const c = countResults(result.stacks);
  if (result.batch) out.push('', batchNote(result.batch));
  out.push('');
  if (c.skipped > 0) {
    out.push(
      `Not verified: ${c.skipped} ${c.skipped === 1 ? 'stack was' : 'stacks were'} skipped, which is not passed ` +
        '(exit 1 unless --allow-skipped).',
    );
  }
  out.push(
    `${c.total} stacks: ${c.passed} validated and planned, ${c.skipped} skipped, ${c.failed} failed ` +
      `(${result.seconds.toFixed(1)} s; provider mirror ${result.mirror ?? 'none, registry'}).`,
  );
  if (result.workDir) out.push(`Work dir kept (stack copies, overrides, test files): ${result.workDir}`);
  return out.join('\n');
}

function batchNote(batch: BatchSummary): string {
  if (batch.ok)
    return `${batch.stacks} stacks were planned together in one terraform run (${batch.seconds.toFixed(1)} s); their seconds are that run's.`;
  const after = batch.retried
    ? `the stacks its errors point at ran alone, the other ${batch.retried.stacks} were planned together again (${batch.retried.ok ? 'ok' : 'failed too, so they ran alone'})`
    : 'each of its stacks ran alone';
  const error = (batch.error ?? '')
    .split('\n')
    .slice(0, 10)
    .map((l) => `    ${l}`)
    .join('\n');
  return `The batch plan of ${batch.stacks} stacks failed (${batch.seconds.toFixed(1)} s in all); ${after}:\n${error}`;
}

/** The machine-readable report (`verify --json`). */
export function toJsonReport(result: VerifyResult): Record<string, unknown> {
  return {
    ok: result.ok,
    counts: countResults(result.stacks),
    seconds: result.seconds,
    mirror: result.mirror ?? null,
    pluginCacheDir: result.pluginCacheDir,
    cacheWarmup: result.cacheWarmup,
    stacks: result.stacks,
    ...(result.workDir ? { workDir: result.workDir } : {}),
    ...(result.batch ? { batch: result.batch } : {}),
  };
}

/**
 * Process exit code for a run: 1 when any stack failed, and when any was skipped unless `allowSkipped` (a stack that
 * was not checked is not a stack that passed), else 0.
 */
export function exitCodeOf(result: VerifyResult, options: { readonly allowSkipped?: boolean } = {}): number {
  if (!result.ok) return 1;
  return countResults(result.stacks).skipped > 0 && !options.allowSkipped ? 1 : 0;
}
