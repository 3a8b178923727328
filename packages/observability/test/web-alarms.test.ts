import { TerraformStack, TerraformVariable } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ApplicationLoadBalancerAlarms, CloudFrontAlarms, CloudFrontAlarmsProps, HttpApiAlarms } from '../src';
import { all, synthStack as synth, SynthesizedStack } from '@tts-ecs/testing';
import { topicArn } from './topic';

type Query = {
  id: string;
  expression?: string;
  return_data?: boolean;
  metric?: Record<string, unknown>;
};
type Alarm = Record<string, unknown> & { alarm_name: string; metric_query?: Query[] };

const usTopicArn = 'arn:aws:sns:us-east-1:111111111111:alarms-us';
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

/** AlarmSetProps and AlarmOptions defaults; metric math alarms carry their period in each metric. */
function expectCommonDefaults(alarms: Alarm[], prefix: string): void {
  expect(alarms.length).toBeGreaterThan(0);
  for (const alarm of alarms) {
    // AlarmSetProps.alarmNamePrefix @default derived from the monitored identifiers
    expect(alarm.alarm_name.startsWith(`${prefix}-`)).toBe(true);
    // AlarmSetProps.periodSeconds @default 60
    const periods = alarm.metric_query
      ? alarm.metric_query.filter((q) => q.metric).map((q) => q.metric!.period)
      : [alarm.period];
    expect(new Set(periods)).toEqual(new Set([60]));
    // AlarmSetProps.evaluationPeriods @default 5; AlarmOptions.datapointsToAlarm @default equal to evaluationPeriods
    expect(alarm).toMatchObject({ evaluation_periods: 5, datapoints_to_alarm: 5 });
    // AlarmSetProps.tags @default no extra tags
    expect(alarm).not.toHaveProperty('tags');
    expect(alarm).toMatchObject({ alarm_actions: [topicArnOf(alarm)], ok_actions: [topicArnOf(alarm)] });
  }
}
const topicArnOf = (alarm: Alarm) =>
  (alarm.alarm_actions as string[])[0].includes('us-east-1') ? usTopicArn : topicArn;

/** The metric math of a rate alarm: 100 x errors / requests, both summed with the alarm's dimensions. */
function expectRate(alarm: Alarm, namespace: string, errors: string, requests: string, dimensions: object): void {
  expect(alarm).not.toHaveProperty('metric_name');
  expect(alarm).not.toHaveProperty('statistic');
  expect(alarm.metric_query).toEqual([
    {
      id: 'errors',
      metric: { namespace, metric_name: errors, dimensions, stat: 'Sum', period: 60 },
      return_data: false,
    },
    {
      id: 'requests',
      metric: { namespace, metric_name: requests, dimensions, stat: 'Sum', period: 60 },
      return_data: false,
    },
    {
      id: 'rate',
      expression: '100 * FILL(errors, 0) / requests',
      label: `${errors} as % of ${requests}`,
      return_data: true,
    },
  ]);
}

