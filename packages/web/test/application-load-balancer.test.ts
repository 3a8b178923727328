import { TerraformOutput, TerraformVariable } from 'cdktf';
import { ConnectableSecurityGroup, Peer, Port } from '@tts-ecs/core';
import { all, byPath, inNamedTest, only, synth, synthStack } from '@tts-ecs/testing';
import { AlbTargetGroup, ApplicationLoadBalancer, ApplicationLoadBalancerProps } from '../src';
import { DnsAlias } from '@tts-ecs/network';

const CERT = 'arn:aws:acm:eu-west-1:111111111111:certificate/0a1b2c3d-1111-2222-3333-444455556666';
const base: ApplicationLoadBalancerProps = {
  name: 'acme-prod-web',
  vpcId: 'vpc-123',
  subnetIds: ['subnet-a', 'subnet-b'],
  internetFacing: true,
  certificateArn: CERT,
  accessLogs: { bucket: 'acme-prod-logs', prefix: 'alb/web' },
};
const PL = 'pl-4fa04526';

type Rule = { condition: Record<string, { values?: string[]; http_header_name?: string }>[]; priority: number };

describe('ApplicationLoadBalancer, internet-facing with a target group and routes', () => {
  let alb!: ApplicationLoadBalancer;
  let api!: AlbTargetGroup;
  const stack = synthStack((s) => {
    alb = new ApplicationLoadBalancer(s, 'Alb', {
      ...base,
      additionalCertificateArns: [CERT.replace('0a1b', 'ffff')],
      connectionLogs: { bucket: 'acme-prod-logs', prefix: 'alb/conn' },
    });
    const service = new ConnectableSecurityGroup(s, 'Service', { vpcId: 'vpc-123', name: 'svc', description: 'svc' });
    api = alb.addTargetGroup('Api', {
      port: 8080,
      targets: [service],
      healthCheck: { path: '/healthz', port: 8081, matcher: '200' },
      stickiness: { durationSeconds: 3600 },
      slowStartSeconds: 60,
    });
    alb.allowToTargets(Peer.ipv4('10.0.0.0/16'), Port.tcp(9000));
    alb.addRoute('Api', { priority: 10, targetGroup: api, pathPatterns: ['/api/*'], hostHeaders: ['x.example.com'] });
    alb.addRoute('Tenant', {
      priority: 20,
      targetGroup: api,
      httpHeader: { name: 'X-Tenant', values: ['a', 'b'] },
    });
    new DnsAlias(s, 'Alias', {
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
      domainName: 'x.example.com',
      target: alb.aliasTarget,
    });
    const outputs = {
      tg_arn: api.arn,
      tg_arn_suffix: api.arnSuffix,
      https_listener_arn: alb.httpsListenerArn,
      security_group_id: alb.securityGroupId,
      arn_suffix: alb.arnSuffix,
    };
    for (const [name, value] of Object.entries(outputs)) new TerraformOutput(s, name, { value });
  });
  const r = inNamedTest('reads the resources', () => stack.resource);
  const lb = inNamedTest('finds the aws_lb', () => only(r, 'aws_lb'));
  const https = inNamedTest('finds the HTTPS listener', () => byPath(r, 'aws_lb_listener', 'Alb/Https'));
  const rules = () => all(r, 'aws_lb_listener_rule') as unknown as Rule[];
  const out = (name: string) => stack.output[name].value;

  it('is an internet-facing ALB with access and connection logs', () => {
    expect(lb).toMatchObject({
      name: 'acme-prod-web',
      load_balancer_type: 'application',
      internal: false,
      subnets: ['subnet-a', 'subnet-b'],
      access_logs: { bucket: 'acme-prod-logs', prefix: 'alb/web', enabled: true },
      connection_logs: { bucket: 'acme-prod-logs', prefix: 'alb/conn', enabled: true },
    });
    expect(lb.security_groups).toEqual([expect.stringMatching(/aws_security_group\..*\.id/)]);
  });

  it('terminates TLS on 443 with the certificate and answers 404 to unrouted requests', () => {
    expect(https).toMatchObject({
      port: 443,
      protocol: 'HTTPS',
      certificate_arn: CERT,
      default_action: [
        {
          type: 'fixed-response',
          fixed_response: { status_code: '404', content_type: 'text/plain', message_body: 'Not Found' },
        },
      ],
    });
  });

  it('adds the extra certificates to the HTTPS listener (SNI)', () => {
    expect(only(r, 'aws_lb_listener_certificate')).toMatchObject({
      certificate_arn: CERT.replace('0a1b', 'ffff'),
      listener_arn: expect.stringMatching(/aws_lb_listener\.Alb_Https_.*\.arn/),
    });
  });

  it('redirects 80 to 443 with HTTP_301', () => {
    expect(byPath(r, 'aws_lb_listener', 'Alb/Http')).toMatchObject({
      port: 80,
      protocol: 'HTTP',
      default_action: [{ type: 'redirect', redirect: { port: '443', protocol: 'HTTPS', status_code: 'HTTP_301' } }],
    });
  });

  it('admits the whole internet on 443 and 80 only', () => {
    const ingress = all(r, 'aws_vpc_security_group_ingress_rule')
      .filter((x) => String(x.security_group_id).includes('Alb_SecurityGroup'))
      .map((x) => `${x.from_port}/${x.cidr_ipv4}`);
    expect(ingress.sort()).toEqual(['443/0.0.0.0/0', '80/0.0.0.0/0']);
  });

  it('sends traffic only to the targets, on the traffic and health check ports, and the targets admit it', () => {
    const egress = all(r, 'aws_vpc_security_group_egress_rule').filter((x) => x.referenced_security_group_id);
    expect(egress.map((x) => x.from_port).sort()).toEqual([8080, 8081]);
    for (const e of egress) {
      expect(e.security_group_id).toMatch(/Alb_SecurityGroup/);
      expect(e.referenced_security_group_id).toMatch(/Service_Group/);
    }
    const admitted = all(r, 'aws_vpc_security_group_ingress_rule').filter((x) =>
      String(x.security_group_id).includes('Service_Group'),
    );
    expect(admitted.map((x) => x.from_port).sort()).toEqual([8080, 8081]);
    expect(admitted[0].referenced_security_group_id).toMatch(/Alb_SecurityGroup/);
  });

  it('reaches targets registered elsewhere through allowToTargets', () => {
    const egress = all(r, 'aws_vpc_security_group_egress_rule');
    expect(egress).toHaveLength(3);
    expect(egress).toContainEqual(
      expect.objectContaining({ cidr_ipv4: '10.0.0.0/16', from_port: 9000, to_port: 9000 }),
    );
  });

  it('creates the target group with a short deterministic name, replaced before destroyed', () => {
    const tg = only(r, 'aws_lb_target_group');
    expect(tg).toMatchObject({
      port: 8080,
      vpc_id: 'vpc-123',
      slow_start: 60,
      lifecycle: { create_before_destroy: true },
      health_check: { path: '/healthz', port: '8081', matcher: '200' },
      stickiness: { type: 'lb_cookie', enabled: true, cookie_duration: 3600 },
    });
    expect(String(tg.name).length).toBeLessThanOrEqual(32);
    expect(tg.name).toMatch(/^acme-prod-web-Api-[0-9a-f]{8}$/);
    expect(out('tg_arn')).toMatch(/^\$\{aws_lb_target_group\.Alb_TargetGroup-Api_.*\.arn\}$/);
    expect(out('tg_arn_suffix')).toMatch(/^\$\{aws_lb_target_group\.Alb_TargetGroup-Api_.*\.arn_suffix\}$/);
  });

  it('forwards each route from the HTTPS listener with its conditions', () => {
    const [first, second] = rules().sort((a, b) => a.priority - b.priority);
    expect(first).toMatchObject({
      priority: 10,
      listener_arn: expect.stringMatching(/aws_lb_listener\.Alb_Https_.*\.arn/),
      action: [{ type: 'forward', target_group_arn: expect.stringMatching(/aws_lb_target_group\..*\.arn/) }],
      condition: [{ path_pattern: { values: ['/api/*'] } }, { host_header: { values: ['x.example.com'] } }],
    });
    expect(second.condition).toEqual([{ http_header: { http_header_name: 'X-Tenant', values: ['a', 'b'] } }]);
  });

  it('exposes an alias target DnsAlias accepts, and typed connections on 443', () => {
    const record = only(r, 'aws_route53_record');
    expect(record.alias).toMatchObject({
      name: expect.stringMatching(/aws_lb\..*\.dns_name/),
      zone_id: expect.stringMatching(/aws_lb\..*\.zone_id/),
    });
    expect(alb.connections.defaultPort?.toString()).toBe('tcp/443');
    expect(out('https_listener_arn')).toMatch(/^\$\{aws_lb_listener\.Alb_Https_.*\.arn\}$/);
    expect(out('security_group_id')).toMatch(/^\$\{aws_security_group\.Alb_SecurityGroup_.*\.id\}$/);
    expect(out('arn_suffix')).toMatch(/^\$\{aws_lb\.Alb_LoadBalancer_.*\.arn_suffix\}$/);
  });
});

