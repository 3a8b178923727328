import { Testing } from 'cdktf';
import { inNamedTest } from '@tts-ecs/testing';
import { composePrimary } from '../../src';
import { Json, exampleConfig, resources, stackNamed } from './helpers';
import { fullSynth } from './full-synth';
import { buildSecurityGraph, formatCall } from './security-graph';
import { synthesizedComponents } from './runtime-contract-checks';

/** The timescale host's security group and its ingress rules in a synthesized data stack. */
function hostGroup(data: Json): { group: Json; groupRef: RegExp; ingress: Json[] } {
  const [address, group] = Object.entries<Json>(data.resource.aws_security_group).find(
    ([, g]) => g.name === 'acme-prod-eu1-timescale-timescale',
  )!;
  expect(group).toBeDefined();
  const groupRef = new RegExp(`aws_security_group\\.${address}\\.id`);
  const ingress = resources(data, 'aws_vpc_security_group_ingress_rule').filter((r) =>
    groupRef.test(r.security_group_id),
  );
  expect(group.ingress).toBeUndefined();
  return { group, groupRef, ingress };
}

describe('TimescaleDB host wiring (features.timescale, Enterprise, NOC enabled)', () => {
  const stacks = fullSynth(
    exampleConfig((c) => {
      c.features = { ...c.features, timescale: true };
      c.tts = { ...c.tts, components: { ...c.tts?.components, noc: { enabled: true } } };
    }),
  );
  const data = stackNamed(stacks, 'acme-prod-eu1-data');
  const compute = stackNamed(stacks, 'acme-prod-eu1-compute');
  const observability = stackNamed(stacks, 'acme-prod-eu1-observability');
  const [instance] = resources(data, 'aws_instance');
  const secrets = () => Object.fromEntries(resources(data, 'aws_secretsmanager_secret').map((s) => [s.name, s]));
  /** Name of the data stack's output that carries the timescale-uri secret's ARN to the compute stack. */
  const uriOutput = (): string => {
    const [address] = Object.entries<Json>(data.resource.aws_secretsmanager_secret).find(
      ([, secret]) => secret.name === 'acme-prod-eu1/timescale-uri',
    )!;
    const [name] =
      Object.entries<Json>(data.output).find(([, o]) => o.value === `\${aws_secretsmanager_secret.${address}.arn}`) ??
      [];
    expect(name).toBeDefined();
    return name!;
  };

  it('injects the URI into the AS (with provider postgres) and the NOC as ECS secrets, never plain env', () => {
    const components = synthesizedComponents(compute);
    const output = uriOutput();
    const valueFrom = expect.stringMatching(
      new RegExp(`^\\$\\{data\\.terraform_remote_state\\.[\\w-]+\\.outputs\\.${output}\\}$`),
    );
    const as = components.get('as')!.container;
    expect(as.environment).toContainEqual({ name: 'TTN_LW_AS_PACKAGES_STORAGE_PROVIDER', value: 'postgres' });
    expect(as.secrets).toContainEqual({ name: 'TTN_LW_AS_PACKAGES_STORAGE_POSTGRES_DATABASE_URI', valueFrom });
    const noc = components.get('noc')!.container;
    expect(noc.secrets).toContainEqual({ name: 'TTN_LW_NOC_STORE_DATABASE_URI', valueFrom });
    for (const c of [as, noc]) expect(JSON.stringify(c.environment)).not.toMatch(/DATABASE_URI|timescale/i);
    // Nobody else reads it.
    for (const [id, c] of components) {
      if (id !== 'as' && id !== 'noc')
        expect([id, JSON.stringify(c.container.secrets ?? []).includes(output)]).toEqual([id, false]);
    }
  });

  it('lets the execution roles of the AS and the NOC read that secret and decrypt it with the data key', () => {
    const output = uriOutput();
    const keyOutput = Object.entries<Json>(data.output).find(([, o]) =>
      /^\$\{aws_kms_key\.Data_Key_\w+\.arn\}$/.test(o.value),
    )?.[0];
    expect(keyOutput).toBeDefined();
    for (const id of ['as', 'noc']) {
      const policies = resources(compute, 'aws_iam_role_policy').filter((p) =>
        p['//'].metadata.path.includes(`Service-${id}/`),
      );
      const statements = policies.flatMap((p) => JSON.parse(p.policy).Statement as Json[]);
      const read = statements.find((st) => st.Sid === 'ReadSecrets')!;
      expect([id, JSON.stringify(read.Resource)]).toEqual([id, expect.stringContaining(output)]);
      const decrypt = statements.find((st) => st.Sid === 'DecryptSecrets')!;
      expect([id, JSON.stringify(decrypt.Resource)]).toEqual([id, expect.stringContaining(keyOutput!)]);
    }
  });

  it('admits 5432 from the tasks security group only, and the AS and the NOC calls reach it', () => {
    const { ingress } = hostGroup(data);
    expect(ingress).toHaveLength(1);
    expect(ingress[0]).toMatchObject({ ip_protocol: 'tcp', from_port: 5432, to_port: 5432 });
    expect(ingress[0].cidr_ipv4).toBeUndefined();
    expect(ingress[0].referenced_security_group_id).toMatch(
      /outputs\.cross-stack-output-aws_security_groupNetwork_TasksSecurityGroup_\w+id\}$/,
    );
    const graph = buildSecurityGraph(stacks);
    expect(graph.unresolved).toEqual([]);
    const calls = graph.calls.filter((c) => c.to === 'eu1/timescale-timescale');
    expect(calls.map((c) => `${c.from} ${c.protocol}/${c.port}`).sort()).toEqual([
      'eu1/as tcp/5432',
      'eu1/noc tcp/5432',
    ]);
    expect(calls.filter((c) => !graph.check(c).allowed).map(formatCall)).toEqual([]);
    expect(graph.canReach('eu1/gs', 'eu1/timescale-timescale', 5432, 'tcp').allowed).toBe(true); // same tasks group
    expect(graph.canReach('eu1/prometheus', 'eu1/timescale-timescale', 5432, 'tcp').allowed).toBe(false);
  });

  it('admits the tasks group on 5432 only (never a CIDR) and sends only to 80/443', () => {
    const { group, groupRef, ingress } = hostGroup(data);
    expect(ingress.map((r) => [r.from_port, r.to_port, r.cidr_ipv4 ?? null])).toEqual([[5432, 5432, null]]);
    expect(group.ingress).toBeUndefined();
    expect(instance.vpc_security_group_ids).toEqual([expect.stringMatching(groupRef)]);
    // Egress for packages, SSM, Secrets Manager and CloudWatch only.
    const egress = resources(data, 'aws_vpc_security_group_egress_rule').filter((r) =>
      groupRef.test(r.security_group_id),
    );
    expect(egress.map((r) => [r.from_port, r.to_port, r.cidr_ipv4]).sort()).toEqual([
      [443, 443, '0.0.0.0/0'],
      [80, 80, '0.0.0.0/0'],
    ]);
  });

  it('boots TimescaleDB on the data volume from a user data script that holds no secret', () => {
    const userData: string = instance.user_data;
    expect(userData).toMatch(/^#!\/bin\/bash\n/);
    expect(userData).toMatch(/VOLUME_ID='\$\{aws_ebs_volume\.Data_Timescale_Data_\w+\.id\}'/);
    expect(userData).toMatch(/SECRET_ARN='\$\{aws_secretsmanager_secret\.Data_TimescalePasswordSecret_\w+\.arn\}'/);
    expect(userData).toContain("VPC_CIDR='10.10.0.0/16'");
    expect(userData).toContain("DB_NAME='tts'");
    expect(userData.match(/\$\{/g)).toHaveLength(2);
    expect(userData).not.toMatch(/ephemeral|random_password/);
    expect(instance.private_ip).toMatch(/^\$\{cidrhost\("10\.10\.\d+\.\d+\/\d+", -6\)\}$/);
  });

  it('generates the password write-only into Secrets Manager and lets the instance read that secret only', () => {
    const all = secrets();
    expect(Object.keys(all)).toEqual(
      expect.arrayContaining(['acme-prod-eu1/timescale-password', 'acme-prod-eu1/timescale-uri']),
    );
    const versions = resources(data, 'aws_secretsmanager_secret_version').filter((v) =>
      /Timescale/.test(v['//'].metadata.path),
    );
    expect(versions).toHaveLength(2);
    for (const v of versions) {
      expect(v.secret_string).toBeUndefined();
      expect(v.secret_string_wo).toContain('ephemeral.aws_secretsmanager_random_password.Data_TimescalePassword');
      expect(v.secret_string_wo_version).toBe(1);
    }
    const uri = versions.find((v) => /TimescaleUri/.test(v['//'].metadata.path))!;
    expect(uri.secret_string_wo).toMatch(/^postgres:\/\/tts:\$\{urlencode\(ephemeral\.[^}]+\)\}@\$\{cidrhost\(/);
    expect(uri.secret_string_wo).toMatch(/:5432\/tts\?sslmode=require$/);
    // No random password resource (state) anywhere in the data stack.
    expect(resources(data, 'random_password')).toHaveLength(0);

    const [policy] = resources(data, 'aws_iam_role_policy').filter((p) => p.name === 'read-password');
    const statements = JSON.parse(policy.policy).Statement as Json[];
    expect(statements[0].Resource).toMatch(/aws_secretsmanager_secret\.Data_TimescalePasswordSecret_\w+\.arn/);
    expect(JSON.stringify(statements)).not.toContain('TimescaleUri');
  });

  it("alarms on the data volume's disk use to the cluster's alarm topic, by its fixed name", () => {
    const [alarm] = resources(data, 'aws_cloudwatch_metric_alarm');
    expect(alarm).toMatchObject({ threshold: 80, comparison_operator: 'GreaterThanThreshold' });
    expect(alarm.alarm_actions).toEqual(['arn:aws:sns:eu-west-1:111111111111:acme-prod-eu1-alarms']);
    expect(resources(observability, 'aws_sns_topic').map((t) => t.name)).toContain('acme-prod-eu1-alarms');
    expect(alarm.metric_query[0].expression).toBe(
      `SELECT MAX(disk_used_percent) FROM "TTS/Timescale" WHERE TimescaleHost = 'acme-prod-eu1-timescale'`,
    );
  });

  it('backs the data volume up with the cluster backup plan', () => {
    const [selection] = resources(data, 'aws_backup_selection');
    expect(selection.resources).toContainEqual(
      expect.stringMatching(/^arn:aws:ec2:eu-west-1:111111111111:volume\/\$\{aws_ebs_volume\.\w+\.id\}$/),
    );
  });
});

describe('TimescaleDB host in the open-source edition', () => {
  const config = exampleConfig((c) => {
    c.features = { ...c.features, timescale: true };
    c.tts = { edition: 'open-source', version: '3.33.1' };
  });
  const cluster = inNamedTest('composes the primary', () => composePrimary(Testing.app(), config));

  it('warns that nothing uses it, admits nothing on 5432 and injects the URI nowhere', () => {
    const warnings = cluster.dataLayer.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => m.data);
    expect(warnings).toContainEqual(
      expect.stringMatching(/^features\.timescale is on, but only The Things Stack Enterprise/),
    );
    const data = JSON.parse(Testing.synth(cluster.data));
    expect(hostGroup(data).ingress).toEqual([]);
    const compute = Testing.synth(cluster.compute);
    expect(compute).not.toMatch(/AS_PACKAGES_STORAGE|NOC_STORE|TimescaleUri/);
  });
});
