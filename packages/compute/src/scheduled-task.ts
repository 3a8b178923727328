import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import {
  AwsEnvironment,
  Connections,
  partitionOf,
  requireIntegerInRange,
  requireNonEmpty,
  requireProp,
  assumeRolePolicy,
  policyDocument,
  requireEnvironment,
} from '@tts-ecs/core';
import { rolePrefix } from './iam';
import { WorkloadSecurityGroup } from './security-group';
import { IEcsCluster } from './service-options';
import { ITaskDefinition } from './task-definition';

export interface ScheduledTaskProps {
  readonly environment: AwsEnvironment;
  /** Schedule name (letters, digits, '-', '_', '.'; at most 64). */
  readonly scheduleName: string;
  /** `rate(<n> minute|minutes|hour|hours|day|days)` or `cron(<6 fields>)` (EventBridge Scheduler syntax). */
  readonly scheduleExpression: string;
  /** IANA time zone for cron expressions. @default 'UTC' */
  readonly timezone?: string;
  readonly cluster: IEcsCluster;
  /** The task to run (a Fargate-compatible `TaskDefinition`). */
  readonly taskDefinition: ITaskDefinition;
  readonly vpcId: string;
  /** Private subnets for the task ENI. */
  readonly subnetIds: string[];
  /** Security groups next to the task's own egress-only group. @default none */
  readonly securityGroupIds?: string[];
  /** Times EventBridge Scheduler retries a failed RunTask (0-185). @default 2 */
  readonly maximumRetryAttempts?: number;
  /** Customer KMS key encrypting the schedule's target data. @default AWS owned key */
  readonly kmsKeyArn?: string;
  /** @default true */
  readonly enabled?: boolean;
}

const RATE = /^rate\(([1-9]\d*) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((\S+ ){5}\S+\)$/;

/** Whether a schedule expression has EventBridge Scheduler's rate()/cron() shape (unit singular for 1, plural otherwise). */
export function isValidScheduleExpression(expr: string): boolean {
  const rate = RATE.exec(expr);
  if (rate) return (rate[1] === '1') === !rate[2].endsWith('s');
  return CRON.test(expr);
}

/**
 * Runs a task definition on Fargate on a schedule with EventBridge Scheduler. The scheduler's role may only
 * RunTask that family in that cluster and pass exactly the task's execution and task roles.
 */
export class ScheduledTask extends Construct {
  readonly scheduleArn: string;
  readonly roleArn: string;
  readonly securityGroupId: string;
  /** The task's security group, to let it reach a data store: `db.connections.allowDefaultPortFrom(task)`. */
  readonly connections: Connections;

  constructor(scope: Construct, id: string, props: ScheduledTaskProps) {
    super(scope, id);
    requireEnvironment(this, props.environment);
    requireProp(
      this,
      /^[0-9a-zA-Z._-]{1,64}$/.test(props.scheduleName),
      'scheduleName',
      props.scheduleName,
      'Use 1-64 letters, digits, ".", "-" and "_".',
    );
    requireProp(
      this,
      isValidScheduleExpression(props.scheduleExpression),
      'scheduleExpression',
      props.scheduleExpression,
      'Use "rate(<n> <unit>)" with unit minute/hour/day (plural when n > 1), e.g. "rate(14 days)", or "cron(<min> <hour> <day-of-month> <month> <day-of-week> <year>)", e.g. "cron(0 3 ? * MON *)".',
    );
    requireNonEmpty(this, 'subnetIds', props.subnetIds, 'Give the private subnets the task runs in.');
    requireProp(
      this,
      props.taskDefinition.compatibility === 'FARGATE',
      'taskDefinition',
      props.taskDefinition.family,
      'Scheduled tasks run on Fargate: use a task definition with compatibility FARGATE.',
    );
    const retries = props.maximumRetryAttempts ?? 2;
    requireIntegerInRange(this, 'maximumRetryAttempts', retries, 0, 185);

    const { accountId, region } = props.environment;
    const partition = partitionOf(region);
    const td = props.taskDefinition;
    const role = new IamRole(this, 'Role', {
      namePrefix: rolePrefix(props.scheduleName, '-sched-'),
      description: `EventBridge Scheduler runs ${td.family}`,
      assumeRolePolicy: assumeRolePolicy('scheduler.amazonaws.com', accountId),
    });
    new IamRolePolicy(this, 'Policy', {
      role: role.id,
      name: 'run-task',
      policy: policyDocument([
        {
          Sid: 'RunTaskFamily',
          Action: 'ecs:RunTask',
          Resource: `arn:${partition}:ecs:${region}:${accountId}:task-definition/${td.family}:*`,
          Condition: { ArnEquals: { 'ecs:cluster': props.cluster.clusterArn } },
        },
        {
          // RunTask with managed tags needs TagResource on the task it creates.
          Sid: 'TagStartedTask',
          Action: 'ecs:TagResource',
          Resource: `arn:${partition}:ecs:${region}:${accountId}:task/*`,
          Condition: { StringEquals: { 'ecs:CreateAction': 'RunTask' } },
        },
        {
          Sid: 'PassTaskRoles',
          Action: 'iam:PassRole',
          Resource: [td.executionRoleArn, td.taskRoleArn],
          Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        },
      ]),
    });
    this.roleArn = role.arn;

    const sg = new WorkloadSecurityGroup(this, 'SecurityGroup', {
      vpcId: props.vpcId,
      namePrefix: props.scheduleName,
      description: `Scheduled task ${props.scheduleName}`,
    });
    this.securityGroupId = sg.securityGroupId;
    this.connections = sg.connections;

    const schedule = new SchedulerSchedule(this, 'Schedule', {
      name: props.scheduleName,
      scheduleExpression: props.scheduleExpression,
      scheduleExpressionTimezone: props.timezone ?? 'UTC',
      state: (props.enabled ?? true) ? 'ENABLED' : 'DISABLED',
      kmsKeyArn: props.kmsKeyArn,
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: props.cluster.clusterArn,
        roleArn: role.arn,
        retryPolicy: { maximumRetryAttempts: retries },
        ecsParameters: {
          taskDefinitionArn: td.arn,
          launchType: 'FARGATE',
          taskCount: 1,
          enableEcsManagedTags: true,
          propagateTags: 'TASK_DEFINITION',
          networkConfiguration: {
            subnets: props.subnetIds,
            securityGroups: [sg.securityGroupId, ...(props.securityGroupIds ?? [])],
            assignPublicIp: false,
          },
        },
      },
    });
    this.scheduleArn = schedule.arn;
  }
}
