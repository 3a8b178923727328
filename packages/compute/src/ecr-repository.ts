import { Construct } from 'constructs';
import { Lazy, Token } from 'cdktf';
import { EcrLifecyclePolicy as EcrLifecyclePolicyResource } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository as EcrRepositoryResource } from '@cdktf/provider-aws/lib/ecr-repository';
import { EcrRepositoryPolicy } from '@cdktf/provider-aws/lib/ecr-repository-policy';
import {
  AwsEnvironment,
  EncryptionKey,
  PolicyStatement,
  requireEnvironment,
  requireIntegerInRange,
  requireProp,
} from '@tts-ecs/core';
import { ECR_TAG_PREFIX, lifecyclePolicyProblems, retentionPolicy } from './ecr-lifecycle-policy';

export interface EcrRepositoryProps {
  /** Account and region of the repository (and of its default KMS key). */
  readonly environment: AwsEnvironment;
  /** Repository name, e.g. `acme/api`: 2-256 lowercase letters, digits, `.`, `_`, `-`, with `/` between parts. */
  readonly name: string;
  /**
   * Allow pushing a tag that already exists. Off because an immutable tag always names the same image: a deployed
   * `1.2.3` cannot be silently replaced (by mistake or by an attacker holding push rights), and rollbacks are exact.
   * Turn on only for moving tags such as `latest`; deploy by digest then.
   * @default false (IMMUTABLE)
   */
  readonly mutableTags?: boolean;
  /** Scan each pushed image for OS package vulnerabilities (basic scanning). @default true */
  readonly scanOnPush?: boolean;
  /** Customer KMS key encrypting the images. @default a new EncryptionKey with rotation (`<id>Key`) */
  readonly kmsKeyArn?: string;
  /** Let `terraform destroy` delete the repository while it still holds images. @default false */
  readonly forceDelete?: boolean;
  /** Images kept in total, newest first (older ones expire unless protected by `keepTagPrefixes`). @default 30 */
  readonly keepImages?: number;
  /** Days after push an untagged image (e.g. a replaced build layer) expires. @default 7 */
  readonly untaggedExpiryDays?: number;
  /**
   * Tag prefixes whose images never expire (release builds). Their rules come first, so no later rule can expire them.
   * Give `[]` to protect nothing.
   * @default ['v', 'release']
   */
  readonly keepTagPrefixes?: string[];
}

/** Who a grant is for: a role (or account root) ARN, or anything with a `roleArn`. */
export type EcrGrantee = string | { readonly roleArn: string };

/** A statement of the repository policy: like a PolicyStatement, with a principal and without a resource. */
interface RepositoryStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Principal: { readonly AWS: string };
  readonly Action: string[];
}

/** ECR repository names: path parts of lowercase alphanumerics joined by `.`, `_` or `-`. */
const ECR_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const PULL_ACTIONS = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
const PUSH_ACTIONS = [
  ...PULL_ACTIONS,
  'ecr:BatchCheckLayerAvailability',
  'ecr:InitiateLayerUpload',
  'ecr:UploadLayerPart',
  'ecr:CompleteLayerUpload',
  'ecr:PutImage',
];

/**
 * A private ECR repository: immutable tags, scan on push, KMS encryption with a customer key, and a lifecycle policy
 * that keeps release tags forever, expires untagged images after a week and keeps the newest 30 images.
 * `grantPull` / `grantPush` add a repository policy statement and return the identity statements for the grantee.
 */
