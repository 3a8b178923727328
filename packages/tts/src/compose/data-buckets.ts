import { Construct } from 'constructs';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { dnsSuffixOf } from '@tts-ecs/core';
import { SecureBucket } from '@tts-ecs/data';
import { LayerStack } from '@tts-ecs/stacks';
import { RATE_LIMITING_FILE } from '@tts-ecs/tts-catalog';

/** A picture bucket of the Identity Server (primary only), served publicly by URL. */
export interface PictureBucket {
  readonly bucketName: string;
  readonly arn: string;
  /** Public base URL (`is.profile-picture.bucket-url` / `is.end-device-picture.bucket-url`). */
  readonly url: string;
  /** The construct: `readWriteStatements()` for the Identity Server task role. */
  readonly bucket: SecureBucket;
}

/** A configuration bucket TTS reads through `*.config-source: blob`. */
export interface ConfigBucket {
  readonly bucketName: string;
  readonly arn: string;
  /** The construct: `readStatements()` for task roles (includes kms:Decrypt on the bucket key). */
  readonly bucket: SecureBucket;
}

/** The buckets of a cluster. */
export interface TtsBuckets {
  /** Primary only: `is.profile-picture.*`. */
  readonly profilePictures?: PictureBucket;
  /** Primary only: `is.end-device-picture.*`. */
  readonly endDevicePictures?: PictureBucket;
  /** `ns.interop.blob.bucket` (and `as.interop.blob.bucket`); holds `config.yml`. */
  readonly interop: ConfigBucket;
  /** `dcs.edcs.blob.bucket`; holds `config.yml`. */
  readonly edcs: ConfigBucket;
  /** Plugins configuration; holds `plugins.yml`, and the rate limiting file under `rate-limiting/`. */
  readonly plugins: ConfigBucket;
  /** Where TTS reads `rate-limiting.yml` (`rate-limiting.blob.bucket` / `.path`); written from config `data.rateLimiting`. */
  readonly rateLimiting: { readonly bucketName: string; readonly path: string; readonly bucket: SecureBucket };
  /** features.mtls: CA certificates for gateway mutual TLS. */
  readonly mtlsCa?: ConfigBucket;
}

/**
 * Creates the buckets of a cluster. Names are `<resourcePrefix>-<purpose>-<account>` (globally unique, at most 62
 * characters). Configuration buckets use the data layer's KMS key; picture buckets use SSE-S3 and public object read,
 * the one deliberate exception: browsers fetch pictures anonymously by URL, and anonymous callers cannot use KMS.
 */
export function createBuckets(
  scope: Construct,
  stack: LayerStack,
  kmsKeyArn: string,
  accessLogsBucket: string,
): TtsBuckets {
  const { config, cluster, environment, resourcePrefix } = stack;
  const nameOf = (purpose: string) => `${resourcePrefix}-${purpose}-${cluster.accountId}`;
  // S3 server access logs of every bucket go to the network layer's log bucket, under `<bucket name>/`.
  const accessLogs = { targetBucket: accessLogsBucket };
  const configBucket = (id: string, purpose: string): ConfigBucket => {
    const bucket = new SecureBucket(scope, id, { environment, bucketName: nameOf(purpose), kmsKeyArn, accessLogs });
    return { bucketName: bucket.bucketName, arn: bucket.arn, bucket };
  };
  const pictureBucket = (id: string, purpose: string): PictureBucket => {
    const bucketName = nameOf(purpose);
    const bucket = new SecureBucket(scope, id, { environment, bucketName, encryption: 's3-managed', accessLogs });
    // Deliberate exception to checkov CKV_AWS_70 (any Principal), CKV_AWS_54 / CKV_AWS_56 (public access block lets the
    // public policy through) and CKV2_AWS_6: browsers fetch the pictures anonymously by URL (see allowPublicObjectRead).
    bucket.allowPublicObjectRead();
    const url = `https://${bucketName}.s3.${cluster.region}.${dnsSuffixOf(cluster.region)}`;
    return { bucketName: bucket.bucketName, arn: bucket.arn, url, bucket };
  };

  const primary = cluster.role === 'primary';
  const interop = configBucket('InteropConfig', 'interop');
  interop.bucket.addSeedObject('Seed', 'config.yml');
  const edcs = configBucket('EdcsConfig', 'edcs');
  edcs.bucket.addSeedObject('Seed', 'config.yml');
  const plugins = configBucket('PluginsConfig', 'plugins');
  plugins.bucket.addSeedObject('Seed', 'plugins.yml');

  // Managed (not seeded): the profiles come from config, so a changed profile rolls out with the next apply.
  const rateLimitingPath = RATE_LIMITING_FILE.folder;
  new S3Object(scope, 'RateLimiting', {
    bucket: plugins.bucket.resource.id,
    key: `${rateLimitingPath}/${RATE_LIMITING_FILE.file}`,
    content: renderRateLimiting(config.data.rateLimiting),
    contentType: 'application/yaml',
  });

  return {
    profilePictures: primary ? pictureBucket('ProfilePictures', 'profile-pictures') : undefined,
    endDevicePictures: primary ? pictureBucket('EndDevicePictures', 'device-pictures') : undefined,
    interop,
    edcs,
    plugins,
    rateLimiting: { bucketName: plugins.bucketName, path: rateLimitingPath, bucket: plugins.bucket },
    mtlsCa: config.features.mtls ? configBucket('MtlsCa', 'mtls-ca') : undefined,
  };
}

/** Profile of config `data.rateLimiting`. */
export interface RateLimitingProfile {
  readonly name: string;
  readonly maxPerMin: number;
  readonly maxBurst?: number;
  readonly associations: readonly string[];
}

/**
 * `rate-limiting.yml` as TTS reads it (`profiles` with `name`, `max-per-min`, `max-burst`, `associations`). Written as
 * JSON, which every YAML parser reads, so names need no YAML escaping.
 */
export function renderRateLimiting(profiles: readonly RateLimitingProfile[]): string {
  const body = {
    profiles: profiles.map((p) => ({
      name: p.name,
      'max-per-min': p.maxPerMin,
      ...(p.maxBurst !== undefined ? { 'max-burst': p.maxBurst } : {}),
      associations: [...p.associations],
    })),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}
