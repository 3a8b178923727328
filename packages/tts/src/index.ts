export * from './catalog';
export * from './envoy';
export * from './compose';
