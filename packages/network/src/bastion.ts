import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import {
  AwsEnvironment,
  isCidr,
  parseCidr,
  partitionOf,
  requireIntegerInRange,
  requireProp,
  assumeRolePolicy,
  requireEnvironment,
  Connections,
  IConnectable,
  IPeer,
  Port,
  portFields,
  ruleDescription,
  ruleKey,
  SecurityGroupRules,
} from '@tts-ecs/core';
import { requireName } from './names';

export interface BastionProps {
  /** Prefix for names, e.g. `acme-prod-eu1`. */
  readonly name: string;
  /** Account and region of the instance. */
  readonly environment: AwsEnvironment;
  /** VPC of the instance. */
  readonly vpcId: string;
  /** VPC CIDR: the bastion may open any port inside it (for port forwarding to databases). */
  readonly vpcCidr: string;
  /** A public subnet. */
  readonly subnetId: string;
  /**
   * EC2 instance type. Graviton types (`t4g`, `m7g`, ...) get the arm64 AMI, others the x86_64 one.
   * @default 't4g.nano'
   */
  readonly instanceType?: string;
  /**
   * Size of the encrypted gp3 root volume in GiB (the Amazon Linux 2023 image needs 8).
   * @default 8
   */
  readonly rootVolumeSizeGiB?: number;
  /**
   * KMS key for the root volume.
   * @default the account's default EBS key (`aws/ebs`)
   */
  readonly volumeKmsKeyArn?: string;
  /**
   * IPv4/IPv6 CIDRs allowed to SSH (port 22). `0.0.0.0/0` and `::/0` are rejected. Prefer Session Manager
   * (`aws ssm start-session`), which needs no open port at all.
   * @default none: no ingress
   */
  readonly sshAllowedCidrs?: string[];
  /**
   * EC2 key pair for SSH.
   * @default none (use Session Manager, or EC2 Instance Connect to push a short-lived key)
   */
  readonly keyName?: string;
  /**
   * Give the instance a public IPv4 address. Needed to reach Session Manager from a public subnet unless the VPC has
   * `ssm`, `ssmmessages` and `ec2messages` interface endpoints, and needed for SSH from outside.
   * @default true
   */
  readonly associatePublicIpAddress?: boolean;
}

/** Whether an instance type runs on AWS Graviton (arm64): `a1`, or a family whose generation digit is followed by `g`. */
export function isArmInstanceType(instanceType: string): boolean {
  const family = instanceType.split('.')[0];
  return family === 'a1' || /^[a-z]+\d+g/.test(family);
}

/**
 * A bastion host reached through SSM Session Manager: Amazon Linux 2023 resolved at launch from the public SSM parameter
 * (through a launch template, so a new AMI does not replace the instance on every plan), IMDSv2 only with hop limit 1,
 * encrypted gp3 root volume, no ingress unless `sshAllowedCidrs` is given.
 *
 * Session Manager logging (S3 / CloudWatch, KMS) is an account-and-region setting (the `SSM-SessionManagerRunShell`
 * document), not part of this construct; configure it once per region.
 */
export class Bastion extends Construct implements IConnectable, SecurityGroupRules {
  /** Instance id (target of `aws ssm start-session --target`). */
  readonly instanceId: string;
  /** Security group of the instance; let databases admit it. */
  readonly securityGroupId: string;
  /** The instance's security group as a peer: `db.connections.allowDefaultPortFrom(bastion)`. */
  readonly connections: Connections;
  /** Egress into the whole VPC (port forwarding) covers every target there: connections write no egress rules. */
  readonly allowsAllOutbound = true;
  private readonly ingressIds = new Set<string>();
  /** Role of the instance, to grant more (e.g. read a secret). */
  readonly roleName: string;
  /** Role ARN. */
  readonly roleArn: string;
  /** Private IP. */
  readonly privateIp: string;
  /** Public IP, empty when `associatePublicIpAddress` is false. */
  readonly publicIp: string;

