// ECR lifecycle policies: the rule shape and the checks ECR applies when a policy is put, so a bad policy fails at
// synth instead of at apply. Source: https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html

/** One rule of an ECR lifecycle policy, in ECR's JSON form. */
export interface EcrLifecycleRule {
  /** Order of evaluation, lowest first; unique within a policy. */
  readonly rulePriority: number;
  /** What the rule is for. @default none */
  readonly description?: string;
  /** Which images the rule counts. */
  readonly selection: {
    /** Images with a matching tag, without any tag, or all images (`any` must be the last rule). */
    readonly tagStatus: 'tagged' | 'untagged' | 'any';
    /** Tag prefixes; an image must have a tag matching every one. Only with `tagged`. @default none */
    readonly tagPrefixList?: string[];
    /** Tag patterns with up to four `*` each; only with `tagged`. @default none */
    readonly tagPatternList?: string[];
    /** Expire images beyond a count (newest kept) or older than an age. */
    readonly countType: 'imageCountMoreThan' | 'sinceImagePushed';
    /** `days`, only with `sinceImagePushed`. @default none */
    readonly countUnit?: 'days';
    /** The count or the age in days; a positive integer. */
    readonly countNumber: number;
  };
  /** What happens to selected images. */
  readonly action: { readonly type: 'expire' };
}

/** An ECR lifecycle policy document. */
export interface EcrLifecyclePolicy {
  /** The rules, in any order (ECR sorts them by priority). */
  readonly rules: EcrLifecycleRule[];
}

/** Tag prefixes follow Docker tag syntax: a letter, digit or `_` first, then letters, digits, `_`, `.`, `-`. */
export const ECR_TAG_PREFIX = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/**
 * The problems ECR would report for a lifecycle policy (an empty list when it is valid): unique positive integer
 * priorities, `tagged` rules with a tag prefix or pattern list, `untagged`/`any` rules without one, the `any` rule
 * evaluated last, at most one `untagged` rule, `countUnit` exactly with `sinceImagePushed`, positive counts and
 * at most four wildcards per tag pattern.
 */
export function lifecyclePolicyProblems(policy: EcrLifecyclePolicy): string[] {
  const problems: string[] = [];
  const rules = policy.rules ?? [];
  if (rules.length === 0) problems.push('a lifecycle policy needs at least one rule');
  const priorities = rules.map((r) => r.rulePriority);
  const maxPriority = Math.max(...priorities);
  const seen = new Set<number>();
  let untagged = 0;
  for (const rule of rules) {
    const p = rule.rulePriority;
    const s = rule.selection;
    const at = `rule ${p}`;
    if (!Number.isInteger(p) || p < 1) problems.push(`${at}: rulePriority must be a positive integer`);
    if (seen.has(p)) problems.push(`${at}: rulePriority ${p} is used twice (priorities must be unique)`);
    seen.add(p);
    const lists = [...(s.tagPrefixList ?? []), ...(s.tagPatternList ?? [])];
    if (s.tagStatus === 'tagged' && lists.length === 0)
      problems.push(`${at}: tagStatus "tagged" needs a tagPrefixList or a tagPatternList`);
    if (s.tagStatus !== 'tagged' && (s.tagPrefixList !== undefined || s.tagPatternList !== undefined))
      problems.push(`${at}: tagStatus "${s.tagStatus}" must have neither tagPrefixList nor tagPatternList`);
    if (s.tagStatus === 'any' && p !== maxPriority)
      problems.push(`${at}: the rule with tagStatus "any" must have the highest rulePriority`);
    if (s.tagStatus === 'untagged') untagged++;
    for (const prefix of s.tagPrefixList ?? [])
      if (!ECR_TAG_PREFIX.test(prefix)) problems.push(`${at}: tag prefix ${JSON.stringify(prefix)} is not a tag`);
    for (const pattern of s.tagPatternList ?? [])
      if ((pattern.match(/\*/g) ?? []).length > 4)
        problems.push(`${at}: tag pattern ${JSON.stringify(pattern)} has more than four wildcards`);
    if ((s.countType === 'sinceImagePushed') !== (s.countUnit === 'days'))
      problems.push(`${at}: countUnit "days" goes with countType "sinceImagePushed" only`);
    if (!Number.isInteger(s.countNumber) || s.countNumber < 1)
      problems.push(`${at}: countNumber must be a positive integer`);
  }
  if (untagged > 1) problems.push('only one rule may select untagged images');
  return problems;
}

/** Days a protected tag is kept: ECR has no "keep" action, so protection is a rule that never expires anything. */
export const PROTECTED_TAG_DAYS = 36500;

/** Inputs of {@link retentionPolicy}. */
export interface RetentionRules {
  /** Tag prefixes kept forever. */
  readonly keepTagPrefixes: readonly string[];
  /** Untagged images expire this many days after push. */
  readonly untaggedExpiryDays: number;
  /** Images kept in total (newest first). */
  readonly keepImages: number;
}

/**
 * The retention policy of {@link EcrRepository}: one protecting rule per kept prefix first (ECR selects an image for a
 * prefix list only when it matches every prefix, so each prefix needs its own rule; an image that matches a higher
 * priority rule cannot be expired by a lower one), then untagged images by age, then every image beyond the count.
 */
export function retentionPolicy(r: RetentionRules): EcrLifecyclePolicy {
  const protect: EcrLifecycleRule[] = r.keepTagPrefixes.map((prefix, i) => ({
    rulePriority: i + 1,
    description: `Keep images tagged ${prefix}* (expire only after ${PROTECTED_TAG_DAYS} days)`,
    selection: {
      tagStatus: 'tagged',
      tagPrefixList: [prefix],
      countType: 'sinceImagePushed',
      countUnit: 'days',
      countNumber: PROTECTED_TAG_DAYS,
    },
    action: { type: 'expire' },
  }));
  const next = protect.length + 1;
  return {
    rules: [
      ...protect,
      {
        rulePriority: next,
        description: `Expire untagged images ${r.untaggedExpiryDays} days after push`,
        selection: {
          tagStatus: 'untagged',
          countType: 'sinceImagePushed',
          countUnit: 'days',
          countNumber: r.untaggedExpiryDays,
        },
        action: { type: 'expire' },
      },
      {
        rulePriority: next + 1,
        description: `Keep the newest ${r.keepImages} images`,
        selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: r.keepImages },
        action: { type: 'expire' },
      },
    ],
  };
}
