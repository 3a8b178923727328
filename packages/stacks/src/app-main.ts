import * as path from 'path';
import { App } from 'cdktf';
import { ConfigError, DeploymentConfig, loadDeploymentConfig } from '@tts-ecs/config';

/**
 * The body of every cdktf app of the repository: loads the deployment config (`TTS_ECS_CONFIG`, else
 * `deployments/example.json` of the repository), builds the stacks with `compose`, synthesizes them. A config problem
 * found while composing (one that needs the TTS catalog) is printed like the loader's own, naming the file, and the
 * process exits 1 without a stack trace; any other error keeps its stack.
 */
export function runApp(appDir: string, compose: (app: App, config: DeploymentConfig) => void): void {
  const configPath = process.env.TTS_ECS_CONFIG ?? path.join(appDir, '..', '..', '..', 'deployments', 'example.json');
  try {
    synthesizeApp(compose, loadDeploymentConfig(configPath));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${new ConfigError(configPath, error.problems).message}\n`);
    } else {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    process.exit(1);
  }
}

/** How an app turns a config into stacks (each app's `compose`, exported from its `dist/app.js`). */
export type ComposeApp = (app: App, config: DeploymentConfig) => void;

/**
 * Builds and synthesizes one app into `outdir` (default: `CDKTF_OUTDIR`, else `cdktf.out`). Errors propagate: a
 * `ConfigError` names the problems, the caller names the file. `tts-ecs synth` calls it for every app in its own
 * process, so the construct libraries load once instead of once per app.
 */
export function synthesizeApp(compose: ComposeApp, config: DeploymentConfig, outdir?: string): void {
  // No stack traces in manifest.json: they hold absolute paths of the machine that synthesized.
  const app = new App({ stackTraces: false, ...(outdir === undefined ? {} : { outdir }) });
  compose(app, config);
  app.synth();
}
