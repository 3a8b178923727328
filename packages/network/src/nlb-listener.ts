import { Construct } from 'constructs';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { requireIntegerInRange, requireOneOf, requireProp } from '@tts-ecs/core';

/** TLS 1.3 and 1.2 only, with forward secrecy: the policy every TLS listener gets unless told otherwise. */
export const NLB_TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/**
 * Elastic Load Balancing security policies that refuse TLS 1.0 and 1.1 (ELB guides, "Security policies for your
 * Application Load Balancer" and "... Network Load Balancer": the same TLS policy names, incl. the FIPS and
 * post-quantum tables). Policies allowing TLS < 1.2 (`ELBSecurityPolicy-2016-08`, `...-TLS13-1-1-2021-06`,
 * `...-TLS13-1-0-2021-06`, ...) are not listed, so they are refused.
 */
export const TLS12_POLICIES: readonly string[] = [
  'ELBSecurityPolicy-TLS13-1-2-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06',
  'ELBSecurityPolicy-TLS13-1-3-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-2-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-3-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09',
  'ELBSecurityPolicy-TLS-1-2-2017-01',
  'ELBSecurityPolicy-TLS-1-2-Ext-2018-06',
  'ELBSecurityPolicy-FS-1-2-2019-08',
  'ELBSecurityPolicy-FS-1-2-Res-2019-08',
  'ELBSecurityPolicy-FS-1-2-Res-2020-10',
];

export interface NlbTargetGroupProps {
  /** VPC of the targets. */
  readonly vpcId: string;
  /** Port the targets listen on. */
  readonly port: number;
  /** `TCP` or `UDP` (TLS listeners forward to TCP groups). */
  readonly protocol: 'TCP' | 'UDP';
  /**
   * Keep the client's address as the packet source (targets then admit the clients' CIDRs). UDP groups always
   * preserve it (AWS rejects the attribute there), so it is ignored for `UDP`.
   * @default true
   */
  readonly preserveClientIp?: boolean;
  /** Seconds in-flight connections may drain when a target is deregistered, 0-3600. @default 30 */
  readonly deregistrationDelaySeconds?: number;
  /**
   * HTTP health check on this port and path (a real check of the process). Without it, a TCP check of the traffic
   * port, which only proves that a port is open.
   * @default TCP check of the traffic port
   */
  readonly httpHealthCheck?: { readonly port: number; readonly path: string; readonly matcher?: string };
  /** Seconds between health checks, 5-300. @default 10 */
  readonly healthCheckIntervalSeconds?: number;
  /** Tags (a Name tag is usual). @default none */
  readonly tags?: Record<string, string>;
}

/**
 * A target group of IP targets (Fargate tasks) for a Network Load Balancer. It is the `aws_lb_target_group` itself
 * (no wrapper construct), so moving a group onto it keeps its Terraform address. Names are generated: a changed port
 * or protocol replaces the group before the old one is destroyed. UDP groups terminate connections on
 * deregistration, so a stopped target does not keep receiving a flow until it times out.
 */
export class NlbTargetGroup extends LbTargetGroup {
  constructor(scope: Construct, id: string, props: NlbTargetGroupProps) {
    const udp = props.protocol === 'UDP';
    const check = props.httpHealthCheck;
    super(scope, id, {
      targetType: 'ip',
      protocol: props.protocol,
      port: props.port,
      vpcId: props.vpcId,
      preserveClientIp: udp ? undefined : String(props.preserveClientIp ?? true),
      deregistrationDelay: String(props.deregistrationDelaySeconds ?? 30),
      connectionTermination: udp ? true : undefined,
      healthCheck: {
        enabled: true,
        ...(check
          ? { protocol: 'HTTP', port: String(check.port), path: check.path, matcher: check.matcher ?? '200' }
          : { protocol: 'TCP', port: 'traffic-port' }),
        interval: props.healthCheckIntervalSeconds ?? 10,
        healthyThreshold: 3,
        unhealthyThreshold: 3,
      },
      tags: props.tags,
      lifecycle: { createBeforeDestroy: true },
    });
    requireOneOf(this, 'protocol', props.protocol, ['TCP', 'UDP']);
    requireIntegerInRange(this, 'port', props.port, 1, 65535);
    requireIntegerInRange(this, 'deregistrationDelaySeconds', props.deregistrationDelaySeconds ?? 30, 0, 3600);
    requireIntegerInRange(this, 'healthCheckIntervalSeconds', props.healthCheckIntervalSeconds ?? 10, 5, 300);
    if (check) {
      requireIntegerInRange(this, 'httpHealthCheck.port', check.port, 1, 65535);
      requireProp(this, check.path.startsWith('/'), 'httpHealthCheck.path', check.path, 'Start the path with "/".');
    }
  }
}

