export * from './schema';
export * from './problems';
export * from './rules';
export * from './load';
export * from './json-schema';
export * from './naming';
export * from './extends';
