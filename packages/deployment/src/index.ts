export * from './config';
export * from './naming';
export * from './layer-stack';
export * from './contract';
export * from './bootstrap';
// Types of apply-order.json live in ./order (not re-exported here: the rollout module mirrors ApplyOrder).
export { APPLY_ORDER_JSON, deriveApplyOrder, formatApplyOrder, readApplyOrderFile, writeApplyOrder } from './order';
