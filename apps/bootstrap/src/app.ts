// What the bootstrap app synthesizes: `tts-ecs synth` calls `compose` in its own process (cdktf.json
// "tts-ecs:compose"); main.ts runs it standalone.
// TTS_ECS_BOOTSTRAP_BACKEND=s3 keeps its state in the bucket it created (after `terraform init -migrate-state`).
import { App } from 'cdktf';
import { BootstrapStack } from '@tts-ecs/stacks';

export function compose(app: App, config: ConstructorParameters<typeof BootstrapStack>[1]['config']): void {
  const backend = process.env.TTS_ECS_BOOTSTRAP_BACKEND ?? 'local';
  if (backend !== 'local' && backend !== 's3')
    throw new Error(`TTS_ECS_BOOTSTRAP_BACKEND must be "local" or "s3", not "${backend}".`);
  new BootstrapStack(app, { config, backend });
}