describe('ApplicationLoadBalancerAlarms', () => {
  const s = synth((stack) => {
    // Required props only.
    new ApplicationLoadBalancerAlarms(stack, 'Plain', { alarmTopicArn: topicArn, loadBalancerArnSuffix: 'app/web/1a' });
    new ApplicationLoadBalancerAlarms(stack, 'Alb', {
      alarmTopicArn: topicArn,
      loadBalancerArnSuffix: 'app/acme/123',
      targetGroupArnSuffixes: ['targetgroup/console/456', 'targetgroup/api/789'],
      target5xxRate: { threshold: 0.5 },
    });
    const tg = new TerraformVariable(stack, 'tg', { type: 'string' });
    new ApplicationLoadBalancerAlarms(stack, 'Tokens', {
      alarmTopicArn: topicArn,
      loadBalancerArnSuffix: 'app/tok/1',
      targetGroupArnSuffixes: [tg.stringValue],
      loadBalancer5xx: { enabled: false },
    });
  });

  it('creates the load balancer alarms with the set defaults, and no target group alarm', () => {
    // targetGroupArnSuffixes @default none (no unhealthy-target alarms)
    // AlarmOptions.enabled @default true
    expect(namesOf(s, 'app/web/1a')).toEqual(
      [
        'app/web/1a-elb-5xx',
        'app/web/1a-target-5xx-rate',
        'app/web/1a-target-response-time-high',
        'app/web/1a-rejected-connections',
      ].sort(),
    );
    expectCommonDefaults(
      alarmsOf(s).filter((a) => a.alarm_name.startsWith('app/web/1a-')),
      'app/web/1a',
    );
  });

  it('alarms on any ELB 5xx, above 5 % target 5xx, above 2 s p99 and on any rejected connection', () => {
    // loadBalancer5xx @default threshold 0 (any such response, in every evaluated period)
    expect(alarmNamed(s, 'app/web/1a-elb-5xx')).toMatchObject({
      namespace: 'AWS/ApplicationELB',
      metric_name: 'HTTPCode_ELB_5XX_Count',
      dimensions: { LoadBalancer: 'app/web/1a' },
      statistic: 'Sum',
      comparison_operator: 'GreaterThanThreshold',
      threshold: 0,
    });
    // target5xxRate @default threshold 5
    expect(alarmNamed(s, 'app/web/1a-target-5xx-rate').threshold).toBe(5);
    // targetResponseTime @default threshold 2 (seconds)
    expect(alarmNamed(s, 'app/web/1a-target-response-time-high')).toMatchObject({ threshold: 2 });
    // rejectedConnections @default threshold 0
    expect(alarmNamed(s, 'app/web/1a-rejected-connections')).toMatchObject({
      metric_name: 'RejectedConnectionCount',
      statistic: 'Sum',
      threshold: 0,
    });
  });

  it('alarms on any unhealthy target of each target group, with both dimensions', () => {
    // unhealthyHosts @default threshold 0 (any unhealthy target)
    expect(alarmNamed(s, 'app/acme/123-targetgroup/api/789-unhealthy-hosts')).toMatchObject({
      namespace: 'AWS/ApplicationELB',
      metric_name: 'UnHealthyHostCount',
      dimensions: { LoadBalancer: 'app/acme/123', TargetGroup: 'targetgroup/api/789' },
      statistic: 'Maximum',
      threshold: 0,
      treat_missing_data: 'notBreaching',
    });
    expect(alarmsOf(s).filter((a) => a.metric_name === 'UnHealthyHostCount')).toHaveLength(3);
  });

  it('computes the target 5xx rate with metric math over RequestCount, and takes rates below 1 %', () => {
    const rate = alarmNamed(s, 'app/acme/123-target-5xx-rate');
    expectRate(rate, 'AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', 'RequestCount', {
      LoadBalancer: 'app/acme/123',
    });
    expect(rate).toMatchObject({ threshold: 0.5, treat_missing_data: 'notBreaching' });
  });

  it('uses p99 as an extended statistic for the response time', () => {
    const p99 = alarmNamed(s, 'app/acme/123-target-response-time-high');
    expect(p99).toMatchObject({ metric_name: 'TargetResponseTime', extended_statistic: 'p99' });
    expect(p99).not.toHaveProperty('statistic');
  });

  it('treats missing data as not breaching: the load balancer reports only while requests flow', () => {
    expect(new Set(alarmsOf(s).map((a) => a.treat_missing_data))).toEqual(new Set(['notBreaching']));
  });

  it('accepts target groups given as references, and skips disabled alarms', () => {
    const names = namesOf(s, 'app/tok/1');
    expect(names).not.toContain('app/tok/1-elb-5xx');
    expect(names.filter((n) => n.endsWith('-unhealthy-hosts'))).toHaveLength(1);
    expect(s.json).toContain('TargetGroup0-UnhealthyHosts');
  });
});

