// Every documented `@default` of ApplicationLoadBalancer, addTargetGroup, addRoute and restrictToCloudFront: each is
// built with its required props only, and each default has an assertion naming the prop.
import { TerraformVariable } from 'cdktf';
import { all, byPath, inNamedTest, only, synth } from '@tts-ecs/testing';
import { ApplicationLoadBalancer } from '../src';

const CERT = 'arn:aws:acm:eu-west-1:111111111111:certificate/0a1b2c3d-1111-2222-3333-444455556666';
const required = { name: 'acme-int', vpcId: 'vpc-1', subnetIds: ['subnet-a', 'subnet-b'], certificateArn: CERT };

describe('ApplicationLoadBalancer defaults', () => {
  const r = synth((s) => {
    const alb = new ApplicationLoadBalancer(s, 'Alb', required);
    const tg = alb.addTargetGroup('Api', { port: 8080 });
    alb.addRoute('Api', { priority: 1, targetGroup: tg, pathPatterns: ['/api/*'] });
  });
  const lb = inNamedTest('finds the aws_lb', () => only(r, 'aws_lb'));
  const tg = inNamedTest('finds the aws_lb_target_group', () => only(r, 'aws_lb_target_group'));

  it('is internal and admits nobody', () => {
    // internetFacing @default false
    expect(lb.internal).toBe(true);
    // ingressPeers @default [] when internal
    expect(r.aws_vpc_security_group_ingress_rule).toBeUndefined();
  });

  it('protects against malformed and smuggled requests', () => {
    // dropInvalidHeaderFields @default true
    expect(lb.drop_invalid_header_fields).toBe(true);
    // desyncMitigationMode @default 'strictest'
    expect(lb.desync_mitigation_mode).toBe('strictest');
  });

  it('keeps deletion protection, a 60 s idle timeout and HTTP/2', () => {
    // deletionProtection @default true
    expect(lb.enable_deletion_protection).toBe(true);
    // idleTimeoutSeconds @default 60
    expect(lb.idle_timeout).toBe(60);
    // http2 @default true
    expect(lb.enable_http2).toBe(true);
  });

  it('writes no logs when internal and none are given', () => {
    // accessLogs @default none (internal load balancers only)
    expect(lb).not.toHaveProperty('access_logs');
    // connectionLogs @default none
    expect(lb).not.toHaveProperty('connection_logs');
  });

  it('uses the TLS 1.3/1.2 policy and one certificate', () => {
    // sslPolicy @default 'ELBSecurityPolicy-TLS13-1-2-2021-06'
    expect(byPath(r, 'aws_lb_listener', 'Alb/Https').ssl_policy).toBe('ELBSecurityPolicy-TLS13-1-2-2021-06');
    // additionalCertificateArns @default none
    expect(r.aws_lb_listener_certificate).toBeUndefined();
  });

  it('redirects HTTP to HTTPS', () => {
    // redirectHttp @default true
    expect(byPath(r, 'aws_lb_listener', 'Alb/Http').default_action).toEqual([
      { type: 'redirect', redirect: { port: '443', protocol: 'HTTPS', status_code: 'HTTP_301' } },
    ]);
  });

  it('creates an HTTP target group of IP targets', () => {
    // protocol @default 'HTTP'
    expect(tg.protocol).toBe('HTTP');
    // targetType @default 'ip'
    expect(tg.target_type).toBe('ip');
  });

  it('checks health on / of the traffic port every 15 s', () => {
    const check = tg.health_check as Record<string, unknown>;
    // healthCheck.path @default '/'
    expect(check.path).toBe('/');
    // healthCheck.matcher @default '200-399'
    expect(check.matcher).toBe('200-399');
    // healthCheck.port @default the traffic port
    expect(check.port).toBe('traffic-port');
    // healthCheck.intervalSeconds @default 15
    expect(check.interval).toBe(15);
    // healthCheck.timeoutSeconds @default 5
    expect(check.timeout).toBe(5);
    // healthCheck.healthyThreshold @default 3
    expect(check.healthy_threshold).toBe(3);
    // healthCheck.unhealthyThreshold @default 3
    expect(check.unhealthy_threshold).toBe(3);
  });

  it('spreads requests, drains 30 s and ramps up nothing', () => {
    // stickiness @default off
    expect(tg.stickiness).toEqual({ type: 'lb_cookie', enabled: false });
    // deregistrationDelaySeconds @default 30
    expect(tg.deregistration_delay).toBe('30');
    // slowStartSeconds @default 0 (off)
    expect(tg).not.toHaveProperty('slow_start');
    // targets @default none: no egress from the load balancer
    expect(r.aws_vpc_security_group_egress_rule).toBeUndefined();
  });

  it('routes any host and path unless told', () => {
    // pathPatterns / hostHeaders / httpHeader @default none: only the given condition
    expect(only(r, 'aws_lb_listener_rule').condition).toEqual([{ path_pattern: { values: ['/api/*'] } }]);
  });
});

describe('ApplicationLoadBalancer defaults when internet-facing', () => {
  const r = synth((s) => {
    const alb = new ApplicationLoadBalancer(s, 'Alb', {
      ...required,
      internetFacing: true,
      accessLogs: { bucket: 'logs' },
    });
    alb.addTargetGroup('Sticky', { port: 8080, stickiness: {} });
  });

  it('admits the whole internet on 443 and 80', () => {
    // ingressPeers @default [Peer.anyIpv4()] when internet-facing
    const ingress = all(r, 'aws_vpc_security_group_ingress_rule').map((x) => `${x.from_port}/${x.cidr_ipv4}`);
    expect(ingress.sort()).toEqual(['443/0.0.0.0/0', '80/0.0.0.0/0']);
  });

  it('prefixes access logs with the load balancer name', () => {
    // accessLogs.prefix @default the load balancer name
    expect(only(r, 'aws_lb').access_logs).toEqual({ bucket: 'logs', prefix: 'acme-int', enabled: true });
  });

  it('turns stickiness on for a day when the block is given', () => {
    // stickiness.enabled @default true (when the block is given); stickiness.durationSeconds @default 86400
    expect(only(r, 'aws_lb_target_group').stickiness).toEqual({
      type: 'lb_cookie',
      enabled: true,
      cookie_duration: 86400,
    });
  });
});

describe('restrictToCloudFront defaults', () => {
  const r = synth((s) => {
    const alb = new ApplicationLoadBalancer(s, 'Alb', {
      ...required,
      internetFacing: true,
      accessLogs: { bucket: 'logs' },
    });
    const secret = new TerraformVariable(s, 'secret', { type: 'string', sensitive: true }).stringValue;
    alb.restrictToCloudFront({ cloudFrontPrefixListId: 'pl-4fa04526', secretValue: secret });
    alb.addRoute('Web', { priority: 1, targetGroup: alb.addTargetGroup('Web', { port: 80 }), pathPatterns: ['/*'] });
  });

  it('expects the secret in X-Origin-Verify', () => {
    // headerName @default 'X-Origin-Verify'
    expect(only(r, 'aws_lb_listener_rule').condition).toContainEqual({
      http_header: { http_header_name: 'X-Origin-Verify', values: ['${var.secret}'] },
    });
  });
});
