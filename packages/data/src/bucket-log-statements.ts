import { AwsEnvironment, partitionOf, PolicyStatement } from '@tts-ecs/core';

/**
 * Bucket policy statements for load balancer access logs delivered by `delivery.logs.amazonaws.com` (NLB), limited
 * to the source account and its log delivery ARNs, writing only under `<prefix>/AWSLogs/<account>/`.
 */
export function logDeliveryStatements(
  bucketArn: string,
  env: AwsEnvironment,
  account: string,
  prefix: string,
): PolicyStatement[] {
  const sourceArn = `arn:${partitionOf(env.region)}:logs:${env.region}:${account}:*`;
  const keyPrefix = prefix === '' ? '' : `${prefix}/`;
  const principal = { Service: 'delivery.logs.amazonaws.com' };
  return [
    {
      Sid: `LogDeliveryAclCheck${account}`,
      Effect: 'Allow',
      Principal: principal,
      Action: 's3:GetBucketAcl',
      Resource: bucketArn,
      Condition: { StringEquals: { 'aws:SourceAccount': account }, ArnLike: { 'aws:SourceArn': sourceArn } },
    },
    {
      Sid: `LogDeliveryWrite${account}${keyPrefix.replace(/[^a-zA-Z0-9]/g, '')}`,
      Effect: 'Allow',
      Principal: principal,
      Action: 's3:PutObject',
      Resource: `${bucketArn}/${keyPrefix}AWSLogs/${account}/*`,
      Condition: {
        StringEquals: { 'aws:SourceAccount': account, 's3:x-amz-acl': 'bucket-owner-full-control' },
        ArnLike: { 'aws:SourceArn': sourceArn },
      },
    },
  ];
}

/** Bucket policy statement for S3 server access logs from the named buckets of the same account. */
export function serverAccessLogStatement(
  bucketArn: string,
  env: AwsEnvironment,
  sourceBucketNames: readonly string[],
  prefix: string,
): PolicyStatement {
  const partition = partitionOf(env.region);
  return {
    Sid: `S3ServerAccessLogs${prefix.replace(/[^a-zA-Z0-9]/g, '')}`,
    Effect: 'Allow',
    Principal: { Service: 'logging.s3.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: `${bucketArn}/${prefix}*`,
    Condition: {
      ArnLike: { 'aws:SourceArn': sourceBucketNames.map((b) => `arn:${partition}:s3:::${b}`) },
      StringEquals: { 'aws:SourceAccount': env.accountId },
    },
  };
}
