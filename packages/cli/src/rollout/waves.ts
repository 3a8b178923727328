import { OrderedStack } from './order-source';

/** A group of clusters rolled out together; each cluster's stacks run one after the other, in apply order. */
export interface Wave {
  /** `primary`, `canary` or `wave <n>`. */
  readonly label: string;
  readonly clusters: readonly { readonly cluster: string; readonly stacks: readonly OrderedStack[] }[];
}

/** Options of {@link planWaves}. */
export interface WaveOptions {
  /** Secondary clusters per wave after the canary. @default 1 */
  readonly waveSize?: number;
  /** The secondary cluster rolled out alone first. @default the first secondary in apply order */
  readonly canary?: string;
}

/**
 * The rollout sequence: the primary cluster alone (layer by layer), then one secondary alone (the canary), then
 * the other secondaries `waveSize` at a time. A wave starts only when the one before it succeeded.
 */
export function planWaves(stacks: readonly OrderedStack[], options: WaveOptions = {}): Wave[] {
  const waveSize = options.waveSize ?? 1;
  if (!Number.isInteger(waveSize) || waveSize < 1) {
    throw new Error(`--wave-size must be a whole number >= 1, got ${String(waveSize)}.`);
  }
  const byCluster = new Map<string, OrderedStack[]>();
  for (const stack of stacks) byCluster.set(stack.cluster, [...(byCluster.get(stack.cluster) ?? []), stack]);
  const group = (clusters: readonly string[]): Wave['clusters'] =>
    clusters.map((cluster) => ({ cluster, stacks: byCluster.get(cluster) ?? [] }));
  const primaries = [...byCluster.keys()].filter((c) => byCluster.get(c)?.[0].role === 'primary');
  const secondaries = [...byCluster.keys()].filter((c) => !primaries.includes(c));
  if (options.canary !== undefined && !secondaries.includes(options.canary)) {
    throw new Error(
      `--canary ${options.canary} is not a selected secondary cluster. Selected secondaries: ${secondaries.join(', ') || 'none'}.`,
    );
  }
  const waves: Wave[] = primaries.map((c) => ({ label: 'primary', clusters: group([c]) }));
  const canary = options.canary ?? secondaries[0];
  if (canary === undefined) return waves;
  waves.push({ label: 'canary', clusters: group([canary]) });
  const rest = secondaries.filter((c) => c !== canary);
  for (let i = 0; i < rest.length; i += waveSize) {
    waves.push({ label: `wave ${waves.length - primaries.length}`, clusters: group(rest.slice(i, i + waveSize)) });
  }
  return waves;
}
