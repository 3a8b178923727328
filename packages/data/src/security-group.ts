import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { requireProp } from '@tts-ecs/core';

export interface IngressSecurityGroupProps {
  /** Security group name. */
  readonly name: string;
  /** What the group protects. */
  readonly description: string;
  /** VPC of the group. */
  readonly vpcId: string;
  /** TCP port the clients may reach. */
  readonly port: number;
  /**
   * Security groups whose members may connect on `port`.
   * @default none (add them later with allowFrom)
   */
  readonly allowedSecurityGroupIds?: readonly string[];
}

/**
 * A security group for a data service: one TCP port, reachable only from other security groups (never from CIDRs),
 * and no egress rules (Terraform removes the default allow-all egress; replies to clients are stateful).
 */
export class IngressSecurityGroup extends Construct {
  /** Security group id. */
  readonly securityGroupId: string;
  /** The underlying resource, for escape hatches. */
  readonly resource: SecurityGroup;

  private readonly port: number;
  private readonly allowed = new Set<string>();
  private count = 0;

  constructor(scope: Construct, id: string, props: IngressSecurityGroupProps) {
    super(scope, id);
    this.port = props.port;
    this.resource = new SecurityGroup(this, 'Group', {
      name: props.name,
      description: props.description,
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
      tags: { Name: props.name },
    });
    this.securityGroupId = this.resource.id;
    for (const sg of props.allowedSecurityGroupIds ?? []) this.allowFrom(sg);
  }

  /** Admits members of another security group on the service port. Repeated calls for the same group are ignored. */
  allowFrom(securityGroupId: string, description?: string): void {
    requireProp(
      this,
      Token.isUnresolved(securityGroupId) || /^sg-[0-9a-f]{8,17}$/.test(securityGroupId),
      'allowedSecurityGroupIds',
      securityGroupId,
      'Give a security group id such as "sg-0123456789abcdef0" (CIDR ranges are not accepted for data services).',
    );
    if (this.allowed.has(securityGroupId)) return;
    this.allowed.add(securityGroupId);
    this.count += 1;
    new VpcSecurityGroupIngressRule(this, `From${this.count}`, {
      securityGroupId: this.securityGroupId,
      referencedSecurityGroupId: securityGroupId,
      ipProtocol: 'tcp',
      fromPort: this.port,
      toPort: this.port,
      description: description ?? `TCP ${this.port} from a client security group`,
    });
  }
}
