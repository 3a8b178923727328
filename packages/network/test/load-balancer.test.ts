import { NetworkLoadBalancer, NetworkLoadBalancerProps } from '../src';
import { all, inNamedTest, synth } from '@tts-ecs/testing';

const base: NetworkLoadBalancerProps = {
  name: 'acme-prod-eu1',
  scheme: 'internet-facing',
  vpcId: 'vpc-123',
  vpcCidr: '10.0.0.0/16',
  subnetIds: ['subnet-a', 'subnet-b', 'subnet-c'],
  accessLogsBucket: 'acme-prod-eu1-logs',
};

describe('NetworkLoadBalancer', () => {
  let nlb!: NetworkLoadBalancer;
  const r = synth((s) => {
    nlb = new NetworkLoadBalancer(s, 'Nlb', base);
    nlb.allowIngress({ port: 8883, protocol: 'tcp', cidrs: ['0.0.0.0/0'], description: 'MQTT over TLS' });
    nlb.allowIngress({
      port: 1700,
      protocol: 'udp',
      cidrs: ['0.0.0.0/0', '198.51.100.0/24'],
      description: 'Semtech UDP',
    });
    nlb.allowIngress({
      port: 8884,
      protocol: 'tcp',
      cidrs: ['203.0.113.0/24'],
      description: 'gRPC admin',
      admin: true,
    });
    nlb.allowIngress({ port: 8883, protocol: 'tcp', cidrs: ['0.0.0.0/0'], description: 'MQTT over TLS' }); // repeated: no-op
  });
  const lb = inNamedTest('finds the aws_lb', () => all(r, 'aws_lb')[0]);

  it('is an internet-facing NLB with cross-zone load balancing, deletion protection and access logs', () => {
    expect(lb).toMatchObject({
      name: 'acme-prod-eu1',
      load_balancer_type: 'network',
      internal: false,
      enable_cross_zone_load_balancing: true,
      enable_deletion_protection: true,
      access_logs: { bucket: 'acme-prod-eu1-logs', prefix: 'acme-prod-eu1', enabled: true },
    });
  });

  it('maps every subnet to its own retained Elastic IP', () => {
    const eips = all(r, 'aws_eip');
    expect(eips).toHaveLength(3);
    for (const eip of eips) expect(eip).toMatchObject({ domain: 'vpc', lifecycle: { prevent_destroy: true } });
    const mappings = lb.subnet_mapping as { subnet_id: string; allocation_id: string }[];
    expect(mappings.map((m) => m.subnet_id)).toEqual(base.subnetIds);
    expect(new Set(mappings.map((m) => m.allocation_id)).size).toBe(3);
    expect(mappings[0].allocation_id).toMatch(/aws_eip\..*\.allocation_id/);
    expect(nlb.elasticIps).toHaveLength(3);
  });

  it('attaches a security group at creation whose only egress is the VPC', () => {
    expect(lb.security_groups).toEqual([expect.stringMatching(/aws_security_group\..*\.id/)]);
    const egress = all(r, 'aws_vpc_security_group_egress_rule');
    expect(egress).toHaveLength(1);
    expect(egress[0]).toMatchObject({ ip_protocol: '-1', cidr_ipv4: '10.0.0.0/16' });
  });

  it('creates one ingress rule per port and CIDR, once', () => {
    const rules = all(r, 'aws_vpc_security_group_ingress_rule').map(
      (x) => `${x.ip_protocol}/${x.from_port}-${x.to_port}/${x.cidr_ipv4}`,
    );
    expect(rules.sort()).toEqual([
      'tcp/8883-8883/0.0.0.0/0',
      'tcp/8884-8884/203.0.113.0/24',
      'udp/1700-1700/0.0.0.0/0',
      'udp/1700-1700/198.51.100.0/24',
    ]);
  });
});

