// Every documented `@default` of the observability constructs and renderers that no other test pins: each construct is
// built once (one synth) with its required props only, and each default has an assertion naming the prop, so changing
// a default fails here. Defaults that depend on another option are read from siblings in the same synth.
// Already pinned elsewhere: AlarmTopic (alarm-topic.test.ts). Prometheus itself is covered by prometheus.test.ts.
import { Resources, all, env, only, synth } from '@tts-ecs/testing';
import {
  CacheAlarms,
  Dashboard,
  DatabaseAlarms,
  LoadBalancerAlarms,
  ServiceAlarms,
  renderPrometheusConfig,
  renderStartScript,
} from '../src';
import { topicArn } from './topic';

type Alarm = Record<string, unknown> & { alarm_name: string };

const alarmsOf = (r: Resources) => all(r, 'aws_cloudwatch_metric_alarm') as Alarm[];
const alarmNamed = (r: Resources, name: string): Alarm => {
  const found = alarmsOf(r).find((a) => a.alarm_name === name);
  if (!found) throw new Error(`no alarm ${name} among ${alarmsOf(r).map((a) => a.alarm_name)}`);
  return found;
};

/** AlarmSetProps and AlarmOptions defaults every alarm of a set built without them shows. */
function expectCommonDefaults(alarms: Alarm[], prefix: string): void {
  expect(alarms.length).toBeGreaterThan(0);
  for (const alarm of alarms) {
    // AlarmSetProps.alarmNamePrefix @default derived from the monitored identifiers
    expect(alarm.alarm_name.startsWith(`${prefix}-`)).toBe(true);
    // AlarmSetProps.periodSeconds @default 60
    expect(alarm.period).toBe(60);
    // AlarmSetProps.evaluationPeriods @default 5; AlarmOptions.evaluationPeriods @default the set's
    expect(alarm.evaluation_periods).toBe(5);
    // AlarmOptions.datapointsToAlarm @default equal to evaluationPeriods
    expect(alarm.datapoints_to_alarm).toBe(5);
    // AlarmSetProps.tags @default no extra tags
    expect(alarm).not.toHaveProperty('tags');
  }
}

describe('ServiceAlarms defaults', () => {
  const r = synth((s) => {
    // Required props only.
    new ServiceAlarms(s, 'Plain', { alarmTopicArn: topicArn, clusterName: 'eu1', serviceName: 'gs' });
    // Set-level evaluation and one metric's own periods, to read what unset options inherit.
    new ServiceAlarms(s, 'Tuned', {
      alarmTopicArn: topicArn,
      clusterName: 'eu1',
      serviceName: 'ns',
      evaluationPeriods: 3,
      cpu: { evaluationPeriods: 4 },
    });
  });
  const plain = () => alarmsOf(r).filter((a) => a.alarm_name.startsWith('eu1-gs-'));

  it('creates every alarm with the set defaults', () => {
    // AlarmOptions.enabled @default true
    expect(
      plain()
        .map((a) => a.alarm_name)
        .sort(),
    ).toEqual(['eu1-gs-cpu-high', 'eu1-gs-memory-high', 'eu1-gs-running-tasks-low']);
    expectCommonDefaults(plain(), 'eu1-gs');
  });

  it('alarms above 80 % CPU and memory', () => {
    // cpu @default threshold 80
    expect(alarmNamed(r, 'eu1-gs-cpu-high').threshold).toBe(80);
    // memory @default threshold 80
    expect(alarmNamed(r, 'eu1-gs-memory-high').threshold).toBe(80);
  });

  it('alarms when no task runs', () => {
    // minRunningTasks @default 1 (alarm when no task runs)
    expect(alarmNamed(r, 'eu1-gs-running-tasks-low')).toMatchObject({
      threshold: 1,
      comparison_operator: 'LessThanThreshold',
    });
  });

  it('evaluates unset metrics as the set, and needs every evaluated period to breach', () => {
    // runningTasks @default evaluation as the set; AlarmOptions.evaluationPeriods @default the set's evaluationPeriods
    expect(alarmNamed(r, 'eu1-ns-running-tasks-low')).toMatchObject({ evaluation_periods: 3, datapoints_to_alarm: 3 });
    expect(alarmNamed(r, 'eu1-ns-memory-high')).toMatchObject({ evaluation_periods: 3, datapoints_to_alarm: 3 });
    // AlarmOptions.datapointsToAlarm @default equal to `evaluationPeriods` (the metric's own)
    expect(alarmNamed(r, 'eu1-ns-cpu-high')).toMatchObject({ evaluation_periods: 4, datapoints_to_alarm: 4 });
  });
});