describe('HttpApiAlarms', () => {
  const s = synth((stack) => {
    // Required props only.
    new HttpApiAlarms(stack, 'Api', { alarmTopicArn: topicArn, apiId: 'a1b2c3d4e5' });
    new HttpApiAlarms(stack, 'Prod', {
      alarmTopicArn: topicArn,
      apiId: 'f6g7h8i9j0',
      stage: 'prod',
      clientErrorRate: {},
      latency: { threshold: 800 },
    });
  });

  it('creates the 5xx and latency alarms with the set defaults on the $default stage, and no 4xx alarm', () => {
    // clientErrorRate @default no alarm
    expect(namesOf(s, 'a1b2c3d4e5')).toEqual(
      ['a1b2c3d4e5-5xx-rate', 'a1b2c3d4e5-integration-latency-high', 'a1b2c3d4e5-latency-high'].sort(),
    );
    expectCommonDefaults(
      alarmsOf(s).filter((a) => a.alarm_name.startsWith('a1b2c3d4e5-')),
      'a1b2c3d4e5',
    );
    // stage @default '$default'
    expectRate(alarmNamed(s, 'a1b2c3d4e5-5xx-rate'), 'AWS/ApiGateway', '5xx', 'Count', {
      ApiId: 'a1b2c3d4e5',
      Stage: '$default',
    });
  });

  it('alarms above 5 % 5xx and above 2000 ms p99 latency and integration latency', () => {
    // serverErrorRate @default threshold 5
    expect(alarmNamed(s, 'a1b2c3d4e5-5xx-rate').threshold).toBe(5);
    // latency @default threshold 2000
    expect(alarmNamed(s, 'a1b2c3d4e5-latency-high')).toMatchObject({
      metric_name: 'Latency',
      extended_statistic: 'p99',
      threshold: 2000,
      dimensions: { ApiId: 'a1b2c3d4e5', Stage: '$default' },
    });
    // integrationLatency @default threshold 2000
    expect(alarmNamed(s, 'a1b2c3d4e5-integration-latency-high')).toMatchObject({
      metric_name: 'IntegrationLatency',
      extended_statistic: 'p99',
      threshold: 2000,
    });
  });

  it('adds the 4xx rate when asked, at 10 %, and names a non-default stage', () => {
    // clientErrorRate @default ...; when given, threshold 10
    const rate = alarmNamed(s, 'f6g7h8i9j0-prod-4xx-rate');
    expectRate(rate, 'AWS/ApiGateway', '4xx', 'Count', { ApiId: 'f6g7h8i9j0', Stage: 'prod' });
    expect(rate.threshold).toBe(10);
    expect(alarmNamed(s, 'f6g7h8i9j0-prod-latency-high').threshold).toBe(800);
  });
});

describe('CloudFrontAlarms', () => {
  const s = synth((stack) => {
    const us = new AwsProvider(stack, 'us', { alias: 'us', region: 'us-east-1' });
    // Required props only.
    new CloudFrontAlarms(stack, 'Cdn', { alarmTopicArn: usTopicArn, provider: us, distributionId: 'E2QWRUHAPOMQZL' });
    new CloudFrontAlarms(stack, 'All', {
      alarmTopicArn: usTopicArn,
      provider: us,
      distributionId: 'E3ABCDEFGHIJKL',
      clientErrorRate: {},
      originLatency: {},
    });
  });

  it('creates the 5xx rate alarm with the set defaults, and no 4xx or origin latency alarm', () => {
    // clientErrorRate @default no alarm; originLatency @default no alarm
    expect(namesOf(s, 'E2QWRUHAPOMQZL')).toEqual(['E2QWRUHAPOMQZL-5xx-rate']);
    expectCommonDefaults(
      alarmsOf(s).filter((a) => a.alarm_name.startsWith('E2QWRUHAPOMQZL-')),
      'E2QWRUHAPOMQZL',
    );
  });

  it('alarms above 5 % 5xx on the Global region dimension', () => {
    // serverErrorRate @default threshold 5
    expect(alarmNamed(s, 'E2QWRUHAPOMQZL-5xx-rate')).toMatchObject({
      namespace: 'AWS/CloudFront',
      metric_name: '5xxErrorRate',
      statistic: 'Average',
      dimensions: { DistributionId: 'E2QWRUHAPOMQZL', Region: 'Global' },
      threshold: 5,
      treat_missing_data: 'notBreaching',
    });
  });

  it('creates every alarm with the us-east-1 provider', () => {
    expect(new Set(alarmsOf(s).map((a) => a.provider))).toEqual(new Set(['aws.us']));
  });

  it('adds the 4xx rate at 10 % and the p99 origin latency at 2000 ms when asked', () => {
    // clientErrorRate ...; when given, threshold 10
    expect(alarmNamed(s, 'E3ABCDEFGHIJKL-4xx-rate')).toMatchObject({ metric_name: '4xxErrorRate', threshold: 10 });
    // originLatency ...; when given, threshold 2000
    expect(alarmNamed(s, 'E3ABCDEFGHIJKL-origin-latency-high')).toMatchObject({
      metric_name: 'OriginLatency',
      extended_statistic: 'p99',
      threshold: 2000,
    });
  });
});

