export * from './policy';
export * from './bucket-name';
export * from './seed-object';
export * from './secure-bucket';
export * from './validation';
export * from './security-group';
export * from './postgres-uri';
export * from './aurora-postgres';
