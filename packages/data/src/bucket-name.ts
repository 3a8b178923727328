import { IConstruct } from 'constructs';
import { Token } from 'cdktf';
import { requireProp } from '@tts-ecs/core';

const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/**
 * Checks the S3 general purpose bucket naming rules at synth instead of at apply. Dots are rejected too: they are legal
 * but break TLS certificate matching for virtual-hosted-style URLs. Unresolved tokens are let through.
 */
export function validateBucketName(scope: IConstruct, name: string): void {
  if (Token.isUnresolved(name)) return;
  const fail = (fix: string) => requireProp(scope, false, 'bucketName', name, fix);
  if (name.length < 3 || name.length > 63) fail('Bucket names are 3 to 63 characters long.');
  if (name.includes('.')) fail('Use hyphens instead of dots: dots break TLS for virtual-hosted-style bucket URLs.');
  if (!/^[a-z0-9][a-z0-9-]*[a-z0-9]$/.test(name)) {
    fail('Use only lower-case letters, digits and hyphens, starting and ending with a letter or digit.');
  }
  const prefix = RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) fail(`Names starting with "${prefix}" are reserved by S3.`);
  const suffix = RESERVED_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix) fail(`Names ending with "${suffix}" are reserved by S3.`);
}
