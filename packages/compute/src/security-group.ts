import { Construct } from 'constructs';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import {
  Connections,
  IConnectable,
  IPeer,
  Port,
  portFields,
  requireOneOf,
  ruleDescription,
  SecurityGroupRules,
} from '@tts-ecs/core';

export interface WorkloadSecurityGroupProps {
  readonly vpcId: string;
  /** Prefix of the generated group name (a unique suffix is appended). */
  readonly namePrefix: string;
  readonly description: string;
  /**
   * The port clients reach the workload on, for `connections.allowDefaultPortFrom`.
   * @default none
   */
  readonly defaultPort?: Port;
}

/**
 * A security group with no ingress and all egress. Tasks reach AWS APIs, registries and peers on many ports, and
 * egress filtering belongs at the VPC edge (NAT, endpoints, firewall), so egress is open; ingress is opened per peer
 * through {@link connections}. Rules are separate resources whose ids follow call order.
 */
export class WorkloadSecurityGroup extends Construct implements IConnectable, SecurityGroupRules {
  readonly securityGroupId: string;
  readonly connections: Connections;
  /** Egress is open: connections write no egress rules here. */
  readonly allowsAllOutbound = true;
  private rules = 0;

  constructor(scope: Construct, id: string, props: WorkloadSecurityGroupProps) {
    super(scope, id);
    const group = new SecurityGroup(this, 'Group', {
      namePrefix: `${props.namePrefix.slice(0, 200)}-`,
      description: props.description,
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
      lifecycle: { createBeforeDestroy: true },
    });
    this.securityGroupId = group.id;
    new VpcSecurityGroupEgressRule(this, 'EgressIpv4', {
      securityGroupId: group.id,
      ipProtocol: '-1',
      cidrIpv4: '0.0.0.0/0',
      description: 'All outbound IPv4',
    });
    new VpcSecurityGroupEgressRule(this, 'EgressIpv6', {
      securityGroupId: group.id,
      ipProtocol: '-1',
      cidrIpv6: '::/0',
      description: 'All outbound IPv6',
    });
    this.connections = new Connections({ rules: this, defaultPort: props.defaultPort });
  }

  get owner(): Construct {
    return this;
  }

  /** Writes one ingress rule (use {@link connections}); ids follow call order, as they always have. */
  addIngressRule(peer: IPeer, port: Port, description?: string): void {
    requireOneOf(this, 'port.protocol', port.protocol, ['tcp', 'udp']);
    new VpcSecurityGroupIngressRule(this, `Ingress${this.rules++}`, {
      securityGroupId: this.securityGroupId,
      ...peer.toRuleTarget(),
      ...portFields(port),
      description: description ?? ruleDescription(port, 'from', peer),
    });
  }

  /** Never called: egress is open (see {@link allowsAllOutbound}). */
  addEgressRule(): void {}
}
