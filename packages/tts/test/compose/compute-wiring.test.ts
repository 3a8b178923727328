import { fullSynth } from './full-synth';
import { Json, exampleConfig, resources } from './helpers';

describe('compute stacks of the example deployment, wired to the real layers', () => {
  const stacks = fullSynth(exampleConfig());
  const services = (stack: Json) => resources(stack, 'aws_ecs_service').map((s) => s.name as string);
  const containers = (stack: Json) =>
    resources(stack, 'aws_ecs_task_definition').flatMap((t) => JSON.parse(t.container_definitions) as Json[]);

  it('creates one compute stack per cluster', () => {
    expect(
      Object.keys(stacks)
        .filter((n) => n.endsWith('-compute'))
        .sort(),
    ).toEqual(['acme-prod-ap1-compute', 'acme-prod-eu1-compute', 'acme-prod-us1-compute']);
  });

  it('runs the Identity Server in the primary and the IS proxy in the secondaries', () => {
    expect(services(stacks['acme-prod-eu1-compute'])).toContain('acme-prod-eu1-is');
    for (const id of ['us1', 'ap1']) {
      expect(services(stacks[`acme-prod-${id}-compute`])).toContain(`acme-prod-${id}-is-proxy`);
      expect(services(stacks[`acme-prod-${id}-compute`])).not.toContain(`acme-prod-${id}-is`);
    }
  });

  it('reads secret ARNs and data endpoints through remote state, never secret values', () => {
    const compute = stacks['acme-prod-eu1-compute'];
    const [is] = containers(compute).filter((c) => c.name === 'is');
    const secrets = Object.fromEntries((is.secrets as Json[]).map((s) => [s.name, s.valueFrom as string]));
    expect(secrets.TTN_LW_IS_DATABASE_URI).toMatch(
      /terraform_remote_state\.cross-stack-reference-input-acme-prod-eu1-(secrets|data)/,
    );
    expect(secrets.TTN_LW_CLUSTER_KEYS).toMatch(/terraform_remote_state/);
    const env = Object.fromEntries((is.environment as Json[]).map((e) => [e.name, e.value as string]));
    expect(env.TTN_LW_REDIS_ADDRESS).toMatch(
      /terraform_remote_state\.cross-stack-reference-input-acme-prod-eu1-data.*:6379$/,
    );
    expect(Object.keys(compute.resource)).not.toContain('random_password');
  });

  it('opens the NLB security group (network stack) per compute listener', () => {
    const rules = resources(stacks['acme-prod-eu1-network'], 'aws_vpc_security_group_ingress_rule').map(
      (r) => `${r.ip_protocol}/${r.from_port}`,
    );
    expect(rules).toEqual(expect.arrayContaining(['tcp/443', 'tcp/8884', 'udp/1700', 'tcp/8887', 'tcp/8883']));
  });
});
