import { ownsAccountSettings, planComponents } from '../../src/compose/compute/plan';
import type { ComputeLayerInputs } from '../../src';
import { emailOf } from '../../src/compose/compute/wiring';
import { computeError, containersByFamily, synthCompute, synthComputeStack } from './compute-fixture';
import { Json, exampleConfig, resources } from './helpers';

describe('tts.components overrides', () => {
  it('rejects an unknown component id naming the config path, in the config loader', () => {
    expect(() => exampleConfig((c) => (c.tts.components = { gss: { desiredCount: 3 } } as never))).toThrow(
      /tts\.components\.gss = \{"desiredCount":3\}: is not a known field; did you mean "gs"\?.*known fields here: is, gs,/,
    );
  });

  it('rejects an invalid Fargate size with the valid memory values (the config loader already, when both are given)', () => {
    expect(() => exampleConfig((c) => (c.tts.components = { gs: { cpu: 256, memory: 4096 } }))).toThrow(
      /tts\.components\.gs\.memory = 4096: is not a Fargate size with cpu 256\. With cpu 256 use memory \(MiB\) 512, 1024, 2048\./,
    );
    // A half-given size is checked against the catalog default: gs defaults to 2048 MiB, which 4096 CPU units refuse.
    const config = exampleConfig((c) => (c.tts.components = { gs: { cpu: 4096 } }));
    expect(computeError(config)?.message).toMatch(
      /tts\.components\.gs\.memory = 2048: is not a Fargate size with cpu 4096\. With cpu 4096 use memory \(MiB\) 8192/,
    );
  });

  it('rejects an invalid Fargate CPU value in the config loader, with the valid ones', () => {
    expect(() => exampleConfig((c) => (c.tts.components = { ns: { cpu: 300 } as never }))).toThrow(
      /tts\.components\.ns\.cpu = 300: must be one of 256, 512, 1024, 2048, 4096, 8192, 16384/,
    );
  });

  it('rejects more than one Application Server task', () => {
    const config = exampleConfig((c) => (c.tts.components = { as: { desiredCount: 2 } }));
    expect(computeError(config)?.message).toMatch(
      /tts\.components\.as\.desiredCount = 2: the Application Server must not run more than one task/,
    );
  });

  it('rejects enterprise components in the open-source edition, and the TBS without features.tbs', () => {
    const oss = exampleConfig((c) => {
      c.tts.edition = 'open-source';
      c.tts.components = { noc: { enabled: true } };
    });
    expect(computeError(oss)?.message).toMatch(
      /tts\.components\.noc\.enabled = true: the Network Operations Center is not part of The Things Stack open-source/,
    );
    const tbs = exampleConfig((c) => (c.tts.components = { tbs: { enabled: true } }));
    expect(computeError(tbs)?.message).toMatch(
      /tts\.components\.tbs\.enabled = true: the Tenant Billing Server is switched on with features\.tbs/,
    );
  });

  it('applies enabled, desiredCount, cpu and memory', () => {
    const config = exampleConfig((c) => {
      c.tts.components = {
        pba: { enabled: true },
        dr: { enabled: false },
        gs: { desiredCount: 4, cpu: 2048, memory: 4096 },
      };
    });
    const plan = Object.fromEntries(planComponents(config, config.clusters[0]).map((p) => [p.spec.id, p]));
    expect(plan.pba).toBeDefined();
    expect(plan.dr).toBeUndefined();
    expect(plan.gs).toMatchObject({ desiredCount: 4, cpu: 2048, memoryMiB: 4096 });
  });

  it('runs the open-source image and binary with only open-source components', () => {
    const config = exampleConfig((c) => (c.tts.edition = 'open-source'));
    const stack = synthComputeStack(config, 'eu1');
    const [is] = containersByFamily(stack)['acme-prod-eu1-is'];
    expect(is.image).toBe('thethingsnetwork/lorawan-stack:3.33.1');
    expect(is.entryPoint).toEqual(['ttn-lw-stack']);
    expect(is.secrets.map((s) => s.name)).not.toContain('TTN_LW_LICENSE_KEY');
  });
});

describe('ECS account settings ownership', () => {
  const config = exampleConfig((c) => {
    c.clusters.push({
      id: 'eu2',
      role: 'secondary',
      accountId: '111111111111',
      region: 'eu-west-1',
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      vpcCidr: '10.40.0.0/16',
      domain: 'eu2.lns.example.com',
    });
  });

  it('gives them to the first cluster of each account and region only', () => {
    expect(config.clusters.map((c) => [c.id, ownsAccountSettings(config, c)])).toEqual([
      ['eu1', true],
      ['us1', true],
      ['ap1', true],
      ['eu2', false],
    ]);
    expect(resources(synthCompute(config, 'eu2').stack, 'aws_ecs_account_setting_default')).toHaveLength(0);
  });
});

