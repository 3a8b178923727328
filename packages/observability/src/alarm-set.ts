import { Construct } from 'constructs';
import { TerraformProvider, Token } from 'cdktf';
import {
  CloudwatchMetricAlarm,
  CloudwatchMetricAlarmMetricQuery,
} from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { requireIntegerInRange, requireProp } from '@tts-ecs/core';

/**
 * What an alarm does when a period has no data. Each alarm set chooses this per metric and documents why:
 * `breaching` where silence means the resource is gone, `notBreaching` where silence is normal or already covered
 * by another alarm (so one failure pages once).
 */
export type TreatMissingData = 'breaching' | 'notBreaching' | 'ignore' | 'missing';

/** Overrides for one metric's alarm. Unset fields take the alarm set's defaults. */
export interface AlarmOptions {
  /**
   * Threshold in the metric's unit (each alarm set documents the unit and the allowed range).
   * @default per metric, documented on the alarm set's props
   */
  readonly threshold?: number;
  /**
   * Periods evaluated for this metric.
   * @default the alarm set's `evaluationPeriods`
   */
  readonly evaluationPeriods?: number;
  /**
   * Breaching periods among `evaluationPeriods` that raise the alarm ("M out of N").
   * @default equal to `evaluationPeriods` (every evaluated period must breach)
   */
  readonly datapointsToAlarm?: number;
  /**
   * Set to `false` to skip this alarm.
   * @default true
   */
  readonly enabled?: boolean;
}

/** Props every alarm set takes. */
export interface AlarmSetProps {
  /** ARN of the SNS topic notified on ALARM and on the return to OK (e.g. `AlarmTopic.topicArn`). */
  readonly alarmTopicArn: string;
  /**
   * Length of one evaluation period in seconds: 10, 30 or a multiple of 60.
   * @default 60
   */
  readonly periodSeconds?: number;
  /**
   * Periods evaluated by every alarm of the set unless a metric overrides it. With the 60 s period,
   * 5 periods means a condition must last five minutes before anyone is paged.
   * @default 5
   */
  readonly evaluationPeriods?: number;
  /**
   * Prefix of every alarm name, so alarms of one deployment sort together in the console.
   * @default derived from the monitored identifiers
   */
  readonly alarmNamePrefix?: string;
  /**
   * Tags added to every alarm.
   * @default no extra tags (provider default tags still apply)
   */
  readonly tags?: Record<string, string>;
}

/** How a threshold is validated. `rate` is a percentage above 0 and at most 100 (error rates below 1 % are common). */
export type ThresholdKind = 'percent' | 'rate' | 'count' | 'positive';

/** A percentile statistic such as `p99`, sent as `extended_statistic`. */
export type PercentileStatistic = `p${number}`;

/** One metric alarm, as an alarm set describes it. */
export interface MetricAlarmSpec {
  /** Construct id (part of the Terraform address). */
  readonly id: string;
  /** Prop name used in error messages, e.g. `cpu`. */
  readonly field: string;
  readonly name: string;
  readonly description: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  readonly statistic: 'Average' | 'Maximum' | 'Minimum' | 'Sum' | PercentileStatistic;
  readonly comparison: 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold' | 'LessThanThreshold';
  readonly thresholdKind: ThresholdKind;
  readonly defaultThreshold: number;
  readonly treatMissingData: TreatMissingData;
  readonly options?: AlarmOptions;
  /**
   * Alarm on `100 x metricName / denominator` (metric math, both summed over the period with `namespace` and
   * `dimensions`; `statistic` is ignored). Periods without a denominator data point (no traffic) have no data.
   * @default the metric itself, no metric math
   */
  readonly percentOf?: { readonly denominator: string };
  /**
   * Provider of the alarm (e.g. one in us-east-1 for global services).
   * @default the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

const ARN_SNS = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

/** Shared machinery of the alarm sets: validation of the common props and creation of each alarm. */
export abstract class AlarmSet extends Construct {
  /** Every alarm created, in creation order. */
  readonly alarms: CloudwatchMetricAlarm[] = [];
  protected readonly alarmNamePrefix: string;
  private readonly common: AlarmSetProps;
  private readonly periodSeconds: number;
  private readonly evaluationPeriods: number;

  protected constructor(scope: Construct, id: string, props: AlarmSetProps, defaultPrefix: string) {
    super(scope, id);
    this.common = props;
    requireProp(
      this,
      typeof props.alarmTopicArn === 'string' &&
        (Token.isUnresolved(props.alarmTopicArn) || ARN_SNS.test(props.alarmTopicArn)),
      'alarmTopicArn',
      props.alarmTopicArn,
      'Pass the ARN of an SNS topic (arn:aws:sns:<region>:<account>:<name>), e.g. AlarmTopic.topicArn.',
    );
    this.periodSeconds = props.periodSeconds ?? 60;
    requireProp(
      this,
      [10, 30].includes(this.periodSeconds) ||
        (Number.isInteger(this.periodSeconds) && this.periodSeconds >= 60 && this.periodSeconds % 60 === 0),
      'periodSeconds',
      this.periodSeconds,
      'Use 10, 30 or a multiple of 60 seconds (CloudWatch accepts no other alarm periods).',
    );
    this.evaluationPeriods = props.evaluationPeriods ?? 5;
    requireIntegerInRange(this, 'evaluationPeriods', this.evaluationPeriods, 1, 100);
    this.alarmNamePrefix = props.alarmNamePrefix ?? defaultPrefix;
    requireProp(
      this,
      this.alarmNamePrefix.length > 0 && this.alarmNamePrefix.length <= 200,
      'alarmNamePrefix',
      this.alarmNamePrefix,
      'Use 1-200 characters.',
    );
  }

