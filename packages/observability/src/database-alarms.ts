import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { requireProp } from '@tts-ecs/core';
import { AlarmOptions, AlarmSet, AlarmSetProps, idFor, requireIdentifiers } from './alarm-set';
import { AuroraClusterRef } from './refs';
import { rdsInstanceAlarmSpecs } from './rds-instance-specs';

export interface DatabaseAlarmsProps extends AlarmSetProps, AuroraClusterRef {
  /**
   * CPU of each instance (AWS/RDS CPUUtilization, percent, 1-100) above the threshold.
   * Missing data is breaching: RDS reports every minute while an instance is available, so silence means the instance
   * is stopped, failed or being replaced. This is the one alarm per instance that pages on silence.
   * @default threshold 80
   */
  readonly cpu?: AlarmOptions;
  /**
   * Freeable memory of each instance (AWS/RDS FreeableMemory, bytes, greater than 0) below the threshold.
   * Missing data is not breaching: silence already pages through `cpu`.
   * @default threshold 268435456 (256 MiB)
   */
  readonly freeableMemory?: AlarmOptions;
  /**
   * Connections to each instance (AWS/RDS DatabaseConnections, count) above the threshold. Aurora PostgreSQL's
   * max_connections follows instance memory (about 450 on db.t4g.medium); raise the threshold for larger classes.
   * Missing data is not breaching: silence already pages through `cpu`.
   * @default threshold 350
   */
  readonly connections?: AlarmOptions;
  /**
   * Replica lag of each reader (AWS/RDS AuroraReplicaLag, milliseconds, greater than 0) above the threshold.
   * Missing data is not breaching: after a failover the promoted reader is the writer and stops reporting lag.
   * @default threshold 1000 (one second)
   */
  readonly replicaLag?: AlarmOptions;
}

/**
 * Alarms of an Aurora cluster, per instance: CPU high, freeable memory low, connections high, and replica lag high
 * for each reader.
 */
export class DatabaseAlarms extends AlarmSet {
  constructor(scope: Construct, id: string, props: DatabaseAlarmsProps) {
    super(scope, id, props, props.clusterIdentifier);
    requireProp(
      this,
      !!props.clusterIdentifier,
      'clusterIdentifier',
      props.clusterIdentifier,
      'Pass the Aurora cluster identifier.',
    );
    requireIdentifiers(
      this,
      'instanceIdentifiers',
      props.instanceIdentifiers,
      'List every instance identifier of the cluster (writer and readers).',
    );
    const readers = props.readerInstanceIdentifiers ?? [];
    const unknownReaders = readers.filter((r) => !Token.isUnresolved(r) && !props.instanceIdentifiers.includes(r));
    requireProp(
      this,
      unknownReaders.length === 0,
      'readerInstanceIdentifiers',
      unknownReaders,
      'List reader instances among instanceIdentifiers too (they are instances of the cluster).',
    );
    const p = this.alarmNamePrefix;
    props.instanceIdentifiers.forEach((instance, i) => {
      // Shared with DatabaseInstanceAlarms (RDS), so both watch an instance alike.
      const key = idFor(instance, i, 'Instance');
      for (const spec of rdsInstanceAlarmSpecs('Aurora instance', instance, `${p}-${instance}`, `${key}-`, props)) {
        this.addMetricAlarm(spec);
      }
    });
    readers.forEach((reader, i) => {
      this.addMetricAlarm({
        id: `${idFor(reader, i, 'Reader')}-ReplicaLagHigh`,
        field: 'replicaLag',
        name: `${p}-${reader}-replica-lag-high`,
        description: `Aurora reader ${reader} lags behind the writer: reads from it are stale.`,
        namespace: 'AWS/RDS',
        metricName: 'AuroraReplicaLag',
        dimensions: { DBInstanceIdentifier: reader },
        statistic: 'Maximum',
        comparison: 'GreaterThanThreshold',
        thresholdKind: 'positive',
        defaultThreshold: 1000,
        treatMissingData: 'notBreaching',
        options: props.replicaLag,
      });
    });
  }
}
