export * from './config';
export * from './naming';
export * from './layer-stack';
export * from './contract';
export * from './bootstrap';
