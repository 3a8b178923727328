import { Construct } from 'constructs';
import { requireProp } from '@tts-ecs/core';
import { AlarmOptions, AlarmSet, AlarmSetProps, idFor, requireIdentifiers } from './alarm-set';
import { CacheRef } from './refs';

export interface CacheAlarmsProps extends AlarmSetProps, CacheRef {
  /**
   * Redis engine thread CPU of each member (AWS/ElastiCache EngineCPUUtilization, percent, 1-100) above the threshold.
   * Redis runs commands on one thread, so this - not host CPUUtilization - shows saturation.
   * Missing data is breaching: ElastiCache reports every minute while a node is up; silence means the node is gone.
   * @default threshold 80
   */
  readonly engineCpu?: AlarmOptions;
  /**
   * Memory used of each member (AWS/ElastiCache DatabaseMemoryUsagePercentage, percent of maxmemory, 1-100) above the
   * threshold. Missing data is not breaching: silence already pages through `engineCpu`.
   * @default threshold 80
   */
  readonly memory?: AlarmOptions;
  /**
   * Keys evicted per period on each member (AWS/ElastiCache Evictions, sum, count) above the threshold. The default
   * pages on any eviction, because evicting from a cache used as a data store loses data.
   * Missing data is not breaching: silence already pages through `engineCpu`.
   * @default threshold 0
   */
  readonly evictions?: AlarmOptions;
  /**
   * Replication lag of each member (AWS/ElastiCache ReplicationLag, seconds, greater than 0) above the threshold.
   * Missing data is not breaching: only replicas report it, and the primary role moves on failover.
   * @default threshold 10
   */
  readonly replicationLag?: AlarmOptions;
}

/** Alarms of an ElastiCache replication group, per member cluster: engine CPU, memory, evictions, replication lag. */
export class CacheAlarms extends AlarmSet {
  constructor(scope: Construct, id: string, props: CacheAlarmsProps) {
    super(scope, id, props, props.replicationGroupId);
    requireProp(
      this,
      !!props.replicationGroupId,
      'replicationGroupId',
      props.replicationGroupId,
      'Pass the replication group id.',
    );
    requireIdentifiers(
      this,
      'memberClusterIds',
      props.memberClusterIds,
      'List the member cluster ids of the replication group (e.g. "<group>-001").',
    );
    const p = this.alarmNamePrefix;
    props.memberClusterIds.forEach((member, i) => {
      const key = idFor(member, i, 'Member');
      const dimensions = { CacheClusterId: member };
      this.addMetricAlarm({
        id: `${key}-EngineCpuHigh`,
        field: 'engineCpu',
        name: `${p}-${member}-engine-cpu-high`,
        description: `Redis engine CPU of ${member} is high, or the node stopped reporting: commands queue up and latency grows.`,
        namespace: 'AWS/ElastiCache',
        metricName: 'EngineCPUUtilization',
        dimensions,
        statistic: 'Average',
        comparison: 'GreaterThanThreshold',
        thresholdKind: 'percent',
        defaultThreshold: 80,
        treatMissingData: 'breaching',
        options: props.engineCpu,
      });
      this.addMetricAlarm({
        id: `${key}-MemoryHigh`,
        field: 'memory',
        name: `${p}-${member}-memory-high`,
        description: `Redis memory of ${member} nears maxmemory: evictions or write errors follow; consider a larger node type.`,
        namespace: 'AWS/ElastiCache',
        metricName: 'DatabaseMemoryUsagePercentage',
        dimensions,
        statistic: 'Maximum',
        comparison: 'GreaterThanThreshold',
        thresholdKind: 'percent',
        defaultThreshold: 80,
        treatMissingData: 'notBreaching',
        options: props.memory,
      });
      this.addMetricAlarm({
        id: `${key}-Evictions`,
        field: 'evictions',
        name: `${p}-${member}-evictions`,
        description: `Redis ${member} evicts keys: data is being dropped for lack of memory.`,
        namespace: 'AWS/ElastiCache',
        metricName: 'Evictions',
        dimensions,
        statistic: 'Sum',
        comparison: 'GreaterThanThreshold',
        thresholdKind: 'count',
        defaultThreshold: 0,
        treatMissingData: 'notBreaching',
        options: props.evictions,
      });
      this.addMetricAlarm({
        id: `${key}-ReplicationLagHigh`,
        field: 'replicationLag',
        name: `${p}-${member}-replication-lag-high`,
        description: `Redis replica ${member} lags behind its primary: a failover now would lose recent writes.`,
        namespace: 'AWS/ElastiCache',
        metricName: 'ReplicationLag',
        dimensions,
        statistic: 'Maximum',
        comparison: 'GreaterThanThreshold',
        thresholdKind: 'positive',
        defaultThreshold: 10,
        treatMissingData: 'notBreaching',
        options: props.replicationLag,
      });
    });
  }
}
