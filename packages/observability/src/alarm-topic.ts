import { Construct } from 'constructs';
import { Annotations, TerraformVariable, Token } from 'cdktf';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { AwsEnvironment, EncryptionKey, partitionOf, requireProp, requireEnvironment } from '@tts-ecs/core';

/** Opsgenie (or any HTTPS webhook) subscription. Its URL carries an API key, so it never appears in code or config. */
export interface OpsgenieSubscriptionOptions {
  /**
   * Name of the sensitive Terraform variable the construct declares for the endpoint URL. Users set it with
   * `TF_VAR_<name>` when they plan/apply. Give each AlarmTopic of one stack its own name.
   * @default 'opsgenie_endpoint_url'
   */
  readonly variableName?: string;
  /**
   * An endpoint that already lives in a Terraform reference (e.g. your own sensitive variable or a secret read at plan
   * time), used instead of declaring a variable. Literal strings are rejected: a URL written here would be committed
   * to source and to the synthesized JSON.
   * @default a variable named `variableName` is declared
   */
  readonly endpoint?: string;
}

export interface AlarmTopicProps {
  /** Account and region of the topic (for its ARN in policies; nothing is looked up). */
  readonly environment: AwsEnvironment;
  /** Topic name: 1-256 letters, digits, `-` and `_`. */
  readonly topicName: string;
  /**
   * Key that encrypts the topic. The construct adds a key-policy statement letting CloudWatch alarms encrypt
   * messages for this topic only (`kms:EncryptionContext:aws:sns:topicArn`).
   * @default a new EncryptionKey (rotation on, prevent_destroy), unless `kmsKeyArn` is given
   */
  readonly encryptionKey?: EncryptionKey;
  /**
   * ARN of an existing key whose policy you manage. It must allow `cloudwatch.amazonaws.com` kms:GenerateDataKey* and
   * kms:Decrypt, or CloudWatch drops every alarm notification silently (visible only in alarm history).
   * @default a new EncryptionKey
   */
  readonly kmsKeyArn?: string;
  /**
   * HTTPS subscription to an Opsgenie CloudWatch integration.
   * @default no Opsgenie subscription
   */
  readonly opsgenie?: OpsgenieSubscriptionOptions;
  /**
   * E-mail addresses to subscribe. Each recipient must confirm the subscription from the e-mail AWS sends.
   * @default none
   */
  readonly emailAddresses?: readonly string[];
}

const DEFAULT_VARIABLE = 'opsgenie_endpoint_url';

/**
 * An SNS topic for CloudWatch alarms: KMS-encrypted with a key CloudWatch may use, publishable by CloudWatch alarms of
 * this account only and only over TLS, with an optional Opsgenie HTTPS subscription whose URL comes from a sensitive
 * Terraform variable, and optional e-mail subscriptions.
 */
export class AlarmTopic extends Construct {
  /** Topic ARN: pass it to the alarm sets as `alarmTopicArn`. */
  readonly topicArn: string;
  /** ARN of the key encrypting the topic. */
  readonly kmsKeyArn: string;
  /** The key created by the construct, when none was given. */
  readonly encryptionKey?: EncryptionKey;
  /** Name of the declared sensitive variable holding the Opsgenie URL (set it as `TF_VAR_<name>`), if one was declared. */
  readonly opsgenieVariableName?: string;
  /** The underlying topic, for escape hatches. */
  readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    requireEnvironment(this, props.environment);
    requireProp(
      this,
      /^[A-Za-z0-9_-]{1,256}$/.test(props.topicName ?? ''),
      'topicName',
      props.topicName,
      'Use 1-256 letters, digits, "-" and "_".',
    );
    requireProp(
      this,
      !(props.encryptionKey && props.kmsKeyArn),
      'kmsKeyArn',
      props.kmsKeyArn,
      'Pass either encryptionKey or kmsKeyArn, not both.',
    );
    const { accountId, region } = props.environment;
    const partition = partitionOf(region);
    // Known before the topic exists, so the key policy can name it without a dependency cycle.
    const topicArn = `arn:${partition}:sns:${region}:${accountId}:${props.topicName}`;

