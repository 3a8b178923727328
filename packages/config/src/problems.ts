import { formatValue } from '@tts-ecs/core';

/** One thing wrong with a deployment config: where, what was found, and what to do. */
export interface ConfigProblem {
  /** Field path, e.g. `clusters[1].accountId`. */
  readonly path: string;
  /** The value found there (undefined when missing). */
  readonly value: unknown;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

/** Thrown when a deployment config is invalid; lists every problem, each with path, value and fix. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      `Invalid deployment config ${source} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${describeProblem(p)}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

export function describeProblem(problem: ConfigProblem): string {
  if (problem.path === '') return `the file ${problem.message}`;
  const where = problem.path;
  const found = problem.value === undefined ? 'missing' : `= ${formatValue(problem.value)}`;
  return `${where} ${found}: ${problem.message}`;
}

/** `['clusters', 1, 'accountId']` -> `clusters[1].accountId`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

/** The value at `path` inside `root`, or undefined. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

/** The known key closest to a misspelt one (Levenshtein distance <= 2), for "did you mean". */
export function closestKey(unknown: string, known: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const key of known) {
    const distance = levenshtein(unknown.toLowerCase(), key.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { key, distance };
  }
  return best?.key;
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
