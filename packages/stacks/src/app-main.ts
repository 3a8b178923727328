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
    // No stack traces in manifest.json: they hold absolute paths of the machine that synthesized.
    const app = new App({ stackTraces: false });
    compose(app, loadDeploymentConfig(configPath));
    app.synth();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${new ConfigError(configPath, error.problems).message}\n`);
    } else {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    process.exit(1);
  }
}
