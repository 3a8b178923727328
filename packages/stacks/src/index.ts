export * from './layer-stack';
export * from './contract';
export * from './bootstrap-stack';
export * from './state-bucket';
export * from './app-main';