  /** ARNs of every alarm, e.g. for a composite alarm. */
  get alarmArns(): string[] {
    return this.alarms.map((a) => a.arn);
  }

  /** Validates the metric's overrides and creates its alarm; returns undefined when the metric is disabled. */
  protected addMetricAlarm(spec: MetricAlarmSpec): CloudwatchMetricAlarm | undefined {
    const o = spec.options ?? {};
    if (o.enabled === false) return undefined;
    const threshold = o.threshold ?? spec.defaultThreshold;
    checkThreshold(this, `${spec.field}.threshold`, threshold, spec.thresholdKind);
    const evaluationPeriods = o.evaluationPeriods ?? this.evaluationPeriods;
    requireIntegerInRange(this, `${spec.field}.evaluationPeriods`, evaluationPeriods, 1, 100);
    requireProp(
      this,
      evaluationPeriods * this.periodSeconds <= 86400,
      `${spec.field}.evaluationPeriods`,
      evaluationPeriods,
      `evaluationPeriods x periodSeconds (${this.periodSeconds}) must not exceed 86400 seconds (one day); use fewer periods.`,
    );
    const datapoints = o.datapointsToAlarm ?? evaluationPeriods;
    requireIntegerInRange(this, `${spec.field}.datapointsToAlarm`, datapoints, 1, evaluationPeriods);
    const percentile = /^p\d/.test(spec.statistic);
    const alarm = new CloudwatchMetricAlarm(this, spec.id, {
      provider: spec.provider,
      alarmName: spec.name,
      alarmDescription: spec.description,
      ...(spec.percentOf
        ? { metricQuery: this.percentQueries(spec, spec.percentOf.denominator) }
        : {
            namespace: spec.namespace,
            metricName: spec.metricName,
            dimensions: spec.dimensions,
            // CloudWatch takes percentiles only as extended statistics.
            statistic: percentile ? undefined : spec.statistic,
            extendedStatistic: percentile ? spec.statistic : undefined,
            period: this.periodSeconds,
          }),
      evaluationPeriods,
      datapointsToAlarm: datapoints,
      comparisonOperator: spec.comparison,
      threshold,
      treatMissingData: spec.treatMissingData,
      actionsEnabled: true,
      alarmActions: [this.common.alarmTopicArn],
      okActions: [this.common.alarmTopicArn],
      tags: this.common.tags,
    });
    this.alarms.push(alarm);
    return alarm;
  }

  /** Metric math for `100 x metricName / denominator`, both summed over the set's period. */
  private percentQueries(spec: MetricAlarmSpec, denominator: string): CloudwatchMetricAlarmMetricQuery[] {
    const metric = (metricName: string) => ({
      namespace: spec.namespace,
      metricName,
      dimensions: spec.dimensions,
      stat: 'Sum',
      period: this.periodSeconds,
    });
    return [
      { id: 'errors', metric: metric(spec.metricName), returnData: false },
      { id: 'requests', metric: metric(denominator), returnData: false },
      {
        id: 'rate',
        // Error counts are often reported only when non-zero: FILL keeps a period with requests but no errors at 0 %.
        // A period without requests divides by nothing and has no data point (treatMissingData decides).
        expression: '100 * FILL(errors, 0) / requests',
        label: `${spec.metricName} as % of ${denominator}`,
        returnData: true,
      },
    ];
  }
}

/** Validates a threshold by kind; the field name and the allowed range end up in the error. */
export function checkThreshold(scope: Construct, field: string, value: number, kind: ThresholdKind): void {
  if (typeof value === 'number' && value < -1e15) return; // unresolved token
  switch (kind) {
    case 'percent':
      requireProp(
        scope,
        Number.isFinite(value) && value >= 1 && value <= 100,
        field,
        value,
        'Use a percentage from 1 to 100.',
      );
      break;
    case 'rate':
      requireProp(
        scope,
        Number.isFinite(value) && value > 0 && value <= 100,
        field,
        value,
        'Use a percentage greater than 0 and at most 100.',
      );
      break;
    case 'count':
      requireProp(scope, Number.isInteger(value) && value >= 0, field, value, 'Use a whole number of 0 or more.');
      break;
    case 'positive':
      requireProp(scope, Number.isFinite(value) && value > 0, field, value, 'Use a number greater than 0.');
      break;
  }
}

/** A construct-id-safe name for a possibly unresolved identifier: the identifier itself when literal, else the index. */
export function idFor(identifier: string, index: number, fallbackPrefix: string): string {
  if (Token.isUnresolved(identifier)) return `${fallbackPrefix}${index}`;
  return identifier.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** Requires a non-empty list of non-empty identifiers without duplicates among the literal ones. */
export function requireIdentifiers(
  scope: Construct,
  field: string,
  values: readonly string[] | undefined,
  fix: string,
): void {
  requireProp(
    scope,
    Array.isArray(values) && values.length > 0 && values.every((v) => typeof v === 'string' && v.length > 0),
    field,
    values,
    fix,
  );
  const literals = values!.filter((v) => !Token.isUnresolved(v));
  requireProp(scope, new Set(literals).size === literals.length, field, values, 'List each identifier once.');
}
