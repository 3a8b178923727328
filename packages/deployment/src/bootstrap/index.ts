export * from './bootstrap-stack';
export * from './state-bucket';
