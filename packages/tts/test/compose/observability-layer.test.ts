import { Testing } from 'cdktf';
import { LayerStack } from '@tts-ecs/stacks';
import { inNamedTest } from '@tts-ecs/testing';
import { DeploymentConfig } from '@tts-ecs/config';
import { ObservabilityLayer, ObservabilityLayerInputs } from '../../src';
import { Json, exampleConfig, resources } from './helpers';

const fake: ObservabilityLayerInputs = {
  clusterName: 'acme-prod-eu1',
  clusterArn: 'arn:aws:ecs:eu-west-1:111111111111:cluster/acme-prod-eu1',
  vpcId: 'vpc-0123456789abcdef0',
  privateSubnetIds: ['subnet-a', 'subnet-b'],
  services: [
    { component: 'is', serviceName: 'acme-prod-eu1-is', desiredCount: 2, metrics: { dnsName: 'is.tts', port: 1885 } },
    {
      component: 'gs',
      serviceName: 'acme-prod-eu1-gs',
      desiredCount: 2,
      metrics: { dnsName: 'gs.tts', port: 1885, securityGroupId: 'sg-0000000000000c5c0' },
    },
    { component: 'as', serviceName: 'acme-prod-eu1-as', desiredCount: 1, metrics: { dnsName: 'as.tts', port: 1885 } },
    { component: 'router', serviceName: 'acme-prod-eu1-router', desiredCount: 2 },
    { component: 'dtc', serviceName: 'acme-prod-eu1-dtc', desiredCount: 0 },
  ],
  database: { clusterIdentifier: 'acme-prod-eu1', instanceIdentifiers: ['acme-prod-eu1-1', 'acme-prod-eu1-2'] },
  caches: [
    { purpose: 'general', replicationGroupId: 'acme-prod-eu1-general', memberClusterIds: ['g-001', 'g-002', 'g-003'] },
    { purpose: 'events', replicationGroupId: 'acme-prod-eu1-events', memberClusterIds: ['e-001', 'e-002'] },
  ],
  loadBalancer: {
    arnSuffix: 'net/acme-prod-eu1/0123',
    targetGroups: [
      { name: 'gs-udp', arnSuffix: 'targetgroup/gs-udp/1' },
      { name: 'router-https', arnSuffix: 'targetgroup/router-https/2' },
    ],
  },
  prometheus: {
    fileSystemId: 'fs-0123',
    accessPointId: 'fsap-0123',
    fileSystemSecurityGroupId: 'sg-0000000000000efs0',
    metricsPasswordSecretArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:acme-prod-eu1-metrics-AbCdEf',
    secretsKmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/secrets',
    cloudMapNamespace: { id: 'ns-0123', name: 'eu1.tts.internal' },
  },
  bastionSecurityGroupId: 'sg-0000000000000bb00',
};

function synthLayer(config: DeploymentConfig, inputs: ObservabilityLayerInputs, clusterId = 'eu1'): Json {
  return inNamedTest(`synthesizes the observability layer of ${clusterId}`, () => {
    const app = Testing.app();
    const cluster = config.clusters.find((c) => c.id === clusterId)!;
    const stack = new LayerStack(app, { config, cluster, layer: 'observability' });
    new ObservabilityLayer(stack, 'Observability', inputs);
    return JSON.parse(Testing.synth(stack));
  });
}

const alarmNames = (stack: Json) => resources(stack, 'aws_cloudwatch_metric_alarm').map((a) => a.alarm_name as string);

