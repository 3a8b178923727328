import { IConstruct } from 'constructs';
import { Token } from 'cdktf';
import { requireProp } from '@tts-ecs/core';

export interface SecretsManagerSecretOptions {
  /**
   * Key inside a JSON secret; ECS injects only that key's value (`valueFrom` `arn:...:key::`).
   * @default the whole secret string
   */
  readonly jsonKey?: string;
  /** @default AWSCURRENT */
  readonly versionStage?: string;
  /** @default the version of versionStage */
  readonly versionId?: string;
}

/**
 * A value ECS injects into a container's environment at start from Secrets Manager or SSM Parameter Store.
 * The execution role is granted read on exactly this ARN; the value never appears in the task definition.
 */
export class ContainerSecret {
  /**
   * A Secrets Manager secret by its full ARN (with the 6-character suffix, as `aws_secretsmanager_secret.arn` gives it):
   * IAM matches the ARN exactly, so a partial ARN would be denied at task start.
   */
  static fromSecretsManager(secretArn: string, options: SecretsManagerSecretOptions = {}): ContainerSecret {
    const { jsonKey, versionStage, versionId } = options;
    const valueFrom =
      jsonKey || versionStage || versionId
        ? `${secretArn}:${jsonKey ?? ''}:${versionStage ?? ''}:${versionId ?? ''}`
        : secretArn;
    return new ContainerSecret('secretsmanager', secretArn, valueFrom);
  }

  /** An SSM parameter (String or SecureString) by ARN, e.g. `arn:aws:ssm:eu-west-1:111111111111:parameter/app/db-host`. */
  static fromSsmParameter(parameterArn: string): ContainerSecret {
    return new ContainerSecret('ssm', parameterArn, parameterArn);
  }

  private constructor(
    /** Which service holds the value. */
    readonly source: 'secretsmanager' | 'ssm',
    /** The ARN the execution role may read. */
    readonly arn: string,
    /** What goes into the container definition's `valueFrom`. */
    readonly valueFrom: string,
  ) {}

  /** Rejects ARNs that cannot be what they claim to be (unresolved references are let through). */
  validate(scope: IConstruct, field: string): void {
    if (Token.isUnresolved(this.arn)) return;
    if (this.source === 'secretsmanager') {
      requireProp(
        scope,
        /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[^:]+$/.test(this.arn),
        field,
        this.arn,
        'Give the full Secrets Manager secret ARN (arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-XXXXXX); put a JSON key in the jsonKey option, not in the ARN.',
      );
    } else {
      requireProp(
        scope,
        /^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter\/.+$/.test(this.arn),
        field,
        this.arn,
        'Give the SSM parameter ARN (arn:<partition>:ssm:<region>:<account>:parameter/<name>), not its name.',
      );
    }
  }
}
