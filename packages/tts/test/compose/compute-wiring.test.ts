import { fullSynth } from './full-synth';
import { inNamedTest } from '@tts-ecs/testing';
import { Json, exampleConfig, resources, stackNamed } from './helpers';

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

  describe('a secondary (us1)', () => {
    const compute = stackNamed(stacks, 'acme-prod-us1-compute');
    const replicaKey = '${local.cluster_keys_kms_key_arn}';
    const replicaSecret = '${local.cluster_keys_secret_arn}';
    const executionPolicyOf = (family: string): Json => {
      const td = resources(compute, 'aws_ecs_task_definition').find((t) => t.family === family)!;
      const role = /aws_iam_role\.([^.]+)\.arn/.exec(td.execution_role_arn as string)![1];
      const policy = resources(compute, 'aws_iam_role_policy').find((p) => p.role === `\${aws_iam_role.${role}.id}`)!;
      return JSON.parse(policy.policy as string);
    };

    it('reads the cluster-keys replica and its key in us-east-1 from the primary contract', () => {
      expect(compute.locals).toEqual({
        cluster_keys_secret_arn:
          '${replace(data.terraform_remote_state.primary_secrets.outputs.cluster_keys_secret_arn, ":eu-west-1:", ":us-east-1:")}',
        cluster_keys_kms_key_arn:
          '${replace(data.terraform_remote_state.primary_secrets.outputs.cluster_keys_kms_key_arn, ":eu-west-1:", ":us-east-1:")}',
      });
      const [gs] = containers(compute).filter((c) => c.name === 'gs');
      const secrets = Object.fromEntries((gs.secrets as Json[]).map((s) => [s.name, s.valueFrom as string]));
      expect(secrets.TTN_LW_CLUSTER_KEYS).toBe(replicaSecret);
    });

    it("lets the execution role read the replica secret and decrypt with the replica key, not only the cluster's secrets key", () => {
      for (const family of ['acme-prod-us1-gs', 'acme-prod-us1-ops']) {
        const statements = executionPolicyOf(family).Statement as Json[];
        const decrypt = statements.find((s) => s.Sid === 'DecryptSecrets')!;
        expect([family, decrypt.Resource]).toEqual([family, expect.arrayContaining([replicaKey])]);
        const read = statements.filter((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'));
        expect([family, read.flatMap((s) => [s.Resource].flat())]).toEqual([
          family,
          expect.arrayContaining([replicaSecret]),
        ]);
      }
    });

    it('points the IS proxy at the primary contract: a plan-time precondition compares it with the rendered domain', () => {
      const proxy = resources(compute, 'aws_ecs_task_definition').find((t) => t.family === 'acme-prod-us1-is-proxy')!;
      const [pre] = proxy.lifecycle.precondition as Json[];
      expect(pre.condition).toBe(
        '${((data.terraform_remote_state.primary_network.outputs.identity_server_host == "lns.example.com") && ' +
          '((data.terraform_remote_state.primary_network.outputs.identity_server_https_port == 443) && ' +
          '(data.terraform_remote_state.primary_network.outputs.identity_server_grpc_port == 8884)))}',
      );
      expect(pre.error_message).toMatch(/rendered for lns\.example\.com .*identity_server_host/);
      const envoy = JSON.parse(JSON.parse(proxy.container_definitions)[0].command[1]);
      expect(envoy.static_resources.clusters.map((c: Json) => c.name)).toHaveLength(2);
      expect(JSON.stringify(envoy)).toContain('"lns.example.com"');
    });

    it('reads the primary network and secrets states itself (no cluster-keys ARN relayed by its own secrets stack)', () => {
      expect(Object.keys(compute.data.terraform_remote_state)).toEqual(
        expect.arrayContaining(['primary_network', 'primary_secrets']),
      );
      expect(JSON.stringify(compute)).not.toMatch(/cross-stack-reference-input-acme-prod-us1-secrets[^"]*clusterKeys/);
    });
  });

  it('opens the NLB security group (network stack) per compute listener', () => {
    const rules = resources(stacks['acme-prod-eu1-network'], 'aws_vpc_security_group_ingress_rule').map(
      (r) => `${r.ip_protocol}/${r.from_port}`,
    );
    expect(rules).toEqual(expect.arrayContaining(['tcp/443', 'tcp/8884', 'udp/1700', 'tcp/8887', 'tcp/8883']));
  });
});

describe('Identity Server e-mail from the config and the email-credentials secret', () => {
  const env = (c: Json) => Object.fromEntries((c.environment as Json[]).map((e) => [e.name, e.value as string]));
  const secrets = (c: Json) => Object.fromEntries((c.secrets as Json[]).map((s) => [s.name, s.valueFrom as string]));
  const isContainer = (stacks: Record<string, Json>) =>
    resources(stacks['acme-prod-eu1-compute'], 'aws_ecs_task_definition')
      .filter((t) => t.family === 'acme-prod-eu1-is')
      .flatMap((t) => JSON.parse(t.container_definitions) as Json[])[0];
  const smtpStacks = fullSynth(
    exampleConfig((c) => {
      c.email = {
        provider: 'smtp',
        senderAddress: 'noreply@lns.example.com',
        senderName: 'Acme LNS',
        smtp: { address: 'email-smtp.eu-west-1.amazonaws.com:587' },
      };
    }),
  );
  const smtp = inNamedTest('finds the Identity Server container', () => isContainer(smtpStacks));

  it('configures SMTP with the server, sender and links to this cluster', () => {
    expect(env(smtp)).toMatchObject({
      TTN_LW_IS_EMAIL_PROVIDER: 'smtp',
      TTN_LW_IS_EMAIL_SMTP_ADDRESS: 'email-smtp.eu-west-1.amazonaws.com:587',
      TTN_LW_IS_EMAIL_SENDER_ADDRESS: 'noreply@lns.example.com',
      TTN_LW_IS_EMAIL_SENDER_NAME: 'Acme LNS',
      TTN_LW_IS_EMAIL_NETWORK_NAME: 'Acme LNS',
      TTN_LW_IS_EMAIL_NETWORK_CONSOLE_URL: 'https://lns.example.com/console',
    });
  });

  it('reads the SMTP user name and password from the JSON keys of the email-credentials secret', () => {
    const s = secrets(smtp);
    expect(s.TTN_LW_IS_EMAIL_SMTP_USERNAME).toMatch(/^\$\{data\.terraform_remote_state\.[^}]+\}:username::$/);
    expect(s.TTN_LW_IS_EMAIL_SMTP_PASSWORD).toMatch(/^\$\{data\.terraform_remote_state\.[^}]+\}:password::$/);
    expect(s.TTN_LW_IS_EMAIL_SMTP_USERNAME.replace(':username::', '')).toBe(
      s.TTN_LW_IS_EMAIL_SMTP_PASSWORD.replace(':password::', ''),
    );
    expect(JSON.stringify(env(smtp))).not.toMatch(/password|username/i);
  });

  it('passes the SendGrid API key from the password key of the same secret', () => {
    const sendgrid = isContainer(
      fullSynth(
        exampleConfig((c) => {
          c.email = { provider: 'sendgrid', senderAddress: 'noreply@lns.example.com' };
        }),
      ),
    );
    expect(env(sendgrid).TTN_LW_IS_EMAIL_PROVIDER).toBe('sendgrid');
    expect(env(sendgrid).TTN_LW_IS_EMAIL_SENDER_NAME).toBeUndefined();
    expect(secrets(sendgrid).TTN_LW_IS_EMAIL_SENDGRID_API_KEY).toMatch(/:password::$/);
    expect(secrets(sendgrid).TTN_LW_IS_EMAIL_SMTP_PASSWORD).toBeUndefined();
  });

  it('sets no e-mail key at all without the config section', () => {
    const none = isContainer(fullSynth(exampleConfig()));
    const keys = [...Object.keys(env(none)), ...Object.keys(secrets(none))];
    expect(keys.filter((k) => k.startsWith('TTN_LW_IS_EMAIL_'))).toEqual([]);
  });
});
