import { cidrSubnet, parseCidr } from './cidr';

/** Subnet CIDRs per tier, one entry per Availability Zone, in the order of the AZ list. */
export interface SubnetPlan {
  /** Public subnets (NAT gateways, load balancers, bastion): 1/32 of the VPC each. */
  readonly public: string[];
  /** Private subnets with egress through NAT (ECS awsvpc tasks, one IP per task): 1/4 of the VPC each. */
  readonly private: string[];
  /** Isolated data subnets without any route to the internet (Aurora, Redis, EFS): 1/32 of the VPC each. */
  readonly data: string[];
}

/** Availability Zone counts the plan supports. */
export const SUPPORTED_AZ_COUNTS: readonly number[] = [2, 3];

/** Shortest VPC prefix length AWS accepts (the largest VPC). */
export const MIN_VPC_PREFIX_LENGTH = 16;

// Every tier reserves slots for three AZs whatever azCount is, so going from 2 to 3 AZs later adds subnets
// without renumbering (and so replacing) the existing ones.
const PRIVATE_BITS = 2; // quarters 0-2 of the VPC
const SMALL_BITS = 5; // 32nds; quarter 3 holds public (slots 24-26) and data (slots 28-30); 27 and 31 stay free
const PUBLIC_FIRST_SLOT = 24;
const DATA_FIRST_SLOT = 28;
const SMALLEST_SUBNET_PREFIX = 28; // AWS does not create subnets smaller than /28

/**
 * The longest VPC prefix length (the smallest VPC) that {@link planSubnets} accepts for `azCount` AZs: 23,
 * so the VPC must be a /16 to /23. A /23 gives /25 private subnets (128 addresses, 123 usable) and /28 public and
 * data subnets (16 addresses, 11 usable); a /16 gives /18 private (16,384) and /21 public and data (2,048) subnets.
 * The layout is the same for 2 and 3 AZs; azCount is validated and kept in the signature so a future layout may differ.
 */
export function maxVpcPrefixLength(azCount: number): number {
  checkAzCount(azCount);
  return SMALLEST_SUBNET_PREFIX - SMALL_BITS;
}

/**
 * Splits `vpcCidr` into one public, one private and one isolated data subnet per Availability Zone, deterministically:
 * - private: quarters 0, 1, 2 of the VPC (AZ 1, 2, 3) — most of the space, because every ECS task takes an address;
 * - public: 32nds 24, 25, 26; data: 32nds 28, 29, 30 (all inside the last quarter).
 *
 * AZ i always gets slot i, so append AZs to the list and never reorder it. For `10.0.0.0/16` and 3 AZs:
 * private 10.0.0.0/18, 10.0.64.0/18, 10.0.128.0/18; public 10.0.192.0/21, 10.0.200.0/21, 10.0.208.0/21;
 * data 10.0.224.0/21, 10.0.232.0/21, 10.0.240.0/21.
 *
 * Throws an Error (without a field path: callers add theirs) when `azCount` is not 2 or 3, `vpcCidr` is not an IPv4
 * network address, or the VPC is outside /16 to /{@link maxVpcPrefixLength}.
 */
export function planSubnets(vpcCidr: string, azCount: number): SubnetPlan {
  const maxPrefix = maxVpcPrefixLength(azCount);
  const vpc = parseCidr(vpcCidr);
  if (vpc.prefixLength < MIN_VPC_PREFIX_LENGTH) {
    throw new Error(
      `A /${vpc.prefixLength} VPC is larger than AWS allows; use a prefix length from /${MIN_VPC_PREFIX_LENGTH} to /${maxPrefix}.`,
    );
  }
  if (vpc.prefixLength > maxPrefix) {
    throw new Error(
      `A /${vpc.prefixLength} VPC is too small for ${azCount} AZs x (public + private + data) subnets: it needs a /${maxPrefix} or larger ` +
        `(prefix length /${MIN_VPC_PREFIX_LENGTH} to /${maxPrefix}) so that every public and data subnet is at least a /${SMALLEST_SUBNET_PREFIX}.`,
    );
  }
  const azs = Array.from({ length: azCount }, (_, i) => i);
  return {
    public: azs.map((i) => cidrSubnet(vpc.cidr, SMALL_BITS, PUBLIC_FIRST_SLOT + i)),
    private: azs.map((i) => cidrSubnet(vpc.cidr, PRIVATE_BITS, i)),
    data: azs.map((i) => cidrSubnet(vpc.cidr, SMALL_BITS, DATA_FIRST_SLOT + i)),
  };
}

function checkAzCount(azCount: number): void {
  if (!SUPPORTED_AZ_COUNTS.includes(azCount)) {
    throw new Error(`The subnet plan supports ${SUPPORTED_AZ_COUNTS.join(' or ')} Availability Zones, not ${azCount}.`);
  }
}