describe('ApplicationLoadBalancer.restrictToCloudFront', () => {
  let alb!: ApplicationLoadBalancer;
  const r = synth((s) => {
    const secret = new TerraformVariable(s, 'origin_secret', { type: 'string', sensitive: true });
    alb = new ApplicationLoadBalancer(s, 'Alb', { ...base, ingressPeers: [Peer.ipv4('198.51.100.0/24')] });
    const tg = alb.addTargetGroup('Web', { port: 80 });
    alb.addRoute('Before', {
      priority: 1,
      targetGroup: tg,
      pathPatterns: ['/a/*', '/b/*', '/c/*'],
      hostHeaders: ['a.b'],
    });
    alb.restrictToCloudFront({ cloudFrontPrefixListId: PL, secretValue: secret.stringValue });
    alb.addRoute('After', { priority: 2, targetGroup: tg, hostHeaders: ['c.d'] });
  });
  const rules = () => all(r, 'aws_lb_listener_rule') as unknown as Rule[];

  it('opens 443 only, and only to the CloudFront prefix list (not ingressPeers, not port 80)', () => {
    const ingress = all(r, 'aws_vpc_security_group_ingress_rule');
    expect(ingress).toHaveLength(1);
    expect(ingress[0]).toMatchObject({ prefix_list_id: PL, from_port: 443, to_port: 443, ip_protocol: 'tcp' });
  });

  it('answers 403 to requests no route matches', () => {
    expect(byPath(r, 'aws_lb_listener', 'Alb/Https').default_action).toEqual([
      {
        type: 'fixed-response',
        fixed_response: { status_code: '403', content_type: 'text/plain', message_body: 'Forbidden' },
      },
    ]);
  });

  it('requires the secret header on routes added before and after, from the token (never a literal)', () => {
    expect(rules()).toHaveLength(2);
    for (const rule of rules()) {
      expect(rule.condition).toContainEqual({
        http_header: { http_header_name: 'X-Origin-Verify', values: ['${var.origin_secret}'] },
      });
    }
  });
});
