import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { InvalidPropError } from './errors';
import { isCidr, parseCidr } from './cidr';

/**
 * Typed wiring between constructs that own a security group, in the spirit of aws-cdk-lib's `Connections`:
 * `db.connections.allowFrom(service, Port.tcp(5432))` instead of bare security group ids and port numbers repeated at
 * every call site. Rules are separate `aws_vpc_security_group_*_rule` resources written by the group's owner
 * ({@link SecurityGroupRules}), so an owner keeps its Terraform addresses when it moves onto this model.
 */

/** IP protocol of a rule: `-1` is every protocol. */
export type IpProtocol = 'tcp' | 'udp' | 'icmp' | '-1';

/**
 * Ports an operator administers a host or a data store through. Opening one of them to the whole internet
 * (`0.0.0.0/0`, `::/0`) is refused: scanners find such ports within minutes.
 */
export const ADMIN_PORTS: Readonly<Record<number, string>> = {
  22: 'SSH',
  1433: 'SQL Server',
  2049: 'NFS',
  2375: 'Docker API',
  2376: 'Docker API (TLS)',
  3306: 'MySQL',
  3389: 'RDP',
  5432: 'PostgreSQL',
  5985: 'WinRM',
  5986: 'WinRM (HTTPS)',
  6379: 'Redis',
  9200: 'Elasticsearch',
  11211: 'Memcached',
  27017: 'MongoDB',
};

/** A protocol and a port or port range. */
export class Port {
  /** One TCP port. */
  static tcp(port: number): Port {
    return new Port('tcp', port, port);
  }
  /** A TCP port range, both ends included. */
  static tcpRange(fromPort: number, toPort: number): Port {
    return new Port('tcp', fromPort, toPort);
  }
  /** One UDP port. */
  static udp(port: number): Port {
    return new Port('udp', port, port);
  }
  /** A UDP port range, both ends included. */
  static udpRange(fromPort: number, toPort: number): Port {
    return new Port('udp', fromPort, toPort);
  }
  /** Every TCP port. */
  static allTcp(): Port {
    return new Port('tcp', 0, 65535);
  }
  /** Every protocol and port. */
  static allTraffic(): Port {
    return new Port('-1', undefined, undefined);
  }
  /** One protocol/port given as data, e.g. from a listener spec. */
  static of(protocol: 'tcp' | 'udp', port: number): Port {
    return new Port(protocol, port, port);
  }

  private constructor(
    readonly protocol: IpProtocol,
    /** First port; undefined for all traffic. */
    readonly fromPort: number | undefined,
    /** Last port; undefined for all traffic. */
    readonly toPort: number | undefined,
  ) {
    if (fromPort === undefined || toPort === undefined) return;
    for (const [field, value] of [
      ['fromPort', fromPort],
      ['toPort', toPort],
    ] as const) {
      if (!Number.isInteger(value) || value < 0 || value > 65535)
        throw new InvalidPropError('Port', field, value, 'Use a whole number from 0 to 65535 (1-65535 for one port).');
    }
    if (fromPort > toPort)
      throw new InvalidPropError('Port', 'fromPort', fromPort, `Give the lower port first (toPort is ${toPort}).`);
    if (fromPort === toPort && fromPort === 0)
      throw new InvalidPropError('Port', 'port', 0, 'Use a port from 1 to 65535.');
  }

  /** Whether `port` is in this range (all traffic includes every port). */
  includes(port: number): boolean {
    if (this.fromPort === undefined || this.toPort === undefined) return true;
    return port >= this.fromPort && port <= this.toPort;
  }

  /** The admin ports (see {@link ADMIN_PORTS}) this range opens. */
  adminPorts(): number[] {
    if (this.protocol === 'icmp') return [];
    return Object.keys(ADMIN_PORTS)
      .map(Number)
      .filter((p) => this.includes(p));
  }

  /** `tcp/5432`, `tcp/1000-2000`, `all traffic`. */
  toString(): string {
    if (this.protocol === '-1') return 'all traffic';
    return this.fromPort === this.toPort
      ? `${this.protocol}/${this.fromPort}`
      : `${this.protocol}/${this.fromPort}-${this.toPort}`;
  }

  /** A key usable in a construct id: `tcp5432`, `tcp1000-2000`, `all`. */
  get key(): string {
    if (this.protocol === '-1') return 'all';
    return this.fromPort === this.toPort
      ? `${this.protocol}${this.fromPort}`
      : `${this.protocol}${this.fromPort}-${this.toPort}`;
  }
}

/** Where a rule points: exactly one field is set (the `aws_vpc_security_group_*_rule` attribute of that name). */
export interface RuleTarget {
  readonly cidrIpv4?: string;
  readonly cidrIpv6?: string;
  readonly prefixListId?: string;
  readonly referencedSecurityGroupId?: string;
}

