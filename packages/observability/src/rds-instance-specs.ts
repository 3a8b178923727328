import { AlarmOptions, MetricAlarmSpec } from './alarm-set';

/** Overrides of the alarms every RDS instance gets, Aurora or not. */
export interface RdsInstanceAlarmOptions {
  /**
   * CPUUtilization (percent) above the threshold.
   * @default threshold 80
   */
  readonly cpu?: AlarmOptions;
  /**
   * FreeableMemory (bytes) below the threshold.
   * @default threshold 268435456 (256 MiB)
   */
  readonly freeableMemory?: AlarmOptions;
  /**
   * DatabaseConnections (count) above the threshold.
   * @default threshold 350
   */
  readonly connections?: AlarmOptions;
}

/**
 * CPU high (missing data breaching), freeable memory low and connections high of one RDS instance: the alarms
 * `DatabaseAlarms` (Aurora, per instance) and `DatabaseInstanceAlarms` share. `label` names the instance in
 * descriptions (e.g. `Aurora instance`); alarm names are `<namePrefix>-cpu-high` etc., construct ids `<idPrefix>CpuHigh`.
 */
export function rdsInstanceAlarmSpecs(
  label: string,
  instance: string,
  namePrefix: string,
  idPrefix: string,
  options: RdsInstanceAlarmOptions,
): MetricAlarmSpec[] {
  const dimensions = { DBInstanceIdentifier: instance };
  return [
    {
      id: `${idPrefix}CpuHigh`,
      field: 'cpu',
      name: `${namePrefix}-cpu-high`,
      description: `CPU of ${label} ${instance} is high, or the instance stopped reporting: check Performance Insights for the costly queries.`,
      namespace: 'AWS/RDS',
      metricName: 'CPUUtilization',
      dimensions,
      statistic: 'Average',
      comparison: 'GreaterThanThreshold',
      thresholdKind: 'percent',
      defaultThreshold: 80,
      // RDS reports every minute while the instance is available: silence means stopped, failed or replaced.
      treatMissingData: 'breaching',
      options: options.cpu,
    },
    {
      id: `${idPrefix}FreeableMemoryLow`,
      field: 'freeableMemory',
      name: `${namePrefix}-freeable-memory-low`,
      description: `Freeable memory of ${label} ${instance} is low: consider a larger instance class.`,
      namespace: 'AWS/RDS',
      metricName: 'FreeableMemory',
      dimensions,
      statistic: 'Minimum',
      comparison: 'LessThanThreshold',
      thresholdKind: 'positive',
      defaultThreshold: 256 * 1024 * 1024,
      // Silence already pages through the CPU alarm.
      treatMissingData: 'notBreaching',
      options: options.freeableMemory,
    },
    {
      id: `${idPrefix}ConnectionsHigh`,
      field: 'connections',
      name: `${namePrefix}-connections-high`,
      description: `${label} ${instance} has many connections and nears max_connections: check connection pools.`,
      namespace: 'AWS/RDS',
      metricName: 'DatabaseConnections',
      dimensions,
      statistic: 'Maximum',
      comparison: 'GreaterThanThreshold',
      thresholdKind: 'count',
      defaultThreshold: 350,
      treatMissingData: 'notBreaching',
      options: options.connections,
    },
  ];
}
