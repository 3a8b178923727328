import { Testing, TerraformStack } from 'cdktf';
import { EphemeralSecretValue, Secret, SecretProps } from '../src';
import { Resources, env, inNamedTest, synth } from '@tts-ecs/testing';

describe('Secret with generated values', () => {
  const built = inNamedTest('synthesizes the test stack', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const password = new EphemeralSecretValue(stack, 'DbPassword', { kind: 'password' });
    const blockKey = new EphemeralSecretValue(stack, 'BlockKey', { kind: 'hex', byteLength: 32 });
    const hashKey = new EphemeralSecretValue(stack, 'HashKey', { kind: 'password', length: 64, punctuation: true });
    new Secret(stack, 'Cookie', { environment: env, name: 'acme/prod/eu1/cookie-block-key', value: blockKey.value });
    new Secret(stack, 'Hash', {
      environment: env,
      name: 'acme/prod/eu1/cookie-hash-key',
      value: hashKey.value,
      valueVersion: 3,
      kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/k',
    });
    const app = new Secret(stack, 'Db', {
      environment: env,
      name: 'acme/prod/eu1/db',
      jsonValue: { username: 'tts', password: password.value },
      kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/k',
    });
    const empty = new Secret(stack, 'License', {
      environment: env,
      name: 'acme/prod/license-key',
      kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/k',
      replicaRegions: ['eu-central-1', { region: 'us-east-1', kmsKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/r' }],
    });
    const json = JSON.parse(Testing.synth(stack));
    const resources: Resources = json.resource;
    const ephemeral: Record<string, Record<string, unknown>> = json.ephemeral.aws_secretsmanager_random_password;
    return { json, resources, ephemeral, secrets: resources.aws_secretsmanager_secret, app, empty };
  });
  const byName = (name: string) => Object.values(built.secrets).find((s) => s.name === name)!;
  const versions = () =>
    Object.values(built.resources.aws_secretsmanager_secret_version) as Record<string, string | number>[];
  const versionOf = (secretLogicalId: string) =>
    versions().find((v) => String(v.secret_id).includes(`aws_secretsmanager_secret.${secretLogicalId}`))!;

  it('generates values with ephemeral Secrets Manager random passwords, never the random provider', () => {
    const args = Object.entries(built.ephemeral)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, a]) => a);
    expect(args).toEqual([
      // hex: 2 characters per byte, only 0-9 and a-f
      {
        password_length: 64,
        exclude_punctuation: true,
        exclude_uppercase: true,
        exclude_characters: 'ghijklmnopqrstuvwxyz',
        require_each_included_type: false,
      },
      // letters and digits, 32 by default
      { password_length: 32, exclude_punctuation: true, require_each_included_type: true },
      // with punctuation: everything Secrets Manager draws from except what breaks URIs, shells and Redis AUTH
      { password_length: 64, exclude_characters: '"\',./;@\\^`|~', require_each_included_type: true },
    ]);
    expect(built.json.provider?.random).toBeUndefined();
    expect(Object.keys(built.resources).filter((t) => t.startsWith('random_'))).toEqual([]);
  });

  it('writes values write-only, so they never reach Terraform state', () => {
    expect(versions()).toHaveLength(3);
    for (const v of versions()) {
      expect(v.secret_string).toBeUndefined();
      expect(String(v.secret_string_wo)).toContain('ephemeral.aws_secretsmanager_random_password.');
    }
    const [cookie, hash, db] = ['Cookie', 'Hash', 'Db'].map((id) => versionOf(id));
    expect(cookie.secret_string_wo).toMatch(
      /^\$\{ephemeral\.aws_secretsmanager_random_password\.BlockKey_Random_\w+\.random_password\}$/,
    );
    expect(db.secret_string_wo).toMatch(
      /^\$\{jsonencode\(\{"username" = "tts", "password" = ephemeral\.aws_secretsmanager_random_password\.DbPassword_Random_\w+\.random_password\}\)\}$/,
    );
    // The version decides when a new value is written: 1 by default, raised to rotate.
    expect([cookie.secret_string_wo_version, hash.secret_string_wo_version, db.secret_string_wo_version]).toEqual([
      1, 3, 1,
    ]);
  });

  it('encrypts with a customer key, keeps a 30-day recovery window and refuses terraform destroy', () => {
    const cookie = byName('acme/prod/eu1/cookie-block-key');
    expect(cookie.kms_key_id).toMatch(/aws_kms_key\..*\.arn/);
    for (const s of Object.values(built.secrets))
      expect(s).toMatchObject({ recovery_window_in_days: 30, lifecycle: { prevent_destroy: true } });
  });

  it('replicates with a regional key or the AWS managed default', () => {
    expect(byName('acme/prod/license-key').replica).toEqual([
      { region: 'eu-central-1' },
      { region: 'us-east-1', kms_key_id: 'arn:aws:kms:us-east-1:111111111111:key/r' },
    ]);
  });

  it('leaves an operator-filled secret empty and says how to fill it', () => {
    expect(versions().some((v) => String(v.secret_id).includes('aws_secretsmanager_secret.License'))).toBe(false);
    expect(built.empty.fillCommand).toBe(
      'aws secretsmanager put-secret-value --region eu-west-1 --secret-id acme/prod/license-key --secret-string file://secret-value.txt',
    );
  });

  it('grants GetSecretValue on the secret and Decrypt on its key via Secrets Manager', () => {
    const [read, decrypt] = built.app.readStatements();
    expect(read).toMatchObject({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'] });
    expect(decrypt).toEqual({
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: 'arn:aws:kms:eu-west-1:111111111111:key/k',
      Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
    });
  });
});

