export * from './config';
export * from './naming';
export * from './layer-stack';
