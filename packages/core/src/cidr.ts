/**
 * Pure IPv4 CIDR arithmetic, used to plan subnets and to validate address ranges at synth time
 * (before Terraform or AWS ever sees them). No tokens: callers check `Token.isUnresolved` first.
 */

/** A parsed IPv4 CIDR block. */
export interface Ipv4Cidr {
  /** Network address in dotted-quad form, e.g. `10.0.0.0`. */
  readonly network: string;
  /** Prefix length, 0-32. */
  readonly prefixLength: number;
  /** First address as an unsigned 32-bit integer. */
  readonly first: number;
  /** Number of addresses in the block (2^(32 - prefixLength)). */
  readonly size: number;
  /** Canonical text form, e.g. `10.0.0.0/16`. */
  readonly cidr: string;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * Parses an IPv4 CIDR such as `10.0.0.0/16`. Throws an Error saying what is wrong when the text is not a CIDR,
 * an octet or the prefix is out of range, or host bits are set (AWS rejects `10.0.0.1/16`; the message suggests
 * the network address).
 */
export function parseCidr(text: string): Ipv4Cidr {
  const match = typeof text === 'string' ? CIDR_PATTERN.exec(text.trim()) : null;
  if (!match) {
    throw new Error(`"${String(text)}" is not an IPv4 CIDR block; write it as a.b.c.d/n, e.g. "10.0.0.0/16".`);
  }
  const octets = match.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) {
    throw new Error(`"${text}" is not an IPv4 CIDR block: each of the four numbers must be 0-255.`);
  }
  const prefixLength = Number(match[5]);
  if (prefixLength > 32) {
    throw new Error(`"${text}" is not an IPv4 CIDR block: the prefix length must be 0-32.`);
  }
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefixLength);
  const first = address - (address % size);
  if (first !== address) {
    throw new Error(
      `"${text}" has host bits set; the network address of that block is "${intToIp(first)}/${prefixLength}".`,
    );
  }
  return { network: intToIp(first), prefixLength, first, size, cidr: `${intToIp(first)}/${prefixLength}` };
}

/** Whether `text` parses with {@link parseCidr}. */
export function isCidr(text: string): boolean {
  try {
    parseCidr(text);
    return true;
  } catch {
    return false;
  }
}

/** Whether two IPv4 CIDR blocks share at least one address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  return x.first < y.first + y.size && y.first < x.first + x.size;
}

/** Whether `outer` contains every address of `inner`. */
export function cidrContains(outer: string, inner: string): boolean {
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  return i.first >= o.first && i.first + i.size <= o.first + o.size;
}

/**
 * Like Terraform's `cidrsubnet(base, newBits, netNum)`: the `netNum`-th block of prefix `base + newBits` inside `base`.
 * `cidrSubnet('10.0.0.0/16', 8, 2)` is `10.0.2.0/24`. Throws when the result would be longer than /32 or
 * `netNum` does not fit in `newBits` bits.
 */
export function cidrSubnet(base: string, newBits: number, netNum: number): string {
  const parent = parseCidr(base);
  if (!Number.isInteger(newBits) || newBits < 0) {
    throw new Error(`cidrSubnet: newBits must be a whole number >= 0, got ${newBits}.`);
  }
  const prefixLength = parent.prefixLength + newBits;
  if (prefixLength > 32) {
    throw new Error(
      `cidrSubnet: ${base} has no room for ${newBits} more bits (a /${prefixLength} is longer than /32).`,
    );
  }
  const count = 2 ** newBits;
  if (!Number.isInteger(netNum) || netNum < 0 || netNum >= count) {
    throw new Error(`cidrSubnet: netNum ${netNum} does not fit in ${newBits} bits (use 0-${count - 1}).`);
  }
  const first = parent.first + netNum * 2 ** (32 - prefixLength);
  return `${intToIp(first)}/${prefixLength}`;
}

/** Splits `base` into all `2^newBits` blocks of prefix `base + newBits`, in address order. */
export function subdivideCidr(base: string, newBits: number): string[] {
  const count = 2 ** newBits;
  if (count > 65536) throw new Error(`subdivideCidr: ${count} blocks is too many to list; use cidrSubnet for one.`);
  return Array.from({ length: count }, (_, i) => cidrSubnet(base, newBits, i));
}

function intToIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}
