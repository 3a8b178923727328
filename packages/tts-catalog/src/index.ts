export * from './sources';
export * from './config-keys';
export * from './components';
export * from './fargate';
export * from './runtime-contract';
export * from './envoy';
