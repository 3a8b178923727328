import { Annotations, Fn, Token } from 'cdktf';
import { Construct } from 'constructs';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { EcsCapacityProvider } from '@cdktf/provider-aws/lib/ecs-capacity-provider';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import {
  AwsEnvironment,
  partitionOf,
  requireIntegerInRange,
  requireNonEmpty,
  requireProp,
  assumeRolePolicy,
  requireEnvironment,
} from '@tts-ecs/core';
import { rolePrefix } from './iam';
import { WorkloadSecurityGroup } from './security-group';

export interface Ec2CapacityOptions {
  /** Instance type, e.g. `m6i.large` or Graviton `m7g.large` (the arm64 ECS AMI is chosen for Graviton types). */
  readonly instanceType: string;
  /** VPC of the subnets. */
  readonly vpcId: string;
  /** Private subnets the instances launch in (one per AZ). */
  readonly subnetIds: string[];
  /** @default 1 */
  readonly minSize?: number;
  /** @default 4 */
  readonly maxSize?: number;
  /** Instances at creation; afterwards ECS managed scaling owns the desired capacity. @default minSize */
  readonly desiredCapacity?: number;
  /** Utilization managed scaling aims for (1-100); 100 packs instances fully, lower keeps spare room. @default 100 */
  readonly targetCapacityPercent?: number;
  /** Root volume (gp3, encrypted) size; the ECS AMI needs at least 30. @default 30 */
  readonly rootVolumeSizeGiB?: number;
  /**
   * Customer KMS key for the root volume. Its key policy must let the Auto Scaling service-linked role
   * (AWSServiceRoleForAutoScaling) use it, or instances fail to launch.
   * @default the account's AWS managed EBS key (volumes are always encrypted)
   */
  readonly ebsKmsKeyArn?: string;
  /**
   * IMDSv2 response hop limit. 1 keeps instance credentials away from containers (awsvpc tasks are also blocked
   * by ECS_AWSVPC_BLOCK_IMDS); the ECS agent uses host networking and needs no more. Raise to 2 only for
   * bridge-mode containers that must read instance metadata.
   * @default 1
   */
  readonly metadataHopLimit?: number;
  /** Extra security groups for the instances. @default none */
  readonly securityGroupIds?: string[];
  /** Extra `/etc/ecs/ecs.config` lines (name -> value). @default none */
  readonly extraEcsConfig?: Record<string, string>;
  /**
   * Replace instances gradually when the launch template changes (new AMI, user data, instance type): a Rolling
   * instance refresh that keeps `minHealthyPercentage` of the group in service. Give `false` to replace instances
   * only when they are scaled in or terminated by hand.
   * @default { minHealthyPercentage: 90 }
   */
  readonly instanceRefresh?: Ec2InstanceRefresh | false;
  /**
   * Replace each instance after this many days (1-365), so hosts pick up patched AMIs even without a template change.
   * Auto Scaling does not terminate scale-in protected instances for this, and ECS protects instances that run tasks,
   * so a busy instance is replaced only once ECS has emptied it (AWS EC2 Auto Scaling guide, maximum instance lifetime).
   * @default none (instances live until scaled in or refreshed)
   */
  readonly maxInstanceLifetimeDays?: number;
}

/** How {@link Ec2Capacity} rolls instances onto a new launch template. */
export interface Ec2InstanceRefresh {
  /** Share of the group (0-100) kept in service while instances are replaced. @default 90 */
  readonly minHealthyPercentage?: number;
}

export interface Ec2CapacityProps extends Ec2CapacityOptions {
  readonly clusterName: string;
  readonly environment: AwsEnvironment;
}

/** Graviton (arm64) instance families carry a `g` after the generation digit: m7g, c6gn, r8gd, t4g, im4gn, g5g. */
export function isGravitonInstanceType(instanceType: string): boolean {
  return /^[a-z]+\d+[a-z]*g[a-z]*(-flex)?\./.test(instanceType);
}

/** Families without ENI trunking support (not Nitro, or excluded by ECS), so each awsvpc task uses a whole ENI. */
const NO_TRUNKING = /^(t2|t3|t3a)\./;

