import { Construct } from 'constructs';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';

export interface SeedObjectProps {
  /** Name (or id) of the bucket. */
  readonly bucket: string;
  /** Object key, e.g. `config.yml`. */
  readonly key: string;
  /**
   * Initial content, written on create only.
   * @default '' (an empty object)
   */
  readonly content?: string;
}

/**
 * An object Terraform creates once and then leaves alone: later edits by operators (new content, new ETag) are
 * ignored, so an apply never reverts them. Deleting the construct deletes the object (versioning keeps old versions).
 */
export class SeedObject extends Construct {
  /** Object key. */
  readonly key: string;
  /** The underlying resource, for escape hatches. */
  readonly resource: S3Object;

  constructor(scope: Construct, id: string, props: SeedObjectProps) {
    super(scope, id);
    this.resource = new S3Object(this, 'Object', {
      bucket: props.bucket,
      key: props.key,
      content: props.content ?? '',
      // Encryption comes from the bucket default (KMS or SSE-S3).
      lifecycle: {
        ignoreChanges: ['content', 'content_base64', 'source', 'etag', 'source_hash', 'metadata', 'content_type'],
      },
    });
    this.key = props.key;
  }
}
