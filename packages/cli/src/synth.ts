import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, DeploymentConfig, LAYERS, loadDeploymentConfig } from '@tts-ecs/config';
import { ComposeApp, synthesizeApp } from '@tts-ecs/stacks';
import { readApplyOrderFile, writeApplyOrder } from '@tts-ecs/terraform';
import { APPLY_RANK_CONTEXT, COMPOSE_CONTEXT } from './app-context';
import { bundledApp } from './bundle';
import { GROWS_ABOVE_CLUSTERS, letYoungGenerationGrow } from './young-generation';

/**
 * A cdktf app of the repository: every `apps/<name>/cdktf.json`, the one place an app is declared. Its `app` command
 * (e.g. `node dist/main.js`) is how it is synthesized, run in its folder with `TTS_ECS_CONFIG` and `CDKTF_OUTDIR`.
 * An app whose stacks keep state in S3 states its place in the apply order as `context["tts-ecs:applyRank"]`
 * (primary 0, secondary 1); an app without one (bootstrap) may only hold the local-state bootstrap stack.
 */
export interface AppDefinition {
  readonly name: string;
  readonly dir: string;
  /** The `app` command of its cdktf.json, split into program and arguments. */
  readonly command: readonly string[];
  /** `context["tts-ecs:applyRank"]`: lower ranks go first among stacks ready at the same time. */
  readonly applyRank?: number;
  /**
   * `context["tts-ecs:compose"]`: a compiled module (relative to the app folder) exporting `compose(app, config)`.
   * With it, `tts-ecs synth` builds the app in its own process; without, it runs the `app` command.
   */
  readonly composeModule?: string;
}

export { APPLY_RANK_CONTEXT, COMPOSE_CONTEXT } from './app-context';

/** The apps of the repository, from `apps/*\/cdktf.json`, sorted by name. */
export function discoverApps(repoRoot: string): AppDefinition[] {
  const appsDir = path.join(repoRoot, 'apps');
  if (!fs.existsSync(appsDir)) throw new Error(`${appsDir} does not exist: no cdktf app to synthesize.`);
  return fs
    .readdirSync(appsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(appsDir, e.name, 'cdktf.json')))
    .map((e) => {
      const dir = path.join(appsDir, e.name);
      const cdktf = JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.json'), 'utf8')) as {
        app?: string;
        context?: Record<string, unknown>;
      };
      // Split on white space: the commands are `node <file>`; quoted arguments are not supported.
      const command = (cdktf.app ?? '').trim().split(/\s+/).filter(Boolean);
      if (command.length === 0) throw new Error(`${dir}/cdktf.json has no "app" command.`);
      const rank = cdktf.context?.[APPLY_RANK_CONTEXT];
      if (rank !== undefined && !(typeof rank === 'number' && Number.isInteger(rank) && rank >= 0))
        throw new Error(
          `${dir}/cdktf.json: context "${APPLY_RANK_CONTEXT}" must be a whole number >= 0, not ${JSON.stringify(rank)}.`,
        );
      const composeModule = cdktf.context?.[COMPOSE_CONTEXT];
      if (composeModule !== undefined && typeof composeModule !== 'string')
        throw new Error(
          `${dir}/cdktf.json: context "${COMPOSE_CONTEXT}" must be a file name, not ${JSON.stringify(composeModule)}.`,
        );
      return { name: e.name, dir, command, applyRank: rank as number | undefined, composeModule };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Apps whose stacks keep state in S3 (they declare an apply rank), lowest rank first. */
export function rankedApps(apps: readonly AppDefinition[]): string[] {
  return apps
    .filter((a) => a.applyRank !== undefined)
    .sort((a, b) => a.applyRank! - b.applyRank!)
    .map((a) => a.name);
}

export interface SynthOptions {
  readonly repoRoot: string;
  readonly configPath: string;
  /** Output folder; replaced only when every app synthesized. */
  readonly outDir: string;
}

export interface SynthResult {
  readonly outDir: string;
  /** Stack name -> folder holding its cdk.tf.json. */
  readonly stacks: { name: string; app: string; dir: string }[];
  readonly seconds: number;
  /** Construct warnings and errors (cdktf Annotations) of every stack, as `<stack>: <message>`; printed to stderr. */
  readonly warnings: string[];
}

/** Terraform's working files in a stack folder, kept across synths so users need not re-init (and keep lock files). */
const TERRAFORM_WORKING_FILES = ['.terraform', '.terraform.lock.hcl'];

/**
 * Validates the config, synthesizes every app into a temporary folder next to `outDir` (apps with a compose module in
 * this process, one after the other: the construct libraries load once; others as their own process), and only when
 * all succeeded replaces `outDir` with it: a failed synth writes nothing.
 */
export async function synthesize(options: SynthOptions): Promise<SynthResult> {
  const started = Date.now();
  const config = loadDeploymentConfig(options.configPath); // fail before any process starts or any file is written
  if (config.clusters.length > GROWS_ABOVE_CLUSTERS) letYoungGenerationGrow();
  const outDir = path.resolve(options.outDir);
  fs.mkdirSync(path.dirname(outDir), { recursive: true });
  const staging = fs.mkdtempSync(`${outDir}.staging-`);
  let warnings: string[] = [];
  try {
    const apps = discoverApps(options.repoRoot);
    const runs = await Promise.allSettled(
      apps.map((app) =>
        app.composeModule
          ? composeInProcess(app, config, options.configPath, path.join(staging, app.name))
          : runApp(app, options.configPath, path.join(staging, app.name)),
      ),
    );
    // Several apps refusing the same config print the same problems: say them once.
    const failures = [...new Set(runs.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : [])))];
    if (failures.length > 0) throw new Error(failures.join('\n'));
    // <out>/apply-order.json (@tts-ecs/terraform's apply-order.ts documents the format).
    writeApplyOrder(staging, {
      layers: LAYERS,
      apps: rankedApps(apps),
      clusterOrder: config.clusters.map((c) => c.id),
    });
    if (fs.existsSync(outDir)) keepTerraformWorkingFiles(outDir, staging);
    warnings = annotationsOf(staging);
    const previous = `${staging}.previous`;
    if (fs.existsSync(outDir)) fs.renameSync(outDir, previous);
    fs.renameSync(staging, outDir);
    fs.rmSync(previous, { recursive: true, force: true });
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  for (const warning of warnings) process.stderr.write(`${warning}\n`);
  // One order everywhere: the apply order (bootstrap, then the primary, then secondaries in config order).
  const order = readApplyOrderFile(outDir);
  const rank = new Map<string, number>(order.stacks.map((s, i) => [s.name, i]));
  const stacks = listStacks(outDir).sort((a, b) => (rank.get(a.name) ?? -1) - (rank.get(b.name) ?? -1));
  return { outDir, stacks, seconds: (Date.now() - started) / 1000, warnings };
}