    let key = props.encryptionKey;
    if (!key && !props.kmsKeyArn) {
      key = new EncryptionKey(this, 'Key', {
        environment: props.environment,
        description: `SNS topic ${props.topicName} (alarm notifications)`,
      });
      this.encryptionKey = key;
    }
    // CloudWatch calls KMS itself when publishing to an encrypted topic; without this grant notifications are dropped.
    // Least privilege: publishing to an encrypted topic needs a data key and nothing else.
    key?.allowService(
      'cloudwatch.amazonaws.com',
      { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': topicArn } },
      ['kms:GenerateDataKey*', 'kms:Decrypt'],
    );
    if (props.kmsKeyArn) {
      Annotations.of(this).addInfo(
        'kmsKeyArn is managed outside this construct: its policy must allow cloudwatch.amazonaws.com kms:GenerateDataKey* and kms:Decrypt.',
      );
    }
    this.kmsKeyArn = key ? key.arn : props.kmsKeyArn!;

    this.topic = new SnsTopic(this, 'Topic', { name: props.topicName, kmsMasterKeyId: this.kmsKeyArn });
    this.topicArn = this.topic.arn;

    new SnsTopicPolicy(this, 'Policy', {
      arn: this.topic.arn,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'CloudWatchAlarmsOfThisAccountPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: topicArn,
            Condition: {
              StringEquals: { 'aws:SourceAccount': accountId },
              ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${accountId}:alarm:*` },
            },
          },
          {
            Sid: 'DenyPublishWithoutTls',
            Effect: 'Deny',
            Principal: '*',
            Action: 'sns:Publish',
            Resource: topicArn,
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      }),
    });

    if (props.opsgenie) {
      const { endpoint, variableName } = this.opsgenieEndpoint(props.opsgenie);
      this.opsgenieVariableName = variableName;
      new SnsTopicSubscription(this, 'Opsgenie', {
        topicArn: this.topic.arn,
        protocol: 'https',
        endpoint,
        // Opsgenie confirms the subscription itself.
        endpointAutoConfirms: true,
      });
    }

    const emails = props.emailAddresses ?? [];
    emails.forEach((address, i) => {
      requireProp(
        this,
        Token.isUnresolved(address) || /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address),
        `emailAddresses[${i}]`,
        address,
        'Use an e-mail address like ops@example.com.',
      );
      new SnsTopicSubscription(this, `Email${i}`, { topicArn: this.topic.arn, protocol: 'email', endpoint: address });
    });
  }

  private opsgenieEndpoint(options: OpsgenieSubscriptionOptions): { endpoint: string; variableName?: string } {
    if (options.endpoint !== undefined) {
      requireProp(
        this,
        Token.isUnresolved(options.endpoint),
        'opsgenie.endpoint',
        redact(options.endpoint),
        'Pass a Terraform reference (e.g. a sensitive TerraformVariable value), never a literal URL: it contains an API key. Or omit it and set TF_VAR_' +
          (options.variableName ?? DEFAULT_VARIABLE) +
          ' at plan time.',
      );
      return { endpoint: options.endpoint };
    }
    const name = options.variableName ?? DEFAULT_VARIABLE;
    requireProp(
      this,
      /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name),
      'opsgenie.variableName',
      redact(name),
      'Use a Terraform variable name (letters, digits and "_", not starting with a digit), not the URL itself.',
    );
    const variable = new TerraformVariable(this, 'OpsgenieEndpointUrl', {
      type: 'string',
      sensitive: true,
      // Required once Opsgenie is enabled: a forgotten TF_VAR_ must fail the plan, not silently drop paging.
      nullable: false,
      description: `HTTPS URL of the Opsgenie CloudWatch integration for SNS topic ${this.node.path} (contains the API key; set TF_VAR_${name}).`,
      validation: [
        {
          condition: `\${can(regex("^https://", var.${name}))}`,
          errorMessage: `${name} must be an https:// URL (the Opsgenie CloudWatch integration URL).`,
        },
      ],
    });
    variable.overrideLogicalId(name);
    return { endpoint: variable.stringValue, variableName: name };
  }
}

// Never echo a secret-looking value back in an error message or log.
function redact(value: string): string {
  return typeof value === 'string' && /^https?:\/\//i.test(value) ? `${value.slice(0, 8)}<redacted>` : value;
}
