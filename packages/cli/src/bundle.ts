import * as fs from 'fs';
import * as path from 'path';
import { COMPOSE_CONTEXT } from './app-context';

/**
 * The bundled command: `pnpm build` (scripts/bundle-cli.js) puts the command, the construct libraries and every app's
 * compose module into one file, packages/cli/bundle/tts-ecs.bundle.js. Loading one file instead of about 420 saves resolving 1,400 `require`
 * calls and reading the provider's inline source maps (about a tenth of a synth). main.ts runs it only while it is
 * fresh: every input file has the size and modification time it had when the bundle was built, and the apps are the
 * same. Otherwise the command runs from the compiled files as always, so a stale bundle can cost speed, never
 * correctness.
 */

/** The bundle's folder, beside dist/ in the package (its __dirname/.. is the package, as for dist/). */
export const BUNDLE_DIR = 'bundle';
export const BUNDLE_FILE = 'tts-ecs.bundle.js';
export const BUNDLE_MANIFEST = 'tts-ecs.bundle.json';

/** What scripts/bundle-cli.js records next to the bundle. */
export interface BundleManifest {
  readonly version: 2;
  /**
   * Every file the bundle was built from, the folders holding them, the apps' cdktf.json and pnpm's record of the
   * install: absolute path, size in bytes, modification time in ms.
   */
  readonly inputs: readonly (readonly [string, number, number])[];
  /** The compose modules inside, absolute paths, sorted: the apps of the checkout when it was built. */
  readonly apps: readonly string[];
  /** Whether a bundled module calls import() (esbuild's metafile says); its comments may mention it regardless. */
  readonly dynamicImport: boolean;
  /** The bundle file as written: size, modification time, md5 (base64) of its bytes, and whether all are ASCII. */
  readonly bundle: BundleFileRecord;
}

export interface BundleFileRecord {
  readonly size: number;
  readonly mtimeMs: number;
  readonly md5: string;
  readonly ascii: boolean;
}

export type BundleState =
  | { readonly fresh: true; readonly file: string; readonly manifest: BundleManifest }
  | { readonly fresh: false; readonly reason: string };

/** Whether the bundle in `bundleDir` may run for the checkout at `repoRoot`, and if not, why. */
export function bundleState(bundleDir: string, repoRoot: string): BundleState {
  const file = path.join(bundleDir, BUNDLE_FILE);
  let manifest: BundleManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(bundleDir, BUNDLE_MANIFEST), 'utf8')) as BundleManifest;
  } catch {
    return { fresh: false, reason: `no ${BUNDLE_MANIFEST} in ${bundleDir} (pnpm build writes it)` };
  }
  if (
    manifest.version !== 2 ||
    !Array.isArray(manifest.inputs) ||
    !Array.isArray(manifest.apps) ||
    typeof manifest.dynamicImport !== 'boolean' ||
    typeof manifest.bundle?.md5 !== 'string' ||
    typeof manifest.bundle.ascii !== 'boolean'
  )
    return { fresh: false, reason: `${BUNDLE_MANIFEST} has an unknown format` };
  let bundleStat: fs.Stats;
  try {
    bundleStat = fs.statSync(file);
  } catch {
    return { fresh: false, reason: `${BUNDLE_FILE} is missing` };
  }
  // The command trusts the recorded hash and encoding of the bundle (compile-cache.ts): it must be the file written.
  if (bundleStat.size !== manifest.bundle.size || bundleStat.mtimeMs !== manifest.bundle.mtimeMs)
    return { fresh: false, reason: `${BUNDLE_FILE} changed after the build` };
  for (const [input, size, mtimeMs] of manifest.inputs) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch {
      return { fresh: false, reason: `${input} is gone` };
    }
    if (stat.size !== size || stat.mtimeMs !== mtimeMs) return { fresh: false, reason: `${input} changed` };
  }
  const apps = composeModules(repoRoot);
  if (apps.join('\n') !== manifest.apps.join('\n'))
    return { fresh: false, reason: `the apps changed (bundled: ${manifest.apps.length}, now: ${apps.length})` };
  return { fresh: true, file, manifest };
}

/**
 * The compose modules of the checkout's apps (`context["tts-ecs:compose"]` of `apps/*\/cdktf.json`), absolute and
 * sorted. Unreadable files are skipped here: synth reports them.
 */
export function composeModules(repoRoot: string): string[] {
  const appsDir = path.join(repoRoot, 'apps');
  if (!fs.existsSync(appsDir)) return [];
  const modules: string[] = [];
  for (const entry of fs.readdirSync(appsDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    try {
      const cdktf = JSON.parse(fs.readFileSync(path.join(appsDir, entry.name, 'cdktf.json'), 'utf8')) as {
        context?: Record<string, unknown>;
      };
      const compose = cdktf.context?.[COMPOSE_CONTEXT];
      if (typeof compose === 'string') modules.push(path.join(appsDir, entry.name, compose));
    } catch {
      continue;
    }
  }
  return modules.sort();
}

const BUNDLED_APPS = Symbol.for('tts-ecs.bundled-apps');

/** Called first by the bundle: the compose modules it carries, by absolute path. */
export function registerBundledApps(apps: Readonly<Record<string, unknown>>): void {
  (globalThis as Record<symbol, unknown>)[BUNDLED_APPS] = apps;
}

/**
 * The bundled copy of a compose module, when this process runs the bundle: synth must compose with the bundle's own
 * construct libraries (a second copy loaded from disk would not share its classes).
 */
export function bundledApp(module: string): unknown {
  const apps = (globalThis as Record<symbol, unknown>)[BUNDLED_APPS] as Record<string, unknown> | undefined;
  return apps?.[module];
}
