import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Connections, IConnectable, IPeer, Peer, Port, requireProp, SecurityGroupRules } from '@tts-ecs/core';

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
 * and no egress rules (Terraform removes the default allow-all egress; replies to clients are stateful). Clients
 * are admitted through {@link connections} (`db.connections.allowDefaultPortFrom(service)`).
 */
export class IngressSecurityGroup extends Construct implements IConnectable, SecurityGroupRules {
  /** Security group id. */
  readonly securityGroupId: string;
  /** The underlying resource, for escape hatches. */
  readonly resource: SecurityGroup;

  /** The group as a peer and a target; its default port is the service port. */
  readonly connections: Connections;
  /** A data service starts no connections: it has no egress rules, and none may be added. */
  readonly allowsAllOutbound = false;

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
    this.connections = new Connections({ rules: this, defaultPort: Port.tcp(props.port) });
    for (const sg of props.allowedSecurityGroupIds ?? []) this.allowFrom(sg);
  }

  get owner(): Construct {
    return this;
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
    this.connections.allowDefaultPortFrom(Peer.securityGroupId(securityGroupId), description);
  }

  /** Writes one ingress rule: security groups only, on the service port. The same group twice is one rule. */
  addIngressRule(peer: IPeer, port: Port, description?: string): void {
    const target = peer.toRuleTarget();
    requireProp(
      this,
      target.referencedSecurityGroupId !== undefined,
      'peer',
      peer.label,
      'A data service admits security groups only (a CIDR would admit every host in it): allow a service or its group.',
    );
    requireProp(
      this,
      port.protocol === 'tcp' && port.fromPort === this.port && port.toPort === this.port,
      'port',
      String(port),
      `This data service listens on tcp/${this.port} only.`,
    );
    const securityGroupId = target.referencedSecurityGroupId as string;
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

  /** Refused: a data service starts no connections. */
  addEgressRule(peer: IPeer): void {
    requireProp(
      this,
      false,
      'egress',
      peer.label,
      'A data service has no egress rules; allow its clients to reach it instead.',
    );
  }
}
