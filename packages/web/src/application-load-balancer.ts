import { Construct, IConstruct } from 'constructs';
import { Aspects, Token } from 'cdktf';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener, LbListenerDefaultAction } from '@cdktf/provider-aws/lib/lb-listener';
import { LbListenerCertificate } from '@cdktf/provider-aws/lib/lb-listener-certificate';
import { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule';
import {
  ConnectableSecurityGroup,
  Connections,
  IConnectable,
  IPeer,
  Peer,
  Port,
  requireIntegerInRange,
  requireOneOf,
  requireProp,
} from '@tts-ecs/core';
import {
  ALB_DEFAULT_SSL_POLICY,
  ALB_SSL_POLICIES,
  AlbLogDestination,
  ApplicationLoadBalancerProps,
  CloudFrontOriginOptions,
} from './alb-props';
import { AlbRouteOptions, RequiredHeader, requireHeaderName, routeConditions } from './alb-routes';
import { AlbTargetGroup, AlbTargetGroupOptions, createAlbTargetGroup } from './alb-target-group';
import { AliasTarget, requireLoadBalancerName } from '@tts-ecs/network';

const CERTIFICATE_ARN =
  /^arn:aws[a-z-]*:(acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+|iam::\d{12}:server-certificate\/.+)$/;

interface Route {
  readonly id: string;
  readonly options: AlbRouteOptions;
  readonly rule: LbListenerRule;
}

/**
 * An Application Load Balancer that terminates TLS on 443 with a TLS 1.2+ policy (and redirects 80 to 443), drops
 * invalid headers, applies the strictest desync mitigation, keeps deletion protection and writes access logs.
 * Requests match no route answer 404 until {@link addRoute} forwards them to a target group from
 * {@link addTargetGroup}. Its security group admits {@link ApplicationLoadBalancerProps.ingressPeers} and may only
 * send traffic to the targets it was wired to ({@link connections}, {@link allowToTargets}).
 */
export class ApplicationLoadBalancer extends Construct implements IConnectable {
  /** Load balancer ARN. */
  readonly arn: string;
  /** ARN suffix, the `LoadBalancer` dimension of CloudWatch metrics. */
  readonly arnSuffix: string;
  /** DNS name. */
  readonly dnsName: string;
  /** Route 53 hosted zone id of the DNS name (for alias records). */
  readonly zoneId: string;
  /** Target of a `DnsAlias`. */
  readonly aliasTarget: AliasTarget;
  /** Security group of the load balancer. */
  readonly securityGroupId: string;
  /** The load balancer's security group: `alb.connections.allowTo(service, Port.tcp(8080))`; default port 443. */
  readonly connections: Connections;
  /** ARN of the HTTPS listener (for listener rules of your own). */
  readonly httpsListenerArn: string;
  /** The HTTPS listener on 443. */
  readonly httpsListener: LbListener;
  /** The port 80 listener redirecting to HTTPS, when `redirectHttp`. */
  readonly httpListener?: LbListener;
  /** The load balancer resource, for escape hatches. */
  readonly resource: Lb;
  /** Name of the load balancer. */
  readonly name: string;

  private readonly vpcId: string;
  private readonly internetFacing: boolean;
  private readonly redirectHttp: boolean;
  private readonly ingressPeers: IPeer[];
  private readonly routes: Route[] = [];
  private requiredHeader?: RequiredHeader;
  private cloudFrontPeer?: IPeer;
  private ingressWritten = false;

  constructor(scope: Construct, id: string, props: ApplicationLoadBalancerProps) {
    super(scope, id);
    requireLoadBalancerName(this, props.name);
    requireProp(
      this,
      Token.isUnresolved(props.subnetIds) || (Array.isArray(props.subnetIds) && props.subnetIds.length >= 2),
      'subnetIds',
      props.subnetIds,
      'Give at least two subnets in different AZs (AWS requires two for an ALB).',
    );
    for (const [field, arn] of [
      ['certificateArn', props.certificateArn],
      ...(props.additionalCertificateArns ?? []).map((a) => ['additionalCertificateArns', a]),
    ] as const)
      if (!Token.isUnresolved(arn))
        requireProp(
          this,
          typeof arn === 'string' && CERTIFICATE_ARN.test(arn),
          field,
          arn,
          'Give an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>), e.g. Certificate.certificateArn.',
        );
    const sslPolicy = props.sslPolicy ?? ALB_DEFAULT_SSL_POLICY;
    if (!Token.isUnresolved(sslPolicy))
      requireProp(
        this,
        ALB_SSL_POLICIES.includes(sslPolicy),
        'sslPolicy',
        sslPolicy,
        `Use a policy that refuses TLS 1.0 and 1.1, e.g. "${ALB_DEFAULT_SSL_POLICY}" (see ALB_SSL_POLICIES).`,
      );
    const desync = props.desyncMitigationMode ?? 'strictest';
    requireOneOf(this, 'desyncMitigationMode', desync, ['monitor', 'defensive', 'strictest']);
    const idle = props.idleTimeoutSeconds ?? 60;
    requireIntegerInRange(this, 'idleTimeoutSeconds', idle, 1, 4000);
    this.internetFacing = props.internetFacing ?? false;
    requireProp(
      this,
      !this.internetFacing || props.accessLogs !== undefined,
      'accessLogs',
      props.accessLogs,
      'An internet-facing load balancer needs access logs: give { bucket } (an SSE-S3 bucket in the same region).',
    );
    const accessLogs = props.accessLogs && this.logDestination('accessLogs', props.accessLogs, props.name);
    const connectionLogs =
      props.connectionLogs && this.logDestination('connectionLogs', props.connectionLogs, props.name);

    this.name = props.name;
    this.vpcId = props.vpcId;
    this.redirectHttp = props.redirectHttp ?? true;
    this.ingressPeers = props.ingressPeers ?? (this.internetFacing ? [Peer.anyIpv4()] : []);

    const group = new ConnectableSecurityGroup(this, 'SecurityGroup', {
      vpcId: props.vpcId,
      name: `${props.name}-alb`,
      description: `Application load balancer ${props.name}`,
      allowAllOutbound: false,
      defaultPort: Port.tcp(443),
    });
    this.connections = group.connections;
    this.securityGroupId = group.securityGroupId;
    // Ingress from ingressPeers is written at synthesis, so restrictToCloudFront (called any time after the
    // constructor) can replace it instead of adding to it.
    Aspects.of(this).add({ visit: (node: IConstruct) => node === this && this.writeIngress() });

    this.resource = new Lb(this, 'LoadBalancer', {
      name: props.name,
      loadBalancerType: 'application',
      internal: !this.internetFacing,
      ipAddressType: 'ipv4',
      subnets: props.subnetIds,
      securityGroups: [group.securityGroupId],
      dropInvalidHeaderFields: props.dropInvalidHeaderFields ?? true,
      desyncMitigationMode: desync,
      enableDeletionProtection: props.deletionProtection ?? true,
      idleTimeout: idle,
      enableHttp2: props.http2 ?? true,
      accessLogs: accessLogs && { ...accessLogs, enabled: true },
      connectionLogs: connectionLogs && { ...connectionLogs, enabled: true },
      tags: { Name: props.name },
    });
    this.arn = this.resource.arn;
    this.arnSuffix = this.resource.arnSuffix;
    this.dnsName = this.resource.dnsName;
    this.zoneId = this.resource.zoneId;
    this.aliasTarget = { dnsName: this.dnsName, hostedZoneId: this.zoneId };

    this.httpsListener = new LbListener(this, 'Https', {
      loadBalancerArn: this.arn,
      port: 443,
      protocol: 'HTTPS',
      sslPolicy,
      certificateArn: props.certificateArn,
      defaultAction: [fixedResponse('404', 'Not Found')],
      tags: { Name: `${props.name}-https` },
    });
    this.httpsListenerArn = this.httpsListener.arn;
    (props.additionalCertificateArns ?? []).forEach(
      (certificateArn, i) =>
        new LbListenerCertificate(this, `Certificate${i}`, {
          listenerArn: this.httpsListenerArn,
          certificateArn,
        }),
    );
    if (this.redirectHttp) {
      this.httpListener = new LbListener(this, 'Http', {
        loadBalancerArn: this.arn,
        port: 80,
        protocol: 'HTTP',
        defaultAction: [{ type: 'redirect', redirect: { port: '443', protocol: 'HTTPS', statusCode: 'HTTP_301' } }],
        tags: { Name: `${props.name}-http` },
      });
    }
  }

  /**
   * Creates a target group in the load balancer's VPC. Targets given in `options.targets` are wired both ways
   * (egress here, ingress there) on the traffic and health check ports.
   */
  addTargetGroup(id: string, options: AlbTargetGroupOptions): AlbTargetGroup {
    const group = createAlbTargetGroup(this, id, this.name, this.vpcId, options);
    for (const target of options.targets ?? []) {
      this.allowToTargets(target, Port.tcp(group.port));
      if (group.healthCheckPort !== group.port) this.allowToTargets(target, Port.tcp(group.healthCheckPort));
    }
    return group;
  }

  /**
   * Lets the load balancer reach targets on `port`: egress on its group and, for a connectable, ingress on the
   * target's group. Use it for targets registered outside {@link addTargetGroup} (a CIDR, another stack's group).
   */
  allowToTargets(target: IConnectable | IPeer, port: Port, description?: string): void {
    this.connections.allowTo(target, port, description);
  }

  /**
   * Forwards requests matching all given conditions to `options.targetGroup`, as a rule on the HTTPS listener.
   * Priorities are unique per listener; AWS allows 3 values per condition and 5 per rule.
   */
  addRoute(id: string, options: AlbRouteOptions): LbListenerRule {
    const conditions = routeConditions(this, id, options, this.requiredHeader);
    const taken = this.routes.find((r) => r.options.priority === options.priority);
    requireProp(
      this,
      taken === undefined,
      `addRoute(${id}).priority`,
      options.priority,
      `Route "${taken?.id}" has priority ${options.priority} already: give route "${id}" another one (unique per listener).`,
    );
    const rule = new LbListenerRule(this, `Route-${id}`, {
      listenerArn: this.httpsListenerArn,
      priority: options.priority,
      condition: conditions,
      action: [{ type: 'forward', targetGroupArn: options.targetGroup.arn }],
      tags: { Name: `${this.name}-${id}` },
    });
    this.routes.push({ id, options, rule });
    return rule;
  }

  /**
   * Serves CloudFront only: 443 is opened to CloudFront's origin-facing prefix list instead of `ingressPeers` (port
   * 80 to nobody), the HTTPS listener answers 403 by default, and every route (existing and future) also requires
   * `headerName: secretValue`, which the distribution adds to origin requests. The prefix list alone is not enough:
   * anyone can create a distribution; the secret header proves it is ours.
   */
  restrictToCloudFront(options: CloudFrontOriginOptions): void {
    requireProp(
      this,
      this.requiredHeader === undefined,
      'restrictToCloudFront',
      'called twice',
      'It was called already: call it once.',
    );
    requireProp(
      this,
      this.internetFacing,
      'restrictToCloudFront',
      'internal',
      'CloudFront reaches an internal load balancer through a VPC origin, not from its prefix list: admit the VPC ' +
        'origin security group with connections.allowFrom instead.',
    );
    const headerName = options.headerName ?? 'X-Origin-Verify';
    requireHeaderName(this, 'restrictToCloudFront.headerName', headerName);
    requireProp(
      this,
      typeof options.secretValue === 'string' && Token.isUnresolved(options.secretValue),
      'restrictToCloudFront.secretValue',
      // A literal is a secret too: never print it.
      typeof options.secretValue === 'string' ? '<a literal string>' : options.secretValue,
      'Pass the secret as a token, e.g. the secret_string of data "aws_secretsmanager_secret_version" or an ' +
        'ephemeral value, so it never sits in code.',
    );
    const id = options.cloudFrontPrefixListId;
    if (!Token.isUnresolved(id))
      requireProp(
        this,
        typeof id === 'string' && /^pl-[0-9a-f]{8,17}$/.test(id),
        'restrictToCloudFront.cloudFrontPrefixListId',
        id,
        'Give the id (pl-...) of com.amazonaws.global.cloudfront.origin-facing in this region (see the README).',
      );
    const peer = Peer.prefixList(id, 'CloudFront origin-facing');
    const required = { name: headerName, value: options.secretValue };
    // Check every existing route before changing anything: the header is one more condition value in each.
    const updated = this.routes.map((r) => routeConditions(this, r.id, r.options, required));
    this.routes.forEach((r, i) => r.rule.putCondition(updated[i]));
    this.cloudFrontPeer = peer;
    this.requiredHeader = required;
    this.httpsListener.putDefaultAction([fixedResponse('403', 'Forbidden')]);
  }

  /** Writes the listener ingress once, at synthesis (see the constructor). */
  private writeIngress(): void {
    if (this.ingressWritten) return;
    this.ingressWritten = true;
    if (this.cloudFrontPeer) {
      this.connections.allowFrom(this.cloudFrontPeer, Port.tcp(443), 'HTTPS from CloudFront');
      return;
    }
    for (const peer of this.ingressPeers) {
      this.connections.allowFrom(peer, Port.tcp(443), `HTTPS from ${peer.label}`);
      if (this.redirectHttp) this.connections.allowFrom(peer, Port.tcp(80), `HTTP (redirect) from ${peer.label}`);
    }
  }

  private logDestination(field: string, destination: AlbLogDestination, name: string): AlbLogDestination {
    requireProp(
      this,
      typeof destination.bucket === 'string' && destination.bucket.length > 0,
      `${field}.bucket`,
      destination.bucket,
      'Give the name of an S3 bucket (SSE-S3) in the same region whose policy admits ALB log delivery (SecureBucket.allowAlbLogDelivery).',
    );
    const prefix = destination.prefix ?? name;
    requireProp(
      this,
      !/AWSLogs/.test(prefix) && !/^\/|\/$/.test(prefix),
      `${field}.prefix`,
      prefix,
      'Leave out "AWSLogs" (ELB adds it) and leading or trailing "/".',
    );
    return { bucket: destination.bucket, prefix };
  }
}

function fixedResponse(statusCode: string, messageBody: string): LbListenerDefaultAction {
  return { type: 'fixed-response', fixedResponse: { contentType: 'text/plain', messageBody, statusCode } };
}
