import { Construct } from 'constructs';
import { SecurityGroup as SecurityGroupResource } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Connections, IConnectable, IPeer, Port, ruleDescription, ruleKey, SecurityGroupRules } from './connections';
import { requireProp } from './errors';

export interface ConnectableSecurityGroupProps {
  /** VPC of the group. */
  readonly vpcId: string;
  /** Group name, unique in the VPC: 1-255 characters, not starting with `sg-`. */
  readonly name: string;
  /** What the group protects (shown in the console). */
  readonly description: string;
  /**
   * Open egress to everything. Off, egress exists only where {@link Connections.allowTo} (or `allowFrom` on a
   * restricted source) writes it.
   * @default false
   */
  readonly allowAllOutbound?: boolean;
  /**
   * The port clients reach the group's members on, for `allowDefaultPortFrom`.
   * @default none
   */
  readonly defaultPort?: Port;
}

/**
 * A security group that admits nothing and, by default, sends nothing until rules are added through
 * {@link connections}. Rules are separate resources named after the peer and port (`Ingress-tcp443-<peer>`), so
 * adding one never renames another; adding the same rule twice is a no-op.
 */
export class ConnectableSecurityGroup extends Construct implements IConnectable, SecurityGroupRules {
  readonly securityGroupId: string;
  readonly allowsAllOutbound: boolean;
  readonly connections: Connections;
  /** The underlying resource, for escape hatches. */
  readonly resource: SecurityGroupResource;
  private readonly written = new Set<string>();
  private unnamed = 0;

  constructor(scope: Construct, id: string, props: ConnectableSecurityGroupProps) {
    super(scope, id);
    requireProp(
      this,
      typeof props.name === 'string' && props.name.length > 0 && props.name.length <= 255 && !/^sg-/.test(props.name),
      'name',
      props.name,
      'Use 1-255 characters, not starting with "sg-".',
    );
    this.allowsAllOutbound = props.allowAllOutbound ?? false;
    this.resource = new SecurityGroupResource(this, 'Group', {
      name: props.name,
      description: props.description,
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
      tags: { Name: props.name },
    });
    this.securityGroupId = this.resource.id;
    if (this.allowsAllOutbound) {
      new VpcSecurityGroupEgressRule(this, 'EgressAll', {
        securityGroupId: this.securityGroupId,
        ipProtocol: '-1',
        cidrIpv4: '0.0.0.0/0',
        description: 'All outbound IPv4',
      });
    }
    this.connections = new Connections({ rules: this, defaultPort: props.defaultPort });
  }

  get owner(): Construct {
    return this;
  }

  addIngressRule(peer: IPeer, port: Port, description?: string): void {
    const id = this.idFor('Ingress', peer, port);
    if (!id) return;
    new VpcSecurityGroupIngressRule(this, id, {
      securityGroupId: this.securityGroupId,
      ...peer.toRuleTarget(),
      ...portFields(port),
      description: description ?? ruleDescription(port, 'from', peer),
    });
  }

  addEgressRule(peer: IPeer, port: Port, description?: string): void {
    if (this.allowsAllOutbound) return;
    const id = this.idFor('Egress', peer, port);
    if (!id) return;
    new VpcSecurityGroupEgressRule(this, id, {
      securityGroupId: this.securityGroupId,
      ...peer.toRuleTarget(),
      ...portFields(port),
      description: description ?? ruleDescription(port, 'to', peer),
    });
  }

  /** The rule's construct id, or undefined when the same rule exists already. */
  private idFor(direction: string, peer: IPeer, port: Port): string | undefined {
    const key = ruleKey(peer, port);
    const id = key === undefined ? `${direction}${this.unnamed++}-${port.key}` : `${direction}-${key}`;
    if (this.written.has(id)) return undefined;
    this.written.add(id);
    return id;
  }
}

/** `ip_protocol`, `from_port`, `to_port` of a rule (all traffic has no ports). */
export function portFields(port: Port): { ipProtocol: string; fromPort?: number; toPort?: number } {
  return port.protocol === '-1'
    ? { ipProtocol: '-1' }
    : { ipProtocol: port.protocol, fromPort: port.fromPort, toPort: port.toPort };
}
