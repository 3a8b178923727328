import { TerraformStack, Testing } from 'cdktf';
import { Resources, byPath, env, inNamedTest, only, synth } from '@tts-ecs/testing';
import { PolicyStatement } from '@tts-ecs/core';
import {
  EcrLifecycleRule,
  EcrRepository,
  EcrRepositoryProps,
  PROTECTED_TAG_DAYS,
  lifecyclePolicyProblems,
  retentionPolicy,
} from '../src';

type Rule = EcrLifecycleRule;

const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/k';
const CI = 'arn:aws:iam::111111111111:role/ci';
const TASK = 'arn:aws:iam::222222222222:role/task';
const rulesOf = (r: Resources, path: string): Rule[] =>
  JSON.parse(byPath(r, 'aws_ecr_lifecycle_policy', path).policy as string).rules;

function repo(props: Partial<EcrRepositoryProps>) {
  return () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    return new EcrRepository(stack, 'Repo', { environment: env, name: 'acme/api', ...props });
  };
}

describe('EcrRepository defaults', () => {
  let grants: { pull: PolicyStatement[]; push: PolicyStatement[]; arn: string } | undefined;
  const r = synth((s) => {
    const plain = new EcrRepository(s, 'Plain', { environment: env, name: 'acme/api' });
    const shared = new EcrRepository(s, 'Shared', { environment: env, name: 'acme/shared', kmsKeyArn: KEY });
    grants = {
      pull: shared.grantPull(TASK),
      push: shared.grantPush({ roleArn: CI }),
      arn: shared.repositoryArn,
    };
    shared.grantPull(TASK); // a repeated grant adds nothing
    void plain;
  });
  const plain = inNamedTest('finds the plain repository', () => byPath(r, 'aws_ecr_repository', 'Plain/Repository'));
  const shared = inNamedTest('finds the shared repository', () => byPath(r, 'aws_ecr_repository', 'Shared/Repository'));

  it('makes tags immutable', () => {
    // mutableTags @default false (IMMUTABLE)
    expect(plain.image_tag_mutability).toBe('IMMUTABLE');
  });

  it('scans images on push', () => {
    // scanOnPush @default true
    expect(plain.image_scanning_configuration).toEqual({ scan_on_push: true });
  });

  it('encrypts with a new customer key that rotates', () => {
    // kmsKeyArn @default a new EncryptionKey with rotation
    const key = byPath(r, 'aws_kms_key', 'Plain/Key');
    expect(key.enable_key_rotation).toBe(true);
    expect(plain.encryption_configuration).toEqual([
      { encryption_type: 'KMS', kms_key: expect.stringMatching(/^\$\{aws_kms_key\.Plain_Key_.*\.arn\}$/) },
    ]);
    expect(Object.keys(r.aws_kms_key)).toHaveLength(1);
    expect(shared.encryption_configuration).toEqual([{ encryption_type: 'KMS', kms_key: KEY }]);
  });

  it('refuses to delete a repository that holds images', () => {
    // forceDelete @default false
    expect(plain.force_delete).toBe(false);
  });

  it('protects v* and release* first, then expires untagged after 7 days, then keeps 30 images', () => {
    const rules = rulesOf(r, 'Plain/Lifecycle');
    // keepTagPrefixes @default ['v', 'release']
    expect(rules.slice(0, 2).map((x) => [x.rulePriority, x.selection.tagStatus, x.selection.tagPrefixList])).toEqual([
      [1, 'tagged', ['v']],
      [2, 'tagged', ['release']],
    ]);
    expect(rules[0].selection).toMatchObject({ countType: 'sinceImagePushed', countNumber: PROTECTED_TAG_DAYS });
    // untaggedExpiryDays @default 7
    expect(rules[2]).toMatchObject({
      rulePriority: 3,
      selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 },
      action: { type: 'expire' },
    });
    // keepImages @default 30
    expect(rules[3]).toMatchObject({
      rulePriority: 4,
      selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 30 },
    });
    expect(lifecyclePolicyProblems({ rules })).toEqual([]);
  });

  it('has no repository policy until something is granted', () => {
    expect(Object.keys(r.aws_ecr_repository_policy)).toEqual([expect.stringMatching(/^Shared_Policy_/)]);
  });

  it('grants pull and push through the repository policy, once per grantee', () => {
    const policy = JSON.parse(byPath(r, 'aws_ecr_repository_policy', 'Shared/Policy').policy as string);
    expect(policy.Statement).toEqual([
      {
        Sid: 'Pull1',
        Effect: 'Allow',
        Principal: { AWS: TASK },
        Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      },
      expect.objectContaining({ Sid: 'Push2', Principal: { AWS: CI } }),
    ]);
    expect(policy.Statement[1].Action).toEqual(expect.arrayContaining(['ecr:PutImage', 'ecr:CompleteLayerUpload']));
  });

  it('returns identity statements: login on "*", pull or push on the repository only', () => {
    const arn = grants!.arn;
    expect(grants!.pull).toEqual([
      { Sid: 'EcrLogin', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      { Sid: 'EcrPulltestShared', Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], Resource: arn },
    ]);
    expect(grants!.push[1]).toMatchObject({ Sid: 'EcrPushtestShared', Resource: arn });
    expect(grants!.push[1].Action).toContain('ecr:InitiateLayerUpload');
  });
});

