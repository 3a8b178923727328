/**
 * Valid Fargate task sizes (CPU units -> allowed memory in MiB; SOURCES.fargateTaskSizes). The table lives in
 * @tts-ecs/compute, which enforces it on task definitions; the catalog names stay for existing imports.
 */
export { FARGATE_TASK_SIZES as FARGATE_MEMORY_BY_CPU, isValidFargateSize } from '@tts-ecs/compute';
