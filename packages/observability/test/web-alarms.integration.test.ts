import { TerraformProvider } from 'cdktf';
import { Apigatewayv2Api } from '@cdktf/provider-aws/lib/apigatewayv2-api';
import { Apigatewayv2Stage } from '@cdktf/provider-aws/lib/apigatewayv2-stage';
import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { awsStack, describeWithTerraform, env, expectVerified, verifyOffline } from '@tts-ecs/testing';
import { VerifyResult } from '@tts-ecs/terraform';
import {
  AlarmTopic,
  ApplicationLoadBalancerAlarms,
  CloudFrontAlarms,
  DatabaseInstanceAlarms,
  HttpApiAlarms,
} from '../src';

// The monitored resources are plain provider resources, so every alarm set takes Terraform references (tokens) the
// way it would in a real stack; nothing reads AWS (fake credentials).
describeWithTerraform('web and database instance alarms against the AWS provider', () => {
  let result: VerifyResult;
  beforeAll(async () => {
    result = await verifyOffline((app) => {
      const stack = awsStack(app, 'web-alarms');
      const us = stack.node.findChild('us') as TerraformProvider;
      const topic = new AlarmTopic(stack, 'Alarms', { environment: env, topicName: 'alarms' });

      const alb = new Lb(stack, 'Alb', {
        name: 'web',
        loadBalancerType: 'application',
        subnets: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
        securityGroups: ['sg-0a1b2c3d4e5f60001'],
        dropInvalidHeaderFields: true,
      });
      const targetGroup = new LbTargetGroup(stack, 'Console', {
        name: 'console',
        port: 8080,
        protocol: 'HTTP',
        targetType: 'ip',
        vpcId: 'vpc-0a1b2c3d4e5f60001',
      });
      new ApplicationLoadBalancerAlarms(stack, 'AlbAlarms', {
        alarmTopicArn: topic.topicArn,
        alarmNamePrefix: 'web',
        loadBalancerArnSuffix: alb.arnSuffix,
        targetGroupArnSuffixes: [targetGroup.arnSuffix],
        target5xxRate: { threshold: 0.5 },
      });

      const api = new Apigatewayv2Api(stack, 'Api', { name: 'api', protocolType: 'HTTP' });
      new Apigatewayv2Stage(stack, 'Stage', { apiId: api.id, name: '$default', autoDeploy: true });
      new HttpApiAlarms(stack, 'ApiAlarms', {
        alarmTopicArn: topic.topicArn,
        alarmNamePrefix: 'api',
        apiId: api.id,
        clientErrorRate: {},
      });

      const db = new DbInstance(stack, 'Db', {
        identifier: 'orders',
        engine: 'postgres',
        instanceClass: 'db.t4g.micro',
        allocatedStorage: 20,
        storageType: 'gp3',
        storageEncrypted: true,
        username: 'app',
        manageMasterUserPassword: true,
        skipFinalSnapshot: true,
      });
      new DatabaseInstanceAlarms(stack, 'DbAlarms', {
        alarmTopicArn: topic.topicArn,
        instanceIdentifier: db.identifier,
        // A reference: Terraform computes the 10 % free-storage threshold.
        allocatedStorageGiB: db.allocatedStorage,
      });

      // CloudFront: alarms and their topic in us-east-1, where the metrics are.
      const usTopic = new SnsTopic(stack, 'UsAlarms', {
        provider: us,
        name: 'alarms-us',
        kmsMasterKeyId: 'alias/aws/sns',
      });
      const cdn = new CloudfrontDistribution(stack, 'Cdn', {
        enabled: true,
        origin: [
          {
            originId: 'web',
            domainName: alb.dnsName,
            customOriginConfig: {
              httpPort: 80,
              httpsPort: 443,
              originProtocolPolicy: 'https-only',
              originSslProtocols: ['TLSv1.2'],
            },
          },
        ],
        defaultCacheBehavior: {
          targetOriginId: 'web',
          viewerProtocolPolicy: 'redirect-to-https',
          allowedMethods: ['GET', 'HEAD'],
          cachedMethods: ['GET', 'HEAD'],
          // Managed policy "CachingDisabled".
          cachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
        },
        restrictions: { geoRestriction: { restrictionType: 'none' } },
        viewerCertificate: { cloudfrontDefaultCertificate: true },
      });
      new CloudFrontAlarms(stack, 'CdnAlarms', {
        alarmTopicArn: usTopic.arn,
        provider: us,
        alarmNamePrefix: 'cdn',
        distributionId: cdn.id,
        clientErrorRate: {},
        originLatency: { threshold: 1500 },
      });
    });
  }, 300_000);

  it('validates and plans', () => expectVerified(result));

  it('plans every alarm: 5 for the ALB, 4 for the API, 6 for the database, 3 for CloudFront', () => {
    const alarms = (result.stacks[0].changes ?? []).filter((c) => c.includes('aws_cloudwatch_metric_alarm.'));
    expect(alarms).toHaveLength(18);
    for (const [prefix, count] of [
      ['AlbAlarms', 5],
      ['ApiAlarms', 4],
      ['DbAlarms', 6],
      ['CdnAlarms', 3],
    ] as const) {
      expect(alarms.filter((c) => c.includes(`.${prefix}_`))).toHaveLength(count);
    }
  });
});
