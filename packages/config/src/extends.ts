/**
 * `"extends"`: a deployment config that builds on a shared base file, so staging and production differ only in what
 * must differ. This module is the merge and the record of which file set each value; `load.ts` reads the chain and
 * validates the merged result as one config.
 *
 * Merge rules (a file is merged over the base it extends, the base first):
 * - objects merge key by key, recursively; a key the extending file sets wins;
 * - `clusters` merge by `id`: an entry whose id a base cluster has is merged into that cluster (key by key), an entry
 *   with a new id is appended; base clusters keep their place, and a child cannot remove one;
 * - every other array (zones, CIDRs, rate limiting profiles, ...) and every scalar replaces the base's value whole;
 * - `$schema` and `extends` are not part of the result.
 */

/** Most files in one chain: the loaded file and up to four bases. */
export const MAX_EXTENDS_CHAIN = 5;

/** Top-level keys of a file that are about the file itself, not the deployment: never merged. */
export const FILE_ONLY_KEYS = ['$schema', 'extends'] as const;

/**
 * Which file of a chain set a value: a file's index (for everything below it), the keys of an object merged from
 * several files, or the entries of the merged `clusters`.
 */
export type Origin = number | { readonly keys: ReadonlyMap<string, Origin> } | { readonly items: readonly Origin[] };

export interface MergedConfig {
  /** The merged config, without `$schema` and `extends`. */
  readonly value: Record<string, unknown>;
  /** Which file (index into the layers given to {@link mergeConfigLayers}) set each value. */
  readonly origin: Origin;
}

type JsonObject = Record<string, unknown>;
interface Tracked {
  readonly value: unknown;
  readonly origin: Origin;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Merges the layers of a chain, the extending file first and its furthest base last (each layer a parsed JSON
 * object), by the rules at the top of this file.
 */
export function mergeConfigLayers(layers: readonly JsonObject[]): MergedConfig {
  let merged: Tracked = { value: {}, origin: { keys: new Map() } };
  for (let index = layers.length - 1; index >= 0; index--) {
    const layer: JsonObject = {};
    for (const [key, value] of Object.entries(layers[index]))
      if (!(FILE_ONLY_KEYS as readonly string[]).includes(key)) setOwn(layer, key, value);
    merged = merge(merged, layer, index, []);
  }
  return { value: merged.value as JsonObject, origin: merged.origin };
}

function merge(base: Tracked, over: unknown, file: number, path: readonly string[]): Tracked {
  if (isJsonObject(base.value) && isJsonObject(over)) {
    const value: JsonObject = { ...base.value };
    const keys = new Map<string, Origin>(Object.keys(base.value).map((k) => [k, originBelow(base.origin, k)]));
    for (const [key, child] of Object.entries(over)) {
      if (Object.hasOwn(value, key)) {
        const merged = merge({ value: value[key], origin: keys.get(key)! }, child, file, [...path, key]);
        setOwn(value, key, merged.value);
        keys.set(key, merged.origin);
      } else {
        setOwn(value, key, child);
        keys.set(key, file);
      }
    }
    return { value, origin: { keys } };
  }
  if (path.length === 1 && path[0] === 'clusters' && Array.isArray(base.value) && Array.isArray(over))
    return mergeClusters(base, over, file);
  return { value: over, origin: file };
}

/** `clusters` by `id`: a known id merges into the base's cluster, a new one is appended. */
function mergeClusters(base: Tracked, over: readonly unknown[], file: number): Tracked {
  const entries: Tracked[] = (base.value as unknown[]).map((value, i) => ({
    value,
    origin: typeof base.origin === 'object' && 'items' in base.origin ? base.origin.items[i] : base.origin,
  }));
  const baseCount = entries.length;
  const matched = new Set<number>();
  for (const entry of over) {
    const id = isJsonObject(entry) && typeof entry.id === 'string' ? entry.id : undefined;
    const at =
      id === undefined
        ? -1
        : entries.findIndex((e, i) => i < baseCount && !matched.has(i) && isJsonObject(e.value) && e.value.id === id);
    if (at >= 0) {
      matched.add(at);
      entries[at] = merge(entries[at], entry, file, ['clusters', String(at)]);
    } else entries.push({ value: entry, origin: file });
  }
  return { value: entries.map((e) => e.value), origin: { items: entries.map((e) => e.origin) } };
}

function originBelow(origin: Origin, key: string): Origin {
  if (typeof origin === 'number') return origin;
  return 'keys' in origin ? (origin.keys.get(key) ?? -1) : -1;
}

/** Sets an own property, even `__proto__` (JSON.parse makes it an ordinary key; an assignment would not). */
function setOwn(target: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * The files (indexes, sorted) that set the value at `path` (as `formatPath` writes it, e.g. `clusters[1].accountId`):
 * one file for a value one file set, every contributing file for a merged object, none for a value no file set
 * (missing, or a default).
 */
export function filesThatSet(origin: Origin, path: string): number[] {
  const found = new Set<number>();
  const collect = (o: Origin): void => {
    if (typeof o === 'number') {
      if (o >= 0) found.add(o);
    } else if ('keys' in o) o.keys.forEach(collect);
    else o.items.forEach(collect);
  };
  let node: Origin | undefined = origin;
  let rest = path;
  while (node !== undefined && typeof node !== 'number' && rest !== '') {
    if ('items' in node) {
      const index = /^\[(\d+)\]/.exec(rest);
      node = index ? node.items[Number(index[1])] : undefined;
      rest = index ? rest.slice(index[0].length) : '';
    } else {
      const tail = rest.startsWith('.') ? rest.slice(1) : rest;
      // The longest key that the path continues from (keys may hold dots, e.g. a tag key).
      const key = [...node.keys.keys()]
        .filter((k) => tail === k || tail.startsWith(`${k}.`) || tail.startsWith(`${k}[`))
        .sort((a, b) => b.length - a.length)[0];
      node = key === undefined ? undefined : node.keys.get(key);
      rest = key === undefined ? '' : tail.slice(key.length);
    }
  }
  if (node !== undefined) collect(node);
  return [...found].sort((a, b) => a - b);
}
