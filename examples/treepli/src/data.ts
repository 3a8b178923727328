import { Construct } from 'constructs';
import { PostgresInstance, SecureBucket } from '@tts-ecs/data';
import { Network } from '@tts-ecs/network';
import { config } from './config';

/** Key prefix of the media objects: CloudFront serves `/media/*` from the bucket with the path as the key. */
export const MEDIA_PREFIX = 'media/';
/** Key prefix of the public load balancer's access logs. */
export const ALB_LOG_PREFIX = 'alb/web';

export interface TreepliData {
  readonly database: PostgresInstance;
  /** Media uploads (SSE-KMS, private), read by CloudFront through an origin access control. */
  readonly media: SecureBucket;
  /** Access logs of the internet-facing load balancer (SSE-S3: ALBs cannot write to SSE-KMS buckets). */
  readonly albLogs: SecureBucket;
}

export function buildData(scope: Construct, network: Network): TreepliData {
  const { environment } = config;
  const database = new PostgresInstance(scope, 'Database', {
    environment,
    identifier: `${config.name}-app`,
    vpcId: network.vpcId,
    subnetIds: network.dataSubnetIds,
    databaseName: config.database.name,
    instanceClass: config.database.instanceClass,
    allocatedStorageGiB: config.database.allocatedStorageGiB,
    multiAz: true,
  });

  const media = new SecureBucket(scope, 'Media', {
    environment,
    bucketName: `${config.name}-media-${environment.accountId}`,
  });

  const albLogs = new SecureBucket(scope, 'AlbLogs', {
    environment,
    bucketName: `${config.name}-alb-logs-${environment.accountId}`,
    encryption: 's3-managed',
    expirationDays: 365,
  });
  // ALB access logs: the region's ELB account, or the log delivery service in regions opened since August 2022.
  albLogs.allowAlbLogDelivery({ prefix: ALB_LOG_PREFIX });
  return { database, media, albLogs };
}
