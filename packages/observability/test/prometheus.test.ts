import {
  Prometheus,
  PrometheusProps,
  ScrapeTarget,
  renderPrometheusConfig,
  renderStartScript,
  scrapeTargetsOf,
} from '../src';
import { all, env, inNamedTest, synthStack as synth } from '@tts-ecs/testing';

const targets: ScrapeTarget[] = [
  { jobName: 'gs', dnsName: 'gs.tts.internal', port: 1885 },
  { jobName: 'ns', dnsName: 'ns.tts.internal', port: 1885, metricsPath: '/custom-metrics', scheme: 'https' },
];
const base: PrometheusProps = {
  environment: env,
  cluster: { clusterName: 'eu1', clusterArn: 'arn:aws:ecs:eu-west-1:111111111111:cluster/eu1' },
  vpcId: 'vpc-1',
  subnetIds: ['subnet-a', 'subnet-b'],
  logKmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/logs',
  fileSystemId: 'fs-123',
  accessPointId: 'fsap-456',
  scrapeTargets: targets,
  metricsPasswordSecretArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:metrics-AbCdEf',
};

type Container = {
  name: string;
  command: string[];
  entryPoint?: string[];
  user?: string;
  essential: boolean;
  environment: { name: string; value: string }[];
  secrets: { name: string; valueFrom: string }[];
  portMappings: unknown[];
  readonlyRootFilesystem: boolean;
  mountPoints: { sourceVolume: string; containerPath: string; readOnly: boolean }[];
  dependsOn?: { containerName: string; condition: string }[];
};

/** Paths a shell script writes to through redirections (`> file`, `>> file`). */
const redirectTargets = (script: string) => [...script.matchAll(/>>?\s*([^\s;&|]+)/g)].map((m) => m[1]);
const isUnder = (dir: string) => (path: string) => path.startsWith(`${dir}/`);

