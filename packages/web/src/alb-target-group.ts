import { createHash } from 'crypto';
import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { IConnectable, requireIntegerInRange, requireOneOf, requireProp } from '@tts-ecs/core';

/** Health check of an ALB target group (HTTP or HTTPS, as the group's protocol). */
export interface AlbHealthCheck {
  /** Path requested, starting with `/`. @default '/' */
  readonly path?: string;
  /** HTTP codes that mean healthy: `200`, `200,204`, `200-399` (codes 200-499). @default '200-399' */
  readonly matcher?: string;
  /** Port checked. @default the traffic port */
  readonly port?: number;
  /** Seconds between checks, 5-300. @default 15 */
  readonly intervalSeconds?: number;
  /** Seconds without a response that count as a failure, 2-120 and less than the interval. @default 5 */
  readonly timeoutSeconds?: number;
  /** Consecutive successes before a target receives traffic, 2-10. @default 3 */
  readonly healthyThreshold?: number;
  /** Consecutive failures before a target stops receiving traffic, 2-10. @default 3 */
  readonly unhealthyThreshold?: number;
}

/** Load-balancer-generated cookie stickiness. */
export interface AlbStickiness {
  /** Turn stickiness on. @default true (when the block is given) */
  readonly enabled?: boolean;
  /** Seconds a client sticks to its target, 1-604800. @default 86400 */
  readonly durationSeconds?: number;
}

export interface AlbTargetGroupOptions {
  /** Port the targets listen on, 1-65535. */
  readonly port: number;
  /** Protocol to the targets. @default 'HTTP' (TLS ends at the load balancer, inside the VPC) */
  readonly protocol?: 'HTTP' | 'HTTPS';
  /** `ip` for Fargate tasks and awsvpc ENIs, `instance` for EC2 instances. @default 'ip' */
  readonly targetType?: 'ip' | 'instance';
  /** @default path '/', matcher '200-399', every 15 s, timeout 5 s, 3 healthy / 3 unhealthy */
  readonly healthCheck?: AlbHealthCheck;
  /** @default off: requests are spread over all targets */
  readonly stickiness?: AlbStickiness;
  /** Seconds in-flight requests may finish when a target is deregistered, 0-3600. @default 30 */
  readonly deregistrationDelaySeconds?: number;
  /** Seconds a new target's share of traffic ramps up, 30-900 (0 is off). @default 0 (off) */
  readonly slowStartSeconds?: number;
  /**
   * Targets with a security group (e.g. an ECS service): the load balancer may reach them on the traffic and
   * health check ports, and they admit it there. Targets added otherwise need `allowToTargets`.
   * @default none
   */
  readonly targets?: IConnectable[];
}

/** A target group created by `ApplicationLoadBalancer.addTargetGroup`. */
export interface AlbTargetGroup {
  /** ARN (for ECS services' `load_balancer` blocks and routes). */
  readonly arn: string;
  /** ARN suffix, the `TargetGroup` dimension of CloudWatch metrics. */
  readonly arnSuffix: string;
  /** Generated name (see {@link targetGroupName}). */
  readonly name: string;
  /** Port the targets listen on. */
  readonly port: number;
  /** Port health checks use. */
  readonly healthCheckPort: number;
  /** The resource, for escape hatches. */
  readonly resource: LbTargetGroup;
}

/**
 * Deterministic name, at most 32 characters: `<lb>-<id>` cut to 23 characters plus a hash of the construct path and
 * of the attributes whose change replaces the group (port, protocol, target type). A replacement thus gets a new
 * name, so `create_before_destroy` can create it while the old group (same name otherwise) still exists.
 */
export function targetGroupName(
  loadBalancerName: string,
  path: string,
  id: string,
  replaceKey: readonly unknown[],
): string {
  const hash = createHash('sha256')
    .update([path, ...replaceKey.map(String)].join('|'))
    .digest('hex')
    .slice(0, 8);
  const base = `${loadBalancerName}-${id}`
    .replace(/[^A-Za-z0-9]+/g, '-')
    .slice(0, 23)
    .replace(/^-+|-+$/g, '');
  return `${base}-${hash}`;
}

