import { inNamedTest } from '@tts-ecs/testing';
import { containersByFamily, synthComputeStack } from './compute-fixture';
import { Json, exampleConfig, resources } from './helpers';

const listenersOf = (stack: Json) =>
  Object.fromEntries(resources(stack, 'aws_lb_listener').map((l) => [`${l.protocol}/${l.port}`, l]));
const groupOf = (stack: Json, listener: Json): Json => {
  const ref = listener.default_action[0].target_group_arn as string;
  const id = /aws_lb_target_group\.([^.]+)\.arn/.exec(ref)![1];
  return stack.resource.aws_lb_target_group[id];
};
const nlbIngress = (stack: Json) =>
  resources(stack, 'aws_vpc_security_group_ingress_rule')
    .filter((r) => String(r.security_group_id).includes('FakeNlb'))
    .map((r) => `${r.ip_protocol}/${r.from_port} ${r.cidr_ipv4}`)
    .sort();

describe('NLB listeners with the default ingress (TLS only, no interop)', () => {
  const stack = synthComputeStack(exampleConfig(), 'eu1');
  const listeners = inNamedTest('reads the listeners', () => listenersOf(stack));

  it('opens every TLS port and Semtech UDP, and no plain or interop port', () => {
    expect(Object.keys(listeners).sort()).toEqual(
      ['TLS/443', 'TLS/8881', 'TLS/8882', 'TLS/8883', 'TLS/8884', 'TLS/8887', 'UDP/1700'].sort(),
    );
  });

  it('terminates TLS with the cluster certificate, a TLS 1.2+ policy and ALPN HTTP/2 for the router', () => {
    for (const port of [443, 8884]) {
      expect(listeners[`TLS/${port}`]).toMatchObject({
        certificate_arn: 'arn:aws:acm:eu-west-1:111111111111:certificate/cert',
        ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        alpn_policy: 'HTTP2Preferred',
      });
    }
    expect(listeners['TLS/8887'].alpn_policy).toBeUndefined();
    expect(listeners['TLS/8887'].ssl_policy).toBe('ELBSecurityPolicy-TLS13-1-2-2021-06');
  });

  it('sends UDP to an ip target group that terminates flows on deregistration, health-checked on /healthz', () => {
    expect(groupOf(stack, listeners['UDP/1700'])).toMatchObject({
      target_type: 'ip',
      protocol: 'UDP',
      port: 1700,
      connection_termination: true,
      health_check: { protocol: 'HTTP', port: '1885', path: '/healthz' },
    });
  });

  it('keeps a TCP check for the router, whose Envoy admin interface is on loopback only', () => {
    expect(groupOf(stack, listeners['TLS/443']).health_check).toMatchObject({ protocol: 'TCP', port: 'traffic-port' });
  });

  it('preserves client IPs for gateways and MQTT clients, and drains Basic Station at once', () => {
    expect(groupOf(stack, listeners['TLS/8887'])).toMatchObject({
      protocol: 'TCP',
      port: 1887,
      preserve_client_ip: 'true',
      deregistration_delay: '0',
    });
    expect(groupOf(stack, listeners['TLS/8883'])).toMatchObject({
      port: 1883,
      preserve_client_ip: 'true',
      deregistration_delay: '30',
    });
    // 443 has a router port of its own: the router then knows the request arrived over TLS (X-Forwarded-Proto).
    expect(groupOf(stack, listeners['TLS/443'])).toMatchObject({ port: 8443 });
    expect(groupOf(stack, listeners['TLS/8884'])).toMatchObject({ port: 1884 });
  });

  it('registers each service with its target groups and admits the NLB on those ports only', () => {
    const gs = resources(stack, 'aws_ecs_service').find((s) => s.name === 'acme-prod-eu1-gs')!;
    expect(gs.load_balancer.map((l: Json) => `${l.container_name}:${l.container_port}`).sort()).toEqual([
      'gs:1700',
      'gs:1881',
      'gs:1882',
      'gs:1887',
    ]);
    const fromNlb = resources(stack, 'aws_vpc_security_group_ingress_rule')
      .filter((r) => String(r.referenced_security_group_id).includes('FakeNlb'))
      .map((r) => `${r.ip_protocol}/${r.from_port}`)
      .sort();
    expect(fromNlb).toEqual([
      'tcp/1881',
      'tcp/1882',
      'tcp/1883',
      'tcp/1884',
      'tcp/1885', // GS health checks
      'tcp/1885', // AS health checks
      'tcp/1887',
      'tcp/8443',
      'udp/1700',
    ]);
  });

  it('opens the NLB security group per listener port to the configured CIDRs', () => {
    expect(nlbIngress(stack)).toEqual(
      ['tcp/443', 'tcp/8881', 'tcp/8882', 'tcp/8883', 'tcp/8884', 'tcp/8887', 'udp/1700']
        .map((p) => `${p} 0.0.0.0/0`)
        .sort(),
    );
  });
});

