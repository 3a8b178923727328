import {
  SECRET_STRING_PLACEHOLDER,
  needsRandomPasswords,
  offlineOverride,
  randomPassword,
  renderTestFile,
  secretValueReads,
  secretsManagerEndpointEnv,
  startSecretsManagerStandIn,
} from '../src';

const LOWER = /[a-z]/;
const UPPER = /[A-Z]/;
const DIGIT = /[0-9]/;

describe('randomPassword (what GetRandomPassword returns)', () => {
  it('draws 32 characters of every type by default, one of each at least', () => {
    for (let i = 0; i < 20; i++) {
      const value = randomPassword({});
      expect(value).toHaveLength(32);
      for (const type of [LOWER, UPPER, DIGIT, /[^A-Za-z0-9]/]) expect(value).toMatch(type);
      expect(value).not.toContain(' ');
    }
  });

  it('honours the exclusions the ephemeral blocks send (hex, letters and digits)', () => {
    const hex = { PasswordLength: 64, ExcludePunctuation: true, ExcludeUppercase: true };
    for (let i = 0; i < 20; i++) {
      expect(
        randomPassword({ ...hex, ExcludeCharacters: 'ghijklmnopqrstuvwxyz', RequireEachIncludedType: false }),
      ).toMatch(/^[0-9a-f]{64}$/);
      expect(randomPassword({ PasswordLength: 40, ExcludePunctuation: true })).toMatch(/^[A-Za-z0-9]{40}$/);
      expect(randomPassword({ PasswordLength: 20, ExcludeCharacters: '@"/\\\' ' })).not.toMatch(/[@"/\\' ]/);
    }
  });

  it('refuses requests the service refuses', () => {
    expect(() => randomPassword({ PasswordLength: 0 })).toThrow('PasswordLength must be 1-4096, got 0');
    expect(() =>
      randomPassword({
        ExcludeLowercase: true,
        ExcludeUppercase: true,
        ExcludeNumbers: true,
        ExcludePunctuation: true,
      }),
    ).toThrow('the request excludes every character');
  });
});

describe('the stand-in server', () => {
  const call = async (url: string, target: string, body: unknown) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  };

  it('serves GetRandomPassword as the AWS provider calls it, refuses every other call by name, and counts calls', async () => {
    const standIn = await startSecretsManagerStandIn();
    try {
      expect(standIn.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const served = await call(standIn.url, 'secretsmanager.GetRandomPassword', {
        PasswordLength: 64,
        ExcludePunctuation: true,
        RequireEachIncludedType: true,
      });
      expect(served.status).toBe(200);
      expect(served.body.RandomPassword).toMatch(/^[A-Za-z0-9]{64}$/);
      const refused = await call(standIn.url, 'secretsmanager.GetSecretValue', { SecretId: 'x' });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toContain('secretsmanager.GetSecretValue is not available offline');
      expect([...standIn.calls.entries()]).toEqual([
        ['secretsmanager.GetRandomPassword', 1],
        ['secretsmanager.GetSecretValue', 1],
      ]);
    } finally {
      await standIn.close();
    }
  });
});

describe('offline plan inputs for generated secrets', () => {
  const stack = {
    provider: { aws: [{ region: 'eu-west-1' }, { region: 'us-east-1', alias: 'us' }] },
    ephemeral: { aws_secretsmanager_random_password: { token: { password_length: 64 } } },
    data: { aws_secretsmanager_secret_version: { b: { secret_id: 'arn' }, a: { secret_id: 'arn' } } },
  };

  it("points the AWS SDK's Secrets Manager endpoint at the stand-in, not the provider's endpoints block", () => {
    expect(secretsManagerEndpointEnv('http://127.0.0.1:1234')).toEqual({
      AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:1234',
      // A user's AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true made the provider call the real service.
      AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'false',
    });
    const providers = (offlineOverride(stack).provider as { aws: Record<string, unknown>[] }).aws;
    expect(providers.map((p) => p.endpoints)).toEqual([undefined, undefined]);
  });

  it('knows which stacks open random passwords', () => {
    expect(needsRandomPasswords(stack)).toBe(true);
    expect(needsRandomPasswords({ ephemeral: { aws_ssm_parameter: { p: {} } } })).toBe(false);
    expect(needsRandomPasswords({})).toBe(false);
  });

  it('overrides every secret value a stack reads with a placeholder', () => {
    expect(secretValueReads(stack)).toEqual(['a', 'b']);
    const text = renderTestFile(new Map(), new Map(), {}, [], secretValueReads(stack));
    for (const name of ['a', 'b']) {
      expect(text).toContain(
        `override_data {\n  target = data.aws_secretsmanager_secret_version.${name}\n  values = {\n    "secret_string" = "${SECRET_STRING_PLACEHOLDER}"`,
      );
    }
    expect(text.indexOf('data.aws_secretsmanager_secret_version.a')).toBeLessThan(text.indexOf('run "plan"'));
  });
});
