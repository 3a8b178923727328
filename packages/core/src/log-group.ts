import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { requireOneOf, requireProp } from './errors';

/** Retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export interface EncryptedLogGroupProps {
  /** Log group name, e.g. `/tts-ecs/acme-prod-eu1/flow-logs`. */
  readonly name: string;
  /**
   * ARN of the KMS key that encrypts the logs. The key policy must admit CloudWatch Logs
   * (an `EncryptionKey` with `allowCloudWatchLogs: true` does).
   */
  readonly kmsKeyArn: string;
  /**
   * Days to keep log events; one of the values CloudWatch accepts.
   * @default 365
   */
  readonly retentionInDays?: number;
}

/** A CloudWatch log group that is always KMS-encrypted and always has a retention period. */
export class EncryptedLogGroup extends Construct {
  /** Log group name. */
  readonly name: string;
  /** Log group ARN (without the trailing `:*`). */
  readonly arn: string;
  /** The underlying resource, for escape hatches. */
  readonly resource: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: EncryptedLogGroupProps) {
    super(scope, id);
    requireProp(
      this,
      /^[.\-_/#A-Za-z0-9]{1,512}$/.test(props.name),
      'name',
      props.name,
      'Use 1-512 characters from letters, digits and . - _ / #.',
    );
    const retention = props.retentionInDays ?? 365;
    requireOneOf(this, 'retentionInDays', retention, LOG_RETENTION_DAYS as readonly number[]);
    this.resource = new CloudwatchLogGroup(this, 'LogGroup', {
      name: props.name,
      retentionInDays: retention,
      kmsKeyId: props.kmsKeyArn,
    });
    this.name = this.resource.name;
    this.arn = this.resource.arn;
  }
}
