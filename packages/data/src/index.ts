// Re-exported so `@tts-ecs/data` keeps offering the statement type its `*Statements()` helpers return.
export { policyDocument } from '@tts-ecs/core';
export type { PolicyStatement } from '@tts-ecs/core';
export * from './bucket-name';
export * from './seed-object';
export * from './secure-bucket';
export * from './validation';
export * from './security-group';
export * from './postgres-uri';
export * from './aurora-postgres';
export * from './redis-replication-group';
export * from './ephemeral-secret-value';
export * from './secret';
export * from './parameter-set';
export * from './file-system';
export * from './timescale-host';
export * from './backup-plan';