/**
 * EC2 container instances for an ECS cluster: ECS-optimized Amazon Linux 2023 resolved from SSM at launch, IMDSv2 only,
 * encrypted gp3 root, an Auto Scaling group with scale-in protection, and a capacity provider with managed scaling,
 * managed termination protection and managed draining (tasks move off an instance before it terminates).
 */
export class Ec2Capacity extends Construct {
  readonly capacityProviderName: string;
  readonly capacityProvider: EcsCapacityProvider;
  readonly autoScalingGroupName: string;
  readonly securityGroupId: string;
  readonly instanceRoleArn: string;
  readonly instanceRoleName: string;

  constructor(scope: Construct, id: string, props: Ec2CapacityProps) {
    super(scope, id);
    requireEnvironment(this, props.environment);
    const type = props.instanceType;
    requireProp(
      this,
      /^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(type),
      'instanceType',
      type,
      'Give an EC2 instance type such as "m6i.large".',
    );
    requireNonEmpty(this, 'subnetIds', props.subnetIds, 'Give the private subnets the instances launch in.');
    const min = props.minSize ?? 1;
    const max = props.maxSize ?? 4;
    const desired = props.desiredCapacity ?? min;
    requireIntegerInRange(this, 'minSize', min, 0, 1000);
    requireIntegerInRange(this, 'maxSize', max, Math.max(1, min), 1000);
    requireIntegerInRange(this, 'desiredCapacity', desired, min, max);
    const target = props.targetCapacityPercent ?? 100;
    requireIntegerInRange(this, 'targetCapacityPercent', target, 1, 100);
    const rootSize = props.rootVolumeSizeGiB ?? 30;
    requireIntegerInRange(this, 'rootVolumeSizeGiB', rootSize, 30, 16384);
    const hops = props.metadataHopLimit ?? 1;
    requireIntegerInRange(this, 'metadataHopLimit', hops, 1, 2);
    const refresh = props.instanceRefresh === false ? undefined : (props.instanceRefresh ?? {});
    const minHealthy = refresh?.minHealthyPercentage ?? 90;
    requireIntegerInRange(this, 'instanceRefresh.minHealthyPercentage', minHealthy, 0, 100);
    if (props.maxInstanceLifetimeDays !== undefined)
      requireIntegerInRange(this, 'maxInstanceLifetimeDays', props.maxInstanceLifetimeDays, 1, 365);
    const providerName = `${props.clusterName}-ec2`;
    requireProp(
      this,
      !/^(aws|ecs|fargate)/i.test(providerName),
      'clusterName',
      props.clusterName,
      'ECS capacity provider names may not start with "aws", "ecs" or "fargate"; choose a cluster name that does not.',
    );
    if (NO_TRUNKING.test(type)) {
      Annotations.of(this).addWarning(
        `Instance type ${type} does not support ENI trunking: each awsvpc task takes a whole ENI, so only a few tasks fit per instance. Prefer a Nitro type such as m6i/m7g/c6i.`,
      );
    }

    const partition = partitionOf(props.environment.region);
    const role = new IamRole(this, 'InstanceRole', {
      namePrefix: rolePrefix(props.clusterName, '-ecs-instance-'),
      description: `ECS container instances of ${props.clusterName}`,
      assumeRolePolicy: assumeRolePolicy('ec2.amazonaws.com'),
    });
    for (const [cid, policy] of [
      ['Ssm', 'AmazonSSMManagedInstanceCore'],
      ['Ecs', 'service-role/AmazonEC2ContainerServiceforEC2Role'],
    ]) {
      new IamRolePolicyAttachment(this, `${cid}Policy`, {
        role: role.name,
        policyArn: `arn:${partition}:iam::aws:policy/${policy}`,
      });
    }
    const profile = new IamInstanceProfile(this, 'InstanceProfile', {
      namePrefix: rolePrefix(props.clusterName, '-ecs-instance-'),
      role: role.name,
    });
    this.instanceRoleArn = role.arn;
    this.instanceRoleName = role.name;

    const sg = new WorkloadSecurityGroup(this, 'SecurityGroup', {
      vpcId: props.vpcId,
      namePrefix: `${props.clusterName}-ecs-instances`,
      description: `ECS container instances of ${props.clusterName} (awsvpc tasks have their own groups)`,
    });
    this.securityGroupId = sg.securityGroupId;

    const arch = isGravitonInstanceType(type) ? 'arm64/' : '';
    const config: Record<string, string> = {
      ECS_CLUSTER: props.clusterName,
      ECS_ENABLE_TASK_IAM_ROLE: 'true',
      ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST: 'true',
      ECS_AWSVPC_BLOCK_IMDS: 'true',
      ECS_ENABLE_CONTAINER_METADATA: 'true',
      ECS_CONTAINER_INSTANCE_PROPAGATE_TAGS_FROM: 'ec2_instance',
      ...props.extraEcsConfig,
    };
    const userData = [
      '#!/bin/bash',
      "cat >> /etc/ecs/ecs.config <<'EOF'",
      ...Object.entries(config).map(([k, v]) => `${k}=${v}`),
      'EOF',
      '',
    ].join('\n');

    const template = new LaunchTemplate(this, 'LaunchTemplate', {
      namePrefix: `${props.clusterName}-ecs-`,
      description: `ECS container instances of ${props.clusterName}`,
      imageId: `resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/${arch}recommended/image_id`,
      instanceType: type,
      iamInstanceProfile: { arn: profile.arn },
      vpcSecurityGroupIds: [sg.securityGroupId, ...(props.securityGroupIds ?? [])],
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: hops,
        instanceMetadataTags: 'disabled',
      },
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: {
            volumeSize: rootSize,
            volumeType: 'gp3',
            encrypted: 'true',
            kmsKeyId: props.ebsKmsKeyArn,
            deleteOnTermination: 'true',
          },
        },
      ],
      userData: Fn.base64encode(userData),
      updateDefaultVersion: true,
      tagSpecifications: [
        { resourceType: 'instance', tags: { Name: `${props.clusterName}-ecs` } },
        { resourceType: 'volume', tags: { Name: `${props.clusterName}-ecs` } },
      ],
    });

    const group = new AutoscalingGroup(this, 'Group', {
      namePrefix: `${props.clusterName}-ecs-`,
      minSize: min,
      maxSize: max,
      desiredCapacity: desired,
      vpcZoneIdentifier: props.subnetIds,
      launchTemplate: { id: template.id, version: Token.asString(template.latestVersion) },
      // ECS managed termination protection requires scale-in protection; ECS lifts it once an instance is empty.
      protectFromScaleIn: true,
      healthCheckType: 'EC2',
      // AWS accepts 86400 s (1 day) to 31536000 s (365 days), or 0 for none.
      maxInstanceLifetime:
        props.maxInstanceLifetimeDays === undefined ? undefined : props.maxInstanceLifetimeDays * 86400,
      // A change of launch_template (its version follows latestVersion) starts the refresh; no extra triggers.
      // Source: terraform-provider-aws docs, aws_autoscaling_group instance_refresh.
      instanceRefresh: refresh && {
        strategy: 'Rolling',
        preferences: {
          minHealthyPercentage: minHealthy,
          // Instances carry scale-in protection (managed termination protection), and the AWS default "Wait" would
          // fail the refresh after an hour; managed draining moves tasks off each instance before it terminates.
          scaleInProtectedInstances: 'Refresh',
          skipMatching: true,
        },
      },
      tag: [
        { key: 'AmazonECSManaged', value: 'true', propagateAtLaunch: true },
        { key: 'Name', value: `${props.clusterName}-ecs`, propagateAtLaunch: true },
      ],
      // Managed scaling owns the desired capacity after creation.
      lifecycle: { ignoreChanges: ['desired_capacity'] },
    });
    this.autoScalingGroupName = group.name;

    this.capacityProvider = new EcsCapacityProvider(this, 'CapacityProvider', {
      name: providerName,
      autoScalingGroupProvider: {
        autoScalingGroupArn: group.arn,
        managedTerminationProtection: 'ENABLED',
        managedDraining: 'ENABLED',
        managedScaling: {
          status: 'ENABLED',
          targetCapacity: target,
          minimumScalingStepSize: 1,
          maximumScalingStepSize: 10,
        },
      },
    });
    this.capacityProviderName = providerName;
  }
}