describe('EphemeralSecretValue across stacks', () => {
  it('refuses use in another stack with the construct paths and what to do', () => {
    const app = Testing.app();
    const secrets = new TerraformStack(app, 'secrets');
    const data = new TerraformStack(app, 'data');
    const value = new EphemeralSecretValue(secrets, 'Token', { kind: 'password' }).value;
    new Secret(data, 'Copy', {
      environment: env,
      name: 'acme/copy',
      value,
      kmsKeyArn: 'arn:aws:kms:eu-west-1:1:key/k',
    });
    expect(() => Testing.synth(data)).toThrow(
      'Stack data uses the ephemeral value secrets/Token/Random, which exists only in stack secrets. Ephemeral values cannot cross stacks',
    );
  });
});

describe('Secret validation', () => {
  const make = (props: Partial<SecretProps>) => () =>
    synth((s) => new Secret(s, 'S', { environment: env, name: 'acme/x', ...props }));

  it('rejects a literal value without echoing it', () => {
    expect(make({ value: 'super-secret' })).toThrow('test/S: invalid value "<literal value hidden>". Pass a token');
    expect(make({ value: 'super-secret' })).not.toThrow(/super-secret/);
  });

  it('rejects a JSON value made only of literals', () => {
    expect(make({ jsonValue: { user: 'a', password: 'b' } })).toThrow(
      'test/S: invalid jsonValue ["user","password"]. At least one field must be a token',
    );
  });

  it('rejects bad names, recovery windows and replica regions', () => {
    expect(make({ name: 'acme secret' })).toThrow('test/S: invalid name "acme secret". Use 1-512 letters');
    expect(make({ name: 'acme/db-abc123' })).toThrow('test/S: invalid name "acme/db-abc123".');
    expect(make({ recoveryWindowDays: 0 })).toThrow(
      'test/S: invalid recoveryWindowDays 0. Use a whole number from 7 to 30.',
    );
    expect(make({ replicaRegions: ['eu-west-1'] })).toThrow(
      'test/S: invalid replicaRegions "eu-west-1". A replica must be in another region',
    );
    expect(make({ replicaRegions: ['Frankfurt'] })).toThrow(
      'test/S: invalid replicaRegions "Frankfurt". Use a region name',
    );
  });

  it('rejects weak generated values and bad versions', () => {
    expect(() => synth((s) => new EphemeralSecretValue(s, 'G', { kind: 'password', length: 8 }))).toThrow(
      'test/G: invalid length 8. Use a whole number from 16 to 4096.',
    );
    expect(() => synth((s) => new EphemeralSecretValue(s, 'G', { kind: 'hex', byteLength: 8 }))).toThrow(
      'test/G: invalid byteLength 8. Use a whole number from 16 to 2048.',
    );
    expect(() => synth((s) => new EphemeralSecretValue(s, 'G', { kind: 'bytes' } as never))).toThrow(
      'test/G: invalid kind "bytes"',
    );
    const value = (s: TerraformStack) => new EphemeralSecretValue(s, 'G', { kind: 'password' }).value;
    expect(() =>
      synth((s) => new Secret(s, 'S', { environment: env, name: 'acme/x', value: value(s), valueVersion: 0 })),
    ).toThrow('test/S: invalid valueVersion 0. Use a whole number from 1 to');
    expect(make({ valueVersion: 2 })).toThrow(
      'test/S: invalid valueVersion 2. valueVersion versions a value; give value or jsonValue',
    );
  });
});
