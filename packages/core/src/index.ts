export * from './errors';
export * from './environment';
export * from './encryption-key';
export * from './iam';
export * from './log-group';
export * from './cidr';
export * from './subnet-plan';
export * from './fargate-sizes';