/** Validates options and creates the `aws_lb_target_group` (owner is the load balancer; errors name its path). */
export function createAlbTargetGroup(
  owner: Construct,
  id: string,
  loadBalancerName: string,
  vpcId: string,
  options: AlbTargetGroupOptions,
): AlbTargetGroup {
  const f = (field: string) => `addTargetGroup(${id}).${field}`;
  const protocol = options.protocol ?? 'HTTP';
  const targetType = options.targetType ?? 'ip';
  const check = options.healthCheck ?? {};
  const interval = check.intervalSeconds ?? 15;
  const timeout = check.timeoutSeconds ?? 5;
  const path = check.path ?? '/';
  const matcher = check.matcher ?? '200-399';
  const delay = options.deregistrationDelaySeconds ?? 30;
  requireIntegerInRange(owner, f('port'), options.port, 1, 65535);
  requireOneOf(owner, f('protocol'), protocol, ['HTTP', 'HTTPS']);
  requireOneOf(owner, f('targetType'), targetType, ['ip', 'instance']);
  requireIntegerInRange(owner, f('healthCheck.intervalSeconds'), interval, 5, 300);
  requireIntegerInRange(owner, f('healthCheck.timeoutSeconds'), timeout, 2, 120);
  requireProp(
    owner,
    timeout < interval,
    f('healthCheck.timeoutSeconds'),
    timeout,
    `Use less than the interval (${interval} s): a check must end before the next one starts.`,
  );
  requireIntegerInRange(owner, f('healthCheck.healthyThreshold'), check.healthyThreshold ?? 3, 2, 10);
  requireIntegerInRange(owner, f('healthCheck.unhealthyThreshold'), check.unhealthyThreshold ?? 3, 2, 10);
  if (check.port !== undefined) requireIntegerInRange(owner, f('healthCheck.port'), check.port, 1, 65535);
  if (!Token.isUnresolved(path))
    requireProp(
      owner,
      /^\/\S{0,1023}$/.test(path),
      f('healthCheck.path'),
      path,
      'Start the path with "/", without spaces, at most 1024 characters.',
    );
  if (!Token.isUnresolved(matcher))
    requireProp(
      owner,
      /^[2-4]\d\d(-[2-4]\d\d)?(,[2-4]\d\d(-[2-4]\d\d)?)*$/.test(matcher),
      f('healthCheck.matcher'),
      matcher,
      'Use HTTP codes 200-499 such as "200", "200,204" or "200-399".',
    );
  requireIntegerInRange(owner, f('deregistrationDelaySeconds'), delay, 0, 3600);
  const slowStart = options.slowStartSeconds;
  if (slowStart !== undefined) {
    requireIntegerInRange(owner, f('slowStartSeconds'), slowStart, 0, 900);
    requireProp(owner, slowStart === 0 || slowStart >= 30, f('slowStartSeconds'), slowStart, 'Use 0 (off) or 30-900.');
  }
  const sticky = options.stickiness;
  const stickyDuration = sticky?.durationSeconds ?? 86400;
  if (sticky) requireIntegerInRange(owner, f('stickiness.durationSeconds'), stickyDuration, 1, 604800);

  const name = targetGroupName(loadBalancerName, owner.node.path, id, [
    options.port,
    protocol,
    targetType,
    Token.isUnresolved(vpcId) ? '' : vpcId,
  ]);
  const resource = new LbTargetGroup(owner, `TargetGroup-${id}`, {
    name,
    port: options.port,
    protocol,
    targetType,
    vpcId,
    deregistrationDelay: String(delay),
    slowStart,
    healthCheck: {
      enabled: true,
      protocol,
      path,
      matcher,
      port: check.port === undefined ? 'traffic-port' : String(check.port),
      interval,
      timeout,
      healthyThreshold: check.healthyThreshold ?? 3,
      unhealthyThreshold: check.unhealthyThreshold ?? 3,
    },
    // Written even when off, so the group does not drift from the provider's computed default.
    stickiness: sticky
      ? { type: 'lb_cookie', enabled: sticky.enabled ?? true, cookieDuration: stickyDuration }
      : { type: 'lb_cookie', enabled: false },
    tags: { Name: name },
    // Port, protocol and target type changes replace the group; listeners must never point at nothing.
    lifecycle: { createBeforeDestroy: true },
  });
  return {
    arn: resource.arn,
    arnSuffix: resource.arnSuffix,
    name,
    port: options.port,
    healthCheckPort: check.port ?? options.port,
    resource,
  };
}