describe('Prometheus with Alertmanager and long-term storage', () => {
  let prom!: Prometheus;
  const s = synth((stack) => {
    prom = new Prometheus(stack, 'Prometheus', {
      ...base,
      alertmanagerUrl: 'https://alertmanager.internal:9093/am/',
      longTermStorage: { bucketName: 'acme-metrics', kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/metrics' },
    });
  });
  const td = inNamedTest('finds the task definition', () => all(s, 'aws_ecs_task_definition')[0]);
  const containers = (): Container[] => JSON.parse(td.container_definitions as string);
  const main = inNamedTest('finds the prometheus container', () => containers().find((c) => c.name === 'prometheus')!);
  const sidecar = inNamedTest('finds the thanos-sidecar container', () =>
    containers().find((c) => c.name === 'thanos-sidecar')!,
  );
  const runtimeConfig = inNamedTest('reads the runtime configuration', () =>
    JSON.parse(main.environment.find((e) => e.name === 'PROMETHEUS_CONFIG')!.value),
  );

  it('scrapes exactly the given targets, with basic auth user metrics and the password from a file', () => {
    expect(scrapeTargetsOf(runtimeConfig)).toEqual([
      { jobName: 'gs', dnsName: 'gs.tts.internal', port: 1885, metricsPath: '/metrics', scheme: 'http' },
      { jobName: 'ns', dnsName: 'ns.tts.internal', port: 1885, metricsPath: '/custom-metrics', scheme: 'https' },
    ]);
    for (const job of runtimeConfig.scrape_configs) {
      expect(job.basic_auth).toEqual({
        username: 'metrics',
        password_file: '/etc/prometheus-runtime/metrics-password',
      });
    }
    expect(runtimeConfig).toEqual(prom.config);
  });

  it('injects the password as an ECS secret only, never in the task definition', () => {
    expect(main.secrets).toEqual([{ name: 'METRICS_PASSWORD', valueFrom: base.metricsPasswordSecretArn }]);
    expect(main.entryPoint).toEqual(['/bin/sh', '-c']);
    expect(main.command[0]).toContain(`printf '%s' "$METRICS_PASSWORD" > /etc/prometheus-runtime/metrics-password`);
    expect(main.command[0]).toContain('unset METRICS_PASSWORD');
    expect(main.command[0]).toMatch(
      /\nexec \/bin\/prometheus --config\.file=\/etc\/prometheus-runtime\/prometheus\.yml /,
    );
    expect(td.container_definitions as string).not.toContain('${');
  });

  it('runs 1 vCPU / 2 GiB as a single task', () => {
    expect(td).toMatchObject({ cpu: '1024', memory: '2048', requires_compatibilities: ['FARGATE'] });
    expect(all(s, 'aws_ecs_service')[0]).toMatchObject({ desired_count: 1, deployment_maximum_percent: 100 });
  });

  it('keeps the TSDB on EFS with transit encryption and IAM authorization through the access point', () => {
    expect(td.volume).toEqual([
      {
        name: 'data',
        efs_volume_configuration: {
          file_system_id: 'fs-123',
          transit_encryption: 'ENABLED',
          authorization_config: { access_point_id: 'fsap-456', iam: 'ENABLED' },
        },
      },
      // The runtime directory: a task-local volume (no EFS, no host path), emptied when the task stops.
      { name: 'runtime' },
    ]);
    expect(main.mountPoints).toEqual([
      { sourceVolume: 'data', containerPath: '/prometheus', readOnly: false },
      { sourceVolume: 'runtime', containerPath: '/etc/prometheus-runtime', readOnly: false },
    ]);
  });

  it('runs Prometheus as nobody on a read-only root file system (checkov CKV_AWS_336)', () => {
    expect(main.readonlyRootFilesystem).toBe(true);
    expect(main.user).toBe('65534:65534');
    expect(containers().filter((c) => c.readonlyRootFilesystem !== true)).toEqual([]);
  });

  it('writes the start files only under the runtime mount, and points Prometheus there and at the data mount', () => {
    const mount = (volume: string) => main.mountPoints.find((m) => m.sourceVolume === volume)!.containerPath;
    const runtime = mount('runtime');
    const script = main.command[0];
    const written = redirectTargets(script);
    expect(written).toEqual([`${runtime}/metrics-password`, `${runtime}/prometheus.yml`]);
    expect(written.every(isUnder(runtime))).toBe(true);
    // No other way of writing files in the script.
    expect(script).not.toMatch(/\b(mkdir|touch|cp|mv|tee|ln|rm|dd|install)\b/);
    const flags = script.slice(script.indexOf('exec /bin/prometheus ')).split(/\s+/);
    expect(flags).toContain(`--config.file=${runtime}/prometheus.yml`);
    expect(flags).toContain(`--storage.tsdb.path=${mount('data')}`);
    for (const job of runtimeConfig.scrape_configs)
      expect(job.basic_auth.password_file).toBe(`${runtime}/metrics-password`);
  });

  it('hands the runtime volume to nobody from a root init container that Prometheus waits for', () => {
    const init = containers().find((c) => c.name === 'prometheus-init')!;
    expect(init).toMatchObject({
      user: '0:0',
      essential: false,
      readonlyRootFilesystem: true,
      entryPoint: ['/bin/sh', '-c'],
      mountPoints: [{ sourceVolume: 'runtime', containerPath: '/etc/prometheus-runtime', readOnly: false }],
      environment: [],
      secrets: [],
      portMappings: [],
    });
    expect(init.command).toEqual([
      'set -eu\nchown 65534:65534 /etc/prometheus-runtime\nchmod 0700 /etc/prometheus-runtime',
    ]);
    expect(init.command[0]).toContain(`chown ${main.user} `);
    expect(main.dependsOn).toEqual([{ containerName: 'prometheus-init', condition: 'SUCCESS' }]);
    // It is the task's only root container.
    expect(
      containers()
        .filter((c) => c.user === undefined || /^(0|root)(:|$)/.test(c.user))
        .map((c) => c.name),
    ).toEqual(['prometheus-init']);
  });

  it('sends alerts to the Alertmanager', () => {
    expect(runtimeConfig.alerting).toEqual({
      alertmanagers: [
        { scheme: 'https', path_prefix: '/am', static_configs: [{ targets: ['alertmanager.internal:9093'] }] },
      ],
    });
  });

  it('ships blocks to the bucket through a Thanos sidecar with 2 h blocks and external labels', () => {
    expect(main.command[0]).toContain('--storage.tsdb.min-block-duration=2h --storage.tsdb.max-block-duration=2h');
    expect(runtimeConfig.global.external_labels).toEqual({ prometheus: 'prometheus' });
    const objstore = sidecar.command.find((c) => c.startsWith('--objstore.config='))!;
    expect(JSON.parse(objstore.slice('--objstore.config='.length))).toEqual({
      type: 'S3',
      config: {
        bucket: 'acme-metrics',
        endpoint: 's3.eu-west-1.amazonaws.com',
        region: 'eu-west-1',
        sse_config: { type: 'SSE-KMS', kms_key_id: 'arn:aws:kms:eu-west-1:111111111111:key/metrics' },
      },
    });
    expect(sidecar.readonlyRootFilesystem).toBe(true);
  });

  it('grants the task role exactly that bucket and key', () => {
    const policies = all(s, 'aws_iam_role_policy').map((p) => JSON.parse(p.policy as string));
    const statements = policies.flatMap((p) => p.Statement) as {
      Sid?: string;
      Action: string | string[];
      Resource: string | string[];
    }[];
    const s3 = statements.filter((st) => [st.Action].flat().some((a) => a.startsWith('s3:')));
    expect(
      s3
        .map((st) => st.Resource)
        .flat()
        .sort(),
    ).toEqual(['arn:aws:s3:::acme-metrics', 'arn:aws:s3:::acme-metrics/*']);
    expect(statements.find((st) => st.Sid === 'ThanosBucketKey')!.Resource).toBe(
      'arn:aws:kms:eu-west-1:111111111111:key/metrics',
    );
  });
});

describe('Prometheus without extras', () => {
  const s = synth((stack) => new Prometheus(stack, 'P', base));
  const containers = (): Container[] =>
    JSON.parse(all(s, 'aws_ecs_task_definition')[0].container_definitions as string);
  const config = () => JSON.parse(containers()[0].environment[0].value);

  it('runs no sidecar, no alerting section and default block sizes', () => {
    expect(containers().map((c) => c.name)).toEqual(['prometheus', 'prometheus-init']);
    expect(config().alerting).toBeUndefined();
    expect(containers()[0].command[0]).not.toContain('block-duration');
    const actions = all(s, 'aws_iam_role_policy').flatMap((p) =>
      JSON.parse(p.policy as string).Statement.flatMap((st: { Action: string | string[] }) => [st.Action].flat()),
    );
    expect(actions.filter((a: string) => a.startsWith('s3:'))).toEqual([]);
  });
});

it('renders the configuration and start script as data', () => {
  const config = renderPrometheusConfig({ scrapeTargets: targets, scrapeIntervalSeconds: 15 });
  expect(config.global).toEqual({ scrape_interval: '15s', evaluation_interval: '15s' });
  expect(config.scrape_configs.map((c) => c.job_name)).toEqual(['gs', 'ns']);
  expect(config.scrape_configs[0].dns_sd_configs).toEqual([
    { names: ['gs.tts.internal'], type: 'A', port: 1885, refresh_interval: '30s' },
  ]);
  expect(JSON.stringify(config)).not.toMatch(/"password":/);
  expect(renderStartScript({ retentionDays: 30 })).toContain('--storage.tsdb.retention.time=30d');
});

describe('Prometheus validation', () => {
  const make = (extra: Partial<PrometheusProps>) => () =>
    synth((stack) => new Prometheus(stack, 'P', { ...base, ...extra }));

  it('rejects empty, duplicate and malformed scrape targets', () => {
    expect(make({ scrapeTargets: [] })).toThrow('test/P: invalid scrapeTargets []. Give at least one scrape target');
    expect(make({ scrapeTargets: [targets[0], targets[0]] })).toThrow(
      'test/P: invalid scrapeTargets[1].jobName "gs". Use a unique job name',
    );
    expect(make({ scrapeTargets: [{ jobName: 'a', dnsName: 'http://gs:1885', port: 1885 }] })).toThrow(
      'test/P: invalid scrapeTargets[0].dnsName "http://gs:1885". Give a bare DNS name',
    );
    expect(make({ scrapeTargets: [{ jobName: 'a', dnsName: 'gs', port: 0 }] })).toThrow(
      'test/P: invalid scrapeTargets[0].port 0. Use a whole number from 1 to 65535.',
    );
    expect(make({ scrapeTargets: [{ jobName: 'a', dnsName: 'gs', port: 1, metricsPath: 'metrics' }] })).toThrow(
      'test/P: invalid scrapeTargets[0].metricsPath "metrics". Start the path with "/"',
    );
  });

  it('rejects an Alertmanager URL with credentials without echoing them, and a non-http one', () => {
    expect(make({ alertmanagerUrl: 'https://user:pw@am:9093' })).toThrow(
      'test/P: invalid alertmanagerUrl "<redacted>". Give a literal http(s) URL without credentials',
    );
    expect(make({ alertmanagerUrl: 'ftp://am' })).toThrow('test/P: invalid alertmanagerUrl "ftp://am".');
  });

  it('rejects a password where the secret ARN belongs, and a bucket ARN where the name belongs', () => {
    expect(make({ metricsPasswordSecretArn: 'hunter2' })).toThrow(
      /invalid metricsPasswordSecretArn "hunter2"\. Give the ARN of the Secrets Manager secret/,
    );
    expect(
      make({
        longTermStorage: { bucketName: 'arn:aws:s3:::b', kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/k' },
      }),
    ).toThrow('test/P: invalid longTermStorage.bucketName "arn:aws:s3:::b". Give the bucket name (not its ARN)');
    expect(make({ retentionDays: 0 })).toThrow('test/P: invalid retentionDays 0. Use a whole number from 1 to 3650.');
  });
});
