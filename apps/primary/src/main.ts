// The primary cluster's stacks: one per layer (network, secrets, data, compute, observability).
// Run the compiled JavaScript (`pnpm synth`, or `cdktf synth` in this folder after `pnpm build`).
import { runApp } from '@tts-ecs/stacks';
import { compose } from './app';

runApp(__dirname, compose);
