import * as fs from 'fs';
import * as path from 'path';
import { ProviderRequirement } from './cli-config';
import { tail, TerraformResult } from './runner';

/** Runs terraform `args` in `cwd`, naming `stack` in errors. */
export type Run = (args: string[], cwd: string, stack: string) => Promise<TerraformResult>;

/** What the warm-up did, and the lock-file entries it produced (by `<source>@<constraint>`). */
export interface CacheWarmup {
  readonly seconds: number;
  /** A required provider was not in the cache before (the first run on this machine, or a new version). */
  readonly cold: boolean;
  readonly error?: string;
  readonly locks: ReadonlyMap<string, string>;
}

const keyOf = (r: ProviderRequirement): string => `${r.source}@${r.version ?? ''}`;

/**
 * Installs every required provider into the plugin cache once, before stacks run in parallel, and keeps the
 * resulting lock-file entries. Measured with Terraform 1.11: an init *without* a lock file re-installs the
 * provider into the cache even when it is there (so parallel inits race: "mkdir ...: file exists"); with a lock
 * file listing the cached provider's hash it only links ("Using ... from the shared cache directory").
 */
export async function warmPluginCache(
  required: readonly ProviderRequirement[],
  cacheDir: string,
  dir: string,
  run: Run,
): Promise<CacheWarmup> {
  // One module cannot require two versions of one provider: one warm-up module per round of distinct versions.
  const rounds: Map<string, ProviderRequirement>[] = [];
  const seen = new Set<string>();
  for (const req of required) {
    if (seen.has(keyOf(req))) continue;
    seen.add(keyOf(req));
    const round = rounds.find((r) => !r.has(req.source)) ?? rounds[rounds.push(new Map()) - 1];
    round.set(req.source, req);
  }
  fs.mkdirSync(cacheDir, { recursive: true });
  // Other processes (parallel test workers, a second verify) share the cache: one warm-up at a time, and a provider
  // already cached is only linked (its saved lock entry goes in first), never re-installed under a running plan.
  const release = await acquireLock(path.join(cacheDir, '.tts-ecs-warmup.lock'));
  try {
    return await warmRounds(rounds, cacheDir, dir, run, required);
  } finally {
    release();
  }
}

async function warmRounds(
  rounds: Map<string, ProviderRequirement>[],
  cacheDir: string,
  dir: string,
  run: Run,
  required: readonly ProviderRequirement[],
): Promise<CacheWarmup> {
  const cold = required.some((r) => !fs.existsSync(path.join(cacheDir, r.source)));
  const locks = new Map<string, string>();
  const savedLocks = path.join(cacheDir, '.tts-ecs-locks');
  const savedLock = (req: ProviderRequirement) =>
    path.join(savedLocks, `${keyOf(req).replace(/[^A-Za-z0-9.@-]+/g, '_')}.hcl`);
  let seconds = 0;
  for (const [i, round] of rounds.entries()) {
    const roundDir = path.join(dir, String(i));
    fs.mkdirSync(roundDir, { recursive: true });
    const providers = Object.fromEntries(
      [...round.values()].map((r, j) => [`p${j}`, { source: r.source, ...(r.version ? { version: r.version } : {}) }]),
    );
    fs.writeFileSync(
      path.join(roundDir, 'main.tf.json'),
      JSON.stringify({ terraform: { required_providers: providers } }),
    );
    const known = [...round.values()].map((r) =>
      fs.existsSync(path.join(cacheDir, r.source)) && fs.existsSync(savedLock(r))
        ? fs.readFileSync(savedLock(r), 'utf8')
        : undefined,
    );
    if (known.every((block) => block !== undefined)) {
      // Every provider is in the cache, unpacked for this platform at the version its saved entry locks: the init
      // would only link it (about 2 s of terraform starting up). The stacks' own inits check the hashes.
      const round_ = [...round.values()];
      if (round_.every((r, j) => cachedFor(cacheDir, r.source, known[j] ?? ''))) {
        round_.forEach((r, j) => locks.set(keyOf(r), known[j] ?? ''));
        continue;
      }
      fs.writeFileSync(path.join(roundDir, '.terraform.lock.hcl'), `${known.join('\n\n')}\n`);
    }
    const result = await run(['init', '-backend=false', '-input=false', '-no-color'], roundDir, 'plugin cache warm-up');
    seconds += result.seconds;
    if (result.exitCode !== 0) return { seconds, cold, error: tail(result.stderr || result.stdout, 10), locks };
    const blocks = parseLockFile(fs.readFileSync(path.join(roundDir, '.terraform.lock.hcl'), 'utf8'));
    fs.mkdirSync(savedLocks, { recursive: true });
    for (const req of round.values()) {
      const block = blocks.get(req.source);
      if (!block) continue;
      locks.set(keyOf(req), block);
      fs.writeFileSync(savedLock(req), block);
    }
  }
  return { seconds, cold, locks };
}

