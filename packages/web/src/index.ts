export * from './alb-props';
export * from './alb-routes';
export * from './alb-target-group';
export * from './application-load-balancer';
export { HTTP_API_ACCESS_LOG_FORMAT } from './http-api-options';
export type { HttpApiCors, HttpApiDomain, HttpApiIntegration } from './http-api-options';
export * from './http-api';
export * from './distribution';
