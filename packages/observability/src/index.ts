export * from './refs';
export * from './alarm-set';
export * from './alarm-topic';
export * from './service-alarms';
export * from './database-alarms';
export * from './cache-alarms';
export * from './load-balancer-alarms';
export * from './dashboard';
