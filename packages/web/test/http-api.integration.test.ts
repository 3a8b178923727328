import { ConnectableSecurityGroup, Port } from '@tts-ecs/core';
import { awsStack, describeWithTerraform, env, expectVerified, verifyOffline } from '@tts-ecs/testing';
import { VerifyResult } from '@tts-ecs/terraform';
import { HttpApi } from '../src';

describeWithTerraform('HttpApi against the AWS provider', () => {
  let result: VerifyResult;
  beforeAll(async () => {
    result = await verifyOffline((app) => {
      const stack = awsStack(app, 'http-api');
      // Stands in for the internal ALB's security group.
      const alb = new ConnectableSecurityGroup(stack, 'Alb', {
        vpcId: 'vpc-0123456789abcdef0',
        name: 'internal-alb',
        description: 'internal ALB',
      });
      const api = new HttpApi(stack, 'Api', {
        name: 'acme-api',
        environment: env,
        vpcId: 'vpc-0123456789abcdef0',
        subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
        integration: {
          listenerArn:
            'arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/x/0123456789abcdef/0123456789abcdef',
          tlsServerNameToVerify: 'api.internal.example.com',
        },
        routes: ['GET /devices/{id}', 'ANY /api/{proxy+}'],
        domain: {
          domainName: 'api.example.com',
          certificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
          hostedZoneId: 'Z0123456789ABCDEFGHIJ',
        },
        cors: { allowOrigins: ['https://console.example.com'], allowMethods: ['GET', 'POST'], maxAge: 600 },
      });
      api.connections.allowTo(alb, Port.tcp(443));
    });
  }, 300_000);

  it('validates and plans', () => expectVerified(result));
});
