import { Construct, IConstruct } from 'constructs';
import { Token } from 'cdktf';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import {
  Connections,
  IConnectable,
  IPeer,
  isCidr,
  parseCidr,
  Peer,
  Port,
  requireIntegerInRange,
  requireOneOf,
  requireProp,
  ruleDescription,
  SecurityGroupRules,
} from '@tts-ecs/core';
import { portFields } from '@tts-ecs/core';
import { NlbListener, NlbListenerProps, NlbTargetGroup, NlbTargetGroupProps } from './nlb-listener';

export interface NetworkLoadBalancerProps {
  /**
   * Load balancer name, also used for the security group and Name tags: 1-32 letters, digits and hyphens,
   * not starting or ending with a hyphen nor starting with `internal-`.
   */
  readonly name: string;
  /**
   * `internet-facing` (public subnets, one Elastic IP each unless {@link elasticIps} is off) or `internal` (private
   * subnets, reachable from the VPC and peered networks only). Changing it replaces the load balancer.
   */
  readonly scheme: 'internet-facing' | 'internal';
  /** VPC of the load balancer. */
  readonly vpcId: string;
  /** CIDR of the VPC: the load balancer may send traffic (to targets, health checks) there only. */
  readonly vpcCidr: string;
  /**
   * Subnets, one per AZ: public ones for `internet-facing`, private ones for `internal`. With Elastic IPs each gets one
   * through `subnet_mapping`, so the addresses are fixed and can be put in firewall rules. Changing this list
   * replaces the load balancer (and its DNS name).
   */
  readonly subnetIds: string[];
  /**
   * Give an internet-facing load balancer one Elastic IP per subnet (fixed addresses). Off, AWS assigns addresses
   * that change when the load balancer is replaced. Internal load balancers have none.
   * @default true for internet-facing
   */
  readonly elasticIps?: boolean;
  /**
   * S3 bucket (name, same region) for access logs. Required: logs are how you investigate an incident.
   * NLB writes access logs for TLS listeners only. The bucket needs a policy admitting `delivery.logs.amazonaws.com`
   * to write under `<prefix>/AWSLogs/<account>/` (`SecureBucket.allowLogDelivery()` of `@tts-ecs/data` adds it, and
   * lets the bucket's own KMS key be used); it may use SSE-S3 or SSE-KMS with a customer managed key
   * (not the AWS managed `aws/s3` key) whose policy lets `delivery.logs.amazonaws.com` use `kms:GenerateDataKey*` and
   * `kms:Decrypt` (`EncryptionKey.allowService('delivery.logs.amazonaws.com')`).
   */
  readonly accessLogsBucket: string;
  /**
   * Key prefix of the access logs in the bucket, without leading or trailing `/` and without `AWSLogs`.
   * @default the load balancer name
   */
  readonly accessLogsPrefix?: string;
  /**
   * Refuse deletion through the API (Terraform destroy fails until it is turned off): losing the load balancer
   * loses its DNS name that clients and records point to.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Spread traffic across targets in all AZs (not only the AZ of the receiving node). Costs inter-AZ data transfer.
   * @default true
   */
  readonly crossZoneLoadBalancing?: boolean;
  /**
   * Add `prevent_destroy` to the Elastic IPs: gateways and partner firewalls are configured with these addresses,
   * and a released address cannot be got back.
   * @default true
   */
  readonly retainElasticIps?: boolean;
}

/** A listener of {@link NetworkLoadBalancer.addListener} and the target group it forwards to. */
export interface NlbListenerOptions extends Omit<NlbListenerProps, 'loadBalancerArn' | 'targetGroupArn'> {
  /** The target group (IP targets): its port, protocol and health check. `vpcId` defaults to the load balancer's. */
  readonly targets: Omit<NlbTargetGroupProps, 'vpcId'> & { readonly vpcId?: string };
}

/** One ingress rule of the load balancer's security group. */
export interface NlbIngressOptions {
  /** Listener port, 1-65535. */
  readonly port: number;
  /** Transport protocol of the listener (TLS listeners are `tcp`). */
  readonly protocol: 'tcp' | 'udp';
  /** IPv4 CIDRs allowed to connect. */
  readonly cidrs: string[];
  /** Why the port is open, shown on the rule. */
  readonly description: string;
  /**
   * An administrative port (management API, SSH-like access): `0.0.0.0/0` is rejected.
   * @default false
   */
  readonly admin?: boolean;
}

const LB_NAME = /^(?!internal-)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$/;

