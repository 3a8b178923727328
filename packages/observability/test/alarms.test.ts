import { CacheAlarms, DatabaseAlarms, LoadBalancerAlarms, ServiceAlarms } from '../src';
import { all, synthStack as synth } from '@tts-ecs/testing';
import { topicArn } from './topic';

type Alarm = Record<string, unknown> & { alarm_name: string; dimensions: Record<string, string> };

describe('alarm sets for every kind of resource', () => {
  const s = synth((stack) => {
    new ServiceAlarms(stack, 'Gs', {
      alarmTopicArn: topicArn,
      clusterName: 'eu1',
      serviceName: 'gs',
      minRunningTasks: 2,
      memory: { threshold: 90 },
    });
    new DatabaseAlarms(stack, 'Db', {
      alarmTopicArn: topicArn,
      clusterIdentifier: 'db',
      instanceIdentifiers: ['db-1', 'db-2'],
      readerInstanceIdentifiers: ['db-2'],
      connections: { threshold: 1000, evaluationPeriods: 3, datapointsToAlarm: 2 },
    });
    new CacheAlarms(stack, 'Redis', {
      alarmTopicArn: topicArn,
      replicationGroupId: 'general',
      memberClusterIds: ['general-001', 'general-002'],
    });
    new LoadBalancerAlarms(stack, 'Nlb', {
      alarmTopicArn: topicArn,
      loadBalancerArnSuffix: 'net/acme/123',
      targetGroups: [
        { name: 'gs-udp', arnSuffix: 'targetgroup/gs-udp/1' },
        { name: 'router', arnSuffix: 'targetgroup/router/2' },
      ],
    });
  });
  const alarms = () => all(s, 'aws_cloudwatch_metric_alarm') as Alarm[];
  const byName = (name: string) => {
    const found = alarms().find((a) => a.alarm_name === name);
    if (!found)
      throw new Error(
        `no alarm ${name} among ${alarms()
          .map((a) => a.alarm_name)
          .join(', ')}`,
      );
    return found;
  };

  it('creates one alarm per metric and monitored resource, and nothing else', () => {
    expect(
      alarms()
        .map((a) => a.alarm_name)
        .sort(),
    ).toEqual(
      [
        'eu1-gs-cpu-high',
        'eu1-gs-memory-high',
        'eu1-gs-running-tasks-low',
        'db-db-1-cpu-high',
        'db-db-1-freeable-memory-low',
        'db-db-1-connections-high',
        'db-db-2-cpu-high',
        'db-db-2-freeable-memory-low',
        'db-db-2-connections-high',
        'db-db-2-replica-lag-high',
        ...['general-001', 'general-002'].flatMap((m) => [
          `general-${m}-engine-cpu-high`,
          `general-${m}-memory-high`,
          `general-${m}-evictions`,
          `general-${m}-replication-lag-high`,
        ]),
        'net/acme/123-gs-udp-unhealthy-hosts',
        'net/acme/123-router-unhealthy-hosts',
      ].sort(),
    );
  });

  it('notifies the topic on ALARM and on OK', () => {
    for (const a of alarms()) {
      expect(a.alarm_actions).toEqual([topicArn]);
      expect(a.ok_actions).toEqual([topicArn]);
    }
  });

  it('watches ECS CPU, memory and running tasks with the right metrics, defaults and overrides', () => {
    expect(byName('eu1-gs-cpu-high')).toMatchObject({
      namespace: 'AWS/ECS',
      metric_name: 'CPUUtilization',
      dimensions: { ClusterName: 'eu1', ServiceName: 'gs' },
      threshold: 80,
      comparison_operator: 'GreaterThanThreshold',
      treat_missing_data: 'notBreaching',
      evaluation_periods: 5,
      period: 60,
    });
    expect(byName('eu1-gs-memory-high')).toMatchObject({ metric_name: 'MemoryUtilization', threshold: 90 });
    expect(byName('eu1-gs-running-tasks-low')).toMatchObject({
      namespace: 'ECS/ContainerInsights',
      metric_name: 'RunningTaskCount',
      statistic: 'Minimum',
      comparison_operator: 'LessThanThreshold',
      threshold: 2,
      treat_missing_data: 'breaching',
    });
  });

  it('watches every Aurora instance and replica lag on readers only', () => {
    expect(byName('db-db-1-cpu-high')).toMatchObject({
      namespace: 'AWS/RDS',
      dimensions: { DBInstanceIdentifier: 'db-1' },
      treat_missing_data: 'breaching',
    });
    expect(byName('db-db-1-freeable-memory-low')).toMatchObject({
      comparison_operator: 'LessThanThreshold',
      threshold: 268435456,
    });
    expect(byName('db-db-2-connections-high')).toMatchObject({
      threshold: 1000,
      evaluation_periods: 3,
      datapoints_to_alarm: 2,
    });
    expect(byName('db-db-2-replica-lag-high')).toMatchObject({
      metric_name: 'AuroraReplicaLag',
      threshold: 1000,
      treat_missing_data: 'notBreaching',
    });
    expect(alarms().filter((a) => a.metric_name === 'AuroraReplicaLag')).toHaveLength(1);
  });

  it('watches each cache member with the member cluster id', () => {
    expect(byName('general-general-002-engine-cpu-high')).toMatchObject({
      namespace: 'AWS/ElastiCache',
      metric_name: 'EngineCPUUtilization',
      dimensions: { CacheClusterId: 'general-002' },
      treat_missing_data: 'breaching',
    });
    expect(byName('general-general-001-evictions')).toMatchObject({
      statistic: 'Sum',
      threshold: 0,
      comparison_operator: 'GreaterThanThreshold',
    });
    expect(byName('general-general-001-replication-lag-high')).toMatchObject({
      metric_name: 'ReplicationLag',
      treat_missing_data: 'notBreaching',
    });
  });

  it('watches unhealthy targets per target group with both NLB dimensions', () => {
    expect(byName('net/acme/123-router-unhealthy-hosts')).toMatchObject({
      namespace: 'AWS/NetworkELB',
      metric_name: 'UnHealthyHostCount',
      dimensions: { LoadBalancer: 'net/acme/123', TargetGroup: 'targetgroup/router/2' },
      threshold: 0,
      statistic: 'Maximum',
    });
  });
});

