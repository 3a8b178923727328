import { Construct } from 'constructs';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import {
  AwsEnvironment,
  EncryptedLogGroup,
  EncryptionKey,
  partitionOf,
  requireOneOf,
  requireEnvironment,
} from '@tts-ecs/core';
import { requireName } from './names';

/** Flow log settings of a {@link Network}. */
export interface FlowLogsOptions {
  /**
   * Days CloudWatch keeps flow log records; one of the values CloudWatch accepts.
   * @default 365
   */
  readonly retentionInDays?: number;
  /**
   * Which traffic to record. `ALL` is what an incident investigation needs; `REJECT` is cheaper.
   * @default 'ALL'
   */
  readonly trafficType?: 'ALL' | 'ACCEPT' | 'REJECT';
  /**
   * ARN of an existing KMS key for the log group. Its policy must admit `logs.<region>.amazonaws.com`
   * (an `EncryptionKey` with `allowCloudWatchLogs: true` does).
   * @default a new `EncryptionKey` dedicated to the flow logs, with rotation and prevent_destroy
   */
  readonly kmsKeyArn?: string;
  /**
   * Seconds over which records are aggregated: 60 or 600.
   * @default 600
   */
  readonly maxAggregationInterval?: 60 | 600;
}

export interface VpcFlowLogsProps extends FlowLogsOptions {
  /** Prefix for names, e.g. `acme-prod-eu1`. */
  readonly name: string;
  /** Account and region of the VPC. */
  readonly environment: AwsEnvironment;
  /** VPC whose traffic is recorded. */
  readonly vpcId: string;
}

/**
 * VPC flow logs delivered to a KMS-encrypted CloudWatch log group with a retention, through a role that can
 * write to that one log group only and that only this account's flow logs can assume.
 */
export class VpcFlowLogs extends Construct {
  /** Log group name. */
  readonly logGroupName: string;
  /** Log group ARN. */
  readonly logGroupArn: string;
  /** ARN of the KMS key that encrypts the log group. */
  readonly kmsKeyArn: string;
  /** ARN of the role the flow log service assumes. */
  readonly roleArn: string;
  /** The flow log resource, for escape hatches. */
  readonly flowLog: FlowLog;

  constructor(scope: Construct, id: string, props: VpcFlowLogsProps) {
    super(scope, id);
    requireEnvironment(this, props.environment);
    requireName(this, props.name);
    const trafficType = props.trafficType ?? 'ALL';
    requireOneOf(this, 'flowLogs.trafficType', trafficType, ['ALL', 'ACCEPT', 'REJECT']);
    const interval = props.maxAggregationInterval ?? 600;
    requireOneOf(this, 'flowLogs.maxAggregationInterval', interval, [60, 600]);
    const { accountId, region } = props.environment;
    const partition = partitionOf(region);

    this.kmsKeyArn =
      props.kmsKeyArn ??
      new EncryptionKey(this, 'Key', {
        environment: props.environment,
        description: `VPC flow logs of ${props.name}`,
        alias: `${props.name}-flow-logs`,
        allowCloudWatchLogs: true,
      }).arn;
    const group = new EncryptedLogGroup(this, 'LogGroup', {
      name: `/vpc/${props.name}/flow-logs`,
      kmsKeyArn: this.kmsKeyArn,
      retentionInDays: props.retentionInDays,
    });
    this.logGroupName = group.name;
    this.logGroupArn = group.arn;

    const role = new IamRole(this, 'Role', {
      name: `${props.name}-flow-logs`,
      description: `Delivers VPC flow logs of ${props.name} to ${group.name}`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
            Action: 'sts:AssumeRole',
            // Confused-deputy guard: only flow logs of this account and region may assume the role.
            Condition: {
              StringEquals: { 'aws:SourceAccount': accountId },
              ArnLike: { 'aws:SourceArn': `arn:${partition}:ec2:${region}:${accountId}:vpc-flow-log/*` },
            },
          },
        ],
      }),
      tags: { Name: `${props.name}-flow-logs` },
    });
    new IamRolePolicy(this, 'WriteLogGroup', {
      name: 'write-flow-log-group',
      role: role.name,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
            Resource: [group.arn, `${group.arn}:*`],
          },
        ],
      }),
    });
    this.roleArn = role.arn;

    this.flowLog = new FlowLog(this, 'FlowLog', {
      vpcId: props.vpcId,
      trafficType,
      logDestinationType: 'cloud-watch-logs',
      logDestination: group.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: interval,
      tags: { Name: `${props.name}-flow-logs` },
    });
  }
}
