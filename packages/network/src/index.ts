export * from './names';
export * from './subnet-plan';
export * from './flow-logs';
export * from './endpoints';
export * from './network';
export * from './load-balancer';
export * from './bastion';
export * from './dns';
