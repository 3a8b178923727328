import { ApplyOrder, ApplyOrderStack, readApplyOrderFile } from '@tts-ecs/terraform';
import { LAYERS, closestKey } from '@tts-ecs/config';

/** The apply order comes from the order module (`<out>/apply-order.json`, written by synth); this module never derives one. */
export type { ApplyOrder } from '@tts-ecs/terraform';
/** One stack of the apply order. */
export type OrderedStack = ApplyOrderStack;

/** Where the rollout gets its order from: `<out>/apply-order.json` by default; tests may inject one. */
export type OrderSource = (outDir: string) => ApplyOrder;

/** Reads `<out>/apply-order.json` (written by `tts-ecs synth` / `plan`). */
export const readApplyOrder: OrderSource = (outDir) => readApplyOrderFile(outDir);

/** Which stacks to act on. Every list is optional; an unknown name is an error listing the known ones. */
export interface Selection {
  readonly clusters?: readonly string[];
  readonly layers?: readonly string[];
  readonly stacks?: readonly string[];
}

/** The stacks of `order` matching `selection`, still in apply order. */
export function selectOrdered(order: ApplyOrder, selection: Selection): OrderedStack[] {
  const known = {
    clusters: [...new Set(order.stacks.map((s) => s.cluster))],
    layers: [...LAYERS] as string[],
    stacks: order.stacks.map((s) => s.name),
  };
  for (const key of ['clusters', 'layers', 'stacks'] as const) {
    const unknown = (selection[key] ?? []).filter((v) => !known[key].includes(v));
    if (unknown.length > 0) throw new Error(unknownNames(key.slice(0, -1), unknown, known[key]));
  }
  const picked = order.stacks.filter(
    (s) =>
      (!selection.clusters?.length || selection.clusters.includes(s.cluster)) &&
      (!selection.layers?.length || selection.layers.includes(s.layer)) &&
      (!selection.stacks?.length || selection.stacks.includes(s.name)),
  );
  if (picked.length === 0) throw new Error('the selection (--clusters / --layers / --stacks) matches no stack.');
  return picked;
}

/**
 * `unknown cluster "eu2" (did you mean "eu1"?). Known: eu1, us1.`: one name or several, each with the closest known
 * name when one is near.
 */
export function unknownNames(what: string, unknown: readonly string[], known: readonly string[]): string {
  const named = unknown.map((u) => {
    const guess = closestKey(u, known);
    return `"${u}"${guess ? ` (did you mean "${guess}"?)` : ''}`;
  });
  return `unknown ${what}${unknown.length === 1 ? '' : 's'} ${named.join(', ')}. Known: ${known.join(', ')}.`;
}
