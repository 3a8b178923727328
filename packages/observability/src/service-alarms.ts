import { Construct } from 'constructs';
import { requireIntegerInRange, requireProp } from '@tts-ecs/core';
import { AlarmOptions, AlarmSet, AlarmSetProps } from './alarm-set';
import { EcsServiceRef } from './refs';

export interface ServiceAlarmsProps extends AlarmSetProps, EcsServiceRef {
  /**
   * Average CPU of the service's tasks (AWS/ECS CPUUtilization, percent, 1-100) above the threshold.
   * Missing data is not breaching: AWS/ECS reports nothing while no task runs, and that case pages through `runningTasks`.
   * @default threshold 80
   */
  readonly cpu?: AlarmOptions;
  /**
   * Average memory of the service's tasks (AWS/ECS MemoryUtilization, percent of the reservation, 1-100) above the threshold.
   * Missing data is not breaching, for the same reason as `cpu`.
   * @default threshold 80
   */
  readonly memory?: AlarmOptions;
  /**
   * Fewest tasks that must be running (Container Insights ECS/ContainerInsights RunningTaskCount, minimum over the period);
   * fewer raises the alarm. Set it to the service's desired count to be told about any missing task.
   * @default 1 (alarm when no task runs)
   */
  readonly minRunningTasks?: number;
  /**
   * Options of the running-tasks alarm (its threshold is `minRunningTasks`). Missing data is breaching: Container Insights
   * reports every minute while the service exists, so silence means it is off for the cluster or the service is gone -
   * either way nobody can see whether tasks run.
   * @default evaluation as the set
   */
  readonly runningTasks?: Omit<AlarmOptions, 'threshold'>;
}

/**
 * Alarms of one ECS service: CPU and memory utilisation high, and fewer running tasks than `minRunningTasks`.
 * The running-tasks alarm needs Container Insights on the cluster.
 */
export class ServiceAlarms extends AlarmSet {
  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id, props, `${props.clusterName}-${props.serviceName}`);
    requireProp(this, !!props.clusterName, 'clusterName', props.clusterName, 'Pass the ECS cluster name.');
    requireProp(this, !!props.serviceName, 'serviceName', props.serviceName, 'Pass the ECS service name.');
    const minRunning = props.minRunningTasks ?? 1;
    requireIntegerInRange(this, 'minRunningTasks', minRunning, 1, 10000);
    const dimensions = { ClusterName: props.clusterName, ServiceName: props.serviceName };
    const p = this.alarmNamePrefix;
    this.addMetricAlarm({
      id: 'CpuHigh',
      field: 'cpu',
      name: `${p}-cpu-high`,
      description: `CPU of ECS service ${props.serviceName} (cluster ${props.clusterName}) is high: scale out or find the busy task.`,
      namespace: 'AWS/ECS',
      metricName: 'CPUUtilization',
      dimensions,
      statistic: 'Average',
      comparison: 'GreaterThanThreshold',
      thresholdKind: 'percent',
      defaultThreshold: 80,
      treatMissingData: 'notBreaching',
      options: props.cpu,
    });
    this.addMetricAlarm({
      id: 'MemoryHigh',
      field: 'memory',
      name: `${p}-memory-high`,
      description: `Memory of ECS service ${props.serviceName} (cluster ${props.clusterName}) is high: tasks risk being killed out of memory.`,
      namespace: 'AWS/ECS',
      metricName: 'MemoryUtilization',
      dimensions,
      statistic: 'Average',
      comparison: 'GreaterThanThreshold',
      thresholdKind: 'percent',
      defaultThreshold: 80,
      treatMissingData: 'notBreaching',
      options: props.memory,
    });
    this.addMetricAlarm({
      id: 'RunningTasksLow',
      field: 'runningTasks',
      name: `${p}-running-tasks-low`,
      description: `Fewer than ${minRunning} task(s) of ECS service ${props.serviceName} (cluster ${props.clusterName}) are running: check the service events and stopped tasks.`,
      namespace: 'ECS/ContainerInsights',
      metricName: 'RunningTaskCount',
      dimensions,
      statistic: 'Minimum',
      comparison: 'LessThanThreshold',
      thresholdKind: 'count',
      defaultThreshold: minRunning,
      treatMissingData: 'breaching',
      options: props.runningTasks,
    });
  }
}
