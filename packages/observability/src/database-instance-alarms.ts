import { Construct } from 'constructs';
import { Op, Token } from 'cdktf';
import { requireIntegerInRange, requireProp } from '@tts-ecs/core';
import { AlarmOptions, AlarmSet, AlarmSetProps, checkThreshold } from './alarm-set';
import { rdsInstanceAlarmSpecs } from './rds-instance-specs';

const GIB = 1024 * 1024 * 1024;

export interface DatabaseInstanceAlarmsProps extends AlarmSetProps {
  /** Identifier of the RDS instance (the `DBInstanceIdentifier` dimension). */
  readonly instanceIdentifier: string;
  /**
   * Allocated storage of the instance in GiB (`allocated_storage`), 20-65536: the default free-storage threshold is
   * 10 % of it. May be a Terraform reference.
   */
  readonly allocatedStorageGiB: number;
  /**
   * CPU of the instance (AWS/RDS CPUUtilization, percent, 1-100) above the threshold.
   * Missing data is breaching: RDS reports every minute while the instance is available, so silence means it is
   * stopped, failed or being replaced. This is the one alarm of the set that pages on silence.
   * @default threshold 80
   */
  readonly cpu?: AlarmOptions;
  /**
   * Free storage of the instance (AWS/RDS FreeStorageSpace, minimum) below the threshold, given in GiB (greater than 0,
   * less than `allocatedStorageGiB`). A full volume stops writes; with storage autoscaling the alarm still tells you
   * the volume keeps growing. Missing data is not breaching: silence already pages through `cpu`.
   * @default threshold 10 % of `allocatedStorageGiB`
   */
  readonly freeStorageSpace?: AlarmOptions;
  /**
   * Freeable memory of the instance (AWS/RDS FreeableMemory, bytes, greater than 0) below the threshold.
   * Missing data is not breaching: silence already pages through `cpu`.
   * @default threshold 268435456 (256 MiB)
   */
  readonly freeableMemory?: AlarmOptions;
  /**
   * Connections to the instance (AWS/RDS DatabaseConnections, maximum, count) above the threshold. RDS for PostgreSQL
   * sets max_connections from instance memory (LEAST(DBInstanceClassMemory/9531392, 5000): about 410 on
   * db.t4g.medium, 200 on db.t4g.small); set about 80 % of yours.
   * Missing data is not breaching: silence already pages through `cpu`.
   * @default threshold 350
   */
  readonly connections?: AlarmOptions;
  /**
   * Average time of a disk read (AWS/RDS ReadLatency, seconds, greater than 0) above the threshold. gp3 volumes answer
   * in a few milliseconds; sustained higher latency means the volume's IOPS or throughput is exhausted.
   * Missing data is not breaching: silence already pages through `cpu`.
   * @default threshold 0.02 (20 ms)
   */
  readonly readLatency?: AlarmOptions;
  /**
   * Average time of a disk write (AWS/RDS WriteLatency, seconds, greater than 0) above the threshold.
   * Missing data is not breaching: silence already pages through `cpu`.
   * @default threshold 0.02 (20 ms)
   */
  readonly writeLatency?: AlarmOptions;
}

/**
 * Alarms of one RDS DB instance (not Aurora: use `DatabaseAlarms` for a cluster): CPU high, free storage low,
 * freeable memory low, connections high, read and write latency high. CPU, memory and connections are the same alarms
 * `DatabaseAlarms` creates per Aurora instance. No replica lag alarm: a single instance has no replica (give a read
 * replica its own set if you want its CPU and storage watched).
 */
export class DatabaseInstanceAlarms extends AlarmSet {
  constructor(scope: Construct, id: string, props: DatabaseInstanceAlarmsProps) {
    super(scope, id, props, props.instanceIdentifier);
    const instance = props.instanceIdentifier;
    requireProp(this, !!instance, 'instanceIdentifier', instance, 'Pass the RDS DB instance identifier.');
    // gp2/gp3 storage of RDS for PostgreSQL and MySQL: 20-65536 GiB.
    requireIntegerInRange(this, 'allocatedStorageGiB', props.allocatedStorageGiB, 20, 65536);
    const p = this.alarmNamePrefix;
    const [cpu, ...others] = rdsInstanceAlarmSpecs('RDS instance', instance, p, '', props);
    const dimensions = { DBInstanceIdentifier: instance };
    this.addMetricAlarm(cpu);
    this.addMetricAlarm({
      id: 'FreeStorageLow',
      field: 'freeStorageSpace',
      name: `${p}-free-storage-low`,
      description: `RDS instance ${instance} is running out of storage: writes stop when it is full; raise allocated storage or free space.`,
      namespace: 'AWS/RDS',
      metricName: 'FreeStorageSpace',
      dimensions,
      statistic: 'Minimum',
      comparison: 'LessThanThreshold',
      thresholdKind: 'positive',
      // The threshold is given in GiB and sent in bytes.
      defaultThreshold: this.freeStorageBytes(props),
      treatMissingData: 'notBreaching',
      options: { ...props.freeStorageSpace, threshold: undefined },
    });
    others.forEach((spec) => this.addMetricAlarm(spec));
    for (const [field, metricName, slug, what] of [
      ['readLatency', 'ReadLatency', 'read-latency-high', 'reads'],
      ['writeLatency', 'WriteLatency', 'write-latency-high', 'writes'],
    ] as const) {
      this.addMetricAlarm({
        id: `${metricName}High`,
        field,
        name: `${p}-${slug}`,
        description: `Disk ${what} of RDS instance ${instance} are slow: the volume's IOPS or throughput may be exhausted.`,
        namespace: 'AWS/RDS',
        metricName,
        dimensions,
        statistic: 'Average',
        comparison: 'GreaterThanThreshold',
        thresholdKind: 'positive',
        defaultThreshold: 0.02,
        treatMissingData: 'notBreaching',
        options: props[field],
      });
    }
  }

  /** Free-storage threshold in bytes: the validated GiB threshold, or 10 % of the allocated storage. */
  private freeStorageBytes(props: DatabaseInstanceAlarmsProps): number {
    const allocated = props.allocatedStorageGiB;
    const gib = props.freeStorageSpace?.threshold;
    if (props.freeStorageSpace?.enabled === false) return 0; // no alarm, nothing to check
    if (gib === undefined) {
      // A referenced size is known only at plan time: Terraform computes 10 % of it.
      return Token.isUnresolved(allocated)
        ? Token.asNumber(Op.mul(allocated, GIB / 10))
        : Math.floor((allocated * GIB) / 10);
    }
    checkThreshold(this, 'freeStorageSpace.threshold', gib, 'positive');
    if (Token.isUnresolved(gib)) return Token.asNumber(Op.mul(gib, GIB));
    requireProp(
      this,
      Token.isUnresolved(allocated) || gib < allocated,
      'freeStorageSpace.threshold',
      gib,
      `Give the threshold in GiB, below allocatedStorageGiB (${allocated}); otherwise the alarm never leaves ALARM.`,
    );
    return gib * GIB;
  }
}
