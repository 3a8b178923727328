import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { loadDeploymentConfig } from '../config/load';
import { writeApplyOrder } from '../order/apply-order';

/**
 * The cdktf apps of this repository, synthesized in this order into `<out>/<app>/`. `bootstrap` (the state bucket)
 * lives in this package (src/bootstrap/main.ts); the others are apps/<app>.
 */
export const APPS = ['bootstrap', 'primary', 'secondary'] as const;
export type AppName = (typeof APPS)[number];

export interface SynthOptions {
  readonly repoRoot: string;
  readonly configPath: string;
  /** Output folder; replaced only when every app synthesized. */
  readonly outDir: string;
}

export interface SynthResult {
  readonly outDir: string;
  /** Stack name -> folder holding its cdk.tf.json. */
  readonly stacks: { name: string; app: AppName; dir: string }[];
  readonly seconds: number;
}

/**
 * Validates the config, runs every app's compiled JavaScript (in parallel, one process each) into a temporary
 * folder next to `outDir`, and only when all succeeded replaces `outDir` with it: a failed synth writes nothing.
 */
export async function synthesize(options: SynthOptions): Promise<SynthResult> {
  const started = Date.now();
  const config = loadDeploymentConfig(options.configPath); // fail before any process starts or any file is written
  const outDir = path.resolve(options.outDir);
  fs.mkdirSync(path.dirname(outDir), { recursive: true });
  const staging = fs.mkdtempSync(`${outDir}.staging-`);
  try {
    await Promise.all(APPS.map((app) => runApp(options.repoRoot, app, options.configPath, path.join(staging, app))));
    writeApplyOrder(staging, { clusterOrder: config.clusters.map((c) => c.id) }); // <out>/apply-order.json (order/apply-order.ts documents the format)
    const previous = `${staging}.previous`;
    if (fs.existsSync(outDir)) fs.renameSync(outDir, previous);
    fs.renameSync(staging, outDir);
    fs.rmSync(previous, { recursive: true, force: true });
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return { outDir, stacks: listStacks(outDir), seconds: (Date.now() - started) / 1000 };
}

/** Stacks of a synth output folder, read from each app's manifest.json. */
export function listStacks(outDir: string): SynthResult['stacks'] {
  const stacks: SynthResult['stacks'] = [];
  for (const app of APPS) {
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

function runApp(repoRoot: string, app: AppName, configPath: string, outdir: string): Promise<void> {
  const appDir = app === 'bootstrap' ? path.join(repoRoot, 'packages', 'deployment') : path.join(repoRoot, 'apps', app);
  const entry = path.join(appDir, 'dist', ...(app === 'bootstrap' ? ['bootstrap'] : []), 'main.js');
  if (!fs.existsSync(entry)) {
    return Promise.reject(new Error(`${entry} does not exist. Build first: pnpm build (tsc -b).`));
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry], {
      cwd: appDir,
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
      } else reject(new Error(`apps/${app} failed to synthesize (exit ${code}):\n${stderr.trim()}`));
    });
  });
}
