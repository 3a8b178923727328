// The statement type and renderers live in @tts-ecs/core; re-exported so `@tts-ecs/compute` keeps its public API.
export { assumeRolePolicy, policyDocument } from '@tts-ecs/core';
export type { PolicyStatement } from '@tts-ecs/core';

/** IAM name prefixes are limited to 38 characters; keep the readable start of the name and our suffix. */
export function rolePrefix(base: string, suffix: string): string {
  return `${base.slice(0, 37 - suffix.length)}${suffix}`;
}