/** Terraform's name of this machine's platform, e.g. `linux_amd64`. */
export function terraformPlatform(): string {
  const arch = ({ x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' } as Record<string, string>)[process.arch];
  return `${process.platform === 'win32' ? 'windows' : process.platform}_${arch ?? process.arch}`;
}

/** Whether the cache holds a non-empty unpacked provider for this platform at the version `lockBlock` locks. */
function cachedFor(cacheDir: string, source: string, lockBlock: string): boolean {
  return cachedProviderDir(cacheDir, source, lockBlock) !== undefined;
}

/**
 * The cache's non-empty folder of the provider `source` unpacked for this platform at the version `lockBlock`
 * locks (`<cache>/<source>/<version>/<platform>`, absolute), or undefined when there is none.
 */
export function cachedProviderDir(cacheDir: string, source: string, lockBlock: string): string | undefined {
  const version = /^\s*version\s*=\s*"([^"]+)"/m.exec(lockBlock)?.[1];
  if (!version) return undefined;
  const dir = path.resolve(cacheDir, source, version, terraformPlatform());
  return fs.existsSync(dir) && fs.readdirSync(dir).length > 0 ? dir : undefined;
}

/** A lock between processes: a directory created atomically; one older than 15 minutes is taken as abandoned. */
export async function acquireLock(lockDir: string, timeoutMs = 15 * 60_000): Promise<() => void> {
  const started = Date.now();
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      return () => fs.rmSync(lockDir, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (fs.statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 15 * 60_000) fs.rmSync(lockDir, { recursive: true, force: true });
      else if (Date.now() - started > timeoutMs)
        throw new Error(
          `${lockDir} is held by another process for ${Math.round(age / 1000)} s; remove it if none runs.`,
        );
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** The `provider "<source>" { ... }` blocks of a .terraform.lock.hcl, by source address. */
export function parseLockFile(text: string): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const m of text.matchAll(/^provider "([^"]+)" \{[\s\S]*?^\}/gm)) blocks.set(m[1], m[0]);
  return blocks;
}

/**
 * The lock file for a stack requiring `required`, from the warm-up's entries; undefined when one is missing
 * (the stack's init then installs by itself, serialized by the caller).
 */
export function lockFileFor(
  required: readonly ProviderRequirement[],
  locks: ReadonlyMap<string, string>,
): string | undefined {
  const bySource = new Map<string, string | undefined>();
  for (const r of required) {
    const block = locks.get(keyOf(r));
    // One lock entry per provider: two different ones (two versions) cannot both go in; init then picks one.
    if (bySource.has(r.source) && bySource.get(r.source) !== block) return undefined;
    bySource.set(r.source, block);
  }
  const blocks = [...bySource.values()];
  if (blocks.some((b) => b === undefined)) return undefined;
  return `# Generated by tts-ecs verify from the plugin cache warm-up.\n\n${blocks.join('\n\n')}\n`;
}

/** Runs `task`s one at a time (for inits that may write to the shared cache). */
export function serializer(): <T>(task: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const next = last.then(task, task);
    last = next.catch(() => undefined);
    return next;
  };
}