/** Moves `.terraform/` and `.terraform.lock.hcl` of every stack folder of `from` into the same folder of `to`. */
function keepTerraformWorkingFiles(from: string, to: string): void {
  for (const stack of listStacks(from)) {
    const target = path.join(to, path.relative(from, stack.dir));
    if (!fs.existsSync(target)) continue; // the stack is gone
    for (const name of TERRAFORM_WORKING_FILES) {
      const source = path.join(stack.dir, name);
      if (fs.existsSync(source) && !fs.existsSync(path.join(target, name)))
        fs.renameSync(source, path.join(target, name));
    }
  }
}

/** The Annotations cdktf stored in each app's manifest.json, as `warning|error: <stack>: <message>` lines. */
function annotationsOf(outDir: string): string[] {
  const lines: string[] = [];
  for (const app of fs.readdirSync(outDir, { withFileTypes: true }).filter((e) => e.isDirectory())) {
    const manifestPath = path.join(outDir, app.name, 'manifest.json');
    if (!fs.existsSync(manifestPath)) continue;
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as {
      stacks: Record<string, { name: string; annotations?: { level: string; message: string }[] }>;
    };
    for (const stack of Object.values(manifest.stacks)) {
      for (const a of stack.annotations ?? []) {
        const level =
          a.level.replace('@cdktf/', '') === 'error' ? 'error' : a.level.includes('warn') ? 'warning' : 'info';
        lines.push(`${level}: ${stack.name}: ${a.message}`);
      }
    }
  }
  return lines;
}

/** Stacks of a synth output folder, read from each app's manifest.json. */
export function listStacks(outDir: string): SynthResult['stacks'] {
  const stacks: SynthResult['stacks'] = [];
  const apps = fs.existsSync(outDir)
    ? fs
        .readdirSync(outDir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort()
    : [];
  for (const app of apps) {
    const manifestPath = path.join(outDir, app, 'manifest.json');
    if (!fs.existsSync(manifestPath)) continue;
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as {
      stacks: Record<string, { name: string; workingDirectory: string }>;
    };
    for (const stack of Object.values(manifest.stacks)) {
      stacks.push({ name: stack.name, app, dir: path.join(outDir, app, stack.workingDirectory) });
    }
  }
  return stacks;
}

/** Builds an app from its compose module in this process; a config problem names the config file. */
async function composeInProcess(
  app: AppDefinition,
  config: DeploymentConfig,
  configPath: string,
  outdir: string,
): Promise<void> {
  const module = path.join(app.dir, app.composeModule ?? '');
  if (!fs.existsSync(module)) throw new Error(`${module} does not exist. Build first: pnpm build (tsc -b).`);
  // In the bundle, the app's bundled copy: it shares the bundle's construct libraries.
  const { compose } = (bundledApp(module) ?? require(module)) as { compose?: ComposeApp };
  if (typeof compose !== 'function') throw new Error(`${module} exports no compose(app, config) function.`);
  try {
    synthesizeApp(compose, config, outdir);
  } catch (error) {
    if (error instanceof ConfigError) throw new Error(new ConfigError(configPath, error.problems).message);
    throw error;
  }
}

function runApp(app: AppDefinition, configPath: string, outdir: string): Promise<void> {
  const [program, ...args] = app.command;
  // `node <entry>` runs on this very Node binary; the entry must have been compiled (`tsc -b`).
  const entry = program === 'node' ? path.join(app.dir, args[0] ?? '') : undefined;
  if (entry !== undefined && !fs.existsSync(entry)) {
    return Promise.reject(new Error(`${entry} does not exist. Build first: pnpm build (tsc -b).`));
  }
  return new Promise((resolve, reject) => {
    const child = spawn(program === 'node' ? process.execPath : program, args, {
      cwd: app.dir,
      env: { ...process.env, TTS_ECS_CONFIG: configPath, CDKTF_OUTDIR: outdir },
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) {
        if (stderr.trim()) process.stderr.write(stderr);
        resolve();
      } else reject(new Error(stderr.trim() || `apps/${app.name} failed to synthesize (exit ${code}).`));
    });
  });
}
