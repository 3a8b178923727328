export * from './routes';
export { ADMIN, SYSTEM_CA_BUNDLE } from './envoy';
export type { EnvoyObject } from './envoy';
export * from './router';
export * from './is-proxy';
