import { Construct } from 'constructs';
import { Fn, Lazy, Token } from 'cdktf';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import {
  AwsEnvironment,
  PolicyStatement,
  partitionOf,
  policyDocument,
  requireIntegerInRange,
  requireProp,
} from '@tts-ecs/core';
import { EcrRepository } from './ecr-repository';

/** The GitHub Actions token issuer. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
/** The audience `aws-actions/configure-aws-credentials` requests. */
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';

/** An IAM OIDC provider for GitHub Actions, created here or already in the account. */
export interface IGithubOidcProvider {
  readonly arn: string;
}

export interface GithubOidcProviderProps {
  /** Tags of the provider. @default none */
  readonly tags?: Record<string, string>;
}

/**
 * The account's IAM OIDC identity provider for GitHub Actions (`https://token.actions.githubusercontent.com`, audience
 * `sts.amazonaws.com`). IAM allows one provider per URL and account: create it in exactly one stack per account and
 * refer to it elsewhere with {@link GithubOidcProvider.fromArn} or {@link GithubOidcProvider.fromAccount}.
 * No thumbprint is set: IAM verifies GitHub's certificate against its trusted root CAs and ignores thumbprints for it
 * (IAM API UpdateOpenIDConnectProviderThumbprint, note on GitHub), and `thumbprint_list` is optional in AWS provider 5.x.
 */
export class GithubOidcProvider extends Construct implements IGithubOidcProvider {
  /** A provider that already exists, by ARN. */
  static fromArn(arn: string): IGithubOidcProvider {
    return { arn };
  }

  /** The provider that already exists in an account: its ARN is fixed by IAM, so no lookup is needed. */
  static fromAccount(environment: AwsEnvironment): IGithubOidcProvider {
    const partition = partitionOf(environment.region);
    return { arn: `arn:${partition}:iam::${environment.accountId}:oidc-provider/${GITHUB_OIDC_HOST}` };
  }

  readonly arn: string;
  readonly resource: IamOpenidConnectProvider;

  constructor(scope: Construct, id: string, props: GithubOidcProviderProps = {}) {
    super(scope, id);
    this.resource = new IamOpenidConnectProvider(this, 'Provider', {
      url: `https://${GITHUB_OIDC_HOST}`,
      clientIdList: [GITHUB_OIDC_AUDIENCE],
      tags: props.tags,
    });
    this.arn = this.resource.arn;
  }
}

/** What {@link GithubDeployRole.grantDeploy} needs of a service; `ContainerService` has these properties. */
export interface IDeployableService {
  /** Service ARN. */
  readonly serviceArn: string;
  /** ARN of the service's cluster. */
  readonly clusterArn: string;
  /** Task definition family CI registers new revisions in. */
  readonly taskDefinitionFamily: string;
  /** Execution role the new revisions name. */
  readonly executionRoleArn: string;
  /** Task role the new revisions name. */
  readonly taskRoleArn: string;
}

export interface GithubDeployRoleProps {
  /** ARN of the account's GitHub OIDC provider ({@link GithubOidcProvider}.arn). */
  readonly providerArn: string;
  /** The one repository allowed to assume the role, `owner/repo` (no wildcards). */
  readonly repository: string;
  /**
   * Branch whose workflows may assume the role (token subject `repo:owner/repo:ref:refs/heads/<branch>`).
   * Give exactly one of `branch` and `environment`.
   * @default none
   */
  readonly branch?: string;
  /**
   * GitHub environment whose jobs may assume the role (subject `repo:owner/repo:environment:<name>`); protect it with
   * required reviewers and branch rules in GitHub. Give exactly one of `branch` and `environment`.
   * @default none
   */
  readonly environment?: string;
  /** Longest session in seconds (3600-43200). @default 3600 */
  readonly maxSessionDuration?: number;
  /** IAM role name (letters, digits and `+=,.@_-`; at most 64). */
  readonly roleName: string;
}

/** Field `index` of a colon-separated ARN; a Terraform expression when the ARN is only known at apply. */
function arnPart(arn: string, index: number): string {
  return Token.isUnresolved(arn) ? Fn.element(Fn.split(':', arn), index) : (arn.split(':')[index] ?? '');
}

const GITHUB_REPO = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const WILDCARD = /[*?]/;
const GITHUB_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;

/**
 * A role GitHub Actions assumes with OIDC: trusted only for one repository and one branch or environment, with
 * `aud` and `sub` both matched by StringEquals (never a wildcard). Starts with no permissions: add them with
 * {@link grantPush} and {@link grantDeploy}.
 */
export class GithubDeployRole extends Construct {
  readonly roleArn: string;
  readonly roleName: string;
  readonly resource: IamRole;

  private readonly statements: PolicyStatement[] = [];
  private policy?: IamRolePolicy;

