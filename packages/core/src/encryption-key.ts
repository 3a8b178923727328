import { Construct } from 'constructs';
import { Lazy } from 'cdktf';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { AwsEnvironment, partitionOf, requireEnvironment } from './environment';
import { requireIntegerInRange, requireProp } from './errors';
import { PolicyStatement, policyDocument } from './iam';

/** One statement of a KMS key policy: a {@link PolicyStatement} that always names its Sid, Effect and Principal. */
export type KeyPolicyStatement = PolicyStatement &
  Required<Pick<PolicyStatement, 'Sid' | 'Effect' | 'Principal'>> & { readonly Resource: string };

export interface EncryptionKeyProps {
  /** Account and region of the key; the account root is the key's administrator. */
  readonly environment: AwsEnvironment;
  /** What the key protects, shown in the KMS console. */
  readonly description: string;
  /**
   * Alias without the `alias/` prefix, e.g. `acme-prod-eu1-secrets`.
   * @default no alias
   */
  readonly alias?: string;
  /**
   * Let CloudWatch Logs in this account and region use the key for log groups (required for encrypted log groups).
   * @default false
   */
  readonly allowCloudWatchLogs?: boolean;
  /**
   * Waiting period before a scheduled deletion; the key can be recovered in this window.
   * @default 30 (the maximum)
   */
  readonly deletionWindowInDays?: number;
  /**
   * Create a multi-Region primary key (needed when its ciphertext must be replicated to other regions).
   * @default false
   */
  readonly multiRegion?: boolean;
  /**
   * Add `lifecycle.prevent_destroy`: data encrypted with a deleted key is lost, so Terraform refuses to destroy the key.
   * @default true
   */
  readonly preventDestroy?: boolean;
}

/** What {@link EncryptionKey.allowService} grants unless told otherwise. */
export const DEFAULT_SERVICE_ACTIONS: readonly string[] = [
  'kms:Encrypt*',
  'kms:Decrypt*',
  'kms:ReEncrypt*',
  'kms:GenerateDataKey*',
  'kms:Describe*',
];

/**
 * A customer-managed KMS key with automatic rotation, a policy that keeps the account root as administrator,
 * and `prevent_destroy` on by default. Services that need the key are allowed through {@link allowService}.
 */
export class EncryptionKey extends Construct {
  /** ARN of the key. */
  readonly arn: string;
  /** Key id. */
  readonly keyId: string;
  /** `alias/<name>` when an alias was requested. */
  readonly aliasName?: string;
  /** The underlying resource, for escape hatches. */
  readonly resource: KmsKey;

  private readonly statements: KeyPolicyStatement[] = [];
  private readonly environment: AwsEnvironment;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    requireEnvironment(this, props.environment);
    this.environment = props.environment;
    const deletionWindow = props.deletionWindowInDays ?? 30;
    requireIntegerInRange(this, 'deletionWindowInDays', deletionWindow, 7, 30);
    if (props.alias !== undefined) {
      requireProp(
        this,
        /^[a-zA-Z0-9/_-]{1,250}$/.test(props.alias) &&
          !props.alias.startsWith('alias/') &&
          !props.alias.startsWith('aws/'),
        'alias',
        props.alias,
        'Give the alias name without the "alias/" prefix, using letters, digits, "/", "_" and "-" (not starting with "aws/").',
      );
    }
    const partition = partitionOf(props.environment.region);
    const root = `arn:${partition}:iam::${props.environment.accountId}:root`;
    this.statements.push({
      Sid: 'AccountRootAdministers',
      Effect: 'Allow',
      Principal: { AWS: root },
      Action: 'kms:*',
      Resource: '*',
    });
    if (props.allowCloudWatchLogs) {
      const { region, accountId } = props.environment;
      this.allowService(`logs.${region}.amazonaws.com`, {
        ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${accountId}:log-group:*` },
      });
    }

    this.resource = new KmsKey(this, 'Key', {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: deletionWindow,
      multiRegion: props.multiRegion ?? false,
      policy: Lazy.stringValue({
        produce: () => policyDocument(this.statements),
      }),
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    this.arn = this.resource.arn;
    this.keyId = this.resource.keyId;
    if (props.alias !== undefined) {
      this.aliasName = `alias/${props.alias}`;
      new KmsAlias(this, 'Alias', { name: this.aliasName, targetKeyId: this.resource.keyId });
    }
  }

  /**
   * Let an AWS service principal (e.g. `sns.amazonaws.com`) use the key, limited to this account through
   * `aws:SourceAccount` unless other conditions are given. Pass `actions` to grant less than the default set
   * (e.g. `['kms:GenerateDataKey*', 'kms:Decrypt']` for a service that only publishes to an encrypted topic).
   * A second call for the same principal is ignored.
   * @param actions KMS actions to allow; each must start with `kms:`.
   *   Default: `kms:Encrypt*`, `kms:Decrypt*`, `kms:ReEncrypt*`, `kms:GenerateDataKey*`, `kms:Describe*`.
   */
  allowService(
    servicePrincipal: string,
    condition?: KeyPolicyStatement['Condition'],
    actions: readonly string[] = DEFAULT_SERVICE_ACTIONS,
  ): void {
    requireProp(
      this,
      actions.length > 0 && actions.every((a) => /^kms:[A-Za-z*]+$/.test(a)),
      `allowService(${servicePrincipal}).actions`,
      actions,
      'List one or more KMS actions such as "kms:Decrypt" or "kms:GenerateDataKey*" (no "kms:*": that would make the service an administrator).',
    );
    requireProp(
      this,
      !actions.includes('kms:*'),
      `allowService(${servicePrincipal}).actions`,
      actions,
      'Do not grant "kms:*" to a service; list the actions it needs, e.g. "kms:Decrypt".',
    );
    const sid = `Allow${servicePrincipal.replace(/[^a-zA-Z0-9]/g, '')}`;
    if (this.statements.some((s) => s.Sid === sid)) return;
    this.statements.push({
      Sid: sid,
      Effect: 'Allow',
      Principal: { Service: servicePrincipal },
      Action: [...actions],
      Resource: '*',
      Condition: condition ?? { StringEquals: { 'aws:SourceAccount': this.environment.accountId } },
    });
  }
}
