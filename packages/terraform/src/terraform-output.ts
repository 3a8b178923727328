import { planChanges, summarizePlan, PlanSummary } from './plan-summary';
import { tail, TerraformResult } from './runner';

/** A diagnostic of terraform's JSON output (`validate -json`, `test -json`). */
export interface Diagnostic {
  severity?: string;
  summary?: string;
  detail?: string;
  address?: string;
  range?: { filename?: string; start?: { line?: number } };
  snippet?: { context?: string | null };
}

/** One readable line per error diagnostic: where (file:line, block or address) and what. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => {
      const where = [
        d.range?.filename && `${d.range.filename}:${d.range.start?.line ?? '?'}`,
        d.snippet?.context,
        d.address,
      ]
        .filter(Boolean)
        .join(', ');
      return `Error: ${d.summary ?? 'unknown'}${where ? ` (${where})` : ''}${d.detail ? `: ${d.detail.trim()}` : ''}`;
    })
    .join('\n');
}

/** The error diagnostics of a `-json` stream (one JSON message per line); other lines are skipped. */
export function errorDiagnostics(stdout: string): Diagnostic[] {
  const errors: Diagnostic[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{') || !line.includes('"diagnostic"')) continue;
    try {
      const diagnostic = (JSON.parse(line) as { diagnostic?: Diagnostic }).diagnostic;
      if (diagnostic?.severity === 'error') errors.push(diagnostic);
    } catch {
      // not a message of terraform's
    }
  }
  return errors;
}

/** Reads `terraform validate -json`. */
export function parseValidateOutput(result: TerraformResult): { ok: boolean; error?: string } {
  try {
    const out = JSON.parse(result.stdout) as { valid?: boolean; diagnostics?: Diagnostic[] };
    if (out.valid && result.exitCode === 0) return { ok: true };
    return { ok: false, error: formatDiagnostics(out.diagnostics ?? []) || tail(result.stderr, 15) };
  } catch {
    return {
      ok: false,
      error: `terraform validate exited ${result.exitCode}:\n${tail(result.stderr || result.stdout, 15)}`,
    };
  }
}

/**
 * Reads `terraform test -json -verbose`: the plan of the run block comes as a `test_plan` message (the same JSON
 * plan representation as `terraform show -json`), failures as `diagnostic` messages, the verdict as `test_summary`.
 */
export function parseTestOutput(result: TerraformResult): {
  ok: boolean;
  summary?: PlanSummary;
  /** The planned changes as `<action> <address>` lines ({@link planChanges}). */
  changes?: string[];
  /** The JSON plan itself, when terraform reported one. */
  plan?: unknown;
  error?: string;
} {
  let plan: unknown;
  let summary: PlanSummary | undefined;
  let changes: string[] | undefined;
  let status: string | undefined;
  const diagnostics: Diagnostic[] = [];
  for (const line of result.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    let message: { type?: string; test_plan?: unknown; diagnostic?: Diagnostic; test_summary?: { status?: string } };
    try {
      message = JSON.parse(line);
    } catch {
      continue;
    }
    if (message.type === 'test_plan') {
      plan = message.test_plan;
      summary = summarizePlan(message.test_plan);
      changes = planChanges(message.test_plan);
    } else if (message.type === 'diagnostic' && message.diagnostic) diagnostics.push(message.diagnostic);
    else if (message.type === 'test_summary') status = message.test_summary?.status;
  }
  if (status === 'pass' && summary && result.exitCode === 0)
    return { ok: true, summary, plan, ...(changes ? { changes } : {}) };
  const error =
    formatDiagnostics(diagnostics) ||
    (status === 'pass'
      ? 'terraform test passed but reported no plan'
      : `terraform test exited ${result.exitCode}:\n${tail(result.stderr || result.stdout, 15)}`);
  return { ok: false, ...(summary ? { summary } : {}), error };
}
