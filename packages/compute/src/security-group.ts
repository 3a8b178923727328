import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { requireIntegerInRange, requireNonEmpty, requireOneOf, requireProp } from '@tts-ecs/core';

export interface WorkloadSecurityGroupProps {
  readonly vpcId: string;
  /** Prefix of the generated group name (a unique suffix is appended). */
  readonly namePrefix: string;
  readonly description: string;
}

/**
 * A security group with no ingress and all egress. Tasks reach AWS APIs, registries and peers on many ports, and
 * egress filtering belongs at the VPC edge (NAT, endpoints, firewall), so egress is open; ingress is opened per source
 * with {@link allowFrom} / {@link allowFromCidrs}. Rules are separate resources whose ids follow call order.
 */
export class WorkloadSecurityGroup extends Construct {
  readonly securityGroupId: string;
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
  }

  /** Admits traffic on `port` from members of another security group (e.g. the load balancer's). */
  allowFrom(sourceSecurityGroupId: string, port: number, protocol: 'tcp' | 'udp' = 'tcp', description?: string): void {
    this.checkPort(port, protocol);
    new VpcSecurityGroupIngressRule(this, `Ingress${this.rules++}`, {
      securityGroupId: this.securityGroupId,
      referencedSecurityGroupId: sourceSecurityGroupId,
      ipProtocol: protocol,
      fromPort: port,
      toPort: port,
      description: description ?? `${protocol}/${port} from a security group`,
    });
  }

  /** Admits traffic on `port` from CIDR blocks (IPv4 or IPv6), one rule per block. */
  allowFromCidrs(cidrs: string[], port: number, protocol: 'tcp' | 'udp' = 'tcp', description?: string): void {
    requireNonEmpty(this, 'cidrs', cidrs, 'Give at least one CIDR block.');
    this.checkPort(port, protocol);
    for (const cidr of cidrs) {
      const v6 = !Token.isUnresolved(cidr) && cidr.includes(':');
      if (!Token.isUnresolved(cidr)) {
        requireProp(
          this,
          /^[0-9a-fA-F.:]+\/\d{1,3}$/.test(cidr),
          'cidrs',
          cidr,
          'Give CIDR blocks such as "10.0.0.0/16" or "2001:db8::/32".',
        );
      }
      new VpcSecurityGroupIngressRule(this, `Ingress${this.rules++}`, {
        securityGroupId: this.securityGroupId,
        ipProtocol: protocol,
        fromPort: port,
        toPort: port,
        ...(v6 ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
        description: description ?? `${protocol}/${port} from ${Token.isUnresolved(cidr) ? 'a CIDR block' : cidr}`,
      });
    }
  }

  private checkPort(port: number, protocol: string): void {
    requireIntegerInRange(this, 'port', port, 1, 65535);
    requireOneOf(this, 'protocol', protocol, ['tcp', 'udp']);
  }
}
