import { Construct } from 'constructs';
import { DnsAlias, NetworkLoadBalancer, NlbListener, NlbTargetGroup } from '@tts-ecs/network';
import { AlbTargetGroup, ApplicationLoadBalancer } from '@tts-ecs/web';
import { CamundaConfig, HEALTH, PORTS } from './config';
import { Foundation } from './foundation';

/** ref: OC lb.tf locals.health_check: every 30 s, 5 s timeout, 2 / 2 thresholds. Stickiness 12 h (lb.tf). */
const CHECK = { intervalSeconds: 30, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 2 } as const;
const STICKY = { durationSeconds: 43200 } as const;

/**
 * Public entry points: an HTTPS ALB for the web apps, REST API and connectors (sticky sessions), and a TLS NLB for
 * the Zeebe gateway gRPC API open to `grpcClientCidrs` only. Targets are wired in app.ts once the services exist.
 */
export class Ingress extends Construct {
  readonly alb: ApplicationLoadBalancer;
  readonly restTargets: AlbTargetGroup;
  readonly connectorsTargets: AlbTargetGroup;
  readonly nlb: NetworkLoadBalancer;
  readonly grpcTargets: NlbTargetGroup;

  constructor(scope: Construct, id: string, config: CamundaConfig, base: Foundation) {
    super(scope, id);
    const { network, lbLogs } = base;

    lbLogs.allowAlbLogDelivery({ prefix: 'alb' });
    this.alb = new ApplicationLoadBalancer(this, 'Alb', {
      name: `${config.prefix}-web`,
      vpcId: network.vpcId,
      subnetIds: network.publicSubnetIds,
      internetFacing: true, // 443 (and 80, redirected) from anywhere
      certificateArn: config.certificateArn,
      accessLogs: { bucket: lbLogs.bucketName, prefix: 'alb' },
    });
    // ref: OC lb.tf aws_lb_target_group.main: 8080, readiness checked on the management port 9600.
    this.restTargets = this.alb.addTargetGroup('Orchestration', {
      port: PORTS.rest,
      healthCheck: { ...CHECK, path: HEALTH.readiness, port: PORTS.management },
      stickiness: STICKY,
    });
    // ref: CON lb.tf: 8080, /connectors/actuator/health/readiness.
    this.connectorsTargets = this.alb.addTargetGroup('Connectors', {
      port: PORTS.rest,
      healthCheck: { ...CHECK, path: HEALTH.connectorsReadiness },
      stickiness: STICKY,
    });
    // ref: CON lb.tf priority 50 "/connectors*"; OC lb.tf priority 100 "/*".
    this.alb.addRoute('Connectors', {
      priority: 50,
      targetGroup: this.connectorsTargets,
      pathPatterns: ['/connectors*'],
    });
    this.alb.addRoute('Orchestration', { priority: 100, targetGroup: this.restTargets, pathPatterns: ['/*'] });

    lbLogs.allowLogDelivery({ prefix: 'nlb' });
    this.nlb = new NetworkLoadBalancer(this, 'Nlb', {
      name: `${config.prefix}-grpc`,
      scheme: 'internet-facing',
      vpcId: network.vpcId,
      vpcCidr: network.cidr,
      subnetIds: network.publicSubnetIds,
      accessLogsBucket: lbLogs.bucketName,
      accessLogsPrefix: 'nlb',
    });
    this.nlb.allowIngress({
      port: PORTS.grpc,
      protocol: 'tcp',
      cidrs: config.grpcClientCidrs,
      description: 'Zeebe gRPC clients',
    });
    // ref: OC lb.tf aws_lb_target_group.main_26500 (TCP 26500, HTTP readiness check on 9600).
    this.grpcTargets = new NlbTargetGroup(this, 'GrpcTargets', {
      vpcId: network.vpcId,
      port: PORTS.grpc,
      protocol: 'TCP',
      // The brokers then see the NLB as the source and admit its security group only.
      preserveClientIp: false,
      httpHealthCheck: { port: PORTS.management, path: HEALTH.readiness },
      healthCheckIntervalSeconds: CHECK.intervalSeconds,
      tags: { Name: `${config.prefix}-grpc` },
    });
    // TLS ends at the NLB; HTTP/2 (gRPC) negotiated by ALPN, plaintext h2 to the gateway inside the VPC.
    new NlbListener(this, 'Grpc', {
      loadBalancerArn: this.nlb.arn,
      port: PORTS.grpc,
      protocol: 'TLS',
      certificateArn: config.certificateArn,
      alpnPolicy: 'HTTP2Preferred',
      targetGroupArn: this.grpcTargets.arn,
    });

    new DnsAlias(this, 'WebDns', {
      hostedZoneId: config.hostedZoneId,
      domainName: config.webDomain,
      target: this.alb.aliasTarget,
    });
    new DnsAlias(this, 'GrpcDns', {
      hostedZoneId: config.hostedZoneId,
      domainName: config.grpcDomain,
      target: { dnsName: this.nlb.dnsName, hostedZoneId: this.nlb.zoneId },
    });
  }
}
