import { TerraformVariable } from 'cdktf';
import { DatabaseAlarms, DatabaseInstanceAlarms } from '../src';
import { all, synthStack as synth, SynthesizedStack } from '@tts-ecs/testing';
import { topicArn } from './topic';

type Alarm = Record<string, unknown> & { alarm_name: string };

const GIB = 1024 ** 3;
const alarmsOf = (s: SynthesizedStack) => all(s, 'aws_cloudwatch_metric_alarm') as Alarm[];
const alarmNamed = (s: SynthesizedStack, name: string): Alarm => {
  const found = alarmsOf(s).find((a) => a.alarm_name === name);
  if (!found) throw new Error(`no alarm ${name} among ${alarmsOf(s).map((a) => a.alarm_name)}`);
  return found;
};
const namesOf = (s: SynthesizedStack, prefix: string) =>
  alarmsOf(s)
    .map((a) => a.alarm_name)
    .filter((n) => n.startsWith(`${prefix}-`))
    .sort();

describe('DatabaseInstanceAlarms', () => {
  const s = synth((stack) => {
    // Required props only.
    new DatabaseInstanceAlarms(stack, 'Orders', {
      alarmTopicArn: topicArn,
      instanceIdentifier: 'orders',
      allocatedStorageGiB: 100,
    });
    new DatabaseInstanceAlarms(stack, 'Tuned', {
      alarmTopicArn: topicArn,
      instanceIdentifier: 'tuned',
      allocatedStorageGiB: 50,
      freeStorageSpace: { threshold: 5, evaluationPeriods: 2 },
      connections: { threshold: 150 },
      writeLatency: { enabled: false },
    });
    const size = new TerraformVariable(stack, 'size', { type: 'number' });
    new DatabaseInstanceAlarms(stack, 'Referenced', {
      alarmTopicArn: topicArn,
      instanceIdentifier: 'ref',
      allocatedStorageGiB: size.numberValue,
    });
    // An Aurora instance, to compare the shared alarms.
    new DatabaseAlarms(stack, 'Aurora', {
      alarmTopicArn: topicArn,
      clusterIdentifier: 'db',
      instanceIdentifiers: ['db-1'],
    });
  });

  it('creates every alarm of the instance with the set defaults, and no replica lag alarm', () => {
    // AlarmOptions.enabled @default true
    expect(namesOf(s, 'orders')).toEqual(
      [
        'orders-cpu-high',
        'orders-free-storage-low',
        'orders-freeable-memory-low',
        'orders-connections-high',
        'orders-read-latency-high',
        'orders-write-latency-high',
      ].sort(),
    );
    for (const alarm of alarmsOf(s).filter((a) => a.alarm_name.startsWith('orders-'))) {
      // AlarmSetProps.alarmNamePrefix @default derived from the monitored identifiers (the instance identifier)
      // AlarmSetProps.periodSeconds @default 60; evaluationPeriods @default 5; datapointsToAlarm @default equal
      expect(alarm).toMatchObject({
        namespace: 'AWS/RDS',
        dimensions: { DBInstanceIdentifier: 'orders' },
        period: 60,
        evaluation_periods: 5,
        datapoints_to_alarm: 5,
        alarm_actions: [topicArn],
        ok_actions: [topicArn],
      });
      // AlarmSetProps.tags @default no extra tags
      expect(alarm).not.toHaveProperty('tags');
    }
    expect(alarmsOf(s).filter((a) => String(a.metric_name).includes('Lag'))).toEqual([]);
  });

  it('alarms above 80 % CPU, below 256 MiB free memory and above 350 connections', () => {
    // cpu @default threshold 80
    expect(alarmNamed(s, 'orders-cpu-high')).toMatchObject({ threshold: 80, treat_missing_data: 'breaching' });
    // freeableMemory @default threshold 268435456 (256 MiB)
    expect(alarmNamed(s, 'orders-freeable-memory-low').threshold).toBe(268435456);
    // connections @default threshold 350
    expect(alarmNamed(s, 'orders-connections-high').threshold).toBe(350);
  });

  it('alarms below 10 % of the allocated storage, sent in bytes', () => {
    // freeStorageSpace @default threshold 10 % of `allocatedStorageGiB`
    expect(alarmNamed(s, 'orders-free-storage-low')).toMatchObject({
      metric_name: 'FreeStorageSpace',
      statistic: 'Minimum',
      comparison_operator: 'LessThanThreshold',
      threshold: 10 * GIB,
      treat_missing_data: 'notBreaching',
    });
  });

  it('alarms above 20 ms average read and write latency', () => {
    // readLatency @default threshold 0.02 (20 ms)
    expect(alarmNamed(s, 'orders-read-latency-high')).toMatchObject({
      metric_name: 'ReadLatency',
      statistic: 'Average',
      threshold: 0.02,
    });
    // writeLatency @default threshold 0.02 (20 ms)
    expect(alarmNamed(s, 'orders-write-latency-high')).toMatchObject({ metric_name: 'WriteLatency', threshold: 0.02 });
  });

  it('pages on silence through CPU only', () => {
    const breaching = alarmsOf(s)
      .filter((a) => a.alarm_name.startsWith('orders-') && a.treat_missing_data === 'breaching')
      .map((a) => a.alarm_name);
    expect(breaching).toEqual(['orders-cpu-high']);
  });

  it('converts a free storage threshold given in GiB to bytes, and applies other overrides', () => {
    expect(alarmNamed(s, 'tuned-free-storage-low')).toMatchObject({
      threshold: 5 * GIB,
      evaluation_periods: 2,
      datapoints_to_alarm: 2,
    });
    expect(alarmNamed(s, 'tuned-connections-high').threshold).toBe(150);
    expect(namesOf(s, 'tuned')).not.toContain('tuned-write-latency-high');
  });

  it('lets Terraform compute 10 % of a referenced allocated storage', () => {
    expect(alarmNamed(s, 'ref-free-storage-low').threshold).toBe('${(var.size * 107374182.4)}');
  });

  it('watches CPU, memory and connections exactly like an Aurora instance', () => {
    // Everything but the name, the instance in the dimension and the instance's label in the description.
    const normalized = (a: Alarm, name: string, instance: string) =>
      JSON.parse(
        JSON.stringify(a)
          .replaceAll(`"${a.alarm_name}"`, '"<name>"')
          .replaceAll(`"DBInstanceIdentifier":"${instance}"`, '"DBInstanceIdentifier":"<id>"')
          .replaceAll(name, '<instance>'),
      );
    for (const suffix of ['cpu-high', 'freeable-memory-low', 'connections-high']) {
      expect(normalized(alarmNamed(s, `orders-${suffix}`), 'RDS instance orders', 'orders')).toEqual(
        normalized(alarmNamed(s, `db-db-1-${suffix}`), 'Aurora instance db-1', 'db-1'),
      );
    }
  });
});

