/** Keys of an app's `cdktf.json` context that tts-ecs reads (synth.ts's AppDefinition documents them). */
export const APPLY_RANK_CONTEXT = 'tts-ecs:applyRank';
export const COMPOSE_CONTEXT = 'tts-ecs:compose';
