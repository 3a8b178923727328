// ALB access logs: delivered as the region's Elastic Load Balancing account (regions before August 2022) or as the
// log delivery service principal (newer regions), into SSE-S3 buckets only.
import { TerraformStack } from 'cdktf';
import { all, synth } from '@tts-ecs/testing';
import { SecureBucket } from '../src';

const refusals: Record<string, () => void> = {};
const r = synth((s: TerraformStack) => {
  const bucket = (id: string, region: string, encryption: 'kms' | 's3-managed' = 's3-managed') =>
    new SecureBucket(s, id, {
      environment: { accountId: '111111111111', region },
      bucketName: `acme-${id.toLowerCase()}`,
      encryption,
    });
  bucket('Ireland', 'eu-west-1').allowAlbLogDelivery({ prefix: 'web' });
  bucket('Zurich', 'eu-central-2').allowAlbLogDelivery();
  bucket('GovCloud', 'us-gov-west-1').allowAlbLogDelivery();
  bucket('Beijing', 'cn-north-1').allowAlbLogDelivery();
  const kms = bucket('Kms', 'eu-west-1', 'kms');
  const sse = bucket('Sse', 'eu-west-1');
  refusals.kms = () => kms.allowAlbLogDelivery();
  refusals.prefix = () => sse.allowAlbLogDelivery({ prefix: 'x/AWSLogs' });
});
const delivery = (bucket: string) =>
  all(r, 'aws_s3_bucket_policy')
    .map((p) => JSON.parse(p.policy as string) as { Statement: Record<string, unknown>[] })
    .flatMap((p) => p.Statement)
    .find((s) => String(s.Sid).startsWith('AlbLogDelivery') && String(s.Resource).includes(`:::acme-${bucket}/`));

describe('SecureBucket.allowAlbLogDelivery', () => {
  it("admits eu-west-1's Elastic Load Balancing account to write under AWSLogs/<account>/ only", () => {
    expect(delivery('ireland')).toMatchObject({
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::156460612806:root' },
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::acme-ireland/web/AWSLogs/111111111111/*',
    });
  });

  it('admits the log delivery service principal in a region opened after August 2022', () => {
    expect(delivery('zurich')).toMatchObject({
      Principal: { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
      Resource: 'arn:aws:s3:::acme-zurich/AWSLogs/111111111111/*',
    });
  });

  it('uses the partition of GovCloud and China regions', () => {
    expect(delivery('govcloud')?.Principal).toEqual({ AWS: 'arn:aws-us-gov:iam::048591011584:root' });
    expect(delivery('beijing')?.Principal).toEqual({ AWS: 'arn:aws-cn:iam::638102146993:root' });
  });

  it('refuses a KMS-encrypted bucket and a prefix with AWSLogs, naming the bucket', () => {
    expect(refusals.kms).toThrow(
      'test/Kms: invalid encryption "kms". Application Load Balancers write access logs only to SSE-S3 buckets',
    );
    expect(refusals.prefix).toThrow(/test\/Sse: invalid allowAlbLogDelivery.prefix "x\/AWSLogs"/);
  });
});
