/** File name of the override we write next to cdk.tf.json; Terraform merges `*_override.tf.json` last. */
export const OVERRIDE_FILE = 'tts_ecs_verify_override.tf.json';

/** Fake credentials: the provider needs some to configure, and offline it never sends them anywhere. */
export const MOCK_CREDENTIALS = { access_key: 'mock_access_key', secret_key: 'mock_secret_key' } as const;

/** Same credentials as child-process environment, so nothing falls back to the user's profile or IMDS. */
export const MOCK_CREDENTIALS_ENV: Record<string, string> = {
  AWS_ACCESS_KEY_ID: MOCK_CREDENTIALS.access_key,
  AWS_SECRET_ACCESS_KEY: MOCK_CREDENTIALS.secret_key,
  AWS_SESSION_TOKEN: '',
  AWS_PROFILE: '',
  AWS_EC2_METADATA_DISABLED: 'true',
};

/**
 * Go settings for verify's terraform and provider processes (offline plans), unless the user's environment sets them.
 * GOGC=200 lets each Go heap grow to three times its live data between collections instead of twice: on the 2-core
 * machine, verify of the example took 0.92-0.95 of the wall time and 0.91 of the CPU (paired runs), with the largest
 * provider process at 481 MiB instead of 349 MiB. (GOGC=50: 1.15; GOGC=300 and 400: no better than 200, more memory.)
 */
export function offlineGoEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return env.GOGC === undefined ? { GOGC: '200' } : {};
}

type Json = Record<string, unknown>;

/**
 * Settings merged into every AWS provider block so that configuring it makes no network call:
 * no STS GetCallerIdentity, no IMDS, no region lookup. `allowed_account_ids` must go too: without the account
 * lookup the provider compares the allowed list to an empty id and fails ("AWS account ID not allowed: ").
 * Unit tests assert that stacks set it; the offline plan cannot check it. `assume_role` gets an empty role ARN
 * (the provider then assumes nothing; `null` or `[]` in an override cannot remove a nested block) because
 * assuming a role is an STS call. Terraform warns about the empty `role_arn`; harmless here.
 */
export const OFFLINE_AWS_PROVIDER: Json = {
  ...MOCK_CREDENTIALS,
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
  allowed_account_ids: null,
  forbidden_account_ids: null,
};

/** The `provider.aws` entries of a stack (cdktf writes an array; hand-written JSON may use one object). */
function awsProviders(stack: Json): Json[] {
  const aws = (stack.provider as Json | undefined)?.aws;
  if (aws === undefined) return [];
  return (Array.isArray(aws) ? aws : [aws]) as Json[];
}

/** Whether a stack opens ephemeral random passwords, which the provider fetches from Secrets Manager even in a plan. */
export function needsRandomPasswords(stack: Json): boolean {
  const ephemeral = (stack.ephemeral ?? {}) as Json;
  return Object.keys((ephemeral.aws_secretsmanager_random_password ?? {}) as Json).length > 0;
}

/**
 * Environment for verify's terraform children that sends every AWS provider's Secrets Manager calls to `url` (the
 * stand-in, secrets-manager-stand-in.ts): the AWS SDK for Go v2's service-specific endpoint variable, which the
 * provider honours like `endpoints { secretsmanager = ... }`. Not that block: with any `endpoints` block in its
 * configuration the provider (5.100.0) spent about 2.5 s of CPU before its first answer, in each of its processes
 * (6 for the example: one per region for validation, one for the plan). Measured on the example's batch: 17.7 s
 * instead of 24.1 s for `terraform test`, 22 s of user CPU instead of 35.5. A user's
 * `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` would make the SDK ignore the variable (the plan then called the real
 * service and failed offline), so it is switched off for these children.
 */
export function secretsManagerEndpointEnv(url: string): Record<string, string> {
  return { AWS_ENDPOINT_URL_SECRETS_MANAGER: url, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'false' };
}

/**
 * The override file for an offline run of `stack` (a parsed cdk.tf.json): a local backend instead of S3
 * (the state goes to the work dir) and every AWS provider, aliased ones included, made offline-safe.
 */
export function offlineOverride(stack: Json): Json {
  const override: Json = { terraform: { backend: { local: { path: 'terraform.tfstate' } } } };
  const providers = awsProviders(stack).map((p) => ({
    ...(p.alias === undefined ? {} : { alias: p.alias }),
    ...OFFLINE_AWS_PROVIDER,
    ...(p.assume_role === undefined ? {} : { assume_role: [{ role_arn: '' }] }),
    ...(p.assume_role_with_web_identity === undefined ? {} : { assume_role_with_web_identity: [{ role_arn: '' }] }),
  }));
  if (providers.length > 0) override.provider = { aws: providers };
  return override;
}
