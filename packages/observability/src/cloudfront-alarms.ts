import { Construct } from 'constructs';
import { TerraformProvider, Token } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { requireProp } from '@tts-ecs/core';
import { AlarmOptions, AlarmSet, AlarmSetProps } from './alarm-set';

// CloudFront publishes its metrics only in us-east-1 ("To get the CloudFront metrics from the CloudWatch API, you must
// use the US East (N. Virginia) Region", CloudFront Developer Guide, programming-cloudwatch-metrics), and an alarm can
// only notify an SNS topic of its own region.
const METRICS_REGION = 'us-east-1';

export interface CloudFrontAlarmsProps extends AlarmSetProps {
  /**
   * ARN of an SNS topic **in us-east-1** notified on ALARM and OK. The alarms live in us-east-1 with the metrics, and
   * CloudWatch only notifies topics of the alarm's region: create the topic with a us-east-1 provider (e.g. an
   * AlarmTopic in a stack whose default provider is in us-east-1).
   */
  readonly alarmTopicArn: string;
  /**
   * AWS provider in us-east-1 (e.g. an aliased `AwsProvider` with `region: 'us-east-1'`) that creates the alarms:
   * CloudFront metrics exist only there. A literal other region is rejected.
   */
  readonly provider: TerraformProvider;
  /** Id of the distribution (the `DistributionId` dimension), e.g. `E2QWRUHAPOMQZL`. */
  readonly distributionId: string;
  /**
   * Viewer requests answered with 5xx (AWS/CloudFront 5xxErrorRate, average, percent greater than 0 and at most 100)
   * above the threshold: the origin failed or could not be reached.
   * Missing data is not breaching: without requests there is no rate.
   * @default threshold 5
   */
  readonly serverErrorRate?: AlarmOptions;
  /**
   * Viewer requests answered with 4xx (4xxErrorRate, average, percent) above the threshold. Off unless given:
   * scanners and stale links cause 4xx without anything being broken. Missing data is not breaching.
   * @default no alarm; when given, threshold 10
   */
  readonly clientErrorRate?: AlarmOptions;
  /**
   * 99th percentile of the time the origin takes to start answering (OriginLatency, p99, milliseconds, greater than 0)
   * above the threshold. OriginLatency is one of CloudFront's additional metrics, billed per distribution: turn them on
   * first (`aws_cloudfront_monitoring_subscription` with `realtime_metrics_subscription_status = "Enabled"`), or the
   * alarm never sees data. Off unless given. Missing data is not breaching: cache hits and idle periods report none.
   * @default no alarm; when given, threshold 2000
   */
  readonly originLatency?: AlarmOptions;
}

const DISTRIBUTION_ID = /^E[A-Z0-9]{5,20}$/;
const SNS_REGION = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):/;

/**
 * Alarms of a CloudFront distribution: 5xx error rate, and optionally 4xx error rate and p99 origin latency. Created
 * with the given us-east-1 provider, where CloudFront publishes its metrics (dimensions `DistributionId` and
 * `Region = Global`).
 */
export class CloudFrontAlarms extends AlarmSet {
  constructor(scope: Construct, id: string, props: CloudFrontAlarmsProps) {
    super(scope, id, props, props.distributionId);
    const topicRegion = SNS_REGION.exec(props.alarmTopicArn)?.[1];
    requireProp(
      this,
      Token.isUnresolved(props.alarmTopicArn) || topicRegion === METRICS_REGION,
      'alarmTopicArn',
      props.alarmTopicArn,
      'Use a topic in us-east-1: the alarms live there with the CloudFront metrics and can only notify topics of their region.',
    );
    requireProp(
      this,
      props.provider instanceof TerraformProvider,
      'provider',
      props.provider,
      'Pass an AWS provider in us-east-1 (e.g. new AwsProvider(stack, "us", { alias: "us", region: "us-east-1" })).',
    );
    const region = props.provider instanceof AwsProvider ? props.provider.region : undefined;
    requireProp(
      this,
      region === undefined || Token.isUnresolved(region) || region === METRICS_REGION,
      'provider',
      region,
      'Pass an AWS provider in us-east-1: CloudFront metrics exist only there.',
    );
    requireProp(
      this,
      typeof props.distributionId === 'string' &&
        (Token.isUnresolved(props.distributionId) || DISTRIBUTION_ID.test(props.distributionId)),
      'distributionId',
      props.distributionId,
      'Pass the distribution id (e.g. "E2QWRUHAPOMQZL", CloudfrontDistribution.id), not its domain name or ARN.',
    );
    const p = this.alarmNamePrefix;
    const d = props.distributionId;
    const common = {
      namespace: 'AWS/CloudFront',
      // Region is always "Global" for CloudFront metrics (same guide).
      dimensions: { DistributionId: d, Region: 'Global' },
      comparison: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
      provider: props.provider,
    } as const;
    this.addMetricAlarm({
      ...common,
      id: 'ServerErrorRate',
      field: 'serverErrorRate',
      name: `${p}-5xx-rate`,
      description: `CloudFront distribution ${d} answers many viewer requests with 5xx: check the origin.`,
      metricName: '5xxErrorRate',
      statistic: 'Average',
      thresholdKind: 'rate',
      defaultThreshold: 5,
      options: props.serverErrorRate,
    });
    this.addMetricAlarm({
      ...common,
      id: 'ClientErrorRate',
      field: 'clientErrorRate',
      name: `${p}-4xx-rate`,
      description: `CloudFront distribution ${d} answers many viewer requests with 4xx: check recent releases and links.`,
      metricName: '4xxErrorRate',
      statistic: 'Average',
      thresholdKind: 'rate',
      defaultThreshold: 10,
      options: props.clientErrorRate ?? { enabled: false },
    });
    this.addMetricAlarm({
      ...common,
      id: 'OriginLatency',
      field: 'originLatency',
      name: `${p}-origin-latency-high`,
      description: `The origin of CloudFront distribution ${d} is slow to answer (p99).`,
      metricName: 'OriginLatency',
      // OriginLatency takes percentile statistics (extended statistics), not Average/Sum (same guide).
      statistic: 'p99',
      thresholdKind: 'positive',
      defaultThreshold: 2000,
      options: props.originLatency ?? { enabled: false },
    });
  }
}
