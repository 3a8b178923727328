export * from './policy';
export * from './bucket-name';
export * from './seed-object';
export * from './secure-bucket';
