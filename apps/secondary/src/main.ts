// One set of layer stacks per secondary cluster of the config, linked to the primary through S3 remote state.
// Run the compiled JavaScript (`pnpm synth`, or `cdktf synth` in this folder after `pnpm build`).
import * as path from 'path';
import { App } from 'cdktf';
import { loadDeploymentConfig } from '@tts-ecs/config';
import { composeSecondaries } from '@tts-ecs/tts';

const configPath = process.env.TTS_ECS_CONFIG ?? path.join(__dirname, '..', '..', '..', 'deployments', 'example.json');
// No stack traces in manifest.json: they hold absolute paths of the machine that synthesized.
const app = new App({ stackTraces: false });
composeSecondaries(app, loadDeploymentConfig(configPath));
app.synth();
