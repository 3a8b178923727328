import { CONFIG_KEYS, componentsOf } from '../../src';
import { inNamedTest } from '@tts-ecs/testing';
import { containersByFamily, synthComputeStack } from './compute-fixture';
import { Json, exampleConfig, resources } from './helpers';

const config = exampleConfig();
const primary = synthComputeStack(config, 'eu1');
const secondary = synthComputeStack(config, 'us1');
const families = (stack: Json) =>
  resources(stack, 'aws_ecs_service')
    .map((s) => s.name)
    .sort();
const KEY_BY_ENV = new Map(CONFIG_KEYS.map((k) => [k.env, k]));

describe('services of the primary (enterprise example)', () => {
  // No dtc/qrg services: `start dcs` starts them inside the DCS (runtime contract).
  const expected = ['is', 'gs', 'ns', 'as', 'js', 'console', 'gcs', 'dcs', 'dr'];

  it('runs one service per included component plus the router, and none for opt-in ones', () => {
    expect(families(primary)).toEqual([...expected, 'router'].map((c) => `acme-prod-eu1-${c}`).sort());
    for (const optional of ['pba', 'noc', 'tbs']) expect(families(primary)).not.toContain(`acme-prod-eu1-${optional}`);
  });

  it('runs the Identity Server with 2 tasks and the Application Server as a singleton', () => {
    const svc = (n: string) => resources(primary, 'aws_ecs_service').find((s) => s.name === `acme-prod-eu1-${n}`)!;
    expect(svc('is').desired_count).toBe(2);
    expect(svc('as')).toMatchObject({
      desired_count: 1,
      deployment_maximum_percent: 100,
      deployment_minimum_healthy_percent: 0,
    });
  });

  it('pins the enterprise image to the configured version and starts each component', () => {
    const [gs] = containersByFamily(primary)['acme-prod-eu1-gs'];
    expect(gs.image).toBe('thethingsindustries/lorawan-stack:3.33.1-aws');
    expect(gs.entryPoint).toEqual(['tti-lw-stack']);
    const command = gs.command ?? [];
    expect(command.slice(0, 2)).toEqual(['start', 'gs']);
    expect(command.slice(2).every((a: string) => /^--[a-z0-9.-]+=$/.test(a))).toBe(true);
  });

  it('registers every component in Cloud Map and points cluster peers at those names', () => {
    expect(resources(primary, 'aws_service_discovery_private_dns_namespace')[0]).toMatchObject({
      name: 'tts.internal',
      vpc: 'vpc-123',
    });
    expect(
      resources(primary, 'aws_service_discovery_service')
        .map((s) => s.name)
        .sort(),
    ).toEqual([...expected, 'router'].sort());
    const env = Object.fromEntries(
      containersByFamily(primary)['acme-prod-eu1-ns'][0].environment.map((e) => [e.name, e.value]),
    );
    expect(env).toMatchObject({
      TTN_LW_CLUSTER_IDENTITY_SERVER: 'is.tts.internal:1884',
      TTN_LW_CLUSTER_GATEWAY_SERVER: 'gs.tts.internal:1884',
      TTN_LW_CLUSTER_ADDRESS: 'ns.tts.internal:1884',
      TTN_LW_GRPC_ALLOW_INSECURE_FOR_CREDENTIALS: 'true',
      TTN_LW_CLUSTER_TLS: 'false',
      TTN_LW_REDIS_ADDRESS: 'general.cache.amazonaws.com:6379',
      TTN_LW_REDIS_TLS_REQUIRE: 'true',
      TTN_LW_EVENTS_REDIS_ADDRESS: 'events.cache.amazonaws.com:6379',
      TTN_LW_CACHE_REDIS_ADDRESS: 'general.cache.amazonaws.com:6379',
      TTN_LW_BLOB_PROVIDER: 'aws',
      TTN_LW_NS_INTEROP_BLOB_BUCKET: 'acme-prod-eu1-interop',
    });
  });
});

describe('TTS configuration of every container', () => {
  const all = () => [primary, secondary].flatMap((s) => Object.values(containersByFamily(s)).flat());

  it('uses only configuration keys of the catalog', () => {
    const names = all()
      .flatMap((c) => [...c.environment, ...c.secrets].map((e) => e.name))
      .filter((n) => n.startsWith('TTN_LW_'));
    expect(names.length).toBeGreaterThan(100);
    for (const name of names) expect(KEY_BY_ENV.has(name) ? name : `unknown ${name}`).toBe(name);
  });

  it('never puts a secret key in plain environment, and passes each one as an ECS secret ARN', () => {
    for (const c of all()) {
      for (const e of c.environment) {
        expect(KEY_BY_ENV.get(e.name)?.kind === 'secret' ? `${c.name}: ${e.name}` : 'plain').toBe('plain');
        expect(e.value).not.toMatch(/secretsmanager/);
      }
      for (const s of c.secrets) expect(s.valueFrom).toMatch(/^arn:aws:secretsmanager:[a-z0-9-]+:111111111111:secret:/);
    }
    const is = containersByFamily(primary)['acme-prod-eu1-is'][0];
    expect(is.secrets.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        'TTN_LW_IS_DATABASE_URI',
        'TTN_LW_CLUSTER_KEYS',
        'TTN_LW_HTTP_COOKIE_BLOCK_KEY',
        'TTN_LW_REDIS_PASSWORD',
        'TTN_LW_LICENSE_KEY',
      ]),
    );
  });
});

