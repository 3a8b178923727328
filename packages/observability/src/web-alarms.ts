import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { requireProp } from '@tts-ecs/core';
import { AlarmOptions, AlarmSet, AlarmSetProps, idFor, requireIdentifiers } from './alarm-set';

export interface ApplicationLoadBalancerAlarmsProps extends AlarmSetProps {
  /** `arn_suffix` of the Application Load Balancer (the `LoadBalancer` dimension, `app/<name>/<id>`). */
  readonly loadBalancerArnSuffix: string;
  /**
   * `arn_suffix` of each target group to watch for unhealthy targets (the `TargetGroup` dimension,
   * `targetgroup/<name>/<id>`).
   * @default none (no unhealthy-target alarms)
   */
  readonly targetGroupArnSuffixes?: readonly string[];
  /**
   * 5xx responses the load balancer generates itself (AWS/ApplicationELB HTTPCode_ELB_5XX_Count, sum per period,
   * count) above the threshold: 502 (a target reset the connection), 503 (no healthy target), 504 (target timeout).
   * A count, not a rate: requests the load balancer rejects before choosing a target are missing from RequestCount,
   * so a total outage would show no rate at all. Raise it where the odd 502 is normal.
   * Missing data is not breaching: the metric is reported only when non-zero.
   * @default threshold 0 (any such response, in every evaluated period)
   */
  readonly loadBalancer5xx?: AlarmOptions;
  /**
   * 5xx responses of the targets as a share of requests (100 x HTTPCode_Target_5XX_Count / RequestCount, metric math,
   * percent greater than 0 and at most 100) above the threshold.
   * Missing data is not breaching: without requests there is no rate.
   * @default threshold 5
   */
  readonly target5xxRate?: AlarmOptions;
  /**
   * 99th percentile of the time targets take to start answering (AWS/ApplicationELB TargetResponseTime, p99, seconds,
   * greater than 0) above the threshold. Disable it for listeners serving long polling or streams, whose requests
   * are slow by design. Missing data is not breaching: without requests there is no response time.
   * @default threshold 2 (seconds)
   */
  readonly targetResponseTime?: AlarmOptions;
  /**
   * Unhealthy targets of each target group in `targetGroupArnSuffixes` (UnHealthyHostCount, maximum, count) above the
   * threshold. Missing data is not breaching: a target group without registered targets reports nothing, and an
   * empty service pages through its own running-tasks alarm.
   * @default threshold 0 (any unhealthy target)
   */
  readonly unhealthyHosts?: AlarmOptions;
  /**
   * Connections refused because the load balancer reached its connection limit (RejectedConnectionCount, sum, count)
   * above the threshold. Missing data is not breaching: the metric is reported only when non-zero.
   * @default threshold 0
   */
  readonly rejectedConnections?: AlarmOptions;
}

const ALB_SUFFIX = /^app\/[A-Za-z0-9-]{1,32}\/[a-f0-9]+$/;
const TG_SUFFIX = /^targetgroup\/[A-Za-z0-9-]{1,32}\/[a-f0-9]+$/;

/**
 * Alarms of an Application Load Balancer: its own 5xx responses, the targets' 5xx rate, p99 target response time,
 * rejected connections, and unhealthy targets per target group.
 */
