import { IConstruct } from 'constructs';
import { Token } from 'cdktf';
import { AwsEnvironment, requireIntegerInRange, requireProp } from '@tts-ecs/core';
import { isDomainName } from '@tts-ecs/network';

/** Where an {@link HttpApi} sends every request: a listener of an internal load balancer, through the VPC link. */
export interface HttpApiIntegration {
  /**
   * ARN of a listener of an internal Application Load Balancer in the same account, region and VPC
   * (`arn:aws:elasticloadbalancing:<region>:<account>:listener/app/...`).
   */
  readonly listenerArn: string;
  /**
   * Host name API Gateway checks the listener's certificate against (and sends as SNI). Set it for HTTPS listeners so
   * the hop from API Gateway to the load balancer is verified.
   * @default none (the listener is plain HTTP inside the VPC)
   */
  readonly tlsServerNameToVerify?: string;
}

/** A custom domain of an {@link HttpApi}. */
export interface HttpApiDomain {
  /** Lower-case DNS name, e.g. `api.example.com`. */
  readonly domainName: string;
  /** ARN of an ACM certificate for `domainName` in the API's region (a regional endpoint cannot use a us-east-1 one). */
  readonly certificateArn: string;
  /**
   * Public hosted zone (id) of `domainName`: alias A and AAAA records to the API are written there.
   * @default no DNS records (point the name at `HttpApi.domainTarget` yourself)
   */
  readonly hostedZoneId?: string;
}

/** Cross-origin resource sharing of an {@link HttpApi}; API Gateway answers preflight requests itself. */
export interface HttpApiCors {
  /** Origins allowed to call the API, e.g. `https://console.example.com`; `*` is any origin (not with credentials). */
  readonly allowOrigins: string[];
  /**
   * Methods allowed cross-origin, or `*`.
   * @default none (browsers then allow the simple methods GET, HEAD and POST only)
   */
  readonly allowMethods?: string[];
  /**
   * Request headers allowed cross-origin, e.g. `authorization`.
   * @default none (CORS-safelisted headers only)
   */
  readonly allowHeaders?: string[];
  /**
   * Response headers scripts may read besides the safelisted ones.
   * @default none
   */
  readonly exposeHeaders?: string[];
  /**
   * Let browsers send cookies and `Authorization` cross-origin. Refused with the `*` origin.
   * @default false
   */
  readonly allowCredentials?: boolean;
  /**
   * Seconds browsers may cache a preflight answer, 0-86400.
   * @default none (browser default, 5 seconds)
   */
  readonly maxAge?: number;
}

const HTTP_METHODS = ['ANY', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'];
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html: `METHOD /path`, where a
// path segment may be a {parameter} and the last one a greedy {proxy+}.
const SEGMENT = "([A-Za-z0-9._~:@!$&'()*+,;=-]+|\\{[A-Za-z0-9_]+\\+?\\})";
const ROUTE_KEY = new RegExp(`^(${HTTP_METHODS.join('|')}) (/|(/${SEGMENT})+)$`);
const ORIGIN = /^https?:\/\/[a-z0-9.*-]+(:\d{1,5})?$/;
const ZONE_ID = /^[A-Z0-9]{1,32}$/;

/** The access log line: one JSON object per request (the fields of the AWS HTTP API example, plus the integration error). */
export const HTTP_API_ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  integrationErrorMessage: '$context.integrationErrorMessage',
});

/** Throws unless `arn` is a load balancer listener ARN in the environment's region and account. */
export function requireListenerArn(scope: IConstruct, arn: string, environment: AwsEnvironment): void {
  if (Token.isUnresolved(arn)) return;
  const m =
    /^arn:aws[a-z-]*:elasticloadbalancing:([a-z0-9-]+):(\d{12}):listener\/app\/[^/]+\/[0-9a-f]+\/[0-9a-f]+$/.exec(
      typeof arn === 'string' ? arn : '',
    );
  requireProp(
    scope,
    m !== null,
    'integration.listenerArn',
    arn,
    'Give the ARN of an internal ALB listener, e.g. "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/name/0123456789abcdef/0123456789abcdef".',
  );
  requireSameEnvironment(scope, 'integration.listenerArn', arn, m![1], m![2], environment);
}

/** Throws unless `arn` is an ACM certificate ARN of the API's region: regional endpoints use certificates of their region. */
export function requireRegionalCertificate(scope: IConstruct, arn: string, environment: AwsEnvironment): void {
  if (Token.isUnresolved(arn)) return;
  const m = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):(\d{12}):certificate\/[0-9a-f-]+$/.exec(
    typeof arn === 'string' ? arn : '',
  );
  requireProp(
    scope,
    m !== null,
    'domain.certificateArn',
    arn,
    `Give the ARN of an ACM certificate in ${environment.region}, e.g. "arn:aws:acm:${environment.region}:${environment.accountId}:certificate/<id>".`,
  );
  requireSameEnvironment(scope, 'domain.certificateArn', arn, m![1], m![2], environment);
}

