export * from './cluster';
export * from './network-layer';