/** Elastic Load Balancing's name rules (1-32 letters, digits and hyphens, ...), for NLBs and ALBs alike. */
export function requireLoadBalancerName(scope: IConstruct, name: string): void {
  requireProp(
    scope,
    typeof name === 'string' && LB_NAME.test(name),
    'name',
    name,
    'Use 1-32 letters, digits and hyphens, not starting or ending with a hyphen nor starting with "internal-".',
  );
}

/**
 * A Network Load Balancer, internet-facing (one Elastic IP per subnet by default) or internal, with cross-zone load
 * balancing, deletion protection, access logs, and a security group that admits nothing until
 * {@link allowIngress} or {@link connections} opens it and may only send traffic into the VPC. The security group must
 * exist at creation: AWS cannot add one to an NLB created without. Listeners and target groups
 * ({@link NlbListener}, {@link NlbTargetGroup}) may live in another stack: give them {@link arn} and {@link vpcId},
 * and let targets admit traffic with `target.connections.allowFrom(nlb, port)`.
 */
export class NetworkLoadBalancer extends Construct implements IConnectable, SecurityGroupRules {
  /** Load balancer ARN (for listeners). */
  readonly arn: string;
  /** ARN suffix, the `LoadBalancer` dimension of CloudWatch metrics. */
  readonly arnSuffix: string;
  /** DNS name. */
  readonly dnsName: string;
  /** Route 53 hosted zone id of the DNS name (for alias records). */
  readonly zoneId: string;
  /** Security group of the load balancer; reference it in target security groups. */
  readonly securityGroupId: string;
  /** The fixed public addresses, one per subnet (empty without Elastic IPs). */
  readonly elasticIps: string[];
  /** Allocation ids of the Elastic IPs. */
  readonly elasticIpAllocationIds: string[];
  /** VPC of the load balancer (for target groups). */
  readonly vpcId: string;
  /** The load balancer resource, for escape hatches. */
  readonly resource: Lb;
  /** Its security group as a peer and a target: clients reach listeners through `connections.allowFrom`. */
  readonly connections: Connections;
  /** Egress into the whole VPC covers every target, so connections write no egress rules here. */
  readonly allowsAllOutbound = true;

  private readonly ruleIds = new Set<string>();
  private tokenRules = 0;

  constructor(scope: Construct, id: string, props: NetworkLoadBalancerProps) {
    super(scope, id);
    requireLoadBalancerName(this, props.name);
    requireOneOf(this, 'scheme', props.scheme, ['internet-facing', 'internal']);
    const internal = props.scheme === 'internal';
    requireProp(
      this,
      !(internal && props.elasticIps === true),
      'elasticIps',
      props.elasticIps,
      'An internal load balancer has no Elastic IPs: leave elasticIps unset.',
    );
    requireProp(
      this,
      Array.isArray(props.subnetIds) && props.subnetIds.length >= 2,
      'subnetIds',
      props.subnetIds,
      `Give at least two ${internal ? 'private' : 'public'} subnets in different AZs.`,
    );
    requireProp(
      this,
      typeof props.accessLogsBucket === 'string' && props.accessLogsBucket.length > 0,
      'accessLogsBucket',
      props.accessLogsBucket,
      'Give the name of an S3 bucket in the same region whose policy admits delivery.logs.amazonaws.com.',
    );
    if (!Token.isUnresolved(props.vpcCidr)) {
      requireProp(
        this,
        isCidr(props.vpcCidr),
        'vpcCidr',
        props.vpcCidr,
        'Give the IPv4 CIDR of the VPC, e.g. "10.0.0.0/16".',
      );
    }
    const prefix = props.accessLogsPrefix ?? props.name;
    requireProp(
      this,
      !/AWSLogs/.test(prefix) && !/^\/|\/$/.test(prefix),
      'accessLogsPrefix',
      prefix,
      'Leave out "AWSLogs" (ELB adds it) and leading or trailing "/".',
    );
    this.vpcId = props.vpcId;

    const group = new SecurityGroup(this, 'SecurityGroup', {
      name: `${props.name}-nlb`,
      description: `Network load balancer ${props.name}: no ingress unless allowed explicitly`,
      vpcId: props.vpcId,
      tags: { Name: `${props.name}-nlb` },
    });
    new VpcSecurityGroupEgressRule(this, 'EgressToVpc', {
      securityGroupId: group.id,
      ipProtocol: '-1',
      cidrIpv4: props.vpcCidr,
      description: 'Targets and health checks inside the VPC',
    });
    this.securityGroupId = group.id;

    this.connections = new Connections({ rules: this, label: `load balancer ${props.name}` });

    const withEips = !internal && (props.elasticIps ?? true);
    const eips = (withEips ? props.subnetIds : []).map(
      (_, i) =>
        new Eip(this, `Eip${i}`, {
          domain: 'vpc',
          tags: { Name: `${props.name}-nlb-${i}` },
          lifecycle: { preventDestroy: props.retainElasticIps ?? true },
        }),
    );
    this.elasticIps = eips.map((e) => e.publicIp);
    this.elasticIpAllocationIds = eips.map((e) => e.allocationId);

    this.resource = new Lb(this, 'LoadBalancer', {
      name: props.name,
      loadBalancerType: 'network',
      internal,
      ipAddressType: 'ipv4',
      subnetMapping: props.subnetIds.map((subnetId, i) => ({ subnetId, allocationId: eips[i]?.allocationId })),
      securityGroups: [group.id],
      enableCrossZoneLoadBalancing: props.crossZoneLoadBalancing ?? true,
      enableDeletionProtection: props.deletionProtection ?? true,
      accessLogs: { bucket: props.accessLogsBucket, prefix, enabled: true },
      tags: { Name: props.name },
    });
    this.arn = this.resource.arn;
    this.arnSuffix = this.resource.arnSuffix;
    this.dnsName = this.resource.dnsName;
    this.zoneId = this.resource.zoneId;
  }