describe('DatabaseAlarms defaults', () => {
  const r = synth((s) => {
    // Required props only.
    new DatabaseAlarms(s, 'Db', { alarmTopicArn: topicArn, clusterIdentifier: 'db', instanceIdentifiers: ['db-1'] });
    // A reader, to read the replica lag default.
    new DatabaseAlarms(s, 'WithReader', {
      alarmTopicArn: topicArn,
      clusterIdentifier: 'rdb',
      instanceIdentifiers: ['rdb-1', 'rdb-2'],
      readerInstanceIdentifiers: ['rdb-2'],
    });
  });
  const plain = () => alarmsOf(r).filter((a) => a.alarm_name.startsWith('db-'));

  it('creates the per-instance alarms with the set defaults, and no replica lag alarm', () => {
    // readerInstanceIdentifiers @default none (no replica lag alarms)
    expect(
      plain()
        .map((a) => a.alarm_name)
        .sort(),
    ).toEqual(['db-db-1-connections-high', 'db-db-1-cpu-high', 'db-db-1-freeable-memory-low']);
    expectCommonDefaults(plain(), 'db');
  });

  it('alarms above 80 % CPU, below 256 MiB free memory and above 350 connections', () => {
    // cpu @default threshold 80
    expect(alarmNamed(r, 'db-db-1-cpu-high').threshold).toBe(80);
    // freeableMemory @default threshold 268435456 (256 MiB)
    expect(alarmNamed(r, 'db-db-1-freeable-memory-low').threshold).toBe(268435456);
    // connections @default threshold 350
    expect(alarmNamed(r, 'db-db-1-connections-high').threshold).toBe(350);
  });

  it('alarms above one second of replica lag', () => {
    // replicaLag @default threshold 1000 (one second)
    expect(alarmNamed(r, 'rdb-rdb-2-replica-lag-high').threshold).toBe(1000);
  });
});

describe('CacheAlarms defaults', () => {
  const r = synth(
    (s) =>
      new CacheAlarms(s, 'Redis', {
        alarmTopicArn: topicArn,
        replicationGroupId: 'general',
        memberClusterIds: ['general-001'],
      }),
  );

  it('creates every alarm with the set defaults', () => {
    expectCommonDefaults(alarmsOf(r), 'general');
  });

  it('alarms above 80 % engine CPU and memory, on any eviction and above 10 s of replication lag', () => {
    // engineCpu @default threshold 80
    expect(alarmNamed(r, 'general-general-001-engine-cpu-high').threshold).toBe(80);
    // memory @default threshold 80
    expect(alarmNamed(r, 'general-general-001-memory-high').threshold).toBe(80);
    // evictions @default threshold 0
    expect(alarmNamed(r, 'general-general-001-evictions').threshold).toBe(0);
    // replicationLag @default threshold 10
    expect(alarmNamed(r, 'general-general-001-replication-lag-high').threshold).toBe(10);
  });
});

describe('LoadBalancerAlarms defaults', () => {
  const r = synth(
    (s) =>
      new LoadBalancerAlarms(s, 'Nlb', {
        alarmTopicArn: topicArn,
        loadBalancerArnSuffix: 'net/acme/123',
        targetGroups: [{ name: 'gs-udp', arnSuffix: 'targetgroup/gs-udp/1' }],
      }),
  );

  it('creates the alarm with the set defaults', () => {
    expectCommonDefaults(alarmsOf(r), 'net/acme/123');
  });

  it('alarms on any unhealthy target', () => {
    // unhealthyHosts @default threshold 0 (any unhealthy target)
    expect(only(r, 'aws_cloudwatch_metric_alarm').threshold).toBe(0);
  });
});

describe('Dashboard defaults', () => {
  const r = synth((s) => {
    // A dashboard needs at least one section: one with the database only, one with the services only.
    new Dashboard(s, 'DbOnly', {
      environment: env,
      dashboardName: 'db-only',
      database: { clusterIdentifier: 'db', instanceIdentifiers: ['db-1'] },
    });
    new Dashboard(s, 'ServicesOnly', {
      environment: env,
      dashboardName: 'services-only',
      services: [{ clusterName: 'eu1', serviceName: 'gs' }],
    });
  });
  type Widget = { type: string; properties: { markdown?: string; period?: number } };
  const widgets = (name: string): Widget[] =>
    JSON.parse(all(r, 'aws_cloudwatch_dashboard').find((d) => d.dashboard_name === name)!.dashboard_body as string)
      .widgets;
  const headers = (name: string) =>
    widgets(name)
      .filter((w) => w.type === 'text')
      .map((w) => w.properties.markdown);

  it('shows only the sections given', () => {
    // services @default no services section; caches @default no cache section;
    // loadBalancer @default no load balancer section
    expect(headers('db-only')).toEqual(['## Aurora db']);
    // database @default no database section
    expect(headers('services-only')).toEqual(['## ECS services']);
  });

  it('graphs 300 s periods', () => {
    // periodSeconds @default 300
    const periods = [...widgets('db-only'), ...widgets('services-only')]
      .filter((w) => w.type === 'metric')
      .map((w) => w.properties.period);
    expect(periods.length).toBeGreaterThan(0);
    expect(new Set(periods)).toEqual(new Set([300]));
  });
});

describe('Prometheus configuration defaults', () => {
  const config = renderPrometheusConfig({ scrapeTargets: [{ jobName: 'gs', dnsName: 'gs.tts.internal', port: 1885 }] });

  it('scrapes /metrics over http', () => {
    // ScrapeTarget.metricsPath @default '/metrics'
    expect(config.scrape_configs[0].metrics_path).toBe('/metrics');
    // ScrapeTarget.scheme @default 'http'
    expect(config.scrape_configs[0].scheme).toBe('http');
  });

  it('scrapes and evaluates every 30 s, without external labels or alerting', () => {
    // scrapeIntervalSeconds @default 30
    // externalLabels @default none
    expect(config.global).toEqual({ scrape_interval: '30s', evaluation_interval: '30s' });
    // alertmanagerUrl @default no alerting section
    expect(config).not.toHaveProperty('alerting');
  });

  it('keeps 15 days of TSDB with default block sizes', () => {
    const script = renderStartScript();
    // retentionDays @default 15
    expect(script).toContain('--storage.tsdb.retention.time=15d');
    // forThanos @default false
    expect(script).not.toContain('block-duration');
  });
});