function requireSameEnvironment(
  scope: IConstruct,
  field: string,
  arn: string,
  region: string,
  accountId: string,
  environment: AwsEnvironment,
): void {
  if (!Token.isUnresolved(environment.region))
    requireProp(scope, region === environment.region, field, arn, `Use one in the API's region ${environment.region}.`);
  if (!Token.isUnresolved(environment.accountId))
    requireProp(
      scope,
      accountId === environment.accountId,
      field,
      arn,
      `Use one in the API's account ${environment.accountId}.`,
    );
}

/** Throws unless the TLS name is a DNS name. */
export function requireServerName(scope: IConstruct, name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) return;
  requireProp(
    scope,
    isDomainName(name),
    'integration.tlsServerNameToVerify',
    name,
    'Give the host name on the listener\'s certificate, e.g. "api.internal.example.com".',
  );
}

/** Throws unless every extra route key is `METHOD /path`, distinct, and not `$default` (which always exists). */
export function requireRouteKeys(scope: IConstruct, routes: readonly string[]): void {
  const seen = new Set<string>();
  for (const key of routes) {
    if (Token.isUnresolved(key)) continue;
    requireProp(scope, key !== '$default', 'routes', key, 'Leave out "$default": the API always has that route.');
    requireProp(
      scope,
      typeof key === 'string' && ROUTE_KEY.test(key),
      'routes',
      key,
      `Use "METHOD /path" with METHOD one of ${HTTP_METHODS.join(', ')}, e.g. "GET /devices/{id}" or "ANY /api/{proxy+}".`,
    );
    requireProp(scope, !seen.has(key), 'routes', key, 'List each route key once.');
    seen.add(key);
  }
}

/** Throws on an invalid throttling limit: both must be positive (a zero limit rejects every request). */
export function requireThrottling(scope: IConstruct, burst: number, rate: number): void {
  if (!Token.isUnresolved(burst))
    requireProp(
      scope,
      Number.isInteger(burst) && burst > 0,
      'throttlingBurstLimit',
      burst,
      'Give the number of requests a burst may hold, a whole number above 0.',
    );
  if (Token.isUnresolved(rate)) return;
  requireProp(
    scope,
    typeof rate === 'number' && Number.isFinite(rate) && rate > 0,
    'throttlingRateLimit',
    rate,
    'Give the steady-state requests per second, a number above 0.',
  );
}

/** Throws on an invalid custom domain. */
export function requireDomain(scope: IConstruct, domain: HttpApiDomain, environment: AwsEnvironment): void {
  requireProp(
    scope,
    Token.isUnresolved(domain.domainName) || isDomainName(domain.domainName),
    'domain.domainName',
    domain.domainName,
    'Use a lower-case DNS name without wildcard or trailing dot, e.g. "api.example.com".',
  );
  requireRegionalCertificate(scope, domain.certificateArn, environment);
  const zone = domain.hostedZoneId;
  if (zone === undefined || Token.isUnresolved(zone)) return;
  requireProp(
    scope,
    ZONE_ID.test(zone),
    'domain.hostedZoneId',
    zone,
    'Give the hosted zone id alone, e.g. "Z0123456789ABCDEFGHIJ" (without "/hostedzone/").',
  );
}

/** Throws on an invalid CORS configuration. */
export function requireCors(scope: IConstruct, cors: HttpApiCors): void {
  const origins = cors.allowOrigins;
  requireProp(
    scope,
    Array.isArray(origins) && origins.length > 0,
    'cors.allowOrigins',
    origins,
    'List the origins allowed to call the API, e.g. ["https://console.example.com"].',
  );
  for (const origin of origins) {
    if (Token.isUnresolved(origin)) continue;
    requireProp(
      scope,
      origin === '*' || ORIGIN.test(origin),
      'cors.allowOrigins',
      origin,
      'Use "scheme://host[:port]" without path or trailing slash, e.g. "https://console.example.com", or "*".',
    );
    // Browsers refuse credentialed responses for the `*` origin; API Gateway would reject the configuration too.
    requireProp(
      scope,
      !(origin === '*' && cors.allowCredentials === true),
      'cors.allowOrigins',
      origin,
      'With allowCredentials, list the origins explicitly: "*" would let any site make requests with your users\' credentials.',
    );
  }
  for (const method of cors.allowMethods ?? []) {
    requireProp(
      scope,
      Token.isUnresolved(method) || method === '*' || HTTP_METHODS.slice(1).includes(method),
      'cors.allowMethods',
      method,
      `Use "*" or methods from ${HTTP_METHODS.slice(1).join(', ')}.`,
    );
  }
  if (cors.maxAge !== undefined) requireIntegerInRange(scope, 'cors.maxAge', cors.maxAge, 0, 86400);
}
