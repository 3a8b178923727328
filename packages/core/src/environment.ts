import { IConstruct } from 'constructs';
import { Token } from 'cdktf';
import { requireProp } from './errors';

/**
 * The account and region a construct is deployed to. Passed explicitly because tts-ecs never calls AWS APIs
 * at plan time (no aws_caller_identity / aws_region lookups): plans stay deterministic and run offline.
 */
export interface AwsEnvironment {
  /** 12-digit AWS account id. */
  readonly accountId: string;
  /** AWS region, e.g. `eu-west-1`. */
  readonly region: string;
}

/** The ARN partition of a region: `aws-cn` for China, `aws-us-gov` for GovCloud, `aws` elsewhere. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The DNS suffix of service endpoints in a region's partition. */
export function dnsSuffixOf(region: string): string {
  return region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/** AWS region names: `eu-west-1`, `us-gov-west-1`, `cn-north-1`, `us-isob-east-1`. */
export const REGION_NAME = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;

/**
 * Throws an InvalidPropError naming the construct when `environment` holds an account id that is not 12 digits or a
 * malformed region: at synth, not at apply (where `allowed_account_ids` or the endpoint would fail much later).
 * Unresolved tokens are let through.
 */
export function requireEnvironment(scope: IConstruct, environment: AwsEnvironment): void {
  const { accountId, region } = environment ?? ({} as AwsEnvironment);
  if (!Token.isUnresolved(accountId)) {
    requireProp(
      scope,
      typeof accountId === 'string' && /^\d{12}$/.test(accountId),
      'environment.accountId',
      accountId,
      'Give the 12-digit AWS account id as a string (keep leading zeros), e.g. "012345678901".',
    );
  }
  if (!Token.isUnresolved(region)) {
    requireProp(
      scope,
      typeof region === 'string' && REGION_NAME.test(region),
      'environment.region',
      region,
      'Give an AWS region name such as "eu-west-1".',
    );
  }
}