describe('NetworkLoadBalancer without ingress', () => {
  const r = synth(
    (s) =>
      new NetworkLoadBalancer(s, 'Nlb', {
        ...base,
        deletionProtection: false,
        retainElasticIps: false,
        accessLogsPrefix: 'nlb/eu1',
      }),
  );

  it('admits nothing by default', () => {
    expect(r.aws_vpc_security_group_ingress_rule).toBeUndefined();
  });

  it('lets deletion protection, EIP retention and the log prefix be chosen', () => {
    expect(all(r, 'aws_lb')[0]).toMatchObject({
      enable_deletion_protection: false,
      access_logs: { prefix: 'nlb/eu1' },
    });
    expect(all(r, 'aws_eip')[0].lifecycle).toEqual({ prevent_destroy: false });
  });
});

describe('NetworkLoadBalancer validation', () => {
  const make = (props: Partial<NetworkLoadBalancerProps>) => () =>
    synth((s) => new NetworkLoadBalancer(s, 'Nlb', { ...base, ...props }));
  const ingress = (options: Parameters<NetworkLoadBalancer['allowIngress']>[0]) => () =>
    synth((s) => new NetworkLoadBalancer(s, 'Nlb', base).allowIngress(options));

  it('rejects names AWS refuses', () => {
    expect(make({ name: 'internal-x' })).toThrow(
      'test/Nlb: invalid name "internal-x". Use 1-32 letters, digits and hyphens',
    );
    expect(make({ name: 'a'.repeat(33) })).toThrow(/invalid name/);
    expect(make({ name: 'ends-' })).toThrow(/invalid name "ends-"/);
  });

  it('rejects a single subnet, a missing bucket, a bad VPC CIDR and a prefix with AWSLogs', () => {
    expect(make({ subnetIds: ['subnet-a'] })).toThrow(
      'test/Nlb: invalid subnetIds ["subnet-a"]. Give at least two public subnets in different AZs',
    );
    expect(make({ accessLogsBucket: '' })).toThrow(
      'test/Nlb: invalid accessLogsBucket "". Give the name of an S3 bucket in the same region',
    );
    expect(make({ vpcCidr: '10.0.0.0' })).toThrow('test/Nlb: invalid vpcCidr "10.0.0.0".');
    expect(make({ accessLogsPrefix: 'x/AWSLogs' })).toThrow(
      'test/Nlb: invalid accessLogsPrefix "x/AWSLogs". Leave out "AWSLogs"',
    );
  });

  it('rejects the whole internet on an admin port', () => {
    expect(ingress({ port: 22, protocol: 'tcp', cidrs: ['0.0.0.0/0'], description: 'ssh', admin: true })).toThrow(
      'test/Nlb: invalid allowIngress.cidrs "0.0.0.0/0". Port 22 is an admin port: allow your operators\' CIDRs, never the whole internet.',
    );
  });

  it('rejects bad ports, protocols, CIDRs and missing descriptions', () => {
    expect(ingress({ port: 0, protocol: 'tcp', cidrs: ['10.0.0.0/8'], description: 'x' })).toThrow(
      'test/Nlb: invalid allowIngress.port 0. Use a whole number from 1 to 65535.',
    );
    expect(ingress({ port: 80, protocol: 'icmp' as 'tcp', cidrs: ['10.0.0.0/8'], description: 'x' })).toThrow(
      'invalid allowIngress.protocol "icmp"',
    );
    expect(ingress({ port: 80, protocol: 'tcp', cidrs: [], description: 'x' })).toThrow(
      'invalid allowIngress.cidrs []. Give the IPv4 CIDRs allowed to reach port 80.',
    );
    expect(ingress({ port: 80, protocol: 'tcp', cidrs: ['10.0.0.300/8'], description: 'x' })).toThrow(
      'invalid allowIngress.cidrs "10.0.0.300/8". Use IPv4 CIDRs',
    );
    expect(ingress({ port: 80, protocol: 'tcp', cidrs: ['10.0.0.0/8'], description: '' })).toThrow(
      'invalid allowIngress.description "". Say why the port is open.',
    );
  });
});
