import { Testing, TerraformStack } from 'cdktf';
import { GeneratedSecretValue, Secret, SecretProps } from '../src';
import { env, only, synth } from '@tts-ecs/testing';

describe('Secret with generated values', () => {
  let empty!: Secret;
  let app!: Secret;
  let json = '';
  const stack = new TerraformStack(Testing.app(), 'test');
  {
    const password = new GeneratedSecretValue(stack, 'DbPassword', { kind: 'password' });
    const blockKey = new GeneratedSecretValue(stack, 'BlockKey', { kind: 'bytes', byteLength: 32 });
    const hashKey = new GeneratedSecretValue(stack, 'HashKey', { kind: 'bytes', byteLength: 64, encoding: 'hex' });
    new Secret(stack, 'Cookie', { environment: env, name: 'acme/prod/eu1/cookie-block-key', value: blockKey.value });
    new Secret(stack, 'Hash', {
      environment: env,
      name: 'acme/prod/eu1/cookie-hash-key',
      value: hashKey.value,
      kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/k',
    });
    app = new Secret(stack, 'Db', {
      environment: env,
      name: 'acme/prod/eu1/db',
      jsonValue: { username: 'tts', password: password.value },
      kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/k',
    });
    empty = new Secret(stack, 'License', {
      environment: env,
      name: 'acme/prod/license-key',
      kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/k',
      replicaRegions: ['eu-central-1', { region: 'us-east-1', kmsKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/r' }],
    });
    json = Testing.synth(stack);
  }
  const resources = JSON.parse(json).resource;
  const secrets = resources.aws_secretsmanager_secret as Record<string, Record<string, unknown>>;
  const byName = (name: string) => Object.values(secrets).find((s) => s.name === name)!;

  it('generates a 32-character password and random bytes with the random provider', () => {
    expect(only(resources, 'random_password')).toMatchObject({
      length: 32,
      special: true,
      override_special: '!#$%&*()-_=+[]{}<>:?',
    });
    expect(
      Object.values(resources.random_bytes)
        .map((b) => (b as { length: number }).length)
        .sort(),
    ).toEqual([32, 64]);
  });

  it('stores values by reference only: no secret appears literally', () => {
    const strings = (Object.values(resources.aws_secretsmanager_secret_version) as { secret_string: string }[]).map(
      (v) => v.secret_string,
    );
    expect(strings).toHaveLength(3);
    expect(
      strings.some((v) =>
        /^\$\{jsonencode\(\{"username" = "tts", "password" = random_password\..*\.result\}\)\}$/.test(v),
      ),
    ).toBe(true);
    expect(strings.some((v) => /^\$\{random_bytes\..*\.base64\}$/.test(v))).toBe(true);
    expect(strings.some((v) => /^\$\{random_bytes\..*\.hex\}$/.test(v))).toBe(true);
  });

  it('encrypts with a customer key, keeps a 30-day recovery window and refuses terraform destroy', () => {
    const cookie = byName('acme/prod/eu1/cookie-block-key');
    expect(cookie.kms_key_id).toMatch(/aws_kms_key\..*\.arn/);
    for (const s of Object.values(secrets))
      expect(s).toMatchObject({ recovery_window_in_days: 30, lifecycle: { prevent_destroy: true } });
  });

  it('replicates with a regional key or the AWS managed default', () => {
    expect(byName('acme/prod/license-key').replica).toEqual([
      { region: 'eu-central-1' },
      { region: 'us-east-1', kms_key_id: 'arn:aws:kms:us-east-1:111111111111:key/r' },
    ]);
  });

  it('leaves an operator-filled secret empty and says how to fill it', () => {
    expect(Object.keys(resources.aws_secretsmanager_secret_version)).toHaveLength(3);
    expect(empty.fillCommand).toBe(
      'aws secretsmanager put-secret-value --region eu-west-1 --secret-id acme/prod/license-key --secret-string file://secret-value.txt',
    );
  });

  it('grants GetSecretValue on the secret and Decrypt on its key via Secrets Manager', () => {
    const [read, decrypt] = app.readStatements();
    expect(read).toMatchObject({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'] });
    expect(decrypt).toEqual({
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: 'arn:aws:kms:eu-west-1:111111111111:key/k',
      Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
    });
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

  it('rejects weak or unsafe generated passwords and odd byte lengths', () => {
    expect(() => synth((s) => new GeneratedSecretValue(s, 'G', { kind: 'password', length: 8 }))).toThrow(
      'test/G: invalid length 8. Use a whole number from 16 to 256.',
    );
    expect(() => synth((s) => new GeneratedSecretValue(s, 'G', { kind: 'password', overrideSpecial: '@!' }))).toThrow(
      'test/G: invalid overrideSpecial "@!". Leave out @',
    );
    expect(() => synth((s) => new GeneratedSecretValue(s, 'G', { kind: 'bytes', byteLength: 8 }))).toThrow(
      'test/G: invalid byteLength 8. Use a whole number from 16 to 512.',
    );
  });
});
