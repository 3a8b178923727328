import { planComponents } from '../../src/compose/compute/plan';
import { Json, exampleConfig, resources, stackNamed, synthAll } from './helpers';

const CLUSTERS = ['eu1', 'us1', 'ap1'];

describe('observability layer of the example deployment', () => {
  // Opsgenie, the events Redis, an Alertmanager and long-term storage on, so every toggle is exercised in one synth.
  const config = exampleConfig((c) => {
    c.features = { ...c.features, opsgenie: true };
    c.data = { ...c.data, redis: { purposes: ['general', 'events'] } };
    c.monitoring = { alertmanagerUrl: 'https://alertmanager.example.com:9093', longTermStorage: true };
  });
  const stacks = synthAll(config);
  const obs = (id: string): Json => stacks[`acme-prod-${id}-observability`];
  const alarms = (id: string) => resources(obs(id), 'aws_cloudwatch_metric_alarm');
  const names = (id: string) => alarms(id).map((a) => a.alarm_name as string);
  const cluster = (id: string) => config.clusters.find((c) => c.id === id)!;

  it('sends alerts to the configured Alertmanager and ships blocks to a per-cluster bucket through Thanos', () => {
    for (const id of ['eu1', 'us1']) {
      const [task] = resources(obs(id), 'aws_ecs_task_definition').filter((t) => /prometheus/.test(t.family));
      const containers = JSON.parse(task.container_definitions) as Json[];
      const prometheus = containers.find((c) => c.name === 'prometheus')!;
      expect(JSON.stringify(prometheus.environment)).toContain('alertmanager.example.com:9093');
      expect(containers.map((c) => c.name)).toContain('thanos-sidecar');
      const bucket = resources(obs(id), 'aws_s3_bucket').find((b) => /-metrics-/.test(b.bucket))!;
      expect(bucket).toMatchObject({
        bucket: `acme-prod-${id}-metrics-111111111111`,
        lifecycle: { prevent_destroy: true },
      });
      const [lifecycle] = resources(obs(id), 'aws_s3_bucket_lifecycle_configuration');
      expect(lifecycle.rule[0].expiration).toEqual([{ days: 395 }]);
      expect(resources(obs(id), 'aws_s3_bucket_logging')).toEqual([
        expect.objectContaining({ target_bucket: `acme-prod-${id}-s3-logs-111111111111` }),
      ]);
    }
  });

  it('gives every cluster an observability stack with its own state key', () => {
    for (const id of CLUSTERS) {
      expect(obs(id)).toBeDefined();
      expect(obs(id).terraform.backend.s3.key).toBe(`prod/${id}/observability.tfstate`);
    }
  });

  it('alarms on the database only where one exists: every instance of the primary, nothing in secondaries', () => {
    const db = alarms('eu1').filter((a) => a.namespace === 'AWS/RDS');
    const instances = new Set(db.map((a) => a.dimensions.DBInstanceIdentifier));
    expect(instances).toEqual(new Set(['acme-prod-eu1-1', 'acme-prod-eu1-2'])); // writer + 1 reader (default)
    expect(db).toHaveLength(2 * 3 + 2); // cpu, memory, connections per instance + replica lag per instance
    for (const id of ['us1', 'ap1']) {
      expect(alarms(id).filter((a) => a.namespace === 'AWS/RDS')).toHaveLength(0);
      expect(resources(stacks[`acme-prod-${id}-data`], 'aws_rds_cluster')).toHaveLength(0);
    }
  });

  it('alarms on every member of every Redis group, and on no group that does not exist', () => {
    for (const id of CLUSTERS) {
      const members = new Set(
        alarms(id)
          .filter((a) => a.namespace === 'AWS/ElastiCache')
          .map((a) => a.dimensions.CacheClusterId),
      );
      const expected = ['general', 'events'].flatMap((p) =>
        ['001', '002', '003'].map((n) => `acme-prod-${id}-${p}-${n}`),
      );
      expect(members).toEqual(new Set(expected));
      const groups = resources(stacks[`acme-prod-${id}-data`], 'aws_elasticache_replication_group');
      expect(groups.map((g) => g.replication_group_id).sort()).toEqual([
        `acme-prod-${id}-events`,
        `acme-prod-${id}-general`,
      ]);
      expect(groups.every((g) => g.num_cache_clusters === 3)).toBe(true);
    }
  });

  it('alarms on every ECS service of the compute stack, Prometheus included', () => {
    for (const id of CLUSTERS) {
      const computeServices = resources(stacks[`acme-prod-${id}-compute`], 'aws_ecs_service').map((s) => s.name);
      const watched = new Set(
        alarms(id)
          .filter((a) => a.metric_name === 'RunningTaskCount')
          .map((a) => a.dimensions.ServiceName),
      );
      expect(watched).toEqual(new Set([...computeServices, `acme-prod-${id}-prometheus`]));
      // The running-tasks alarm fires below the service's own desired count.
      for (const s of resources(stacks[`acme-prod-${id}-compute`], 'aws_ecs_service')) {
        const alarm = alarms(id).find(
          (a) => a.metric_name === 'RunningTaskCount' && a.dimensions.ServiceName === s.name,
        )!;
        expect(alarm.threshold).toBe(s.desired_count);
      }
    }
  });

  it('alarms on every NLB target group of the compute stack', () => {
    for (const id of CLUSTERS) {
      const groups = resources(stacks[`acme-prod-${id}-compute`], 'aws_lb_target_group');
      const lb = alarms(id).filter((a) => a.namespace === 'AWS/NetworkELB');
      expect(lb).toHaveLength(groups.length);
      expect(groups.length).toBeGreaterThan(0);
    }
  });

  it('prefixes every alarm name with the cluster, so names are unique per account and region', () => {
    const all = CLUSTERS.flatMap(names);
    expect(new Set(all).size).toBe(all.length);
    for (const id of CLUSTERS) expect(names(id).every((n) => n.startsWith(`acme-prod-${id}-`))).toBe(true);
  });

  it('encrypts every alarm topic with a KMS key and sends every alarm to it', () => {
    for (const id of CLUSTERS) {
      const [topic] = resources(obs(id), 'aws_sns_topic');
      expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\..+\.arn\}$/);
      for (const a of alarms(id)) expect(a.alarm_actions).toEqual([expect.stringMatching(/aws_sns_topic\./)]);
    }
  });

  it('subscribes Opsgenie through the sensitive variable only: no URL or key in any synthesized stack', () => {
    for (const id of CLUSTERS) {
      const [sub] = resources(obs(id), 'aws_sns_topic_subscription');
      expect(sub.endpoint).toBe('${var.opsgenie_endpoint_url}');
      expect(obs(id).variable.opsgenie_endpoint_url.sensitive).toBe(true);
    }
    expect(JSON.stringify(stacks)).not.toMatch(/opsgenie\.com|apiKey=/i);
  });

  it('scrapes exactly the included TTS components of each cluster', () => {
    for (const id of CLUSTERS) {
      const [td] = resources(obs(id), 'aws_ecs_task_definition');
      const container = JSON.parse(td.container_definitions).find((c: Json) => c.name === 'prometheus');
      const prom = JSON.parse(container.environment.find((e: Json) => e.name === 'PROMETHEUS_CONFIG').value);
      const jobs = prom.scrape_configs.map((j: Json) => [
        j.job_name,
        j.dns_sd_configs[0].names[0],
        j.dns_sd_configs[0].port,
      ]);
      const included = planComponents(config, cluster(id)).map((c) => c.spec.id);
      expect(jobs).toEqual(included.map((c) => [c, `${c}.tts.internal`, 1885]));
      expect(included).toContain('gs');
    }
    // The Identity Server runs in the primary only.
    const jobsOf = (id: string) =>
      JSON.stringify(resources(obs(id), 'aws_ecs_task_definition')[0].container_definitions);
    expect(jobsOf('eu1')).toContain('is.tts.internal');
    expect(jobsOf('us1')).not.toContain('is.tts.internal');
  });

  it('mounts the data layer EFS access point with transit encryption and IAM authorization', () => {
    for (const id of CLUSTERS) {
      const [td] = resources(obs(id), 'aws_ecs_task_definition');
      const efs = td.volume[0].efs_volume_configuration;
      expect(efs.transit_encryption).toBe('ENABLED');
      expect(efs.authorization_config.iam).toBe('ENABLED');
      const [ap] = resources(stacks[`acme-prod-${id}-data`], 'aws_efs_access_point');
      expect(ap.posix_user).toEqual({ uid: 65534, gid: 65534 });
    }
  });
});

describe('observability layer without monitoring', () => {
  const stacks = synthAll(
    exampleConfig((c) => {
      c.features = { ...c.features, monitoring: false };
    }),
  );
  const obs = stackNamed(stacks, 'acme-prod-eu1-observability');

  it('runs no Prometheus and declares no Opsgenie variable, but keeps alarms and the dashboard', () => {
    expect(resources(obs, 'aws_ecs_service')).toHaveLength(0);
    expect(obs.variable).toBeUndefined();
    expect(resources(obs, 'aws_cloudwatch_metric_alarm').length).toBeGreaterThan(0);
    expect(resources(obs, 'aws_cloudwatch_dashboard')).toHaveLength(1);
  });
});