describe('EcrRepository options', () => {
  const r = synth((s) => {
    new EcrRepository(s, 'Custom', {
      environment: env,
      name: 'acme/tools',
      mutableTags: true,
      scanOnPush: false,
      forceDelete: true,
      keepImages: 5,
      untaggedExpiryDays: 1,
      keepTagPrefixes: [],
    });
  });

  it('passes mutability, scanning and force delete through', () => {
    const repository = only(r, 'aws_ecr_repository');
    expect(repository).toMatchObject({
      image_tag_mutability: 'MUTABLE',
      image_scanning_configuration: { scan_on_push: false },
      force_delete: true,
    });
  });

  it('protects nothing with keepTagPrefixes []', () => {
    const rules = rulesOf(r, 'Custom/Lifecycle');
    expect(rules.map((x) => [x.rulePriority, x.selection.tagStatus, x.selection.countNumber])).toEqual([
      [1, 'untagged', 1],
      [2, 'any', 5],
    ]);
  });
});

describe('EcrRepository rejects', () => {
  it.each(['A/api', 'a', 'acme//api', 'acme/api-', '-acme'])('the repository name %p', (name) => {
    expect(repo({ name })).toThrow(`test/Repo: invalid name ${JSON.stringify(name)}`);
  });

  it('keepImages outside 1-10000', () => {
    expect(repo({ keepImages: 0 })).toThrow(/test\/Repo: invalid keepImages 0\. Use a whole number from 1 to 10000/);
  });

  it('untaggedExpiryDays that are not whole days', () => {
    expect(repo({ untaggedExpiryDays: 1.5 })).toThrow(/test\/Repo: invalid untaggedExpiryDays 1\.5/);
  });

  it('tag prefixes that are not tags, or repeated', () => {
    expect(repo({ keepTagPrefixes: ['-rc'] })).toThrow(/test\/Repo: invalid keepTagPrefixes \["-rc"\]/);
    expect(repo({ keepTagPrefixes: ['v', 'v'] })).toThrow(/test\/Repo: invalid keepTagPrefixes \["v","v"\]/);
  });

  it('a grantee that is not an IAM principal ARN', () => {
    expect(() => repo({})().grantPull('ci-role')).toThrow(/test\/Repo: invalid grantPull "ci-role"/);
  });

  it('an invalid environment', () => {
    expect(repo({ environment: { accountId: '1', region: 'eu-west-1' } })).toThrow(
      /test\/Repo: invalid environment\.accountId "1"/,
    );
  });
});

describe('lifecyclePolicyProblems', () => {
  const base = retentionPolicy({ keepTagPrefixes: ['v'], untaggedExpiryDays: 7, keepImages: 30 }).rules;
  const withRule = (
    i: number,
    change: Omit<Partial<Rule>, 'selection'> & { selection?: Partial<Rule['selection']> },
  ): Rule[] =>
    base.map((rule, j) =>
      j === i ? { ...rule, ...change, selection: { ...rule.selection, ...change.selection } } : rule,
    );

  it('accepts the retention policy', () => {
    expect(lifecyclePolicyProblems({ rules: base })).toEqual([]);
  });

  it('finds repeated priorities', () => {
    expect(lifecyclePolicyProblems({ rules: withRule(1, { rulePriority: 1 }) })).toContain(
      'rule 1: rulePriority 1 is used twice (priorities must be unique)',
    );
  });

  it('finds a tagged rule without prefix or pattern list', () => {
    expect(lifecyclePolicyProblems({ rules: withRule(0, { selection: { tagPrefixList: undefined } }) })).toEqual([
      'rule 1: tagStatus "tagged" needs a tagPrefixList or a tagPatternList',
    ]);
  });

  it('finds an "any" rule that is not evaluated last', () => {
    expect(lifecyclePolicyProblems({ rules: withRule(2, { rulePriority: 0 }) })).toEqual(
      expect.arrayContaining(['rule 0: the rule with tagStatus "any" must have the highest rulePriority']),
    );
  });

  it('finds lists on untagged rules, a second untagged rule, countUnit misuse and too many wildcards', () => {
    const problems = lifecyclePolicyProblems({
      rules: [
        ...withRule(1, { selection: { tagPrefixList: ['x'] } }),
        {
          rulePriority: 9,
          selection: { tagStatus: 'untagged', countType: 'imageCountMoreThan', countUnit: 'days', countNumber: 0 },
          action: { type: 'expire' },
        },
        {
          rulePriority: 8,
          selection: {
            tagStatus: 'tagged',
            tagPatternList: ['*a*b*c*d*'],
            countType: 'imageCountMoreThan',
            countNumber: 1,
          },
          action: { type: 'expire' },
        },
      ],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'rule 2: tagStatus "untagged" must have neither tagPrefixList nor tagPatternList',
        'rule 9: countUnit "days" goes with countType "sinceImagePushed" only',
        'rule 9: countNumber must be a positive integer',
        'rule 8: tag pattern "*a*b*c*d*" has more than four wildcards',
        'only one rule may select untagged images',
      ]),
    );
  });
});
