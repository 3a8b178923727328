// Data stores on the typed connections model: clients are security groups (or constructs that own one), admitted on
// the store's own port only; CIDRs and other ports are refused, and a store never gets egress rules.
import { TerraformStack, TerraformVariable } from 'cdktf';
import { ConnectableSecurityGroup, Peer, Port } from '@tts-ecs/core';
import { all, env, synth } from '@tts-ecs/testing';
import { FileSystem, RedisReplicationGroup } from '../src';

const network = { vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-a', 'subnet-b'] };
const redisIn = (s: TerraformStack) =>
  new RedisReplicationGroup(s, 'Redis', {
    ...network,
    environment: env,
    replicationGroupId: 'acme-general',
    authToken: new TerraformVariable(s, 'auth', { type: 'string', sensitive: true }).stringValue,
  });
const app = (s: TerraformStack) =>
  new ConnectableSecurityGroup(s, 'App', { vpcId: network.vpcId, name: 'app', description: 'app' });

describe('a service reaching Redis and EFS through connections', () => {
  const r = synth((s) => {
    const service = app(s);
    const fs = new FileSystem(s, 'Fs', {
      ...network,
      environment: env,
      name: 'acme-shared',
      accessPoint: { path: '/data', uid: 1000, gid: 1000 },
    });
    service.connections.allowToDefaultPort(redisIn(s));
    fs.allowFrom(service, 'NFS from the app');
    fs.allowFrom(service); // the same group twice is one rule
  });
  const ingress = () => all(r, 'aws_vpc_security_group_ingress_rule');
  const egress = () => all(r, 'aws_vpc_security_group_egress_rule');

  it("admits the service's group on each store's own port", () => {
    expect(
      ingress()
        .map((i) => [i.from_port, i.description])
        .sort(),
    ).toEqual([
      [2049, 'NFS from the app'],
      [6379, 'TCP 6379 from a client security group'],
    ]);
    for (const rule of ingress()) expect(rule.referenced_security_group_id).toMatch(/aws_security_group\.App_Group/);
  });

  it('gives the restricted client egress to each store, and the stores none', () => {
    expect(
      egress()
        .map((e) => e.to_port)
        .sort(),
    ).toEqual([2049, 6379]);
    for (const rule of egress()) expect(rule.security_group_id).toMatch(/aws_security_group\.App_Group/);
  });
});

describe('data store refusals', () => {
  it('refuses CIDRs, other ports and egress from the store', () => {
    synth((s) => {
      const redis = redisIn(s);
      expect(() => redis.connections.allowFrom(Peer.ipv4('10.0.0.0/16'), Port.tcp(6379))).toThrow(
        /test\/Redis\/SecurityGroup: invalid peer "10.0.0.0\/16". A data service admits security groups only/,
      );
      expect(() => redis.connections.allowFrom(app(s), Port.tcp(22))).toThrow(
        /test\/Redis\/SecurityGroup: invalid port "tcp\/22". This data service listens on tcp\/6379 only./,
      );
      expect(() => redis.connections.allowTo(Peer.anyIpv4(), Port.tcp(443))).toThrow(
        /test\/Redis\/SecurityGroup: invalid egress "0.0.0.0\/0". A data service has no egress rules/,
      );
    });
  });
});
