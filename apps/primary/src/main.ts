// The primary cluster's stacks: one per layer (network, secrets, data, compute, observability).
// Run the compiled JavaScript (`pnpm synth`, or `cdktf synth` in this folder after `pnpm build`).
import * as path from 'path';
import { App } from 'cdktf';
import { loadDeploymentConfig } from '@tts-ecs/config';
import { composePrimary } from '@tts-ecs/tts';

const configPath = process.env.TTS_ECS_CONFIG ?? path.join(__dirname, '..', '..', '..', 'deployments', 'example.json');
// No stack traces in manifest.json: they hold absolute paths of the machine that synthesized.
const app = new App({ stackTraces: false });
composePrimary(app, loadDeploymentConfig(configPath));
app.synth();
