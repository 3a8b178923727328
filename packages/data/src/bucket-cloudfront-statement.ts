import { PolicyStatement } from '@tts-ecs/core';

/**
 * Bucket policy statement letting one CloudFront distribution (through an origin access control) read objects under
 * `prefix`: principal `cloudfront.amazonaws.com`, limited by `AWS:SourceArn` so no other distribution can use it
 * (CloudFront Developer Guide, "Restrict access to an Amazon S3 origin").
 */
export function cloudFrontReadStatement(
  sid: string,
  bucketArn: string,
  distributionArn: string,
  prefix: string,
): PolicyStatement {
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal: { Service: 'cloudfront.amazonaws.com' },
    Action: 's3:GetObject',
    Resource: `${bucketArn}/${prefix}*`,
    Condition: { StringEquals: { 'AWS:SourceArn': distributionArn } },
  };
}