/** The other end of a rule: a CIDR, a prefix list or a security group. */
export interface IPeer {
  /** Stable text for construct ids and de-duplication; undefined when the peer is an unresolved token without a name. */
  readonly uniqueId: string | undefined;
  /** Human-readable, for rule descriptions: `10.0.0.0/16`, `a security group`, `the CloudFront origin-facing prefix list`. */
  readonly label: string;
  /** The peer is the whole internet (`0.0.0.0/0` or `::/0`). */
  readonly isWholeInternet: boolean;
  /** The rule attribute this peer sets. */
  toRuleTarget(): RuleTarget;
}

/** Factories for {@link IPeer}s. */
export class Peer {
  /** An IPv4 CIDR block, e.g. `10.0.0.0/16`. Unresolved tokens are accepted unchecked. */
  static ipv4(cidr: string): IPeer {
    if (!Token.isUnresolved(cidr) && !isCidr(cidr))
      throw new InvalidPropError('Peer.ipv4', 'cidr', cidr, 'Give an IPv4 CIDR such as "203.0.113.0/24".');
    const resolved = !Token.isUnresolved(cidr);
    return {
      uniqueId: resolved ? cidr : undefined,
      label: resolved ? cidr : 'a CIDR block',
      isWholeInternet: resolved && parseCidr(cidr).prefixLength === 0,
      toRuleTarget: () => ({ cidrIpv4: cidr }),
    };
  }
  /** An IPv6 CIDR block, e.g. `2001:db8::/32`. */
  static ipv6(cidr: string): IPeer {
    const resolved = !Token.isUnresolved(cidr);
    if (resolved && !/^[0-9a-fA-F:]+\/\d{1,3}$/.test(cidr))
      throw new InvalidPropError('Peer.ipv6', 'cidr', cidr, 'Give an IPv6 CIDR such as "2001:db8::/32".');
    return {
      uniqueId: resolved ? cidr : undefined,
      label: resolved ? cidr : 'an IPv6 CIDR block',
      isWholeInternet: resolved && /\/0$/.test(cidr),
      toRuleTarget: () => ({ cidrIpv6: cidr }),
    };
  }
  /** A CIDR block, IPv4 or IPv6 by its text. Unresolved tokens are taken as IPv4. */
  static cidr(cidr: string): IPeer {
    return !Token.isUnresolved(cidr) && cidr.includes(':') ? Peer.ipv6(cidr) : Peer.ipv4(cidr);
  }
  /** Every IPv4 address. Refused on admin ports. */
  static anyIpv4(): IPeer {
    return Peer.ipv4('0.0.0.0/0');
  }
  /** Every IPv6 address. Refused on admin ports. */
  static anyIpv6(): IPeer {
    return Peer.ipv6('::/0');
  }
  /** A managed prefix list (`pl-...`), e.g. CloudFront's origin-facing list. */
  static prefixList(prefixListId: string, label?: string): IPeer {
    const resolved = !Token.isUnresolved(prefixListId);
    if (resolved && !/^pl-[0-9a-f]{8,17}$/.test(prefixListId))
      throw new InvalidPropError('Peer.prefixList', 'prefixListId', prefixListId, 'Give an id such as "pl-3b927c52".');
    return {
      uniqueId: resolved ? prefixListId : label && slug(label),
      label: label ?? (resolved ? prefixListId : 'a prefix list'),
      isWholeInternet: false,
      toRuleTarget: () => ({ prefixListId }),
    };
  }
  /**
   * Members of a security group given by id, e.g. one read from another stack's outputs. `name` keeps rule ids
   * stable when the id is an unresolved token.
   */
  static securityGroupId(securityGroupId: string, name?: string): IPeer {
    const resolved = !Token.isUnresolved(securityGroupId);
    if (resolved && !/^sg-[0-9a-f]{8,17}$/.test(securityGroupId))
      throw new InvalidPropError(
        'Peer.securityGroupId',
        'securityGroupId',
        securityGroupId,
        'Give a security group id such as "sg-0123456789abcdef0".',
      );
    return {
      uniqueId: name ? slug(name) : resolved ? securityGroupId : undefined,
      label: name ?? 'a security group',
      isWholeInternet: false,
      toRuleTarget: () => ({ referencedSecurityGroupId: securityGroupId }),
    };
  }
}

/**
 * The owner of a security group: writes its rules. Owners choose the construct ids of the rules (so existing
 * Terraform addresses survive) and may refuse peers (a data store takes security groups only).
 */
export interface SecurityGroupRules {
  /** The construct that owns the group; errors name its path. */
  readonly owner: IConstruct;
  readonly securityGroupId: string;
  /** Egress is open to everything, so {@link Connections.allowTo} writes no egress rule on this group. */
  readonly allowsAllOutbound: boolean;
  /** Writes an ingress rule; `description` undefined means the owner's default text. */
  addIngressRule(peer: IPeer, port: Port, description?: string): void;
  /** Writes an egress rule; `description` undefined means the owner's default text. */
  addEgressRule(peer: IPeer, port: Port, description?: string): void;
}