describe('observability layer with every input, Opsgenie and monitoring on', () => {
  const stack = synthLayer(
    exampleConfig((c) => {
      c.features = { ...c.features, opsgenie: true, monitoring: true };
    }),
    fake,
  );
  const names = () => alarmNames(stack);
  const json = () => JSON.stringify(stack);

  it('encrypts the alarm topic with the layer key and lets CloudWatch use that key only for the topic', () => {
    const [topic] = resources(stack, 'aws_sns_topic');
    expect(topic.name).toBe('acme-prod-eu1-alarms');
    expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\..+\.arn\}$/);
    const [key] = resources(stack, 'aws_kms_key');
    const cw = JSON.parse(key.policy).Statement.find((s: Json) => s.Principal.Service === 'cloudwatch.amazonaws.com');
    expect(cw.Action).toEqual(['kms:GenerateDataKey*', 'kms:Decrypt']);
    expect(cw.Condition.StringEquals['kms:EncryptionContext:aws:sns:topicArn']).toBe(
      'arn:aws:sns:eu-west-1:111111111111:acme-prod-eu1-alarms',
    );
  });

  it('subscribes Opsgenie through the sensitive variable opsgenie_endpoint_url, never a literal URL', () => {
    const [sub] = resources(stack, 'aws_sns_topic_subscription');
    expect(sub.protocol).toBe('https');
    expect(sub.endpoint).toBe('${var.opsgenie_endpoint_url}');
    expect(stack.variable.opsgenie_endpoint_url).toMatchObject({ sensitive: true, nullable: false });
    expect(json()).not.toMatch(/opsgenie\.com|apiKey/i);
  });

  it('alarms on CPU, memory and running tasks of every service, Prometheus included', () => {
    for (const c of ['is', 'gs', 'as', 'router', 'prometheus']) {
      expect(names()).toEqual(
        expect.arrayContaining([
          `acme-prod-eu1-${c}-cpu-high`,
          `acme-prod-eu1-${c}-memory-high`,
          `acme-prod-eu1-${c}-running-tasks-low`,
        ]),
      );
    }
    const running = resources(stack, 'aws_cloudwatch_metric_alarm').find(
      (a) => a.alarm_name === 'acme-prod-eu1-gs-running-tasks-low',
    )!;
    expect(running.threshold).toBe(2);
    expect(running.dimensions).toEqual({ ClusterName: 'acme-prod-eu1', ServiceName: 'acme-prod-eu1-gs' });
  });

  it('does not page on running tasks of a service scaled to zero', () => {
    expect(names()).toContain('acme-prod-eu1-dtc-cpu-high');
    expect(names()).not.toContain('acme-prod-eu1-dtc-running-tasks-low');
  });

  it('alarms on every Aurora instance, every Redis member and every target group, prefixed with the cluster', () => {
    for (const i of ['acme-prod-eu1-1', 'acme-prod-eu1-2']) {
      expect(names()).toContain(`acme-prod-eu1-db-${i}-cpu-high`);
      expect(names()).toContain(`acme-prod-eu1-db-${i}-replica-lag-high`);
    }
    for (const m of ['g-001', 'g-002', 'g-003'])
      expect(names()).toContain(`acme-prod-eu1-redis-general-${m}-evictions`);
    for (const m of ['e-001', 'e-002']) expect(names()).toContain(`acme-prod-eu1-redis-events-${m}-engine-cpu-high`);
    expect(names()).toContain('acme-prod-eu1-nlb-gs-udp-unhealthy-hosts');
    expect(names()).toContain('acme-prod-eu1-nlb-router-https-unhealthy-hosts');
    // 5 services x 3 - 1 (dtc) + prometheus 3 + db 2 x 4 + redis 5 x 4 + nlb 2
    expect(names()).toHaveLength(14 + 3 + 8 + 20 + 2);
    expect(new Set(names()).size).toBe(names().length);
    expect(names().every((n) => n.startsWith('acme-prod-eu1-'))).toBe(true);
  });

  it('sends ALARM and OK to the topic', () => {
    for (const a of resources(stack, 'aws_cloudwatch_metric_alarm')) {
      expect(a.alarm_actions).toEqual([expect.stringMatching(/aws_sns_topic\..+\.arn/)]);
      expect(a.ok_actions).toEqual(a.alarm_actions);
    }
  });

  it('scrapes exactly the services with a metrics endpoint', () => {
    const [td] = resources(stack, 'aws_ecs_task_definition');
    const prometheus = JSON.parse(td.container_definitions).find((c: Json) => c.name === 'prometheus');
    const config = JSON.parse(prometheus.environment.find((e: Json) => e.name === 'PROMETHEUS_CONFIG').value);
    expect(
      config.scrape_configs.map((j: Json) => [j.job_name, j.dns_sd_configs[0].names[0], j.dns_sd_configs[0].port]),
    ).toEqual([
      ['is', 'is.tts', 1885],
      ['gs', 'gs.tts', 1885],
      ['as', 'as.tts', 1885],
    ]);
    expect(config.global.external_labels).toEqual({ deployment: 'acme', environment: 'prod', cluster: 'eu1' });
    expect(prometheus.secrets).toEqual([
      { name: 'METRICS_PASSWORD', valueFrom: fake.prometheus!.metricsPasswordSecretArn },
    ]);
  });

  it('mounts the EFS access point with transit encryption and IAM, and admits Prometheus on NFS', () => {
    const [td] = resources(stack, 'aws_ecs_task_definition');
    expect(td.family).toBe('acme-prod-eu1-prometheus');
    expect(td.volume[0].efs_volume_configuration).toMatchObject({
      file_system_id: 'fs-0123',
      transit_encryption: 'ENABLED',
      authorization_config: { access_point_id: 'fsap-0123', iam: 'ENABLED' },
    });
    const rules = resources(stack, 'aws_vpc_security_group_ingress_rule');
    expect(rules).toContainEqual(
      expect.objectContaining({ security_group_id: 'sg-0000000000000efs0', from_port: 2049, to_port: 2049 }),
    );
    expect(rules).toContainEqual(
      expect.objectContaining({ referenced_security_group_id: 'sg-0000000000000bb00', from_port: 9090 }),
    );
  });

  it('admits Prometheus on the metrics port of services that name their group, and joins no shared group', () => {
    const rules = resources(stack, 'aws_vpc_security_group_ingress_rule');
    const scrape = rules.filter((r) => r.description?.startsWith('Metrics scrape'));
    expect(scrape).toEqual([
      expect.objectContaining({ security_group_id: 'sg-0000000000000c5c0', from_port: 1885, to_port: 1885 }),
    ]);
    expect(scrape[0].referenced_security_group_id).toMatch(/aws_security_group\..+\.id/);
    const [service] = resources(stack, 'aws_ecs_service');
    expect(service.network_configuration.security_groups).toHaveLength(1);
  });

  it('builds one dashboard named after the cluster and outputs its URL', () => {
    const [dashboard] = resources(stack, 'aws_cloudwatch_dashboard');
    expect(dashboard.dashboard_name).toBe('acme-prod-eu1');
    expect(stack.output.dashboard_url.value).toBe(
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards:name=acme-prod-eu1',
    );
    expect(stack.output.prometheus_url.value).toBe('http://prometheus.eu1.tts.internal:9090');
    expect(stack.output.alarm_topic_arn.value).toMatch(/aws_sns_topic\..+\.arn/);
  });
});