  constructor(scope: Construct, id: string, props: GithubDeployRoleProps) {
    super(scope, id);
    requireProp(
      this,
      !WILDCARD.test(props.repository) && GITHUB_REPO.test(props.repository),
      'repository',
      props.repository,
      'Give one repository as "owner/repo" without "*" or "?": a wildcard would let other repositories deploy.',
    );
    if (!Token.isUnresolved(props.providerArn)) {
      requireProp(
        this,
        GITHUB_PROVIDER_ARN.test(props.providerArn),
        'providerArn',
        props.providerArn,
        `Give the ARN of the account's GitHub OIDC provider, "arn:aws:iam::<account>:oidc-provider/${GITHUB_OIDC_HOST}" (GithubOidcProvider.arn).`,
      );
    }
    const { branch, environment } = props;
    requireProp(
      this,
      (branch === undefined) !== (environment === undefined),
      'branch/environment',
      { branch, environment },
      'Give exactly one of branch (e.g. "main") or environment (e.g. "production"): the role trusts one of them.',
    );
    if (branch !== undefined) {
      requireProp(
        this,
        !WILDCARD.test(branch) && /^[^\s~^:\\[]+$/.test(branch) && !branch.includes('..') && !branch.startsWith('/'),
        'branch',
        branch,
        'Give one branch name such as "main" (no "*" or "?", spaces, "..", "~", "^", ":" or "[").',
      );
    }
    if (environment !== undefined) {
      requireProp(
        this,
        !WILDCARD.test(environment) && /^[^\s,'"`;]{1,255}$/.test(environment),
        'environment',
        environment,
        'Give one GitHub environment name such as "production" (no "*" or "?", spaces or quotes).',
      );
    }
    const maxSession = props.maxSessionDuration ?? 3600;
    requireIntegerInRange(this, 'maxSessionDuration', maxSession, 3600, 43200);
    if (!Token.isUnresolved(props.roleName)) {
      requireProp(
        this,
        /^[\w+=,.@-]{1,64}$/.test(props.roleName),
        'roleName',
        props.roleName,
        'Use 1-64 letters, digits and "+=,.@_-".',
      );
    }

    const subject =
      branch !== undefined
        ? `repo:${props.repository}:ref:refs/heads/${branch}`
        : `repo:${props.repository}:environment:${environment}`;
    // Trust statements have no Resource, so they are not PolicyStatements.
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: props.providerArn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
              [`${GITHUB_OIDC_HOST}:sub`]: subject,
            },
          },
        },
      ],
    });
    this.resource = new IamRole(this, 'Role', {
      name: props.roleName,
      description: `GitHub Actions ${subject}`,
      assumeRolePolicy: trust,
      maxSessionDuration: maxSession,
    });
    this.roleArn = this.resource.arn;
    this.roleName = this.resource.name;
  }

  /** Lets the workflow push images to `repository` (and log in to ECR). */
  grantPush(repository: EcrRepository): void {
    this.addStatements(repository.grantPush(this.roleArn));
  }

  /**
   * Lets the workflow deploy a new image to one service: register a revision of its family, update and watch only that
   * service, and pass only its execution and task roles, only to ECS tasks.
   */
  grantDeploy(service: IDeployableService): void {
    // The family's ARN prefix comes from the service ARN (arn:<partition>:ecs:<region>:<account>:service/...).
    const [partition, region, accountId] = [1, 3, 4].map((i) => arnPart(service.serviceArn, i));
    const n = this.statements.filter((s) => s.Sid?.startsWith('DeployService')).length + 1;
    this.addStatements([
      {
        // RegisterTaskDefinition and DescribeTaskDefinition support no resource-level permissions: AWS requires "*"
        // (Service Authorization Reference, Amazon ECS actions table).
        Sid: 'RegisterTaskDefinitions',
        Action: ['ecs:RegisterTaskDefinition', 'ecs:DescribeTaskDefinition'],
        Resource: '*',
      },
      {
        // Registering a tagged revision needs TagResource on it (ECS tag-on-create authorization).
        Sid: `TagTaskDefinition${n}`,
        Action: 'ecs:TagResource',
        Resource: `arn:${partition}:ecs:${region}:${accountId}:task-definition/${service.taskDefinitionFamily}:*`,
        Condition: { StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } },
      },
      {
        Sid: `DeployService${n}`,
        Action: ['ecs:UpdateService', 'ecs:DescribeServices'],
        Resource: service.serviceArn,
        Condition: { ArnEquals: { 'ecs:cluster': service.clusterArn } },
      },
      {
        Sid: `PassTaskRoles${n}`,
        Action: 'iam:PassRole',
        Resource: [service.executionRoleArn, service.taskRoleArn],
        Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      },
    ]);
  }

  /** Adds statements to the role's inline policy; a statement whose Sid is already there is skipped. */
  addStatements(statements: PolicyStatement[]): void {
    for (const s of statements) {
      if (s.Sid !== undefined && this.statements.some((e) => e.Sid === s.Sid)) continue;
      this.statements.push(s);
    }
    this.policy ??= new IamRolePolicy(this, 'Policy', {
      role: this.resource.id,
      name: 'github-deploy',
      policy: Lazy.stringValue({ produce: () => policyDocument(this.statements) }),
    });
  }
}
