import { Construct } from 'constructs';
import { Fn, Token } from 'cdktf';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import {
  AwsEnvironment,
  EncryptionKey,
  dnsSuffixOf,
  requireIntegerInRange,
  requireProp,
  PolicyStatement,
  requireEnvironment,
} from '@tts-ecs/core';
import { requireSecretToken } from './validation';

/** A region the secret is replicated to. */
export interface SecretReplica {
  /** Region, e.g. `eu-central-1`. */
  readonly region: string;
  /**
   * ARN of a KMS key in that region. Readers in that region need kms:Decrypt on it.
   * @default the `aws/secretsmanager` AWS managed key of that region (usable only by principals of this account)
   */
  readonly kmsKeyArn?: string;
}

export interface SecretProps {
  /** Account and region of the primary secret. */
  readonly environment: AwsEnvironment;
  /** Secret name, e.g. `acme/prod/eu1/license-key`: letters, digits and `/_+=.@-`. */
  readonly name: string;
  /** What the secret holds. @default none */
  readonly description?: string;
  /** KMS key of the primary secret. @default a new EncryptionKey */
  readonly kmsKeyArn?: string;
  /** Days a deleted secret can still be restored (7-30). @default 30 */
  readonly recoveryWindowDays?: number;
  /**
   * Regions to replicate the secret to (e.g. secrets shared by all clusters).
   * @default no replicas
   */
  readonly replicaRegions?: ReadonlyArray<string | SecretReplica>;
  /**
   * The value, as a token: an {@link EphemeralSecretValue}'s `value`, or another sensitive reference. Written through
   * the write-only `secret_string_wo`, so it is never stored in Terraform state. Mutually exclusive with `jsonValue`.
   * @default none: an operator fills the secret with {@link Secret.fillCommand}
   */
  readonly value?: string;
  /**
   * A JSON object built at apply time with `jsonencode`, e.g. `{ username: 'app', password: pw.value }`, written
   * write-only like `value`. Literal fields are written to the synthesized JSON: use them only for non-secret fields.
   * @default none
   */
  readonly jsonValue?: Readonly<Record<string, string>>;
  /**
   * Version of the value (`secret_string_wo_version`): Terraform writes `value` only when this number changes. Raise
   * it to store a new value, e.g. to rotate a generated one (consumers read it at their next start).
   * @default 1
   */
  readonly valueVersion?: number;
  /** Add `lifecycle.prevent_destroy`. @default true */
  readonly preventDestroy?: boolean;
}

/**
 * A Secrets Manager secret encrypted with a customer KMS key, with a 30-day recovery window, optional replicas and
 * `prevent_destroy`. The value is generated, composed from tokens, or left empty for an operator to fill; a literal
 * secret value is rejected so nothing secret is ever written to the synthesized configuration.
 */
export class Secret extends Construct {
  /** ARN of the secret. */
  readonly arn: string;
  /** Name of the secret. */
  readonly name: string;
  /** ARN of the KMS key of the primary secret. */
  readonly kmsKeyArn: string;
  /**
   * The AWS CLI command an operator runs to set the value of a secret created without one. Write the value to
   * the file first: a file keeps it out of shell history and the process list.
   */
  readonly fillCommand: string;
  /** The underlying resource, for escape hatches. */
  readonly resource: SecretsmanagerSecret;

  private readonly environment: AwsEnvironment;

  constructor(scope: Construct, id: string, props: SecretProps) {
    super(scope, id);
    requireEnvironment(this, props.environment);
    this.environment = props.environment;
    requireProp(
      this,
      Token.isUnresolved(props.name) ||
        (/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(props.name) && !/-[A-Za-z0-9]{6}$/.test(props.name)),
      'name',
      props.name,
      'Use 1-512 letters, digits and / _ + = . @ -, not ending in a hyphen and six characters (that looks like the suffix AWS appends to ARNs).',
    );
    const recovery = props.recoveryWindowDays ?? 30;
    requireIntegerInRange(this, 'recoveryWindowDays', recovery, 7, 30);
    requireProp(
      this,
      !(props.value !== undefined && props.jsonValue !== undefined),
      'jsonValue',
      Object.keys(props.jsonValue ?? {}),
      'Give either value or jsonValue, not both.',
    );
    if (props.value !== undefined) requireSecretToken(this, 'value', props.value);
    if (props.jsonValue !== undefined) {
      requireProp(
        this,
        Object.values(props.jsonValue).some((v) => Token.isUnresolved(v)),
        'jsonValue',
        Object.keys(props.jsonValue),
        'At least one field must be a token (the secret part); a JSON of literals is not a secret and would be written in clear text.',
      );
    }
    const replicas = (props.replicaRegions ?? []).map((r) => (typeof r === 'string' ? { region: r } : r));
    for (const r of replicas) {
      requireProp(
        this,
        /^[a-z]{2}(-[a-z]+)+-\d$/.test(r.region),
        'replicaRegions',
        r.region,
        'Use a region name such as "eu-central-1".',
      );
      requireProp(
        this,
        r.region !== props.environment.region,
        'replicaRegions',
        r.region,
        'A replica must be in another region than the secret.',
      );
    }

    this.kmsKeyArn =
      props.kmsKeyArn ??
      new EncryptionKey(this, 'Key', { environment: props.environment, description: `Secret ${props.name}` }).arn;
    this.resource = new SecretsmanagerSecret(this, 'Secret', {
      name: props.name,
      description: props.description,
      kmsKeyId: this.kmsKeyArn,
      recoveryWindowInDays: recovery,
      replica: replicas.length ? replicas.map((r) => ({ region: r.region, kmsKeyId: r.kmsKeyArn })) : undefined,
      forceOverwriteReplicaSecret: false,
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    this.arn = this.resource.arn;
    this.name = this.resource.name;

    const secretString = props.jsonValue !== undefined ? Fn.jsonencode(props.jsonValue) : props.value;
    const valueVersion = props.valueVersion ?? 1;
    requireIntegerInRange(this, 'valueVersion', valueVersion, 1, Number.MAX_SAFE_INTEGER);
    requireProp(
      this,
      secretString !== undefined || props.valueVersion === undefined,
      'valueVersion',
      props.valueVersion,
      'valueVersion versions a value; give value or jsonValue, or leave valueVersion out for an operator-filled secret.',
    );
    if (secretString !== undefined) {
      // Write-only: the value goes to Secrets Manager and never into state or plan files.
      new SecretsmanagerSecretVersion(this, 'Value', {
        secretId: this.resource.id,
        secretStringWo: secretString,
        secretStringWoVersion: valueVersion,
      });
    }
    this.fillCommand =
      `aws secretsmanager put-secret-value --region ${props.environment.region} --secret-id ${props.name} ` +
      '--secret-string file://secret-value.txt';
  }

  /**
   * Identity-policy statements to read the value: GetSecretValue/DescribeSecret on this secret, and kms:Decrypt on
   * its key through Secrets Manager only (the primary region's copy).
   */
  readStatements(): PolicyStatement[] {
    const { region } = this.environment;
    return [
      {
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        Resource: this.arn,
      },
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: this.kmsKeyArn,
        Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${region}.${dnsSuffixOf(region)}` } },
      },
    ];
  }

  /**
   * ARN of the replica in `region` (replicas keep the primary's name and random suffix; only the region differs).
   * Use it for ECS `secrets` of services running in that region.
   */
  arnInRegion(region: string): string {
    if (region === this.environment.region) return this.arn;
    return Fn.replace(this.arn, `:${this.environment.region}:`, `:${region}:`);
  }
}
