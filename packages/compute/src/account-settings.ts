import { Construct } from 'constructs';
import { EcsAccountSettingDefault } from '@cdktf/provider-aws/lib/ecs-account-setting-default';

export type AccountSettingValue = 'enabled' | 'disabled';

export interface EcsAccountSettingsProps {
  /** Long ARN format (with the cluster name) for services; needed to tag services. @default 'enabled' */
  readonly serviceLongArnFormat?: AccountSettingValue;
  /** Long ARN format for tasks; needed to tag tasks. @default 'enabled' */
  readonly taskLongArnFormat?: AccountSettingValue;
  /** Long ARN format for container instances. @default 'enabled' */
  readonly containerInstanceLongArnFormat?: AccountSettingValue;
  /** ENI trunking: more awsvpc tasks per EC2 container instance on supported (Nitro, non-burstable) types. @default 'enabled' */
  readonly awsvpcTrunking?: AccountSettingValue;
}

/**
 * ECS account setting defaults. These are per account AND per region: exactly one stack per account and region may
 * own them (two owners would fight over the same settings, and destroying either resets them), so create this
 * construct in one regional stack only, never in every service stack.
 */
export class EcsAccountSettings extends Construct {
  constructor(scope: Construct, id: string, props: EcsAccountSettingsProps = {}) {
    super(scope, id);
    const settings: Array<[string, AccountSettingValue | undefined]> = [
      ['serviceLongArnFormat', props.serviceLongArnFormat],
      ['taskLongArnFormat', props.taskLongArnFormat],
      ['containerInstanceLongArnFormat', props.containerInstanceLongArnFormat],
      ['awsvpcTrunking', props.awsvpcTrunking],
    ];
    for (const [name, value] of settings) {
      new EcsAccountSettingDefault(this, name, { name, value: value ?? 'enabled' });
    }
  }
}