describe('NLB listeners with plain listeners, interop and restricted CIDRs', () => {
  const config = exampleConfig((c) => {
    c.ingress = {
      plainListeners: true,
      interop: true,
      interopCidrs: ['198.51.100.0/24'],
      apiCidrs: ['203.0.113.0/24'],
    };
  });
  const primary = synthComputeStack(config, 'eu1');
  const secondary = synthComputeStack(config, 'us1');

  it('adds every plain listener (Basic Station stays TLS only) and interop 8886 (TLS) to the Identity Server', () => {
    const listeners = listenersOf(primary);
    for (const port of [80, 1881, 1882, 1883, 1884]) expect(listeners[`TCP/${port}`]).toBeDefined();
    expect(listeners['TCP/1887']).toBeUndefined();
    expect(groupOf(primary, listeners['TLS/8886'])).toMatchObject({ port: 1886 });
    expect(Object.keys(listeners)).toHaveLength(13);
  });

  it('shares one target group between the plain and TLS listener of a container port', () => {
    const listeners = listenersOf(primary);
    expect(listeners['TCP/1882'].default_action[0].target_group_arn).toBe(
      listeners['TLS/8882'].default_action[0].target_group_arn,
    );
  });

  it('has no interop listener where no Identity Server runs', () => {
    expect(listenersOf(secondary)['TLS/8886']).toBeUndefined();
  });

  it('applies each CIDR list to its ports', () => {
    const rules = nlbIngress(primary);
    expect(rules).toContain('tcp/8886 198.51.100.0/24');
    expect(rules).toContain('tcp/443 203.0.113.0/24');
    expect(rules).toContain('tcp/80 203.0.113.0/24');
    expect(rules).toContain('udp/1700 0.0.0.0/0');
    expect(rules.filter((r) => r.startsWith('tcp/443 '))).toEqual(['tcp/443 203.0.113.0/24']);
  });

  it('lets the Identity Server listen for interop', () => {
    const is = resources(primary, 'aws_ecs_task_definition').find((t) => t.family === 'acme-prod-eu1-is')!;
    expect(JSON.parse(is.container_definitions)[0].environment).toContainEqual({
      name: 'TTN_LW_INTEROP_LISTEN',
      value: ':1886',
    });
  });
});

describe('TTI gateway port 8889', () => {
  // The protocol needs a proxy that terminates mutual TLS and forwards the client certificate to the GS on 1889
  // (ECS changelog 3.32.0); the NLB cannot, so no deployment opens 8889 until such a proxy exists.
  const mtls = exampleConfig((c) => {
    c.features = { ...c.features, mtls: true };
    c.ingress = { gatewayCidrs: ['192.0.2.0/24'], plainListeners: true };
  });
  const stack = synthComputeStack(mtls, 'eu1');
  const gs = inNamedTest('finds the gs container', () => containersByFamily(stack)['acme-prod-eu1-gs'][0]);

  it('has no listener, target, port mapping or ingress rule, even with features.mtls and plain listeners', () => {
    expect(Object.keys(listenersOf(stack)).filter((k) => /\/(8889|1889)$/.test(k))).toEqual([]);
    expect(gs.portMappings.map((p) => p.containerPort)).not.toContain(8889);
    expect(nlbIngress(stack).filter((r) => /\/(8889|1889) /.test(r))).toEqual([]);
  });

  it('switches both TTI gateway listeners of the GS off', () => {
    expect(gs.command).toEqual(expect.arrayContaining(['--gs.ttigw.listen=', '--gs.ttigw.listen-tls=']));
  });
});