describe('DatabaseInstanceAlarms validation', () => {
  const db = (extra: object) => () =>
    synth(
      (stack) =>
        new DatabaseInstanceAlarms(stack, 'Db', {
          alarmTopicArn: topicArn,
          instanceIdentifier: 'orders',
          allocatedStorageGiB: 100,
          ...extra,
        }),
    );

  it('rejects an allocated storage outside 20-65536 GiB', () => {
    expect(db({ allocatedStorageGiB: 10 })).toThrow(
      'test/Db: invalid allocatedStorageGiB 10. Use a whole number from 20 to 65536.',
    );
  });

  it('rejects a free storage threshold that is not positive or not below the allocated storage', () => {
    expect(db({ freeStorageSpace: { threshold: 0 } })).toThrow(
      'test/Db: invalid freeStorageSpace.threshold 0. Use a number greater than 0.',
    );
    expect(db({ freeStorageSpace: { threshold: 100 } })).toThrow(
      'test/Db: invalid freeStorageSpace.threshold 100. Give the threshold in GiB, below allocatedStorageGiB (100)',
    );
  });

  it('rejects bad thresholds of the shared and latency alarms', () => {
    expect(db({ cpu: { threshold: 0 } })).toThrow('test/Db: invalid cpu.threshold 0. Use a percentage from 1 to 100.');
    expect(db({ connections: { threshold: 2.5 } })).toThrow(
      'test/Db: invalid connections.threshold 2.5. Use a whole number of 0 or more.',
    );
    expect(db({ readLatency: { threshold: 0 } })).toThrow(
      'test/Db: invalid readLatency.threshold 0. Use a number greater than 0.',
    );
  });
});
