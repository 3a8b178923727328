import { all, synth } from '@tts-ecs/testing';
import { ConnectableSecurityGroup, Peer, Port } from '../src';

const sg = (s: import('cdktf').TerraformStack, id: string, extra: Partial<{ allowAllOutbound: boolean }> = {}) =>
  new ConnectableSecurityGroup(s, id, { vpcId: 'vpc-1', name: id.toLowerCase(), description: id, ...extra });

describe('Port', () => {
  it('names single ports, ranges and all traffic', () => {
    expect(String(Port.tcp(5432))).toBe('tcp/5432');
    expect(String(Port.udpRange(1700, 1710))).toBe('udp/1700-1710');
    expect(String(Port.allTraffic())).toBe('all traffic');
  });

  it('rejects ports outside 1-65535 and reversed ranges', () => {
    expect(() => Port.tcp(70000)).toThrow(/Port: invalid fromPort 70000/);
    expect(() => Port.tcp(0)).toThrow(/invalid port 0/);
    expect(() => Port.tcpRange(90, 80)).toThrow(/invalid fromPort 90. Give the lower port first/);
  });

  it('finds the admin ports a range opens', () => {
    expect(Port.tcp(443).adminPorts()).toEqual([]);
    expect(Port.tcpRange(20, 30).adminPorts()).toEqual([22]);
    expect(Port.allTraffic().adminPorts()).toContain(3389);
  });
});

describe('Peer', () => {
  it('rejects malformed CIDRs, prefix list ids and security group ids', () => {
    expect(() => Peer.ipv4('10.0.0.0/33')).toThrow(/Peer.ipv4: invalid cidr "10.0.0.0\/33"/);
    expect(() => Peer.prefixList('cloudfront')).toThrow(/invalid prefixListId "cloudfront"/);
    expect(() => Peer.securityGroupId('web')).toThrow(/invalid securityGroupId "web"/);
  });
});

describe('Connections between two groups', () => {
  const r = synth((s) => {
    const web = sg(s, 'Web');
    const db = new ConnectableSecurityGroup(s, 'Db', {
      vpcId: 'vpc-1',
      name: 'db',
      description: 'db',
      defaultPort: Port.tcp(5432),
    });
    web.connections.allowToDefaultPort(db);
    web.connections.allowToDefaultPort(db); // the same rule twice is one rule
    web.connections.allowFrom(Peer.anyIpv4(), Port.tcp(443));
    web.connections.allowFrom(Peer.prefixList('pl-3b927c52', 'CloudFront'), Port.tcp(443), 'HTTPS from CloudFront');
    sg(s, 'Open', { allowAllOutbound: true }).connections.allowToDefaultPort(db);
  });
  const ingress = () => all(r, 'aws_vpc_security_group_ingress_rule');
  const egress = () => all(r, 'aws_vpc_security_group_egress_rule');

  it('writes ingress on the destination and egress on a restricted source, with descriptions', () => {
    const toDb = ingress().filter((i) => i.from_port === 5432);
    expect(toDb).toHaveLength(2);
    const fromWeb = toDb.find((i) => i.description === 'tcp/5432 from test/Web');
    expect(fromWeb).toMatchObject({ ip_protocol: 'tcp', to_port: 5432 });
    expect(fromWeb?.referenced_security_group_id).toMatch(/aws_security_group\.Web_Group_.*\.id/);
    const webEgress = egress().filter((e) => e.from_port === 5432);
    expect(webEgress).toHaveLength(1); // Open allows all outbound: no extra egress rule there
    expect(webEgress[0].description).toBe('tcp/5432 to test/Db');
    expect(webEgress[0].referenced_security_group_id).toMatch(/aws_security_group\.Db_Group_.*\.id/);
  });

  it('admits CIDRs and prefix lists', () => {
    expect(ingress().find((i) => i.cidr_ipv4 === '0.0.0.0/0')).toMatchObject({ from_port: 443 });
    expect(ingress().find((i) => i.prefix_list_id === 'pl-3b927c52')).toMatchObject({
      description: 'HTTPS from CloudFront',
    });
  });

  it('opens egress only where asked (no default allow-all)', () => {
    expect(egress().filter((e) => e.cidr_ipv4 === '0.0.0.0/0')).toHaveLength(1); // the Open group's
  });
});

describe('Connections refusals', () => {
  it('refuses admin ports from the whole internet, naming the group', () => {
    synth((s) => {
      const web = sg(s, 'Admin');
      expect(() => web.connections.allowFrom(Peer.anyIpv4(), Port.tcp(22))).toThrow(
        /test\/Admin: invalid allowFrom.peer "0.0.0.0\/0". tcp\/22 includes admin port 22 \(SSH\)/,
      );
      expect(() => web.connections.allowFrom(Peer.anyIpv6(), Port.allTcp())).toThrow(/admin port 22 \(SSH\), 1433/);
      expect(() => web.connections.allowFrom(Peer.ipv4('198.51.100.0/24'), Port.tcp(22))).not.toThrow();
    });
  });

  it('refuses the default-port methods on a group without one', () => {
    synth((s) => {
      const a = sg(s, 'A');
      const b = sg(s, 'B');
      expect(() => a.connections.allowToDefaultPort(b)).toThrow(/test\/B: invalid allowToDefaultPort.port undefined/);
    });
  });

  it('refuses a group name AWS would reject', () => {
    synth((s) => {
      expect(() => new ConnectableSecurityGroup(s, 'Bad', { vpcId: 'v', name: 'sg-x', description: 'd' })).toThrow(
        /test\/Bad: invalid name "sg-x"/,
      );
    });
  });
});

describe('ConnectableSecurityGroup defaults', () => {
  const r = synth((s) => sg(s, 'Plain'));
  it('has no rules at all', () => {
    // allowAllOutbound @default false
    expect(r.aws_vpc_security_group_egress_rule).toBeUndefined();
    expect(r.aws_vpc_security_group_ingress_rule).toBeUndefined();
  });
});