describe('web alarm validation', () => {
  const alb = (extra: object) => () =>
    synth(
      (stack) =>
        new ApplicationLoadBalancerAlarms(stack, 'Alb', {
          alarmTopicArn: topicArn,
          loadBalancerArnSuffix: 'app/acme/123',
          ...extra,
        }),
    );
  const api = (extra: object) => () =>
    synth((stack) => new HttpApiAlarms(stack, 'Api', { alarmTopicArn: topicArn, apiId: 'a1b2c3d4e5', ...extra }));
  const cdn =
    (extra: Partial<CloudFrontAlarmsProps>, region = 'us-east-1') =>
    () =>
      synth((stack: TerraformStack) => {
        const provider = new AwsProvider(stack, 'us', { alias: 'us', region });
        new CloudFrontAlarms(stack, 'Cdn', {
          alarmTopicArn: usTopicArn,
          provider,
          distributionId: 'E2QWRUHAPOMQZL',
          ...extra,
        });
      });

  it('rejects a Network Load Balancer or a target group ARN', () => {
    expect(alb({ loadBalancerArnSuffix: 'net/acme/123' })).toThrow(
      /test\/Alb: invalid loadBalancerArnSuffix "net\/acme\/123"\. .*for a Network Load Balancer use LoadBalancerAlarms/,
    );
    const arn = 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/api/789';
    expect(alb({ targetGroupArnSuffixes: [arn] })).toThrow(
      `test/Alb: invalid targetGroupArnSuffixes[0] "${arn}". Pass the arn_suffix of a target group`,
    );
    expect(alb({ targetGroupArnSuffixes: [] })).toThrow(
      'test/Alb: invalid targetGroupArnSuffixes []. List the arn_suffix of each target group',
    );
  });

  it('rejects rates outside (0, 100] and non-positive latencies', () => {
    expect(alb({ target5xxRate: { threshold: 0 } })).toThrow(
      'test/Alb: invalid target5xxRate.threshold 0. Use a percentage greater than 0 and at most 100.',
    );
    expect(alb({ targetResponseTime: { threshold: -1 } })).toThrow(
      'test/Alb: invalid targetResponseTime.threshold -1. Use a number greater than 0.',
    );
    expect(api({ clientErrorRate: { threshold: 150 } })).toThrow(
      'test/Api: invalid clientErrorRate.threshold 150. Use a percentage greater than 0 and at most 100.',
    );
  });

  it('rejects an API name instead of its id, and a bad stage', () => {
    expect(api({ apiId: 'my-api' })).toThrow('test/Api: invalid apiId "my-api". Pass the id of the HTTP API');
    expect(api({ stage: 'a b' })).toThrow('test/Api: invalid stage "a b". Use "$default" or a stage name');
  });

  it('rejects a topic or a provider outside us-east-1 for CloudFront', () => {
    expect(cdn({ alarmTopicArn: topicArn })).toThrow(
      `test/Cdn: invalid alarmTopicArn "${topicArn}". Use a topic in us-east-1`,
    );
    expect(cdn({}, 'eu-west-1')).toThrow(
      'test/Cdn: invalid provider "eu-west-1". Pass an AWS provider in us-east-1: CloudFront metrics exist only there.',
    );
    expect(cdn({ provider: undefined })).toThrow(
      'test/Cdn: invalid provider undefined. Pass an AWS provider in us-east-1',
    );
    expect(cdn({ distributionId: 'd111111abcdef8.cloudfront.net' })).toThrow(
      'test/Cdn: invalid distributionId "d111111abcdef8.cloudfront.net". Pass the distribution id',
    );
  });
});
