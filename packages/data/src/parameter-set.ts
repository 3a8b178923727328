import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { AwsEnvironment, partitionOf, requireProp, PolicyStatement, requireEnvironment } from '@tts-ecs/core';

/** A parameter value: a string (`String`) or a list of strings without commas (`StringList`). */
export type ParameterValue = string | readonly string[];

export interface ParameterSetProps {
  /** Account and region of the parameters (for ARNs). */
  readonly environment: AwsEnvironment;
  /** Path all parameters live under, starting and ending with `/`, e.g. `/acme/prod/eu1/`. */
  readonly pathPrefix: string;
  /**
   * Parameters by name relative to the prefix, e.g. `{ 'rate-limiting/config': '...' }`.
   * @default none (add them with `add`)
   */
  readonly parameters?: Readonly<Record<string, ParameterValue>>;
}

/**
 * A group of SSM Parameter Store `String`/`StringList` parameters under one path prefix. Configuration only:
 * secrets belong in Secrets Manager (`Secret`), so `SecureString` is deliberately not offered.
 */
export class ParameterSet extends Construct {
  /** The path prefix, e.g. `/acme/prod/eu1/`. */
  readonly pathPrefix: string;
  /** ARN of each parameter by relative name. */
  readonly parameterArns: Record<string, string> = {};
  /** Full name of each parameter by relative name. */
  readonly parameterNames: Record<string, string> = {};

  private readonly arnBase: string;

  constructor(scope: Construct, id: string, props: ParameterSetProps) {
    super(scope, id);
    requireEnvironment(this, props.environment);
    const prefix = props.pathPrefix;
    requireProp(
      this,
      /^\/([a-zA-Z0-9_.-]+\/)+$/.test(prefix) && !/^\/(aws|ssm)/i.test(prefix),
      'pathPrefix',
      prefix,
      'Use a path like "/acme/prod/eu1/": starting and ending with "/", segments of letters, digits, "_", "." and "-", not starting with "aws" or "ssm".',
    );
    this.pathPrefix = prefix;
    const { region, accountId } = props.environment;
    this.arnBase = `arn:${partitionOf(region)}:ssm:${region}:${accountId}:parameter`;
    for (const [name, value] of Object.entries(props.parameters ?? {})) this.add(name, value);
  }

  /** Adds a parameter `<prefix><name>` and returns its ARN. */
  add(name: string, value: ParameterValue, description?: string): string {
    requireProp(
      this,
      /^[a-zA-Z0-9_.-]+(\/[a-zA-Z0-9_.-]+)*$/.test(name) && `${this.pathPrefix}${name}`.split('/').length - 1 <= 15,
      'parameters',
      name,
      'Name parameters relative to the prefix with letters, digits, "_", "." and "-" (and "/" between segments), at most 15 levels deep in total.',
    );
    requireProp(this, !(name in this.parameterNames), 'parameters', name, 'Each parameter name may be used once.');
    const list = typeof value !== 'string';
    if (list) {
      requireProp(this, value.length > 0, `parameters.${name}`, value, 'Give at least one item.');
      for (const item of value) {
        requireProp(
          this,
          Token.isUnresolved(item) || (item !== '' && !item.includes(',')),
          `parameters.${name}`,
          item,
          'StringList items must be non-empty and contain no commas.',
        );
      }
    } else {
      requireProp(
        this,
        Token.isUnresolved(value) || (value !== '' && value.length <= 4096),
        `parameters.${name}`,
        value,
        'Values must be 1-4096 characters (the Standard tier limit).',
      );
    }
    const fullName = `${this.pathPrefix}${name}`;
    new SsmParameter(this, name.replace(/[^a-zA-Z0-9]/g, '_'), {
      name: fullName,
      type: list ? 'StringList' : 'String',
      value: list ? (value as readonly string[]).join(',') : (value as string),
      tier: 'Standard',
      description,
    });
    this.parameterNames[name] = fullName;
    this.parameterArns[name] = `${this.arnBase}${fullName}`;
    return this.parameterArns[name];
  }

  /** Identity-policy statements to read every parameter under the prefix (one by one or by path). */
  readStatements(): PolicyStatement[] {
    return [
      {
        Effect: 'Allow',
        Action: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'],
        Resource: [`${this.arnBase}${this.pathPrefix}*`, `${this.arnBase}${this.pathPrefix.replace(/\/$/, '')}`],
      },
    ];
  }
}