  /**
   * Admits clients on a listener port. Rejects invalid ports and CIDRs, and `0.0.0.0/0` on ports marked `admin`.
   * CIDRs that are unresolved tokens cannot be checked at synth. Adding the same rule twice is a no-op.
   */
  allowIngress(options: NlbIngressOptions): void {
    requireIntegerInRange(this, 'allowIngress.port', options.port, 1, 65535);
    requireOneOf(this, 'allowIngress.protocol', options.protocol, ['tcp', 'udp']);
    requireProp(
      this,
      Array.isArray(options.cidrs) && options.cidrs.length > 0,
      'allowIngress.cidrs',
      options.cidrs,
      `Give the IPv4 CIDRs allowed to reach port ${options.port}.`,
    );
    requireProp(
      this,
      typeof options.description === 'string' && options.description.length > 0,
      'allowIngress.description',
      options.description,
      'Say why the port is open.',
    );
    for (const cidr of options.cidrs) {
      if (Token.isUnresolved(cidr)) continue;
      requireProp(this, isCidr(cidr), 'allowIngress.cidrs', cidr, 'Use IPv4 CIDRs such as "203.0.113.0/24".');
      requireProp(
        this,
        !(options.admin && parseCidr(cidr).prefixLength === 0),
        'allowIngress.cidrs',
        cidr,
        `Port ${options.port} is an admin port: allow your operators' CIDRs, never the whole internet.`,
      );
    }
    for (const cidr of options.cidrs)
      this.connections.allowFrom(Peer.ipv4(cidr), Port.of(options.protocol, options.port), options.description);
  }

  /**
   * A listener and its target group in this stack (listeners of a load balancer from another stack: use
   * {@link NlbListener} and {@link NlbTargetGroup} with {@link arn} there). Opens nothing: admit clients with
   * {@link allowIngress} or `connections.allowFrom`, and let targets admit the load balancer.
   */
  addListener(id: string, options: NlbListenerOptions): { listener: NlbListener; targetGroup: NlbTargetGroup } {
    const { targets, ...listener } = options;
    const targetGroup = new NlbTargetGroup(this, `${id}Targets`, { vpcId: this.vpcId, ...targets });
    return {
      targetGroup,
      listener: new NlbListener(this, `${id}Listener`, {
        ...listener,
        loadBalancerArn: this.arn,
        targetGroupArn: targetGroup.arn,
      }),
    };
  }

  get owner(): Construct {
    return this;
  }

  /** Writes one ingress rule (through {@link connections} or {@link allowIngress}); the same rule twice is a no-op. */
  addIngressRule(peer: IPeer, port: Port, description?: string): void {
    const key = `${port.protocol}-${port.key.replace(/^[a-z]+/, '')}-${peer.uniqueId?.replace(/[./]/g, '_') ?? `token${this.tokenRules++}`}`;
    if (this.ruleIds.has(key)) return;
    this.ruleIds.add(key);
    new VpcSecurityGroupIngressRule(this, `Ingress-${key}`, {
      securityGroupId: this.securityGroupId,
      ...portFields(port),
      ...peer.toRuleTarget(),
      description: description ?? ruleDescription(port, 'from', peer),
    });
  }

  /** Never called: egress into the VPC is open (see {@link allowsAllOutbound}). */
  addEgressRule(): void {}
}
