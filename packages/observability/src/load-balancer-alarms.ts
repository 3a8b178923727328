import { Construct } from 'constructs';
import { requireProp } from '@tts-ecs/core';
import { AlarmOptions, AlarmSet, AlarmSetProps } from './alarm-set';
import { NetworkLoadBalancerRef } from './refs';

export interface LoadBalancerAlarmsProps extends AlarmSetProps, NetworkLoadBalancerRef {
  /**
   * Unhealthy targets of each target group (AWS/NetworkELB UnHealthyHostCount, maximum, count) above the threshold.
   * Missing data is not breaching: a target group without registered targets reports nothing, and a service with no
   * running task pages through its own running-tasks alarm.
   * @default threshold 0 (any unhealthy target)
   */
  readonly unhealthyHosts?: AlarmOptions;
}

const NAME = /^[A-Za-z0-9-]{1,32}$/;

/** Alarms of a Network Load Balancer: unhealthy targets, per target group. */
export class LoadBalancerAlarms extends AlarmSet {
  constructor(scope: Construct, id: string, props: LoadBalancerAlarmsProps) {
    super(scope, id, props, props.loadBalancerArnSuffix);
    requireProp(
      this,
      !!props.loadBalancerArnSuffix,
      'loadBalancerArnSuffix',
      props.loadBalancerArnSuffix,
      'Pass the arn_suffix of the load balancer.',
    );
    requireProp(
      this,
      Array.isArray(props.targetGroups) && props.targetGroups.length > 0,
      'targetGroups',
      props.targetGroups,
      'List at least one target group ({ name, arnSuffix }).',
    );
    const names = new Set<string>();
    props.targetGroups.forEach((tg, i) => {
      requireProp(
        this,
        NAME.test(tg.name ?? '') && !names.has(tg.name),
        `targetGroups[${i}].name`,
        tg.name,
        'Use a unique literal name of 1-32 letters, digits and hyphens.',
      );
      requireProp(
        this,
        !!tg.arnSuffix,
        `targetGroups[${i}].arnSuffix`,
        tg.arnSuffix,
        'Pass the arn_suffix of the target group.',
      );
      names.add(tg.name);
      this.addMetricAlarm({
        id: `${tg.name}-UnhealthyHosts`,
        field: 'unhealthyHosts',
        name: `${this.alarmNamePrefix}-${tg.name}-unhealthy-hosts`,
        description: `Target group ${tg.name} has unhealthy targets: check the health checks and the tasks behind it.`,
        namespace: 'AWS/NetworkELB',
        metricName: 'UnHealthyHostCount',
        dimensions: { LoadBalancer: props.loadBalancerArnSuffix, TargetGroup: tg.arnSuffix },
        statistic: 'Maximum',
        comparison: 'GreaterThanThreshold',
        thresholdKind: 'count',
        defaultThreshold: 0,
        treatMissingData: 'notBreaching',
        options: props.unhealthyHosts,
      });
    });
  }
}
