import { ApplyResult } from './apply';
import { PlanResult } from './plan';
import { RolloutResult } from './rollout';
import { formatBlocked } from './safety';
import { StackOutcome } from './types';

/** A left-aligned table; columns listed in `right` are right-aligned (numbers). */
export function table(headers: readonly string[], rows: readonly string[][], right: readonly number[] = []): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (right.includes(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const n = (value: number | undefined): string => (value === undefined ? '-' : String(value));

/** The per-stack plan table with a total row, then what needs attention. */
export function formatPlan(result: PlanResult): string {
  const rows = result.stacks.map((o) => [
    o.stack,
    o.status,
    n(o.summary?.add),
    n(o.summary?.change),
    n(o.summary?.destroy),
    n(o.summary?.replace),
    o.blocked ? 'STATEFUL REMOVAL' : '',
  ]);
  const sum = (key: 'add' | 'change' | 'destroy' | 'replace'): string =>
    String(result.stacks.reduce((total, o) => total + (o.summary?.[key] ?? 0), 0));
  rows.push(['total', '', sum('add'), sum('change'), sum('destroy'), sum('replace'), '']);
  const out = [table(['stack', 'status', 'add', 'change', 'destroy', 'replace', ''], rows, [2, 3, 4, 5])];
  for (const o of result.stacks) {
    if (o.blocked) out.push('', `${o.stack}: ${formatBlocked(o.blocked)}`);
    if (o.error) out.push('', `${o.stack} FAILED at ${o.step ?? 'plan'}:`, indent(o.error));
  }
  const failed = result.stacks.filter((o) => o.status === 'failed').length;
  out.push(
    '',
    failed > 0
      ? `${failed} of ${result.stacks.length} stacks failed to plan.`
      : `Saved ${result.stacks.length} plans in ${result.plansDir}. Review them, then: tts-ecs rollout (or tts-ecs apply).`,
  );
  return out.join('\n');
}

/** `tts-ecs drift`: the drifted stacks with their changes, the failures, and a one-line verdict. */
export function formatDrift(report: {
  drifted: readonly { stack: string; changes: readonly string[] }[];
  failed: readonly string[];
  clean: number;
}): string {
  const out: string[] = [];
  for (const d of report.drifted) out.push(`${d.stack}: ${d.changes.length} change(s)`, indent(d.changes.join('\n')));
  for (const f of report.failed) out.push(`FAILED ${f}`);
  const total = report.drifted.length + report.failed.length + report.clean;
  out.push(
    report.drifted.length > 0
      ? `Drift in ${report.drifted.length} of ${total} stacks. Review with tts-ecs plan --stacks ${report.drifted.map((d) => d.stack).join(',')}.`
      : `No drift in ${report.clean} of ${total} stacks${report.failed.length > 0 ? `; ${report.failed.length} could not be planned` : ''}.`,
  );
  return out.join('\n');
}

/** What `apply` did, or why it applied nothing. */
export function formatApply(result: ApplyResult): string {
  if (result.refused) return `Nothing applied:\n${indent(result.refused)}`;
  return [statusTable(result.stacks), ...failures(result.stacks)].join('\n');
}

/**
 * The end of a rollout: the status table, what was applied, what was not, the error, and the exact command to
 * resume (`resumeCommand`, built by the CLI from the flags in effect).
 */
export function formatRollout(result: RolloutResult, resumeCommand: string): string {
  if (result.dryRun) {
    const out = [
      'Dry run: nothing was run. Each stack would run, in its synth folder:',
      '  terraform init, then terraform plan -detailed-exitcode -lock-timeout=... -out=<plans>/rollout/<stack>.tfplan',
      '  terraform show -json <plan>: stop unless every change was in the reviewed plan and no stateful resource is removed',
      '  terraform apply -auto-approve <plan>   (only when the plan has changes)',
      'The rollout would go (a wave starts when the one before succeeded):',
    ];
    for (const wave of result.waves) {
      out.push(`${wave.label}: ${wave.clusters.join(', ')}`);
      for (const o of result.stacks.filter((s) => wave.clusters.includes(s.cluster))) {
        out.push(
          `  ${o.stack}${o.earlier ? `  (done in the earlier run: ${o.status})` : ''}${o.error ? `  !! ${o.error}` : ''}`,
        );
      }
    }
    return out.join('\n');
  }
  const applied = result.stacks.filter((o) => o.status === 'applied' || o.status === 'no-changes');
  const notApplied = result.stacks.filter((o) => o.status === 'not-run' || o.status === 'failed');
  const out = [statusTable(result.stacks), ''];
  out.push(`Applied or unchanged (${applied.length}): ${applied.map((o) => o.stack).join(', ') || 'none'}`);
  out.push(`Not applied (${notApplied.length}): ${notApplied.map((o) => o.stack).join(', ') || 'none'}`);
  out.push(...failures(result.stacks));
  if (!result.ok) out.push('', `Rollout stopped. Fix the cause, then resume with:\n  ${resumeCommand}`);
  else out.push('', `Rollout complete: ${result.stacks.length} stacks in ${result.waves.length} waves.`);
  return out.join('\n');
}

function statusTable(stacks: readonly StackOutcome[]): string {
  return table(
    ['stack', 'cluster', 'layer', 'status', 'add', 'change', 'destroy'],
    stacks.map((o) => [
      o.stack,
      o.cluster,
      o.layer,
      o.earlier ? `${o.status} (earlier)` : o.status,
      n(o.summary?.add),
      n(o.summary?.change),
      n(o.summary?.destroy),
    ]),
    [4, 5, 6],
  );
}

function failures(stacks: readonly StackOutcome[]): string[] {
  return stacks
    .filter((o) => o.status === 'failed')
    .flatMap((o) => ['', `${o.stack} FAILED at ${o.step ?? 'terraform'}:`, indent(o.error ?? '')]);
}

const indent = (text: string): string =>
  text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