describe('secondary inputs', () => {
  it('rejects a secondary without the primary contract endpoint', () => {
    expect(computeError(exampleConfig(), 'us1', (i) => ({ ...i, primary: undefined }))?.message).toBe(
      "acme-prod-us1-compute/Compute: a secondary needs inputs.primary (the primary contract's Identity Server endpoint, from primaryLink(stack)).",
    );
  });
});

describe('e-mail warning', () => {
  const warnings = (layer: {
    node: { findAll(): Array<{ node: { metadata: Array<{ type: string; data: unknown }> } }> };
  }) => layer.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => m.data));
  const noEmail = (i: ComputeLayerInputs) => ({ ...i, secrets: { ...i.secrets, email: undefined } });

  it('warns that e-mail is off where the Identity Server runs without e-mail', () => {
    expect(warnings(synthCompute(exampleConfig(), 'eu1', noEmail).layer)).toContainEqual(
      expect.stringMatching(/^E-mail is off: the Identity Server sends no e-mail .*Add an "email" section/),
    );
  });

  it('does not warn with e-mail, nor in a secondary (no Identity Server)', () => {
    const email = (w: unknown[]) => w.filter((m) => String(m).startsWith('E-mail'));
    expect(email(warnings(synthCompute(exampleConfig(), 'eu1').layer))).toEqual([]);
    expect(email(warnings(synthCompute(exampleConfig(), 'us1', noEmail).layer))).toEqual([]);
  });
});

describe('emailOf', () => {
  const secret = {
    name: 'acme-prod-eu1/email-credentials',
    arn: 'arn:secret',
    kmsKeyArn: 'arn:key',
    fillCommand: '',
    valueFormat: '',
  };

  it('is undefined without the config section', () => {
    expect(emailOf(undefined, { ...secret, jsonKeys: ['username', 'password'] })).toBeUndefined();
  });

  it('rejects a secret without the username/password JSON keys', () => {
    expect(() => emailOf({ provider: 'sendgrid', senderAddress: 'a@example.com' }, secret)).toThrow(
      'The e-mail secret acme-prod-eu1/email-credentials has no JSON key "username"; the IS reads it from there.',
    );
  });

  it('rejects SMTP without a server (the config rules report it first)', () => {
    expect(() =>
      emailOf({ provider: 'smtp', senderAddress: 'a@example.com' }, { ...secret, jsonKeys: ['username', 'password'] }),
    ).toThrow('email.smtp is required with provider "smtp"');
  });
});

describe('ops task', () => {
  const primary = synthComputeStack(exampleConfig(), 'eu1');
  const secondary = synthComputeStack(exampleConfig(), 'us1');
  const commands = (stack: Json): Record<string, string> => stack.output.ops_commands.value;

  it('outputs the exact run-task commands for the database operations', () => {
    const c = commands(primary);
    expect(Object.keys(c).sort()).toEqual([
      'asDbMigrate',
      'createAdminUser',
      'createCliClient',
      'createConsoleClient',
      'createTenant',
      'migrate',
      'nsDbMigrate',
    ]);
    expect(c.migrate).toMatch(
      /^aws ecs run-task --region eu-west-1 --cluster \$\{aws_ecs_cluster\.[^}]+\.name\} --task-definition acme-prod-eu1-ops --launch-type FARGATE --network-configuration "awsvpcConfiguration=\{subnets=\[\$\{join\(",", \["subnet-a", "subnet-b"\]\)\}\],securityGroups=\[\$\{aws_security_group\.[^}]+\.id\},sg-0a5c0a5c0a5c0a5c0\],assignPublicIp=DISABLED\}" --overrides '\{"containerOverrides":\[\{"name":"ops","command":\["exec tti-lw-stack is-db migrate"\]\}\]\}'$/,
    );
    expect(c.createConsoleClient).toContain(
      '--tenant-id default --owner admin --id console --name Console --secret \\"$TTN_LW_CONSOLE_OAUTH_CLIENT_SECRET\\"',
    );
    expect(c.createConsoleClient).toContain('--redirect-uri https://lns.example.com/console/oauth/callback');
    expect(c.createAdminUser).toContain(
      '"environment":[{"name":"ADMIN_EMAIL","value":"<email>"},{"name":"ADMIN_PASSWORD","value":"<password>"}]',
    );
  });

  it('has the database URI and Console secret as ECS secrets, not in the commands', () => {
    const [ops] = containersByFamily(primary)['acme-prod-eu1-ops'];
    expect(ops.entryPoint).toEqual(['/bin/sh', '-c']);
    expect(ops.secrets.map((s) => s.name)).toEqual(
      expect.arrayContaining(['TTN_LW_IS_DATABASE_URI', 'TTN_LW_CONSOLE_OAUTH_CLIENT_SECRET']),
    );
    for (const command of Object.values(commands(primary))) expect(command).not.toMatch(/secretsmanager/);
  });

  it('offers only the Redis migrations in a secondary', () => {
    expect(Object.keys(commands(secondary)).sort()).toEqual(['asDbMigrate', 'nsDbMigrate']);
    const [ops] = containersByFamily(secondary)['acme-prod-us1-ops'];
    expect(ops.secrets.map((s) => s.name)).not.toContain('TTN_LW_IS_DATABASE_URI');
  });
});

