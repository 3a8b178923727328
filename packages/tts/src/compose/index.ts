export * from './cluster';
export * from './network-layer';
export * from './secrets-layer';
export * from './data-layer';
export * from './primary-link';
export * from './observability-layer';
export * from './compute-layer';
