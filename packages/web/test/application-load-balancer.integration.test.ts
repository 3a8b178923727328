import { TerraformVariable } from 'cdktf';
import { ConnectableSecurityGroup, Peer, Port } from '@tts-ecs/core';
import { awsStack, describeWithTerraform, expectVerified, verifyOffline } from '@tts-ecs/testing';
import { VerifyResult } from '@tts-ecs/terraform';
import { ApplicationLoadBalancer } from '../src';
import { DnsAlias } from '@tts-ecs/network';

const CERT = 'arn:aws:acm:eu-west-1:111111111111:certificate/0a1b2c3d-1111-2222-3333-444455556666';

describeWithTerraform('ApplicationLoadBalancer against the AWS provider', () => {
  let result: VerifyResult;
  beforeAll(async () => {
    result = await verifyOffline((app) => {
      // Internet-facing, behind CloudFront: secret header from a sensitive variable (a Secrets Manager data source
      // would call AWS, which the offline plan cannot).
      const edge = awsStack(app, 'alb-cloudfront');
      const secret = new TerraformVariable(edge, 'origin_secret', { type: 'string', sensitive: true, default: 'x' });
      const alb = new ApplicationLoadBalancer(edge, 'Alb', {
        name: 'acme-prod-web',
        vpcId: 'vpc-0123456789abcdef0',
        subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
        internetFacing: true,
        certificateArn: CERT,
        additionalCertificateArns: [CERT.replace('0a1b', 'ffff')],
        accessLogs: { bucket: 'acme-prod-logs' },
        connectionLogs: { bucket: 'acme-prod-logs', prefix: 'connections' },
      });
      const service = new ConnectableSecurityGroup(edge, 'Service', {
        vpcId: 'vpc-0123456789abcdef0',
        name: 'acme-prod-web-svc',
        description: 'web service',
      });
      const web = alb.addTargetGroup('Web', {
        port: 8080,
        targets: [service],
        healthCheck: { path: '/healthz', port: 8081 },
        stickiness: { durationSeconds: 600 },
        slowStartSeconds: 30,
      });
      alb.addRoute('Api', { priority: 10, targetGroup: web, pathPatterns: ['/api/*'], hostHeaders: ['x.example.com'] });
      alb.restrictToCloudFront({ cloudFrontPrefixListId: 'pl-4fa04526', secretValue: secret.stringValue });
      alb.addRoute('Tenant', { priority: 20, targetGroup: web, httpHeader: { name: 'X-Tenant', values: ['a'] } });
      new DnsAlias(edge, 'Alias', {
        hostedZoneId: 'Z0123456789ABCDEFGHIJ',
        domainName: 'x.example.com',
        target: alb.aliasTarget,
      });

      // Internal, defaults only, admitting a CIDR; targets reached through allowToTargets.
      const internal = awsStack(app, 'alb-internal');
      const inner = new ApplicationLoadBalancer(internal, 'Alb', {
        name: 'acme-prod-int',
        vpcId: 'vpc-0123456789abcdef0',
        subnetIds: ['subnet-0123456789abcdef2', 'subnet-0123456789abcdef3'],
        certificateArn: CERT,
        ingressPeers: [Peer.ipv4('10.0.0.0/16')],
      });
      const grpc = inner.addTargetGroup('Grpc', { port: 9443, protocol: 'HTTPS', targetType: 'instance' });
      inner.allowToTargets(Peer.ipv4('10.0.0.0/16'), Port.tcp(9443));
      inner.addRoute('Grpc', { priority: 1, targetGroup: grpc, pathPatterns: ['/grpc.*'] });
    });
  }, 300_000);

  it('validates and plans', () => expectVerified(result));
});
