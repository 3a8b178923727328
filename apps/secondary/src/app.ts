// What the secondary app synthesizes: `tts-ecs synth` calls `compose` in its own process (cdktf.json
// "tts-ecs:compose"); main.ts runs it standalone (`cdktf synth` in this folder).
export { composeSecondaries as compose } from '@tts-ecs/tts';