it('creates no alarm for a disabled metric and none for absent readers', () => {
  const s = synth((stack) => {
    new ServiceAlarms(stack, 'S', {
      alarmTopicArn: topicArn,
      clusterName: 'c',
      serviceName: 's',
      cpu: { enabled: false },
    });
    new DatabaseAlarms(stack, 'D', { alarmTopicArn: topicArn, clusterIdentifier: 'db', instanceIdentifiers: ['w'] });
  });
  const names = all(s, 'aws_cloudwatch_metric_alarm').map((a) => a.alarm_name);
  expect(names).not.toContain('c-s-cpu-high');
  expect(names).toContain('c-s-memory-high');
  expect(names.filter((n) => String(n).includes('replica-lag'))).toEqual([]);
});

describe('alarm validation', () => {
  const service = (extra: object) => () =>
    synth(
      (stack) =>
        new ServiceAlarms(stack, 'S', { alarmTopicArn: topicArn, clusterName: 'c', serviceName: 's', ...extra }),
    );

  it('rejects percentages outside 1-100', () => {
    expect(service({ cpu: { threshold: 0 } })).toThrow(
      'test/S: invalid cpu.threshold 0. Use a percentage from 1 to 100.',
    );
    expect(service({ memory: { threshold: 150 } })).toThrow(
      'test/S: invalid memory.threshold 150. Use a percentage from 1 to 100.',
    );
  });

  it('rejects bad evaluation settings', () => {
    expect(service({ evaluationPeriods: 0 })).toThrow(
      'test/S: invalid evaluationPeriods 0. Use a whole number from 1 to 100.',
    );
    expect(service({ cpu: { evaluationPeriods: 3, datapointsToAlarm: 4 } })).toThrow(
      'test/S: invalid cpu.datapointsToAlarm 4. Use a whole number from 1 to 3.',
    );
    expect(service({ periodSeconds: 45 })).toThrow(
      'test/S: invalid periodSeconds 45. Use 10, 30 or a multiple of 60 seconds',
    );
    expect(service({ periodSeconds: 3600, evaluationPeriods: 25 })).toThrow(
      /invalid cpu\.evaluationPeriods 25\. .* must not exceed 86400 seconds/,
    );
    expect(service({ minRunningTasks: 0 })).toThrow(
      'test/S: invalid minRunningTasks 0. Use a whole number from 1 to 10000.',
    );
  });

  it('rejects a topic that is not an SNS ARN', () => {
    expect(service({ alarmTopicArn: 'alarms' })).toThrow(
      'test/S: invalid alarmTopicArn "alarms". Pass the ARN of an SNS topic',
    );
  });

  it('rejects bad counts, sizes and identifier lists', () => {
    const db = (extra: object) => () =>
      synth(
        (stack) =>
          new DatabaseAlarms(stack, 'D', {
            alarmTopicArn: topicArn,
            clusterIdentifier: 'db',
            instanceIdentifiers: ['a'],
            ...extra,
          }),
      );
    expect(db({ connections: { threshold: 1.5 } })).toThrow(
      'test/D: invalid connections.threshold 1.5. Use a whole number of 0 or more.',
    );
    expect(db({ freeableMemory: { threshold: 0 } })).toThrow(
      'test/D: invalid freeableMemory.threshold 0. Use a number greater than 0.',
    );
    expect(db({ instanceIdentifiers: [] })).toThrow(
      'test/D: invalid instanceIdentifiers []. List every instance identifier',
    );
    expect(db({ readerInstanceIdentifiers: ['b'] })).toThrow(
      'test/D: invalid readerInstanceIdentifiers ["b"]. List reader instances among instanceIdentifiers',
    );
    expect(() =>
      synth(
        (stack) =>
          new CacheAlarms(stack, 'C', {
            alarmTopicArn: topicArn,
            replicationGroupId: 'g',
            memberClusterIds: ['g-1', 'g-1'],
          }),
      ),
    ).toThrow('test/C: invalid memberClusterIds ["g-1","g-1"]. List each identifier once.');
    expect(() =>
      synth(
        (stack) =>
          new LoadBalancerAlarms(stack, 'L', {
            alarmTopicArn: topicArn,
            loadBalancerArnSuffix: 'net/a/1',
            targetGroups: [{ name: 'a b', arnSuffix: 'x' }],
          }),
      ),
    ).toThrow(
      'test/L: invalid targetGroups[0].name "a b". Use a unique literal name of 1-32 letters, digits and hyphens.',
    );
  });
});