export class ApplicationLoadBalancerAlarms extends AlarmSet {
  constructor(scope: Construct, id: string, props: ApplicationLoadBalancerAlarmsProps) {
    super(scope, id, props, props.loadBalancerArnSuffix);
    const lb = props.loadBalancerArnSuffix;
    requireProp(
      this,
      typeof lb === 'string' && (Token.isUnresolved(lb) || ALB_SUFFIX.test(lb)),
      'loadBalancerArnSuffix',
      lb,
      'Pass the arn_suffix of an Application Load Balancer ("app/<name>/<id>"); for a Network Load Balancer use LoadBalancerAlarms.',
    );
    const targetGroups = props.targetGroupArnSuffixes ?? [];
    if (props.targetGroupArnSuffixes !== undefined) {
      requireIdentifiers(
        this,
        'targetGroupArnSuffixes',
        props.targetGroupArnSuffixes,
        'List the arn_suffix of each target group ("targetgroup/<name>/<id>"), or omit the prop for none.',
      );
    }
    targetGroups.forEach((tg, i) =>
      requireProp(
        this,
        Token.isUnresolved(tg) || TG_SUFFIX.test(tg),
        `targetGroupArnSuffixes[${i}]`,
        tg,
        'Pass the arn_suffix of a target group ("targetgroup/<name>/<id>"), not its ARN or name.',
      ),
    );
    const p = this.alarmNamePrefix;
    const dimensions = { LoadBalancer: lb };
    const common = { namespace: 'AWS/ApplicationELB', dimensions, treatMissingData: 'notBreaching' } as const;
    this.addMetricAlarm({
      ...common,
      id: 'Elb5xx',
      field: 'loadBalancer5xx',
      name: `${p}-elb-5xx`,
      description: `Load balancer ${lb} answers 5xx itself: no healthy target (503), target resets (502) or timeouts (504).`,
      metricName: 'HTTPCode_ELB_5XX_Count',
      statistic: 'Sum',
      comparison: 'GreaterThanThreshold',
      thresholdKind: 'count',
      defaultThreshold: 0,
      options: props.loadBalancer5xx,
    });
    this.addMetricAlarm({
      ...common,
      id: 'Target5xxRate',
      field: 'target5xxRate',
      name: `${p}-target-5xx-rate`,
      description: `Targets behind load balancer ${lb} answer many requests with 5xx: check the application logs.`,
      metricName: 'HTTPCode_Target_5XX_Count',
      percentOf: { denominator: 'RequestCount' },
      statistic: 'Sum',
      comparison: 'GreaterThanThreshold',
      thresholdKind: 'rate',
      defaultThreshold: 5,
      options: props.target5xxRate,
    });
    this.addMetricAlarm({
      ...common,
      id: 'TargetResponseTime',
      field: 'targetResponseTime',
      name: `${p}-target-response-time-high`,
      description: `Targets behind load balancer ${lb} are slow to answer (p99): check the application and its database.`,
      metricName: 'TargetResponseTime',
      statistic: 'p99',
      comparison: 'GreaterThanThreshold',
      thresholdKind: 'positive',
      defaultThreshold: 2,
      options: props.targetResponseTime,
    });
    this.addMetricAlarm({
      ...common,
      id: 'RejectedConnections',
      field: 'rejectedConnections',
      name: `${p}-rejected-connections`,
      description: `Load balancer ${lb} rejects connections: it reached its connection limit.`,
      metricName: 'RejectedConnectionCount',
      statistic: 'Sum',
      comparison: 'GreaterThanThreshold',
      thresholdKind: 'count',
      defaultThreshold: 0,
      options: props.rejectedConnections,
    });
    targetGroups.forEach((tg, i) => {
      this.addMetricAlarm({
        ...common,
        id: `${idFor(tg, i, 'TargetGroup')}-UnhealthyHosts`,
        field: 'unhealthyHosts',
        name: `${p}-${tg}-unhealthy-hosts`,
        description: `Target group ${tg} has unhealthy targets: check the health checks and the tasks behind it.`,
        metricName: 'UnHealthyHostCount',
        dimensions: { LoadBalancer: lb, TargetGroup: tg },
        statistic: 'Maximum',
        comparison: 'GreaterThanThreshold',
        thresholdKind: 'count',
        defaultThreshold: 0,
        options: props.unhealthyHosts,
      });
    });
  }
}

