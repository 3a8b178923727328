/**
 * `terraform init -backend=false` without running terraform, for verify's working directories (the batch root, a
 * stack planned alone): the batch's modules are local folders and the providers are unpacked in the plugin cache at
 * the versions the lock file pins, so all init leaves behind is `.terraform/modules/modules.json` (Terraform's record of installed modules; for a local module only its
 * key, source and folder) and one link per provider into the cache (what init makes from a cache, too).
 * Nothing is taken on trust: `terraform test` checks every provider against the lock file's hashes when it starts
 * and refuses a module that is not recorded; when it refuses, the caller runs the real init and tries once more.
 * Measured on the example (16 stacks, 2 cores): the batch's init took 2.0-2.2 s of a 26 s verify. A stack's own
 * modules (cdktf `TerraformHclModule`) are not laid out: terraform asks for them, and the real init runs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { cachedProviderDir, parseLockFile } from './plugin-cache';
import type { TerraformResult } from './runner';
import { errorDiagnostics } from './terraform-output';

/**
 * Lays out `dir` as init would for `modules` (folder names in `dir`) and the providers `lockFile` pins, linked
 * from `pluginCacheDir`. Returns false, leaving `dir` as it was, when that cannot be done here: on Windows (init
 * copies there), or when a locked provider is not unpacked in the cache for this platform.
 */
export function linkInitialized(
  dir: string,
  modules: Iterable<string>,
  lockFile: string,
  pluginCacheDir: string,
): boolean {
  if (process.platform === 'win32') return false;
  const links: { at: string; to: string }[] = [];
  for (const [source, block] of parseLockFile(lockFile)) {
    // A source is `<host>/<namespace>/<type>`; the lock file always writes all three.
    const cached = source.split('/').length === 3 ? cachedProviderDir(pluginCacheDir, source, block) : undefined;
    if (!cached) return false;
    // The cache's layout below the cache dir is init's below `.terraform/providers`.
    links.push({
      at: path.join(dir, '.terraform', 'providers', path.relative(path.resolve(pluginCacheDir), cached)),
      to: cached,
    });
  }
  const names = [...modules];
  for (const name of names)
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name) || !fs.statSync(path.join(dir, name), { throwIfNoEntry: false }))
      return false;
  const record = {
    Modules: [
      { Key: '', Source: '', Dir: '.' },
      ...names.map((name) => ({ Key: name, Source: `./${name}`, Dir: name })),
    ],
  };
  // A reused work dir (verify's `workDir` option) may hold an earlier layout: start from none, as init would replace it.
  fs.rmSync(path.join(dir, '.terraform'), { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, '.terraform', 'modules'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.terraform', 'modules', 'modules.json'), JSON.stringify(record));
  for (const link of links) {
    fs.mkdirSync(path.dirname(link.at), { recursive: true });
    fs.symlinkSync(link.to, link.at, 'dir');
  }
  return true;
}

/**
 * Whether `terraform test -json` output says the working directory is not initialized as it needs: a module not
 * recorded, a provider not linked, or one that does not match the lock file.
 */
export function needsInit(stdout: string): boolean {
  return errorDiagnostics(stdout).some((d) =>
    /Module not installed|\.terraform[\\/]providers|dependency lock file|terraform init/.test(
      `${d.summary ?? ''}\n${d.detail ?? ''}`,
    ),
  );
}

/** What {@link initializedTest} ran: the init when one ran, and the test unless that init failed. */
export type InitializedTest =
  | { readonly init?: TerraformResult; readonly test: TerraformResult }
  | { readonly init: TerraformResult; readonly test?: undefined };

/**
 * Runs `runTest` in `dir` after `terraform init` or, when `lockFile` is given and every provider it locks is cached,
 * after {@link linkInitialized}; when terraform refuses that layout ({@link needsInit}), inits for real and runs the
 * test again. A failed init is returned without a test.
 */
export async function initializedTest(
  dir: string,
  modules: Iterable<string>,
  lockFile: string | undefined,
  pluginCacheDir: string,
  runInit: () => Promise<TerraformResult>,
  runTest: () => Promise<TerraformResult>,
): Promise<InitializedTest> {
  if (lockFile !== undefined && linkInitialized(dir, modules, lockFile, pluginCacheDir)) {
    const test = await runTest();
    if (!needsInit(test.stdout)) return { test };
    fs.rmSync(path.join(dir, '.terraform'), { recursive: true, force: true });
  }
  const init = await runInit();
  if (init.exitCode !== 0) return { init };
  return { init, test: await runTest() };
}
