/**
 * Topological order of a dependency graph, stable: among the nodes whose dependencies are done, the one with the
 * smallest `rank` goes first. A cycle is an error naming the stacks on it.
 */
export function topologicalOrder<T extends { name: string; dependsOn: readonly string[] }>(
  nodes: readonly T[],
  rank: (node: T) => readonly (string | number)[],
): T[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const remaining = new Map(nodes.map((n) => [n.name, new Set(n.dependsOn)]));
  const done = new Set<string>();
  const ordered: T[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining.entries()]
      .filter(([, deps]) => [...deps].every((d) => done.has(d)))
      .map(([name]) => byName.get(name) as T)
      .sort((a, b) => compareRanks(rank(a), rank(b)) || a.name.localeCompare(b.name));
    if (ready.length === 0) throw new Error(`stack dependencies form a cycle: ${describeCycle(remaining)}.`);
    const next = ready[0];
    ordered.push(next);
    done.add(next.name);
    remaining.delete(next.name);
  }
  return ordered;
}

/**
 * Waves: stacks whose dependencies are all in earlier waves; the stacks of one wave can be applied in parallel.
 * `ordered` must be topologically sorted.
 */
export function waves<T extends { name: string; dependsOn: readonly string[] }>(ordered: readonly T[]): string[][] {
  const waveOf = new Map<string, number>();
  const result: string[][] = [];
  for (const node of ordered) {
    const wave = Math.max(-1, ...node.dependsOn.map((d) => waveOf.get(d) ?? -1)) + 1;
    waveOf.set(node.name, wave);
    (result[wave] ??= []).push(node.name);
  }
  return result;
}

function compareRanks(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x).localeCompare(String(y));
  }
  return 0;
}

/** One cycle among the nodes left, as `a -> b -> a`. */
function describeCycle(remaining: ReadonlyMap<string, ReadonlySet<string>>): string {
  const start = [...remaining.keys()].sort()[0];
  const path: string[] = [];
  let current: string | undefined = start;
  while (current !== undefined && !path.includes(current)) {
    path.push(current);
    current = [...(remaining.get(current) ?? [])].sort().find((d) => remaining.has(d));
  }
  return current === undefined ? path.join(' -> ') : [...path.slice(path.indexOf(current)), current].join(' -> ');
}
