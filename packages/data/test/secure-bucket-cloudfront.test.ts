import { TerraformVariable } from 'cdktf';
import { SecureBucket } from '../src';
import { all, env, inNamedTest, only, synth } from '@tts-ecs/testing';

const DIST_A = 'arn:aws:cloudfront::111111111111:distribution/E1A2B3C4D5E6F7';
const DIST_B = 'arn:aws:cloudfront::111111111111:distribution/E7F6E5D4C3B2A1';
type Statement = { Sid: string; Principal?: unknown; Action: unknown; Resource: unknown; Condition?: unknown };

describe('SecureBucket.grantCloudFrontRead with the bucket’s own KMS key', () => {
  const resources = synth((stack) => {
    const bucket = new SecureBucket(stack, 'Assets', { environment: env, bucketName: 'acme-prod-assets' });
    bucket.grantCloudFrontRead(DIST_A);
    bucket.grantCloudFrontRead(DIST_A); // repeated: no-op
    bucket.grantCloudFrontRead(DIST_B, 'public/');
  });
  const policy = inNamedTest('reads the bucket policy', () =>
    JSON.parse(only(resources, 'aws_s3_bucket_policy').policy as string),
  );
  const keyPolicy = inNamedTest('reads the key policy', () =>
    JSON.parse(only(resources, 'aws_kms_key').policy as string),
  );
  const cloudFront = () =>
    (policy.Statement as Statement[]).filter((s) => JSON.stringify(s.Principal).includes('cloudfront'));

  it('lets each distribution get objects (under its prefix) only through its own AWS:SourceArn', () => {
    expect(cloudFront()).toEqual([
      {
        Sid: 'CloudFrontRead1',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        // prefix @default '': every object
        Resource: 'arn:aws:s3:::acme-prod-assets/*',
        Condition: { StringEquals: { 'AWS:SourceArn': DIST_A } },
      },
      {
        Sid: 'CloudFrontRead2',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::acme-prod-assets/public/*',
        Condition: { StringEquals: { 'AWS:SourceArn': DIST_B } },
      },
    ]);
  });

  it('keeps the TLS denies and adds nothing on a repeated call', () => {
    const sids = (policy.Statement as Statement[]).map((s) => s.Sid);
    expect(sids).toEqual(['DenyInsecureTransport', 'DenyOutdatedTls', 'CloudFrontRead1', 'CloudFrontRead2']);
  });

  it('lets the granted distributions, and no others, decrypt with the bucket key', () => {
    const grants = (keyPolicy.Statement as Statement[]).filter((s) =>
      JSON.stringify(s.Principal).includes('cloudfront'),
    );
    expect(grants).toEqual([
      {
        Sid: 'Allowcloudfrontamazonawscom',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: ['kms:Decrypt'],
        Resource: '*',
        Condition: { StringEquals: { 'AWS:SourceArn': [DIST_A, DIST_B] } },
      },
    ]);
  });
});

describe('SecureBucket.grantCloudFrontRead with a key passed in, and with SSE-S3', () => {
  let external!: SecureBucket;
  const resources = synth((stack) => {
    const arn = new TerraformVariable(stack, 'distribution_arn', { type: 'string' }).stringValue;
    external = new SecureBucket(stack, 'External', {
      environment: env,
      bucketName: 'acme-prod-external',
      kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
    });
    external.grantCloudFrontRead(arn);
    new SecureBucket(stack, 'Plain', {
      environment: env,
      bucketName: 'acme-prod-plain',
      encryption: 's3-managed',
    }).grantCloudFrontRead(arn);
  });

  it('accepts a distribution ARN known only at apply time', () => {
    for (const p of all(resources, 'aws_s3_bucket_policy')) {
      const statement = (JSON.parse(p.policy as string).Statement as Statement[]).find(
        (s) => s.Sid === 'CloudFrontRead1',
      );
      expect(statement?.Condition).toEqual({ StringEquals: { 'AWS:SourceArn': '${var.distribution_arn}' } });
    }
  });

  it('creates no key, and says the passed-in key must admit CloudFront', () => {
    expect(resources.aws_kms_key).toBeUndefined();
    const infos = external.node.metadata.filter((m) => m.type === '@cdktf/info').map((m) => String(m.data));
    expect(infos).toEqual([expect.stringContaining('must allow cloudfront.amazonaws.com kms:Decrypt')]);
  });
});

describe('SecureBucket.grantCloudFrontRead rejections', () => {
  const grant = (arn: string, prefix?: string) => () =>
    synth((s) =>
      new SecureBucket(s, 'B', { environment: env, bucketName: 'acme-assets' }).grantCloudFrontRead(arn, prefix),
    );

  it('rejects something that is not a distribution ARN', () => {
    expect(grant('E1A2B3C4D5E6F7')).toThrow(
      'test/B: invalid grantCloudFrontRead.distributionArn "E1A2B3C4D5E6F7". Give the distribution ARN',
    );
    expect(grant('arn:aws:cloudfront::111111111111:origin-access-control/E1')).toThrow(
      /test\/B: invalid grantCloudFrontRead\.distributionArn "arn:aws:cloudfront::111111111111:origin-access-control\/E1"/,
    );
  });

  it('rejects a prefix with a wildcard or a leading slash', () => {
    expect(grant(DIST_A, 'a/*')).toThrow('test/B: invalid grantCloudFrontRead.prefix "a/*". Give a plain key prefix');
    expect(grant(DIST_A, '/a/')).toThrow('test/B: invalid grantCloudFrontRead.prefix "/a/".');
  });
});
