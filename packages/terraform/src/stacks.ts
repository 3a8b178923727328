import * as fs from 'fs';
import * as path from 'path';

/** One synthesized stack found in a cdktf output directory. */
export interface SynthesizedStack {
  /** The app: the sub-directory of the synth dir holding the manifest (`primary`, `secondary`). */
  readonly app: string;
  /** Stack name from the manifest. */
  readonly name: string;
  /** Absolute path of the stack's working directory (holds cdk.tf.json). */
  readonly dir: string;
  /** Absolute path of cdk.tf.json. */
  readonly file: string;
  /** Names of stacks of the same app it depends on. */
  readonly dependencies: readonly string[];
}

interface Manifest {
  stacks?: Record<
    string,
    { name?: string; synthesizedStackPath?: string; workingDirectory?: string; dependencies?: string[] }
  >;
}

/**
 * Every stack of every cdktf manifest in `synthDir`: its own manifest.json (app named after the directory) and
 * those of its direct sub-directories (`<out>/primary/manifest.json`, `<out>/secondary/manifest.json`).
 */
export function discoverStacks(synthDir: string): SynthesizedStack[] {
  const root = path.resolve(synthDir);
  if (!fs.existsSync(root)) throw new Error(`synth output ${root} does not exist: run \`pnpm synth\` first.`);
  const appDirs: [string, string][] = [];
  if (fs.existsSync(path.join(root, 'manifest.json'))) appDirs.push([path.basename(root), root]);
  for (const entry of fs.readdirSync(root, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isDirectory() && fs.existsSync(path.join(root, entry.name, 'manifest.json')))
      appDirs.push([entry.name, path.join(root, entry.name)]);
  }
  if (appDirs.length === 0)
    throw new Error(`no cdktf manifest.json in ${root} or its sub-directories: run \`pnpm synth\` first.`);
  const stacks: SynthesizedStack[] = [];
  for (const [app, dir] of appDirs) {
    const manifestFile = path.join(dir, 'manifest.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
    for (const [key, entry] of Object.entries(manifest.stacks ?? {})) {
      const name = entry.name ?? key;
      const workingDirectory =
        entry.workingDirectory ?? path.dirname(entry.synthesizedStackPath ?? `stacks/${name}/cdk.tf.json`);
      const file = path.join(dir, entry.synthesizedStackPath ?? path.join(workingDirectory, 'cdk.tf.json'));
      if (!fs.existsSync(file))
        throw new Error(
          `${manifestFile}: stack ${name} points to ${file}, which does not exist. Re-run \`pnpm synth\`.`,
        );
      stacks.push({ app, name, dir: path.join(dir, workingDirectory), file, dependencies: entry.dependencies ?? [] });
    }
  }
  return stacks;
}

/**
 * Keeps the stacks named in `filter` (`name` or `app/name`); all when the filter is empty.
 * An unknown name is an error listing the known ones, so a typo never verifies nothing.
 */
export function selectStacks(
  stacks: readonly SynthesizedStack[],
  filter: readonly string[] | undefined,
): SynthesizedStack[] {
  if (!filter || filter.length === 0) return [...stacks];
  const unknown = filter.filter((f) => !stacks.some((s) => s.name === f || `${s.app}/${s.name}` === f));
  if (unknown.length > 0) {
    throw new Error(
      `unknown stack(s) ${unknown.join(', ')}. Known: ${stacks.map((s) => `${s.app}/${s.name}`).join(', ')}.`,
    );
  }
  return stacks.filter((s) => filter.includes(s.name) || filter.includes(`${s.app}/${s.name}`));
}

/** Files of a stack directory that must not follow it into a fresh work dir (state, plugins, a stale lock). */
const NOT_COPIED = /^(\.terraform|\.terraform\.lock\.hcl|terraform\.tfstate.*|.*\.tfplan)$/;

/** Copies a stack directory to `to`, leaving out any earlier terraform run's state and plugins. */
export function copyStackDir(from: string, to: string): void {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.cpSync(from, to, { recursive: true, filter: (src) => src === from || !NOT_COPIED.test(path.basename(src)) });
}