export class EcrRepository extends Construct {
  /** Repository name. */
  readonly name: string;
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<name>`: what `docker push` and task definitions use. */
  readonly repositoryUrl: string;
  readonly repositoryArn: string;
  /** Key encrypting the images. */
  readonly kmsKeyArn: string;
  /** The key created when `kmsKeyArn` was not given. */
  readonly encryptionKey?: EncryptionKey;
  /** The underlying resource, for escape hatches. */
  readonly resource: EcrRepositoryResource;

  private readonly repositoryStatements: RepositoryStatement[] = [];
  private policy?: EcrRepositoryPolicy;

  constructor(scope: Construct, id: string, props: EcrRepositoryProps) {
    super(scope, id);
    requireEnvironment(this, props.environment);
    if (!Token.isUnresolved(props.name)) {
      requireProp(
        this,
        props.name.length >= 2 && props.name.length <= 256 && ECR_NAME.test(props.name),
        'name',
        props.name,
        'Use 2-256 lowercase letters and digits, separated by ".", "_" or "-", with "/" between path parts, e.g. "acme/api".',
      );
    }
    const keepImages = props.keepImages ?? 30;
    requireIntegerInRange(this, 'keepImages', keepImages, 1, 10000);
    const untaggedDays = props.untaggedExpiryDays ?? 7;
    requireIntegerInRange(this, 'untaggedExpiryDays', untaggedDays, 1, 3650);
    const prefixes = props.keepTagPrefixes ?? ['v', 'release'];
    requireProp(
      this,
      prefixes.every((p) => ECR_TAG_PREFIX.test(p)) && new Set(prefixes).size === prefixes.length,
      'keepTagPrefixes',
      prefixes,
      'Give distinct tag prefixes made of letters, digits, "_", "." and "-" (not starting with "." or "-"), e.g. ["v", "release"].',
    );

    if (props.kmsKeyArn === undefined) {
      this.encryptionKey = new EncryptionKey(this, 'Key', {
        environment: props.environment,
        description: `ECR repository ${props.name}`,
      });
    }
    this.kmsKeyArn = props.kmsKeyArn ?? this.encryptionKey!.arn;

    this.resource = new EcrRepositoryResource(this, 'Repository', {
      name: props.name,
      imageTagMutability: props.mutableTags ? 'MUTABLE' : 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: props.scanOnPush ?? true },
      encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: this.kmsKeyArn }],
      forceDelete: props.forceDelete ?? false,
    });
    this.name = this.resource.name;
    this.repositoryUrl = this.resource.repositoryUrl;
    this.repositoryArn = this.resource.arn;

    const lifecycle = retentionPolicy({ keepTagPrefixes: prefixes, untaggedExpiryDays: untaggedDays, keepImages });
    const problems = lifecyclePolicyProblems(lifecycle);
    requireProp(this, problems.length === 0, 'lifecycle policy', problems, 'Fix the retention props named above.');
    new EcrLifecyclePolicyResource(this, 'Lifecycle', {
      repository: this.resource.name,
      policy: JSON.stringify(lifecycle),
    });
  }

  /**
   * Lets `grantee` pull images: adds a repository policy statement (needed across accounts) and returns the statements
   * for the grantee's identity policy (`ecr:GetAuthorizationToken` has no resource-level permission: AWS requires "*").
   * The grantee must exist when the policy is applied: ECR rejects unknown principals.
   */
  grantPull(grantee: EcrGrantee): PolicyStatement[] {
    return this.grant(grantee, 'Pull', PULL_ACTIONS);
  }

  /** Lets `grantee` push (and pull) images; see {@link grantPull}. */
  grantPush(grantee: EcrGrantee): PolicyStatement[] {
    return this.grant(grantee, 'Push', PUSH_ACTIONS);
  }

  private grant(grantee: EcrGrantee, kind: 'Pull' | 'Push', actions: string[]): PolicyStatement[] {
    const arn = typeof grantee === 'string' ? grantee : grantee.roleArn;
    if (!Token.isUnresolved(arn)) {
      requireProp(
        this,
        /^arn:aws[a-z-]*:iam::\d{12}:(root|role\/.+|user\/.+)$/.test(arn),
        `grant${kind}`,
        arn,
        'Give the ARN of an IAM role, user or account root, e.g. "arn:aws:iam::123456789012:role/ci".',
      );
    }
    // A second identical grant adds nothing.
    if (!this.repositoryStatements.some((s) => s.Principal.AWS === arn && s.Sid.startsWith(kind))) {
      this.repositoryStatements.push({
        Sid: `${kind}${this.repositoryStatements.length + 1}`,
        Effect: 'Allow',
        Principal: { AWS: arn },
        Action: actions,
      });
    }
    this.policy ??= new EcrRepositoryPolicy(this, 'Policy', {
      repository: this.resource.name,
      // Repository policies name no Resource: the repository is implied.
      policy: Lazy.stringValue({
        produce: () => JSON.stringify({ Version: '2012-10-17', Statement: this.repositoryStatements }),
      }),
    });
    const sid = this.sidSuffix();
    return [
      { Sid: 'EcrLogin', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      { Sid: `Ecr${kind}${sid}`, Action: actions, Resource: this.repositoryArn },
    ];
  }

  /** Statement ids allow letters and digits only. */
  private sidSuffix(): string {
    return this.node.path.replace(/[^A-Za-z0-9]/g, '');
  }
}
