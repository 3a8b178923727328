import { Basis } from '../api';
import { ComponentId } from '../components';

/**
 * Groups HTTP path templates by owner into the shortest path prefixes that are unambiguous, so that Envoy can route
 * them by prefix: every `/api/v3/as/...` binding becomes `/api/v3/as/`, and `/api/v3/applications` goes to the
 * Identity Server unless another component serves a path under it (then a longer prefix is needed).
 */

/** A path the router must send to its owners: a grpc-gateway binding or a web handler. */
export interface OwnedPath {
  /** Absolute path template, e.g. `/api/v3/as/applications/{application_id}/link`. */
  readonly path: string;
  /** Components that serve it, in order of preference. */
  readonly owners: readonly ComponentId[];
  readonly streaming: boolean;
  readonly websocket: boolean;
  readonly basis: Basis;
}

/** A path prefix and everything it covers. */
export interface PrefixGroup {
  /** Ends with `/` unless one of the paths is the prefix itself (e.g. `/api/v3/events`). */
  readonly prefix: string;
  readonly owners: readonly ComponentId[];
  /** One of the paths streams: the prefix gets no route timeout. */
  readonly streaming: boolean;
  readonly websocket: boolean;
  /** The strongest basis of its paths: the prefix goes to the owners because of that path. */
  readonly basis: Basis;
  readonly paths: readonly string[];
}

const BASIS_STRENGTH: Record<Basis, number> = { code: 2, docs: 1, unconfirmed: 0 };

/** The weaker of two bases: a path is only as certain as the least certain fact behind it. */
export function weakestBasis(a: Basis, b: Basis): Basis {
  return BASIS_STRENGTH[a] <= BASIS_STRENGTH[b] ? a : b;
}

/** The stronger of two bases. */
export function strongestBasis(a: Basis, b: Basis): Basis {
  return BASIS_STRENGTH[a] >= BASIS_STRENGTH[b] ? a : b;
}

/** Owners as a set, to compare who serves what regardless of preference. */
export function ownerKey(owners: readonly ComponentId[]): string {
  return [...owners].sort().join(',');
}

/** A concrete path matching the template (`{…}` variables filled in). */
export function samplePath(template: string): string {
  return template.replace(/\{[^}]*\}/g, 'x');
}

interface Parsed extends OwnedPath {
  readonly segments: readonly string[];
  readonly key: string;
}

const isVariable = (segment: string): boolean => segment.includes('{');

/**
 * Groups `paths` (all under `root`, e.g. `/api/v3`) into prefixes of whole path segments, each as short as possible
 * (at least one segment below `root`) while covering no path of another owner. Throws when the paths of two owners
 * do not differ in a literal segment before their first variable: conservative (a variable facing another owner's
 * literal could still be served longest prefix first), but today's API never needs more.
 */
export function groupByPrefix(root: string, paths: readonly OwnedPath[]): PrefixGroup[] {
  const parsed: Parsed[] = paths.map((p) => {
    if (!p.path.startsWith(`${root}/`)) throw new Error(`HTTP path ${p.path} is not under ${root}/`);
    return { ...p, segments: p.path.slice(root.length).split('/').filter(Boolean), key: ownerKey(p.owners) };
  });
  const groups = new Map<string, Parsed[]>();
  // Paths of one owner share their leading segments: each (owner, candidate prefix) is checked against all once.
  const clashes = new Map<string, Parsed | undefined>();
  for (const p of parsed) {
    const prefix = `${root}/${shortestPrefix(p, parsed, clashes).join('/')}`;
    const members = groups.get(prefix);
    if (members) members.push(p);
    else groups.set(prefix, [p]);
  }
  return [...groups.entries()]
    .map(([prefix, members]) => {
      const depth = prefix.slice(root.length).split('/').filter(Boolean).length;
      const exact = members.some((m) => m.segments.length === depth);
      return {
        prefix: exact ? prefix : `${prefix}/`,
        owners: members[0].owners,
        streaming: members.some((m) => m.streaming),
        websocket: members.some((m) => m.websocket),
        // The prefix goes to its owners because of its best-founded path; less certain paths only ride along.
        basis: members.map((m) => m.basis).reduce(strongestBasis),
        paths: [...new Set(members.map((m) => m.path))].sort(),
      };
    })
    .sort((a, b) => a.prefix.localeCompare(b.prefix));
}

/** The fewest leading literal segments of `p` that no path of another owner can match. */
function shortestPrefix(
  p: Parsed,
  all: readonly Parsed[],
  clashes: Map<string, Parsed | undefined>,
): readonly string[] {
  const literal = p.segments.slice(0, firstVariable(p.segments));
  if (literal.length === 0)
    throw new Error(`HTTP path ${p.path} starts with a variable; it cannot be routed by prefix`);
  let clash: Parsed | undefined;
  for (let depth = 1; depth <= literal.length; depth++) {
    const candidate = literal.slice(0, depth);
    const memo = `${p.key}\n${candidate.join('/')}`;
    if (!clashes.has(memo))
      clashes.set(
        memo,
        all.find((o) => o.key !== p.key && mayMatch(o.segments, candidate)),
      );
    clash = clashes.get(memo);
    if (!clash) return candidate;
  }
  throw new Error(
    `Ambiguous HTTP paths: ${p.path} (${p.owners.join(', ')}) and ${clash!.path} (${clash!.owners.join(', ')}) ` +
      'differ in no literal segment before a variable; route them explicitly.',
  );
}

function firstVariable(segments: readonly string[]): number {
  const i = segments.findIndex(isVariable);
  return i < 0 ? segments.length : i;
}

/** Whether a request for the template `segments` can start with the literal segments `prefix`. */
function mayMatch(segments: readonly string[], prefix: readonly string[]): boolean {
  return segments.length >= prefix.length && prefix.every((s, i) => isVariable(segments[i]) || segments[i] === s);
}

/** The route Envoy picks for `path` when routes are ordered longest prefix first (first match wins). */
export function longestPrefixMatch<T extends { readonly prefix: string }>(
  routes: readonly T[],
  path: string,
): T | undefined {
  return longestFirst(routes).find((r) => path.startsWith(r.prefix));
}

/** Routes in the order Envoy tries them when ordered longest prefix first (stable among equal lengths). */
export function longestFirst<T extends { readonly prefix: string }>(routes: readonly T[]): T[] {
  return [...routes].sort((a, b) => b.prefix.length - a.prefix.length);
}