export interface HttpApiAlarmsProps extends AlarmSetProps {
  /** Id of the API Gateway HTTP API (the `ApiId` dimension), e.g. `a1b2c3d4e5`. */
  readonly apiId: string;
  /**
   * Stage to watch (the `Stage` dimension).
   * @default '$default'
   */
  readonly stage?: string;
  /**
   * 5xx responses as a share of requests (100 x `5xx` / `Count`, metric math, percent greater than 0 and at most 100)
   * above the threshold: the integration failed, timed out (30 s limit) or answered 5xx.
   * Missing data is not breaching: without requests there is no rate.
   * @default threshold 5
   */
  readonly serverErrorRate?: AlarmOptions;
  /**
   * 4xx responses as a share of requests (100 x `4xx` / `Count`) above the threshold. Off unless given, because
   * clients cause 4xx (bad tokens, scanners) as often as deployments do. Missing data is not breaching.
   * @default no alarm; when given, threshold 10
   */
  readonly clientErrorRate?: AlarmOptions;
  /**
   * 99th percentile of the time to answer clients (`Latency`, p99, milliseconds, greater than 0) above the threshold.
   * Missing data is not breaching: without requests there is no latency.
   * @default threshold 2000
   */
  readonly latency?: AlarmOptions;
  /**
   * 99th percentile of the backend's time to answer (`IntegrationLatency`, p99, milliseconds, greater than 0) above
   * the threshold. When both latency alarms fire the backend is slow; `latency` alone means API Gateway itself is.
   * Missing data is not breaching.
   * @default threshold 2000
   */
  readonly integrationLatency?: AlarmOptions;
}

const API_ID = /^[a-z0-9]{10}$/;
const STAGE = /^(\$default|[A-Za-z0-9_-]{1,128})$/;

/** Alarms of one stage of an API Gateway HTTP API: 5xx rate, optional 4xx rate, p99 latency and integration latency. */
export class HttpApiAlarms extends AlarmSet {
  constructor(scope: Construct, id: string, props: HttpApiAlarmsProps) {
    const stage = props.stage ?? '$default';
    super(scope, id, props, stage === '$default' ? props.apiId : `${props.apiId}-${stage}`);
    requireProp(
      this,
      typeof props.apiId === 'string' && (Token.isUnresolved(props.apiId) || API_ID.test(props.apiId)),
      'apiId',
      props.apiId,
      'Pass the id of the HTTP API (10 lower-case letters and digits, e.g. Apigatewayv2Api.id), not its name or endpoint.',
    );
    requireProp(
      this,
      Token.isUnresolved(stage) || STAGE.test(stage),
      'stage',
      stage,
      'Use "$default" or a stage name of 1-128 letters, digits, "-" and "_".',
    );
    const p = this.alarmNamePrefix;
    const common = {
      namespace: 'AWS/ApiGateway',
      dimensions: { ApiId: props.apiId, Stage: stage },
      comparison: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
    } as const;
    const api = `HTTP API ${props.apiId} (stage ${stage})`;
    this.addMetricAlarm({
      ...common,
      id: 'ServerErrorRate',
      field: 'serverErrorRate',
      name: `${p}-5xx-rate`,
      description: `${api} answers many requests with 5xx: check the integration (backend errors or timeouts).`,
      metricName: '5xx',
      percentOf: { denominator: 'Count' },
      statistic: 'Sum',
      thresholdKind: 'rate',
      defaultThreshold: 5,
      options: props.serverErrorRate,
    });
    this.addMetricAlarm({
      ...common,
      id: 'ClientErrorRate',
      field: 'clientErrorRate',
      name: `${p}-4xx-rate`,
      description: `${api} answers many requests with 4xx: check authorizers, routes and recent client releases.`,
      metricName: '4xx',
      percentOf: { denominator: 'Count' },
      statistic: 'Sum',
      thresholdKind: 'rate',
      defaultThreshold: 10,
      options: props.clientErrorRate ?? { enabled: false },
    });
    for (const [field, metricName, slug, what] of [
      ['latency', 'Latency', 'latency-high', 'is slow to answer clients (p99)'],
      ['integrationLatency', 'IntegrationLatency', 'integration-latency-high', 'waits long for its backend (p99)'],
    ] as const) {
      this.addMetricAlarm({
        ...common,
        id: metricName,
        field,
        name: `${p}-${slug}`,
        description: `${api} ${what}.`,
        metricName,
        statistic: 'p99',
        thresholdKind: 'positive',
        defaultThreshold: 2000,
        options: props[field],
      });
    }
  }
}
