export * from './apply-order';
export { topologicalOrder, waves } from './graph';
