// The bootstrap stack (the state bucket). `tts-ecs synth` runs it into <out>/bootstrap/.
// TTS_ECS_BOOTSTRAP_BACKEND=s3 keeps its state in the bucket it created (after `terraform init -migrate-state`).
import { BootstrapStack, runApp } from '@tts-ecs/stacks';

const backend = process.env.TTS_ECS_BOOTSTRAP_BACKEND ?? 'local';
if (backend !== 'local' && backend !== 's3') {
  process.stderr.write(`TTS_ECS_BOOTSTRAP_BACKEND must be "local" or "s3", not "${backend}".\n`);
  process.exit(1);
}
runApp(__dirname, (app, config) => new BootstrapStack(app, { config, backend }));
