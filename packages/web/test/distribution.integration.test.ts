import { TerraformProvider, TerraformVariable } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { policyDocument } from '@tts-ecs/core';
import { awsStack, describeWithTerraform, expectVerified, verifyOffline } from '@tts-ecs/testing';
import { VerifyResult } from '@tts-ecs/terraform';
import { Distribution } from '../src';
import { Certificate, DnsAlias } from '@tts-ecs/network';

const zone = 'Z0123456789ABCDEFGHIJ';

describeWithTerraform('Distribution against the AWS provider', () => {
  let result: VerifyResult;
  beforeAll(async () => {
    result = await verifyOffline((app) => {
      const stack = awsStack(app, 'cdn');
      const us = stack.node.findChild('us') as TerraformProvider;
      // Stands in for a Secrets Manager secret_string: a reference, never a literal.
      const originSecret = new TerraformVariable(stack, 'origin_verify_secret', { type: 'string', sensitive: true });
      // @tts-ecs/data is not a dependency of this package: a plain bucket stands in for a SecureBucket.
      const assets = new S3Bucket(stack, 'Assets', { bucket: 'acme-verify-cdn-assets' });
      const cert = new Certificate(stack, 'Cert', {
        domainName: 'cdn.example.com',
        hostedZoneId: zone,
        includeWildcard: true,
        provider: us,
      });
      const cdn = new Distribution(stack, 'Cdn', {
        comment: 'offline verification',
        origins: {
          api: { kind: 'http', domainName: 'origin.example.com', originHeader: { value: originSecret.stringValue } },
          assets: { kind: 's3', bucketRegionalDomainName: assets.bucketRegionalDomainName, bucketArn: assets.arn },
        },
        defaultBehavior: { originId: 'api' },
        aliases: ['cdn.example.com', '*.cdn.example.com'],
        certificateArn: cert.certificateArn,
        webAclArn: 'arn:aws:wafv2:us-east-1:111111111111:global/webacl/acme-cdn/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
        logging: { bucketDomainName: 'acme-verify-cdn-logs.s3.amazonaws.com', prefix: 'cdn/' },
        geoRestriction: { type: 'deny', countries: ['KP'] },
      });
      cdn.addBehavior('/static/*', 'assets');
      cdn.addBehavior('/upload/*', 'assets', { allowedMethods: 'GET_HEAD_OPTIONS' });
      new S3BucketPolicy(stack, 'AssetsPolicy', {
        bucket: assets.id,
        policy: policyDocument([cdn.s3OriginReadStatement('assets')]),
      });
      new DnsAlias(stack, 'Alias', {
        hostedZoneId: zone,
        domainName: 'cdn.example.com',
        includeWildcard: true,
        target: cdn.aliasTarget,
      });
    });
  }, 300_000);

  it('validates and plans', () => expectVerified(result));
});
