// The generic side of the NLB: internal load balancers, typed connections, and the listener / target group
// constructs that workloads (the TTS composition among them) attach from their own stacks.
import { ConnectableSecurityGroup, Peer, Port } from '@tts-ecs/core';
import { all, inNamedTest, only, synth } from '@tts-ecs/testing';
import { Bastion, NetworkLoadBalancer, NetworkLoadBalancerProps, NlbListener, NlbTargetGroup } from '../src';

const base: NetworkLoadBalancerProps = {
  name: 'acme-grpc',
  scheme: 'internal',
  vpcId: 'vpc-123',
  vpcCidr: '10.0.0.0/16',
  subnetIds: ['subnet-a', 'subnet-b'],
  accessLogsBucket: 'acme-logs',
};

describe('an internal NetworkLoadBalancer with a TLS listener', () => {
  const r = synth((s) => {
    const nlb = new NetworkLoadBalancer(s, 'Nlb', base);
    const clients = new ConnectableSecurityGroup(s, 'Clients', { vpcId: 'vpc-123', name: 'clients', description: 'c' });
    nlb.connections.allowFrom(clients, Port.tcp(26500));
    nlb.connections.allowFrom(Peer.ipv4('192.0.2.0/24'), Port.tcp(26500), 'partners');
    const group = new NlbTargetGroup(s, 'Gateway', {
      vpcId: nlb.vpcId,
      port: 26500,
      protocol: 'TCP',
      httpHealthCheck: { port: 9600, path: '/ready' },
    });
    new NlbListener(s, 'Grpc', {
      loadBalancerArn: nlb.arn,
      port: 26500,
      protocol: 'TLS',
      certificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/x',
      alpnPolicy: 'HTTP2Preferred',
      targetGroupArn: group.arn,
    });
  });
  const lb = inNamedTest('finds the aws_lb', () => only(r, 'aws_lb'));

  it('is internal and has no Elastic IPs', () => {
    expect(lb.internal).toBe(true);
    expect(r.aws_eip).toBeUndefined();
    expect(lb.subnet_mapping).toEqual([{ subnet_id: 'subnet-a' }, { subnet_id: 'subnet-b' }]);
  });

  it('admits a client group and a CIDR on the listener port, and writes the client egress rule', () => {
    const ingress = all(r, 'aws_vpc_security_group_ingress_rule');
    expect(ingress).toHaveLength(2);
    expect(ingress.find((i) => i.cidr_ipv4 === '192.0.2.0/24')).toMatchObject({
      from_port: 26500,
      description: 'partners',
    });
    expect(ingress.find((i) => i.referenced_security_group_id)).toMatchObject({
      description: 'tcp/26500 from test/Clients',
    });
    const egress = all(r, 'aws_vpc_security_group_egress_rule').filter((e) => e.from_port === 26500);
    expect(egress).toEqual([expect.objectContaining({ description: 'tcp/26500 to load balancer acme-grpc' })]);
  });

  it('terminates TLS 1.2+ with the certificate and forwards to the group', () => {
    const listener = only(r, 'aws_lb_listener');
    expect(listener).toMatchObject({ protocol: 'TLS', ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' });
    expect(listener.alpn_policy).toBe('HTTP2Preferred');
    expect(listener.lifecycle).toBeUndefined();
  });

  it('health-checks the group over HTTP and replaces it before destroying the old one', () => {
    const group = only(r, 'aws_lb_target_group');
    expect(group.health_check).toMatchObject({ protocol: 'HTTP', port: '9600', path: '/ready', matcher: '200' });
    expect(group).toMatchObject({ target_type: 'ip', preserve_client_ip: 'true', deregistration_delay: '30' });
    expect(group.lifecycle).toEqual({ create_before_destroy: true });
  });
});

describe('NlbTargetGroup and NlbListener defaults', () => {
  const r = synth((s) => {
    const group = new NlbTargetGroup(s, 'Udp', { vpcId: 'vpc-1', port: 1700, protocol: 'UDP' });
    new NlbTargetGroup(s, 'Tcp', { vpcId: 'vpc-1', port: 80, protocol: 'TCP' });
    new NlbListener(s, 'Plain', { loadBalancerArn: 'arn:lb', port: 1700, protocol: 'UDP', targetGroupArn: group.arn });
  });
  const group = (protocol: string) => all(r, 'aws_lb_target_group').find((g) => g.protocol === protocol) ?? {};

  it('checks TCP on the traffic port every 10 s and drains for 30 s', () => {
    // httpHealthCheck @default TCP check of the traffic port; healthCheckIntervalSeconds @default 10
    expect(group('TCP').health_check).toMatchObject({ protocol: 'TCP', port: 'traffic-port', interval: 10 });
    // deregistrationDelaySeconds @default 30
    expect(group('TCP').deregistration_delay).toBe('30');
    // preserveClientIp @default true
    expect(group('TCP').preserve_client_ip).toBe('true');
  });

  it('terminates UDP flows of deregistered targets and leaves client IPs to AWS', () => {
    expect(group('UDP')).toMatchObject({ connection_termination: true });
    expect(group('UDP')).not.toHaveProperty('preserve_client_ip');
  });

  it('gives a plain listener no certificate or TLS policy', () => {
    const listener = only(r, 'aws_lb_listener');
    expect(listener).not.toHaveProperty('ssl_policy');
    expect(listener).not.toHaveProperty('certificate_arn');
  });
});

describe('NLB validation', () => {
  const inStack = (build: (s: import('cdktf').TerraformStack) => void) => () => synth(build);

  it('refuses Elastic IPs on an internal load balancer and an unknown scheme', () => {
    expect(inStack((s) => new NetworkLoadBalancer(s, 'Nlb', { ...base, elasticIps: true }))).toThrow(
      'test/Nlb: invalid elasticIps true. An internal load balancer has no Elastic IPs',
    );
    expect(inStack((s) => new NetworkLoadBalancer(s, 'Nlb', { ...base, scheme: 'public' as 'internal' }))).toThrow(
      'test/Nlb: invalid scheme "public"',
    );
  });

  it('refuses an admin port from the whole internet even without the admin flag', () => {
    expect(
      inStack((s) =>
        new NetworkLoadBalancer(s, 'Nlb', { ...base, scheme: 'internet-facing' }).allowIngress({
          port: 22,
          protocol: 'tcp',
          cidrs: ['0.0.0.0/0'],
          description: 'ssh',
        }),
      ),
    ).toThrow(/test\/Nlb: invalid allowFrom.peer "0.0.0.0\/0". tcp\/22 includes admin port 22 \(SSH\)/);
  });

  it('refuses a TLS listener without a certificate, a certificate on TCP, and a pre-TLS 1.2 policy', () => {
    const listener = (props: Partial<import('../src').NlbListenerProps>) =>
      inStack(
        (s) =>
          new NlbListener(s, 'L', {
            loadBalancerArn: 'arn:lb',
            port: 443,
            protocol: 'TLS',
            targetGroupArn: 'arn:tg',
            ...props,
          }),
      );
    expect(listener({})).toThrow(
      'test/L: invalid certificateArn undefined. A TLS listener needs an ACM certificate ARN.',
    );
    expect(listener({ protocol: 'TCP', certificateArn: 'arn:c' })).toThrow(/invalid certificateArn "arn:c". Only TLS/);
    expect(listener({ certificateArn: 'arn:c', sslPolicy: 'ELBSecurityPolicy-2016-08' })).toThrow(
      /test\/L: invalid sslPolicy "ELBSecurityPolicy-2016-08". Use one of/,
    );
    expect(listener({ protocol: 'TCP', alpnPolicy: 'HTTP2Preferred' })).toThrow(/invalid alpnPolicy "HTTP2Preferred"/);
  });

  it('refuses target group values AWS rejects', () => {
    const group = (props: Partial<import('../src').NlbTargetGroupProps>) =>
      inStack((s) => new NlbTargetGroup(s, 'G', { vpcId: 'v', port: 80, protocol: 'TCP', ...props }));
    expect(group({ port: 0 })).toThrow('test/G: invalid port 0.');
    expect(group({ deregistrationDelaySeconds: 4000 })).toThrow('test/G: invalid deregistrationDelaySeconds 4000.');
    expect(group({ httpHealthCheck: { port: 80, path: 'healthz' } })).toThrow(
      'test/G: invalid httpHealthCheck.path "healthz". Start the path with "/".',
    );
  });
});

describe('Bastion connections', () => {
  const r = synth((s) => {
    const bastion = new Bastion(s, 'Bastion', {
      name: 'ops',
      environment: { accountId: '111111111111', region: 'eu-west-1' },
      vpcId: 'vpc-1',
      vpcCidr: '10.0.0.0/16',
      subnetId: 'subnet-pub',
    });
    const db = new ConnectableSecurityGroup(s, 'Db', {
      vpcId: 'vpc-1',
      name: 'db',
      description: 'db',
      defaultPort: Port.tcp(5432),
    });
    db.connections.allowDefaultPortFrom(bastion);
  });

  it('lets a database admit the bastion by construct, with no extra egress (the VPC is open to it)', () => {
    const ingress = all(r, 'aws_vpc_security_group_ingress_rule');
    expect(ingress).toEqual([expect.objectContaining({ from_port: 5432, description: 'tcp/5432 from bastion ops' })]);
    expect(ingress[0].referenced_security_group_id).toMatch(/aws_security_group\.Bastion_SecurityGroup/);
    expect(all(r, 'aws_vpc_security_group_egress_rule').filter((e) => e.from_port === 5432)).toEqual([]);
  });
});

describe('NetworkLoadBalancer.addListener', () => {
  const r = synth((s) => {
    const nlb = new NetworkLoadBalancer(s, 'Nlb', base);
    nlb.addListener('Grpc', {
      port: 26500,
      protocol: 'TLS',
      certificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/x',
      targets: { port: 26500, protocol: 'TCP', httpHealthCheck: { port: 9600, path: '/ready' } },
    });
  });

  it("creates a TLS listener on this load balancer forwarding to a target group in the load balancer's VPC", () => {
    const listener = only(r, 'aws_lb_listener');
    const group = only(r, 'aws_lb_target_group');
    expect(listener).toMatchObject({ port: 26500, protocol: 'TLS', ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' });
    expect(listener.load_balancer_arn).toMatch(/aws_lb\.Nlb_LoadBalancer_.*\.arn/);
    expect(JSON.stringify(listener.default_action)).toMatch(/aws_lb_target_group\.Nlb_GrpcTargets_.*\.arn/);
    expect(group).toMatchObject({ vpc_id: 'vpc-123', port: 26500, target_type: 'ip' });
    expect(r.aws_vpc_security_group_ingress_rule).toBeUndefined(); // opens nothing by itself
  });
});
