// The bootstrap stack (the state bucket). `tts-ecs synth` runs it into <out>/bootstrap/.
// TTS_ECS_BOOTSTRAP_BACKEND=s3 keeps its state in the bucket it created (after `terraform init -migrate-state`).
import * as path from 'path';
import { App } from 'cdktf';
import { loadDeploymentConfig } from '@tts-ecs/config';
import { BootstrapStack } from '@tts-ecs/stacks';

const configPath = process.env.TTS_ECS_CONFIG ?? path.join(__dirname, '..', '..', '..', 'deployments', 'example.json');
const backend = process.env.TTS_ECS_BOOTSTRAP_BACKEND ?? 'local';
if (backend !== 'local' && backend !== 's3') {
  process.stderr.write(`TTS_ECS_BOOTSTRAP_BACKEND must be "local" or "s3", not "${backend}".\n`);
  process.exit(1);
}
// No stack traces in manifest.json: they hold absolute paths of the machine that synthesized.
const app = new App({ stackTraces: false });
new BootstrapStack(app, { config: loadDeploymentConfig(configPath), backend });
app.synth();