  constructor(scope: Construct, id: string, props: BastionProps) {
    super(scope, id);
    requireEnvironment(this, props.environment);
    requireName(this, props.name);
    const instanceType = props.instanceType ?? 't4g.nano';
    requireProp(
      this,
      /^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(instanceType),
      'instanceType',
      instanceType,
      'Use an EC2 instance type such as "t4g.nano".',
    );
    const volumeSize = props.rootVolumeSizeGiB ?? 8;
    requireIntegerInRange(this, 'rootVolumeSizeGiB', volumeSize, 8, 16384);
    const sshCidrs = props.sshAllowedCidrs ?? [];
    for (const cidr of sshCidrs) {
      if (Token.isUnresolved(cidr)) continue;
      const v6 = cidr.includes(':');
      requireProp(
        this,
        v6 ? /^[0-9a-fA-F:]+\/\d{1,3}$/.test(cidr) : isCidr(cidr),
        'sshAllowedCidrs',
        cidr,
        'Use IPv4 or IPv6 CIDRs such as "203.0.113.0/24".',
      );
      requireProp(
        this,
        v6 ? !/^::\/0$/.test(cidr) : parseCidr(cidr).prefixLength > 0,
        'sshAllowedCidrs',
        cidr,
        "SSH must not be open to the whole internet: list your operators' CIDRs, or use Session Manager and leave sshAllowedCidrs empty.",
      );
    }
    const partition = partitionOf(props.environment.region);

    const role = new IamRole(this, 'Role', {
      name: `${props.name}-bastion`,
      description: `Bastion ${props.name}: Session Manager`,
      assumeRolePolicy: assumeRolePolicy('ec2.amazonaws.com'),
    });
    new IamRolePolicyAttachment(this, 'SessionManager', {
      role: role.name,
      policyArn: `arn:${partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
    });
    const profile = new IamInstanceProfile(this, 'InstanceProfile', { name: `${props.name}-bastion`, role: role.name });
    this.roleName = role.name;
    this.roleArn = role.arn;

    const group = new SecurityGroup(this, 'SecurityGroup', {
      name: `${props.name}-bastion`,
      description: `Bastion ${props.name}: ${sshCidrs.length > 0 ? 'SSH from listed CIDRs' : 'no ingress (Session Manager)'}`,
      vpcId: props.vpcId,
      tags: { Name: `${props.name}-bastion` },
    });
    // HTTPS out reaches Session Manager, package repositories and AWS APIs; the VPC is open for port forwarding.
    new VpcSecurityGroupEgressRule(this, 'EgressHttps', {
      securityGroupId: group.id,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: '0.0.0.0/0',
      description: 'HTTPS: Session Manager, AWS APIs, packages',
    });
    new VpcSecurityGroupEgressRule(this, 'EgressVpc', {
      securityGroupId: group.id,
      ipProtocol: '-1',
      cidrIpv4: props.vpcCidr,
      description: 'Port forwarding inside the VPC',
    });
    sshCidrs.forEach((cidr, i) => {
      new VpcSecurityGroupIngressRule(this, `Ssh${i}`, {
        securityGroupId: group.id,
        ipProtocol: 'tcp',
        fromPort: 22,
        toPort: 22,
        ...(cidr.includes(':') ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
        description: 'SSH from an allowed operator range',
      });
    });
    this.securityGroupId = group.id;
    this.connections = new Connections({ rules: this, label: `bastion ${props.name}` });

    const arch = isArmInstanceType(instanceType) ? 'arm64' : 'x86_64';
    const template = new LaunchTemplate(this, 'LaunchTemplate', {
      name: `${props.name}-bastion`,
      description: `Bastion ${props.name}`,
      // Resolved by EC2 at launch: no aws_ami data source, and an AMI update does not force a replacement.
      imageId: `resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}`,
      instanceType,
      keyName: props.keyName,
      iamInstanceProfile: { arn: profile.arn },
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: 'disabled',
      },
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: {
            volumeType: 'gp3',
            volumeSize,
            encrypted: 'true',
            kmsKeyId: props.volumeKmsKeyArn,
            deleteOnTermination: 'true',
          },
        },
      ],
      monitoring: { enabled: true },
      tagSpecifications: [{ resourceType: 'volume', tags: { Name: `${props.name}-bastion` } }],
      updateDefaultVersion: true,
    });
    const instance = new Instance(this, 'Instance', {
      launchTemplate: { id: template.id, version: Token.asString(template.latestVersion) },
      subnetId: props.subnetId,
      vpcSecurityGroupIds: [group.id],
      // Deliberate exception to checkov CKV_AWS_88 ("EC2 instance should not have public IP"): in a public subnet the
      // bastion needs a public IPv4 to reach Session Manager (unless the VPC has the ssm/ssmmessages/ec2messages
      // endpoints) and for SSH from outside; its security group admits nothing unless sshAllowedCidrs is given.
      associatePublicIpAddress: props.associatePublicIpAddress ?? true,
      tags: { Name: `${props.name}-bastion` },
    });
    this.instanceId = instance.id;
    this.privateIp = instance.privateIp;
    this.publicIp = instance.publicIp;
  }

  get owner(): Construct {
    return this;
  }

  /** Writes one ingress rule (SSH from CIDRs is the `sshAllowedCidrs` prop's); the same rule twice is one rule. */
  addIngressRule(peer: IPeer, port: Port, description?: string): void {
    const id = `Ingress-${ruleKey(peer, port) ?? `${port.key}-${this.ingressIds.size}`}`;
    if (this.ingressIds.has(id)) return;
    this.ingressIds.add(id);
    new VpcSecurityGroupIngressRule(this, id, {
      securityGroupId: this.securityGroupId,
      ...peer.toRuleTarget(),
      ...portFields(port),
      description: description ?? ruleDescription(port, 'from', peer),
    });
  }

  /** Never called: egress into the VPC is open (see {@link allowsAllOutbound}). */
  addEgressRule(): void {}
}
