import { StackOutcome, StackStatus } from './types';
import { ProgressEvent, ProgressListener } from './types';

/** Where progress goes; `columns` / `isTTY` decide between the live grid and plain lines. */
export interface Output {
  write(text: string): void;
  readonly isTTY?: boolean;
}

const LABEL: Record<StackStatus, string> = {
  pending: '·',
  planning: 'planning…',
  applying: 'applying…',
  planned: 'planned',
  applied: '✓ applied',
  'no-changes': '= no changes',
  failed: '✗ FAILED',
  'not-run': '- not run',
};

/** `+2 ~1 -0 (1 replaced)`: the counts terraform shows, compactly. */
export function counts(outcome: StackOutcome): string {
  const s = outcome.summary;
  if (!s) return '';
  return `+${s.add} ~${s.change} -${s.destroy}${s.replace > 0 ? ` (${s.replace} replaced)` : ''}`;
}

/** Plain lines for CI logs: one line per change of a stack's status, one per wave. */
export function plainProgress(out: Output): ProgressListener {
  return (event) => {
    if (event.type === 'wave') {
      out.write(`== ${event.label}: ${event.clusters.join(', ')}\n`);
      return;
    }
    const o = event.outcome;
    if (o.status === 'pending' || (o.status === 'not-run' && !o.error)) return;
    // A plan that just finished shows as `planned` with its counts; `no-changes` needs none.
    const status = o.status === 'planning' && o.summary ? 'planned' : o.status;
    const detail = o.earlier ? ' (earlier run)' : o.summary && status !== 'no-changes' ? ` ${counts(o)}` : '';
    out.write(`${o.stack}: ${status}${detail}${o.status === 'failed' && o.step ? ` at ${o.step}` : ''}\n`);
  };
}

/**
 * The live view on a terminal: clusters down, layers across, redrawn in place on every event.
 * Only clusters and layers of the run appear, in the order they first show up (apply order).
 */
export function gridProgress(out: Output): ProgressListener & { readonly render: () => string } {
  const clusters: string[] = [];
  const layers: string[] = [];
  const cells = new Map<string, StackOutcome>();
  let wave = '';
  let drawn = 0;
  const render = (): string => {
    const width = Math.max(14, ...[...cells.values()].map((c) => cellText(c).length + 1));
    const head = ['cluster'.padEnd(9), ...layers.map((l) => l.padEnd(width))].join(' ');
    const rows = clusters.map((c) =>
      [c.padEnd(9), ...layers.map((l) => cellText(cells.get(`${c}/${l}`)).padEnd(width))].join(' '),
    );
    return [head.trimEnd(), ...rows.map((r) => r.trimEnd()), wave ? `now: ${wave}` : ''].join('\n') + '\n';
  };
  const listener = (event: ProgressEvent): void => {
    if (event.type === 'wave') wave = `${event.label} (${event.clusters.join(', ')})`;
    else {
      const { stack, outcome } = event;
      if (!clusters.includes(stack.cluster)) clusters.push(stack.cluster);
      if (!layers.includes(stack.layer)) layers.push(stack.layer);
      cells.set(`${stack.cluster}/${stack.layer}`, outcome);
    }
    const text = render();
    // Move up over the previous drawing and clear it, then draw again.
    out.write(`${drawn > 0 ? `\x1b[${drawn}A\x1b[J` : ''}${text}`);
    drawn = text.split('\n').length - 1;
  };
  return Object.assign(listener, { render });
}

function cellText(outcome: StackOutcome | undefined): string {
  if (!outcome) return '';
  const extra = outcome.summary && outcome.status !== 'not-run' ? ` ${counts(outcome)}` : '';
  return `${LABEL[outcome.status]}${outcome.status === 'applied' || outcome.status === 'planned' ? extra : ''}`;
}

/** The listener for `--json` (nothing: the result goes to stdout at the end), a TTY, or a log. */
export function progressFor(out: Output, json: boolean): ProgressListener {
  if (json) return () => undefined;
  return out.isTTY ? gridProgress(out) : plainProgress(out);
}