describe('secondary cluster', () => {
  const containers = inNamedTest('reads the containers of us1', () => containersByFamily(secondary));

  it('runs the IS proxy and no Identity Server', () => {
    expect(families(secondary)).toContain('acme-prod-us1-is-proxy');
    expect(families(secondary)).not.toContain('acme-prod-us1-is');
  });

  it('proxies to the primary domain over TLS and routes `is` traffic to the proxy', () => {
    const [proxy] = containers['acme-prod-us1-is-proxy'];
    expect(proxy.entryPoint).toEqual(['/usr/local/bin/envoy']);
    const bootstrap = JSON.parse(proxy.command![proxy.command!.indexOf('--config-yaml') + 1]);
    const hosts = bootstrap.static_resources.clusters.map(
      (c: Json) => c.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address,
    );
    expect(new Set(hosts)).toEqual(new Set(['lns.example.com']));
    const [router] = containers['acme-prod-us1-router'];
    const routes = JSON.parse(router.command![router.command!.indexOf('--config-yaml') + 1]);
    const isCluster = routes.static_resources.clusters.find((c: Json) => c.name === 'is-grpc');
    expect(isCluster.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address).toBe(
      'is-proxy.tts.internal',
    );
  });

  it('points components at the proxy and the Console at the primary OAuth server', () => {
    const env = Object.fromEntries(containers['acme-prod-us1-console'][0].environment.map((e) => [e.name, e.value]));
    expect(env.TTN_LW_CLUSTER_IDENTITY_SERVER).toBe('is-proxy.tts.internal:1884');
    expect(env.TTN_LW_CONSOLE_OAUTH_CLIENT_ID).toBe('console-us1');
    expect(env.TTN_LW_CONSOLE_OAUTH_AUTHORIZE_URL).toBe('https://lns.example.com/oauth/authorize');
    expect(env.TTN_LW_CONSOLE_UI_CANONICAL_URL).toBe('https://us1.lns.example.com/console');
  });

  it('has no database configuration anywhere', () => {
    const names = Object.values(containers)
      .flat()
      .flatMap((c) => c.secrets.map((s) => s.name));
    expect(names).not.toContain('TTN_LW_IS_DATABASE_URI');
  });

  it('runs every component of the edition that is neither primary-only nor opt-in', () => {
    const wanted = componentsOf('enterprise')
      .filter((c) => !c.primaryOnly && c.defaultIncluded && !['dtc', 'qrg'].includes(c.id))
      .map((c) => `acme-prod-us1-${c.id}`);
    expect(families(secondary)).toEqual([...wanted, 'acme-prod-us1-is-proxy', 'acme-prod-us1-router'].sort());
  });
});

describe('IAM', () => {
  const roles = () => resources(primary, 'aws_ecs_task_definition');
  const policies = () => resources(primary, 'aws_iam_role_policy');

  it('gives every task definition distinct execution and task roles', () => {
    for (const td of roles()) expect(td.execution_role_arn).not.toBe(td.task_role_arn);
  });

  it('names concrete ARNs in every policy ("*" only where AWS has no resource-level permission)', () => {
    const wildcardOk = new Set(['EcrLogin', 'ExecSessionChannels', 'FindZone']);
    expect(policies().length).toBeGreaterThanOrEqual(15);
    for (const p of policies()) {
      for (const s of JSON.parse(p.policy).Statement) {
        for (const r of [s.Resource].flat()) {
          if (r === '*') expect(wildcardOk.has(s.Sid) ? 'ok' : s.Sid).toBe('ok');
          else expect(r).toMatch(/^(arn:aws:|\$\{)/);
        }
      }
    }
  });

  it('lets the Identity Server write exactly the picture buckets', () => {
    const is = policies()
      .filter((p) => p.name === 'task')
      .map((p) => JSON.parse(p.policy).Statement)
      .find((s) => s.some((x: Json) => x.Sid === 'ProfilePictures'));
    expect(is.map((s: Json) => s.Resource)).toEqual([
      'arn:aws:s3:::acme-profile/*',
      'arn:aws:kms:eu-west-1:111111111111:key/buckets',
      'arn:aws:s3:::acme-devices/*',
      'arn:aws:kms:eu-west-1:111111111111:key/buckets',
    ]);
  });
});

describe('cluster', () => {
  it('has Container Insights and a customer key', () => {
    expect(resources(primary, 'aws_ecs_cluster')[0]).toMatchObject({
      name: 'acme-prod-eu1',
      setting: [{ name: 'containerInsights', value: 'enabled' }],
    });
    expect(resources(primary, 'aws_kms_key')[0].enable_key_rotation).toBe(true);
  });

  it('owns the ECS account settings of its region (the example has one cluster per region)', () => {
    expect(
      resources(primary, 'aws_ecs_account_setting_default')
        .map((s) => s.name)
        .sort(),
    ).toEqual(['awsvpcTrunking', 'containerInstanceLongArnFormat', 'serviceLongArnFormat', 'taskLongArnFormat']);
    expect(resources(secondary, 'aws_ecs_account_setting_default')).toHaveLength(4);
  });
});
