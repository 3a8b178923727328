export * from '@tts-ecs/tts-catalog';
export * from './compose';