describe('observability layer without database, Opsgenie and monitoring', () => {
  const stack = synthLayer(
    exampleConfig((c) => {
      c.features = { ...c.features, opsgenie: false, monitoring: false };
    }),
    { ...fake, database: undefined, prometheus: undefined, caches: fake.caches.slice(0, 1) },
    'us1',
  );
  const names = () => alarmNames(stack);

  it('creates no database alarms, no Prometheus and no subscription', () => {
    expect(names().some((n) => n.includes('-db-'))).toBe(false);
    expect(names().some((n) => n.includes('prometheus'))).toBe(false);
    expect(names().some((n) => n.includes('redis-events'))).toBe(false);
    expect(resources(stack, 'aws_ecs_service')).toHaveLength(0);
    expect(resources(stack, 'aws_sns_topic_subscription')).toHaveLength(0);
    expect(stack.variable).toBeUndefined();
  });

  it('still encrypts the topic, in the cluster region', () => {
    const [topic] = resources(stack, 'aws_sns_topic');
    expect(topic.name).toBe('acme-prod-us1-alarms');
    expect(topic.kms_master_key_id).toMatch(/aws_kms_key/);
  });
});

describe('observability layer rejections', () => {
  const config = exampleConfig();
  it('requires Prometheus inputs when monitoring is on', () => {
    expect(() => synthLayer(config, { ...fake, prometheus: undefined })).toThrow(
      /acme-prod-eu1-observability\/Observability: invalid prometheus undefined\. features\.monitoring is on: pass the EFS file system/,
    );
  });

  it('requires at least one service with a metrics endpoint when monitoring is on', () => {
    const services = fake.services.map((s) => ({ ...s, metrics: undefined }));
    expect(() => synthLayer(config, { ...fake, services })).toThrow(
      /invalid services \["is","gs","as","router","dtc"\]\. features\.monitoring is on but no service has a metrics endpoint/,
    );
  });

  it('rejects duplicate or reserved component names and bad cache purposes', () => {
    expect(() => synthLayer(config, { ...fake, services: [...fake.services, fake.services[0]] })).toThrow(
      /invalid services\[5\]\.component "is"\. Use a unique short name/,
    );
    const prom = { component: 'prometheus', serviceName: 'x', desiredCount: 1 };
    expect(() => synthLayer(config, { ...fake, services: [...fake.services, prom] })).toThrow(
      /invalid services\[5\]\.component "prometheus"\..*"prometheus" is taken by the layer/,
    );
    const caches = [{ ...fake.caches[0], purpose: 'General Cache' }];
    expect(() => synthLayer(config, { ...fake, caches })).toThrow(
      /invalid caches\[0\]\.purpose "General Cache"\. Use a unique short name/,
    );
  });
});
