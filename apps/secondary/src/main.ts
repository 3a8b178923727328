// One set of stacks per secondary cluster, linked to the primary through S3 remote state.
// Run the compiled JavaScript (`pnpm synth`, or `cdktf synth` in this folder after `pnpm build`).
import { runApp } from '@tts-ecs/stacks';
import { compose } from './app';

runApp(__dirname, compose);
