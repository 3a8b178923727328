export * from './names';
// Subnet arithmetic lives in @tts-ecs/core (the deployment config checks CIDRs with it too); re-exported here so the
// network package's public API is unchanged.
export { MIN_VPC_PREFIX_LENGTH, SUPPORTED_AZ_COUNTS, SubnetPlan, maxVpcPrefixLength, planSubnets } from '@tts-ecs/core';
export * from './flow-logs';
export * from './endpoints';
export * from './network';
export * from './load-balancer';
export * from './bastion';
export * from './dns';
export * from './nlb-listener';