/** Something with a security group that other constructs can be allowed to reach. */
export interface IConnectable {
  readonly connections: Connections;
}

/** Options of {@link Connections}. */
export interface ConnectionsProps {
  /** The group and its rule writer. */
  readonly rules: SecurityGroupRules;
  /**
   * The port clients reach this construct on (a database's 5432), used by the `*DefaultPort*` methods.
   * @default none (those methods throw)
   */
  readonly defaultPort?: Port;
  /** How this construct is named in other groups' rule descriptions. @default the owner's construct path */
  readonly label?: string;
}

/**
 * The security group of a construct, as a peer and as a target of rules. A rule between two connectables is written
 * on both sides: ingress on the destination and, when the source's egress is restricted, egress on the source.
 */
export class Connections implements IConnectable, IPeer {
  readonly securityGroupId: string;
  readonly defaultPort?: Port;
  readonly uniqueId: string;
  readonly label: string;
  readonly isWholeInternet = false;
  private readonly rules: SecurityGroupRules;

  constructor(props: ConnectionsProps) {
    this.rules = props.rules;
    this.securityGroupId = props.rules.securityGroupId;
    this.defaultPort = props.defaultPort;
    this.uniqueId = slug(props.rules.owner.node.path);
    this.label = props.label ?? props.rules.owner.node.path;
  }

  get connections(): Connections {
    return this;
  }

  toRuleTarget(): RuleTarget {
    return { referencedSecurityGroupId: this.securityGroupId };
  }

  /** Admits `peer` (a CIDR, prefix list, security group or another connectable) on `port`. */
  allowFrom(peer: IPeer | IConnectable, port: Port, description?: string): void {
    const source = asPeer(peer);
    this.refuseInternetOnAdminPorts(source, port, 'allowFrom');
    this.rules.addIngressRule(source, port, description);
    if (isConnectable(peer) && !peer.connections.rules.allowsAllOutbound)
      peer.connections.rules.addEgressRule(this, port, description);
  }

  /** Lets this construct reach `peer` on `port`: egress here (if restricted) and ingress there (if a connectable). */
  allowTo(peer: IPeer | IConnectable, port: Port, description?: string): void {
    if (isConnectable(peer)) {
      peer.connections.allowFrom(this, port, description);
      return;
    }
    if (this.rules.allowsAllOutbound) return;
    this.rules.addEgressRule(peer, port, description);
  }

  /** Admits `peer` on this construct's default port. */
  allowDefaultPortFrom(peer: IPeer | IConnectable, description?: string): void {
    this.allowFrom(peer, this.requireDefaultPort('allowDefaultPortFrom'), description);
  }

  /** Lets this construct reach `other` on the other's default port. */
  allowToDefaultPort(other: IConnectable, description?: string): void {
    this.allowTo(other, other.connections.requireDefaultPort('allowToDefaultPort'), description);
  }

  private requireDefaultPort(method: string): Port {
    if (this.defaultPort) return this.defaultPort;
    throw new InvalidPropError(
      this.rules.owner.node.path,
      `${method}.port`,
      undefined,
      'This construct has no default port: call allowFrom/allowTo with a Port.',
    );
  }

  private refuseInternetOnAdminPorts(peer: IPeer, port: Port, method: string): void {
    const admin = port.adminPorts();
    if (!peer.isWholeInternet || admin.length === 0) return;
    throw new InvalidPropError(
      this.rules.owner.node.path,
      `${method}.peer`,
      peer.label,
      `${port} includes admin port ${admin.map((p) => `${p} (${ADMIN_PORTS[p]})`).join(', ')}: ` +
        `allow your operators' CIDRs or a security group, never the whole internet.`,
    );
  }
}

/** The peer of a connectable is its security group. */
function asPeer(peer: IPeer | IConnectable): IPeer {
  return isConnectable(peer) ? peer.connections : peer;
}

function isConnectable(peer: IPeer | IConnectable): peer is IConnectable {
  return (peer as IConnectable).connections instanceof Connections;
}

/** Text usable in a construct id. */
function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9-]+/g, '_').replace(/^_+|_+$/g, '');
}

/** Default rule description: `tcp/5432 from a security group`. */
export function ruleDescription(port: Port, direction: 'from' | 'to', peer: IPeer): string {
  return `${port} ${direction} ${peer.label}`;
}

/** The construct-id key of a peer and port, or undefined when the peer has no stable id. */
export function ruleKey(peer: IPeer, port: Port): string | undefined {
  return peer.uniqueId === undefined ? undefined : `${port.key}-${peer.uniqueId}`;
}