export interface NlbListenerProps {
  /** ARN of the load balancer (from this stack or another one's outputs). */
  readonly loadBalancerArn: string;
  /** Listener port, 1-65535. */
  readonly port: number;
  /** `TCP`, `UDP`, or `TLS` (terminated at the load balancer with {@link certificateArn}). */
  readonly protocol: 'TCP' | 'UDP' | 'TLS';
  /** Where traffic goes. */
  readonly targetGroupArn: string;
  /** ACM certificate of a `TLS` listener. Required for `TLS`, refused otherwise. */
  readonly certificateArn?: string;
  /** Security policy of a `TLS` listener: one that refuses TLS < 1.2. @default 'ELBSecurityPolicy-TLS13-1-2-2021-06' */
  readonly sslPolicy?: string;
  /** ALPN of a `TLS` listener that carries HTTP/2 (gRPC). @default none */
  readonly alpnPolicy?: 'HTTP1Only' | 'HTTP2Only' | 'HTTP2Optional' | 'HTTP2Preferred' | 'None';
  /**
   * Leave the certificate to something outside Terraform (e.g. a task that renews a Let's Encrypt certificate):
   * `ignore_changes = [certificate_arn]`.
   * @default false
   */
  readonly certificateManagedElsewhere?: boolean;
  /** Tags. @default none */
  readonly tags?: Record<string, string>;
}

/**
 * A Network Load Balancer listener forwarding to one target group. It is the `aws_lb_listener` itself, so moving a
 * listener onto it keeps its Terraform address. TLS listeners get a TLS 1.2+ policy and must have a certificate.
 */
export class NlbListener extends LbListener {
  constructor(scope: Construct, id: string, props: NlbListenerProps) {
    const tls = props.protocol === 'TLS';
    super(scope, id, {
      loadBalancerArn: props.loadBalancerArn,
      port: props.port,
      protocol: props.protocol,
      certificateArn: tls ? props.certificateArn : undefined,
      sslPolicy: tls ? (props.sslPolicy ?? NLB_TLS_POLICY) : undefined,
      alpnPolicy: tls ? props.alpnPolicy : undefined,
      defaultAction: [{ type: 'forward', targetGroupArn: props.targetGroupArn }],
      tags: props.tags,
      lifecycle: tls && props.certificateManagedElsewhere ? { ignoreChanges: ['certificate_arn'] } : undefined,
    });
    requireOneOf(this, 'protocol', props.protocol, ['TCP', 'UDP', 'TLS']);
    requireIntegerInRange(this, 'port', props.port, 1, 65535);
    requireProp(
      this,
      tls === (props.certificateArn !== undefined),
      'certificateArn',
      props.certificateArn,
      tls ? 'A TLS listener needs an ACM certificate ARN.' : `Only TLS listeners take a certificate; use "TLS".`,
    );
    if (tls && props.sslPolicy !== undefined) requireOneOf(this, 'sslPolicy', props.sslPolicy, TLS12_POLICIES);
    if (!tls)
      requireProp(
        this,
        props.alpnPolicy === undefined,
        'alpnPolicy',
        props.alpnPolicy,
        'ALPN applies to TLS listeners only.',
      );
  }
}