describe('certbot', () => {
  const config = exampleConfig((c) => (c.features = { ...c.features, certbot: true }));
  const stack = synthComputeStack(config, 'eu1');

  it('runs every 14 days through EventBridge Scheduler', () => {
    expect(resources(stack, 'aws_scheduler_schedule')[0]).toMatchObject({
      name: 'acme-prod-eu1-certbot',
      schedule_expression: 'rate(14 days)',
    });
  });

  it('may change only the challenge TXT record of the configured hosted zone', () => {
    const policy = resources(stack, 'aws_iam_role_policy')
      .map((p) => JSON.parse(p.policy).Statement as Json[])
      .find((s) => s.some((x) => x.Sid === 'ChallengeRecords'))!;
    expect(policy.find((s) => s.Sid === 'ChallengeRecords')).toEqual({
      Effect: 'Allow',
      Sid: 'ChallengeRecords',
      Action: 'route53:ChangeResourceRecordSets',
      Resource: 'arn:aws:route53:::hostedzone/Z0123456789EXAMPLE',
      Condition: {
        'ForAllValues:StringEquals': {
          'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['_acme-challenge.lns.example.com'],
          'route53:ChangeResourceRecordSetsRecordTypes': ['TXT'],
        },
      },
    });
    expect(policy.find((s) => s.Sid === 'ImportCertificate')!.Resource).toBe(
      'arn:aws:acm:eu-west-1:111111111111:certificate/*',
    );
  });

  it('puts its certificate on every TLS listener itself, and Terraform leaves that certificate alone', () => {
    const listeners = resources(stack, 'aws_lb_listener');
    const tls = listeners.filter((l) => l.protocol === 'TLS');
    expect(tls.length).toBeGreaterThan(0);
    for (const l of tls) expect(l.lifecycle).toEqual({ ignore_changes: ['certificate_arn'] });
    for (const l of listeners.filter((x) => x.protocol !== 'TLS')) expect(l.lifecycle).toBeUndefined();
    const policy = resources(stack, 'aws_iam_role_policy')
      .map((p) => JSON.parse(p.policy).Statement as Json[])
      .find((st) => st.some((x) => x.Sid === 'UseOnListeners'))!;
    const modify = policy.find((x) => x.Sid === 'UseOnListeners')!;
    expect(modify.Action).toBe('elasticloadbalancing:ModifyListener');
    expect(modify.Resource).toHaveLength(tls.length);
    const [task] = resources(stack, 'aws_ecs_task_definition').filter((t) => /certbot/.test(t.family));
    const [container] = JSON.parse(task.container_definitions) as Json[];
    const listenerArns = (container.environment as Json[])
      .filter((e) => /^LISTENER_ARN_\d+$/.test(e.name))
      .map((e) => e.value);
    expect(listenerArns.sort()).toEqual(
      Object.keys(stack.resource.aws_lb_listener)
        .filter((id) => stack.resource.aws_lb_listener[id].protocol === 'TLS')
        .map((id) => `\${aws_lb_listener.${id}.arn}`)
        .sort(),
    );
    expect(task.container_definitions).toContain(
      "elb.modify_listener(ListenerArn=listener, Certificates=[{'CertificateArn': arn}])",
    );
  });

  it('prints the command that runs it now', () => {
    expect(stack.output.certbot_run_command.value).toMatch(
      /^aws ecs run-task --region eu-west-1 --cluster \$\{aws_ecs_cluster\.\w+\.name\} --task-definition acme-prod-eu1-certbot --launch-type FARGATE --network-configuration "awsvpcConfiguration=\{subnets=\[/,
    );
  });

  it('is absent by default, and the TLS listeners then follow the configured certificate', () => {
    const plain = synthCompute(exampleConfig(), 'eu1').stack;
    expect(resources(plain, 'aws_scheduler_schedule')).toHaveLength(0);
    for (const l of resources(plain, 'aws_lb_listener')) expect(l.lifecycle).toBeUndefined();
  });
});
