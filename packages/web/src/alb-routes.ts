import { IConstruct } from 'constructs';
import { Token } from 'cdktf';
import { LbListenerRuleCondition } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { requireIntegerInRange, requireProp } from '@tts-ecs/core';

/**
 * AWS limits of a listener rule: at most 3 values per condition and 5 in the whole rule (Elastic Load Balancing
 * "Listener rules for your Application Load Balancer": "up to three comparison strings per condition and up to five
 * per rule"). Each value is at most 128 characters.
 */
export const ALB_MAX_VALUES_PER_CONDITION = 3;
export const ALB_MAX_VALUES_PER_RULE = 5;
const MAX_VALUE_LENGTH = 128;

/** An HTTP header a request must carry, with one of the values. */
export interface AlbHeaderCondition {
  /** Header name (1-40 characters, no spaces), e.g. `X-Tenant`. */
  readonly name: string;
  /** Accepted values (wildcards `*` and `?` allowed), 1-3 of them. */
  readonly values: string[];
}

export interface AlbRouteOptions {
  /** Evaluation order on the HTTPS listener, 1-50000 (lowest first); unique per listener. */
  readonly priority: number;
  /** Target group requests go to (from `addTargetGroup`). */
  readonly targetGroup: { readonly arn: string };
  /** URL paths, e.g. `/api/*`; 1-3 values. @default any path */
  readonly pathPatterns?: string[];
  /** Host names, e.g. `api.example.com` or `*.example.com`; 1-3 values. @default any host */
  readonly hostHeaders?: string[];
  /** A header the request must carry. @default no header condition */
  readonly httpHeader?: AlbHeaderCondition;
}

/** A header condition the load balancer adds to every route (the CloudFront origin secret). */
export interface RequiredHeader {
  readonly name: string;
  readonly value: string;
}

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,40}$/;

/** Checks an HTTP header name (token characters, 1-40), naming `field` in the error. */
export function requireHeaderName(scope: IConstruct, field: string, name: string): void {
  if (Token.isUnresolved(name)) return;
  requireProp(
    scope,
    typeof name === 'string' && HEADER_NAME.test(name),
    field,
    name,
    'Use 1-40 letters, digits and "-" (no spaces or colons), e.g. "X-Origin-Verify".',
  );
}

/**
 * Validates a route (priority, values and AWS limits, counting `required` too) and returns its conditions in the
 * provider's shape. `scope` is the load balancer: errors name its path and `addRoute(<id>).<field>`.
 */
export function routeConditions(
  scope: IConstruct,
  id: string,
  options: AlbRouteOptions,
  required: RequiredHeader | undefined,
): LbListenerRuleCondition[] {
  const f = (field: string) => `addRoute(${id}).${field}`;
  requireIntegerInRange(scope, f('priority'), options.priority, 1, 50000);
  requireProp(
    scope,
    typeof options.targetGroup?.arn === 'string',
    f('targetGroup'),
    options.targetGroup,
    'Give a target group returned by addTargetGroup.',
  );
  const lists: [string, string[] | undefined][] = [
    ['pathPatterns', options.pathPatterns],
    ['hostHeaders', options.hostHeaders],
    ['httpHeader.values', options.httpHeader?.values],
  ];
  for (const [field, values] of lists) {
    if (values === undefined) continue;
    requireProp(
      scope,
      Array.isArray(values) && values.length >= 1 && values.length <= ALB_MAX_VALUES_PER_CONDITION,
      f(field),
      values,
      `Give 1-${ALB_MAX_VALUES_PER_CONDITION} values (AWS limit per condition), or leave the condition out.`,
    );
    for (const value of values) {
      if (Token.isUnresolved(value)) continue;
      requireProp(
        scope,
        typeof value === 'string' && value.length > 0 && value.length <= MAX_VALUE_LENGTH,
        f(field),
        value,
        `Use 1-${MAX_VALUE_LENGTH} characters per value.`,
      );
    }
  }
  if (options.pathPatterns)
    for (const p of options.pathPatterns)
      if (!Token.isUnresolved(p))
        requireProp(scope, p.startsWith('/') || p.startsWith('*'), f('pathPatterns'), p, 'Start the path with "/".');
  if (options.httpHeader) requireHeaderName(scope, f('httpHeader.name'), options.httpHeader.name);

  const own = lists.reduce((n, [, values]) => n + (values?.length ?? 0), 0);
  requireProp(
    scope,
    own > 0,
    f('conditions'),
    options,
    'Give at least one of pathPatterns, hostHeaders or httpHeader: a route without conditions would be the default action.',
  );
  const total = own + (required ? 1 : 0);
  requireProp(
    scope,
    total <= ALB_MAX_VALUES_PER_RULE,
    f('conditions'),
    total,
    `A rule holds at most ${ALB_MAX_VALUES_PER_RULE} condition values (AWS limit)` +
      (required ? `, one of which is the ${required.name} header of restrictToCloudFront` : '') +
      ': split the route into several routes.',
  );

  return [
    ...(options.pathPatterns ? [{ pathPattern: { values: options.pathPatterns } }] : []),
    ...(options.hostHeaders ? [{ hostHeader: { values: options.hostHeaders } }] : []),
    ...(options.httpHeader
      ? [{ httpHeader: { httpHeaderName: options.httpHeader.name, values: options.httpHeader.values } }]
      : []),
    // The secret lands in the rule's state (and plan, redacted when the value is sensitive): this is the pattern AWS
    // documents for CloudFront origins; keep state encrypted and rotate the secret in Secrets Manager.
    ...(required ? [{ httpHeader: { httpHeaderName: required.name, values: [required.value] } }] : []),
  ];
}
