import { SecureBucket } from '../src';
import { env, inNamedTest, only, synth } from '@tts-ecs/testing';

describe('SecureBucket defaults', () => {
  let bucket!: SecureBucket;
  const resources = synth((stack) => {
    bucket = new SecureBucket(stack, 'Config', { environment: env, bucketName: 'acme-prod-config' });
    bucket.addSeedObject('Seed', 'config.yml');
  });
  const policy = inNamedTest('reads the bucket policy', () =>
    JSON.parse(only(resources, 'aws_s3_bucket_policy').policy as string),
  );

  it('never force-destroys and refuses terraform destroy', () => {
    expect(only(resources, 'aws_s3_bucket')).toMatchObject({
      bucket: 'acme-prod-config',
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
  });

  it('encrypts with a new customer-managed key and a bucket key', () => {
    const rule = (
      only(resources, 'aws_s3_bucket_server_side_encryption_configuration').rule as Record<string, unknown>[]
    )[0];
    expect(rule).toMatchObject({
      apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms' },
      bucket_key_enabled: true,
    });
    expect((rule.apply_server_side_encryption_by_default as Record<string, string>).kms_master_key_id).toMatch(
      /aws_kms_key\..*\.arn/,
    );
    expect(only(resources, 'aws_kms_key').enable_key_rotation).toBe(true);
  });

  it('versions objects, blocks all public access and disables ACLs', () => {
    expect(only(resources, 'aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
    expect(only(resources, 'aws_s3_bucket_public_access_block')).toMatchObject({
      block_public_acls: true,
      ignore_public_acls: true,
      block_public_policy: true,
      restrict_public_buckets: true,
    });
    expect(only(resources, 'aws_s3_bucket_ownership_controls').rule).toEqual({
      object_ownership: 'BucketOwnerEnforced',
    });
  });

  it('denies every request without TLS, and with TLS older than 1.2', () => {
    expect(policy.Statement).toEqual([
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: ['arn:aws:s3:::acme-prod-config', 'arn:aws:s3:::acme-prod-config/*'],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
      {
        Sid: 'DenyOutdatedTls',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: ['arn:aws:s3:::acme-prod-config', 'arn:aws:s3:::acme-prod-config/*'],
        Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } },
      },
    ]);
  });

  it('keeps its key as long as the bucket (prevent_destroy on both by default)', () => {
    expect(only(resources, 'aws_kms_key').lifecycle).toEqual({ prevent_destroy: true });
  });

  it('expires non-current versions after 90 days and aborts uploads after 7', () => {
    const rule = (only(resources, 'aws_s3_bucket_lifecycle_configuration').rule as Record<string, unknown>[])[0];
    expect(rule).toMatchObject({
      status: 'Enabled',
      noncurrent_version_expiration: [{ noncurrent_days: 90 }],
      abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
    });
    // Current objects are kept until deleted unless expirationDays is given.
    expect(rule.expiration).toBeUndefined();
  });

  it('seeds objects once and ignores later content changes', () => {
    const object = only(resources, 'aws_s3_object');
    expect(object).toMatchObject({ key: 'config.yml', content: '' });
    expect((object.lifecycle as { ignore_changes: string[] }).ignore_changes).toEqual(
      expect.arrayContaining(['content', 'etag']),
    );
  });

  it('returns read and read-write statements scoped to the bucket and its key', () => {
    const read = bucket.readStatements('interop/');
    expect(read[0]).toEqual({
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Resource: 'arn:aws:s3:::acme-prod-config/interop/*',
    });
    expect(read[1]).toEqual({
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: 'arn:aws:s3:::acme-prod-config',
      Condition: { StringLike: { 's3:prefix': 'interop/*' } },
    });
    expect(read[2]).toMatchObject({ Action: ['kms:Decrypt'] });
    const write = bucket.readWriteStatements();
    expect(write[0].Action).toContain('s3:PutObject');
    expect(write[0].Resource).toBe('arn:aws:s3:::acme-prod-config/*');
    expect(write[2].Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
  });
});

describe('SecureBucket for NLB access logs with its own key', () => {
  const resources = synth((stack) => {
    const logs = new SecureBucket(stack, 'Logs', {
      environment: env,
      bucketName: 'acme-prod-nlb-logs',
      accessLogs: { targetBucket: 'acme-s3-logs' },
    });
    logs.allowLogDelivery({ prefix: 'nlb' });
    logs.allowLogDelivery({ prefix: 'nlb' });
    logs.allowLogDelivery({ prefix: 'nlb2' });
  });
  const policy = inNamedTest('reads the bucket policy', () =>
    JSON.parse(only(resources, 'aws_s3_bucket_policy').policy as string),
  );

  it('admits delivery.logs.amazonaws.com to the AWSLogs/<account>/ prefix of this account only', () => {
    const write = policy.Statement.find(
      (s: { Resource: string }) => s.Resource === 'arn:aws:s3:::acme-prod-nlb-logs/nlb/AWSLogs/111111111111/*',
    );
    expect(write).toMatchObject({
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Resource: 'arn:aws:s3:::acme-prod-nlb-logs/nlb/AWSLogs/111111111111/*',
      Condition: {
        StringEquals: { 'aws:SourceAccount': '111111111111', 's3:x-amz-acl': 'bucket-owner-full-control' },
        ArnLike: { 'aws:SourceArn': 'arn:aws:logs:eu-west-1:111111111111:*' },
      },
    });
    const acl = policy.Statement.find((s: { Action: string }) => s.Action === 's3:GetBucketAcl');
    expect(acl).toMatchObject({
      Resource: 'arn:aws:s3:::acme-prod-nlb-logs',
      Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
    });
  });

  it('keeps statement ids unique when called repeatedly', () => {
    const sids = policy.Statement.map((s: { Sid: string }) => s.Sid);
    expect(new Set(sids).size).toBe(sids.length);
    expect(sids).toHaveLength(5); // two TLS denies (no TLS, TLS < 1.2), one ACL check, two write prefixes
  });

  it('lets the log delivery service use the bucket key', () => {
    const keyPolicy = JSON.parse(only(resources, 'aws_kms_key').policy as string);
    expect(keyPolicy.Statement.map((s: { Principal: { Service?: string } }) => s.Principal.Service)).toContain(
      'delivery.logs.amazonaws.com',
    );
  });

  it('delivers its own server access logs', () => {
    expect(only(resources, 'aws_s3_bucket_logging')).toMatchObject({
      target_bucket: 'acme-s3-logs',
      target_prefix: 'acme-prod-nlb-logs/',
    });
  });
});

describe('the public-read warning', () => {
  const warningsOf = (prefix?: string): string[] => {
    let messages: string[] = [];
    synth((stack) => {
      const bucket = new SecureBucket(stack, 'Pictures', {
        environment: env,
        bucketName: 'acme-profile-pictures',
        encryption: 's3-managed',
      });
      bucket.allowPublicObjectRead(prefix === undefined ? {} : { prefix });
      messages = bucket.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
    });
    return messages;
  };

  it('names the bucket, not a construct path, and reads well without a prefix', () => {
    expect(warningsOf()).toEqual([
      'Every object of bucket acme-profile-pictures is publicly readable by URL, by design.',
    ]);
    expect(warningsOf('public/')).toEqual([
      'Objects under "public/" in bucket acme-profile-pictures are publicly readable by URL, by design.',
    ]);
  });
});

describe('SecureBucket with public object read (documented exception)', () => {
  const resources = synth((stack) => {
    const pictures = new SecureBucket(stack, 'Pictures', {
      environment: env,
      bucketName: 'acme-profile-pictures',
      encryption: 's3-managed',
    });
    pictures.allowPublicObjectRead({ prefix: 'public/' });
    new SecureBucket(stack, 'AccessLogs', {
      environment: env,
      bucketName: 'acme-s3-access-logs',
      encryption: 's3-managed',
    }).allowServerAccessLogs(['acme-profile-pictures'], 'pictures/');
  });
  const policies = () => Object.values(resources.aws_s3_bucket_policy).map((p) => JSON.parse(p.policy as string));
  const isPublicRead = (p: { Statement: { Sid: string }[] }) => p.Statement.some((s) => s.Sid === 'PublicObjectRead');
  const policy = inNamedTest('reads the public-read policy', () => policies().find(isPublicRead));
  const logsPolicy = inNamedTest('reads the access log policy', () => policies().find((p) => !isPublicRead(p)));

  it('uses SSE-S3 and creates no key', () => {
    for (const config of Object.values(resources.aws_s3_bucket_server_side_encryption_configuration)) {
      expect((config.rule as Record<string, unknown>[])[0].apply_server_side_encryption_by_default).toEqual({
        sse_algorithm: 'AES256',
      });
    }
    expect(resources.aws_kms_key).toBeUndefined();
  });

  it('allows anonymous GetObject under the prefix only, never list or write', () => {
    const publicStatements = policy.Statement.filter(
      (s: { Principal: unknown; Effect: string }) => s.Principal === '*' && s.Effect === 'Allow',
    );
    expect(publicStatements).toEqual([
      {
        Sid: 'PublicObjectRead',
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::acme-profile-pictures/public/*',
      },
    ]);
  });

  it('relaxes only the policy half of the public access block', () => {
    const blocks = Object.values(resources.aws_s3_bucket_public_access_block);
    expect(blocks.filter((b) => b.block_public_policy === true)).toHaveLength(1); // the access log bucket stays closed
    expect(blocks.find((b) => b.block_public_policy === false)).toMatchObject({
      block_public_acls: true,
      ignore_public_acls: true,
      block_public_policy: false,
      restrict_public_buckets: false,
    });
    for (const p of Object.values(resources.aws_s3_bucket_policy))
      expect(p.depends_on).toEqual([expect.stringMatching(/aws_s3_bucket_public_access_block/)]);
  });

  it('admits S3 server access logs from the named source bucket of this account', () => {
    expect(logsPolicy.Statement[2]).toMatchObject({
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::acme-s3-access-logs/pictures/*',
      Condition: {
        ArnLike: { 'aws:SourceArn': ['arn:aws:s3:::acme-profile-pictures'] },
        StringEquals: { 'aws:SourceAccount': '111111111111' },
      },
    });
  });
});

describe('SecureBucket as a log bucket (objects expire)', () => {
  const resources = synth((stack) =>
    new SecureBucket(stack, 'Logs', {
      environment: env,
      bucketName: 'acme-s3-logs',
      encryption: 's3-managed',
      expirationDays: 365,
      noncurrentVersionExpirationDays: 30,
    }).allowServerAccessLogs(['acme-prod-*']),
  );

  it('expires current objects after expirationDays and non-current ones after their own limit', () => {
    const rule = (only(resources, 'aws_s3_bucket_lifecycle_configuration').rule as Record<string, unknown>[])[0];
    expect(rule).toMatchObject({
      expiration: [{ days: 365 }],
      noncurrent_version_expiration: [{ noncurrent_days: 30 }],
    });
  });

  it('admits S3 server access logs from the named buckets (patterns allowed) of its account only', () => {
    const statement = JSON.parse(only(resources, 'aws_s3_bucket_policy').policy as string).Statement.find(
      (st: { Sid: string }) => st.Sid === 'S3ServerAccessLogs',
    );
    expect(statement).toMatchObject({
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::acme-s3-logs/*',
      Condition: {
        ArnLike: { 'aws:SourceArn': ['arn:aws:s3:::acme-prod-*'] },
        StringEquals: { 'aws:SourceAccount': '111111111111' },
      },
    });
  });
});

describe('SecureBucket validation', () => {
  const make = (bucketName: string) => () => synth((s) => new SecureBucket(s, 'B', { environment: env, bucketName }));

  it.each([
    ['ab', 'Bucket names are 3 to 63 characters long.'],
    ['Acme-Config', 'Use only lower-case letters, digits and hyphens, starting and ending with a letter or digit.'],
    ['acme-config-', 'Use only lower-case letters, digits and hyphens, starting and ending with a letter or digit.'],
    ['acme.config', 'Use hyphens instead of dots: dots break TLS for virtual-hosted-style bucket URLs.'],
    ['xn--acme', 'Names starting with "xn--" are reserved by S3.'],
    ['acme-s3alias', 'Names ending with "-s3alias" are reserved by S3.'],
  ])('rejects bucket name %j', (name, fix) => {
    expect(make(name)).toThrow(`test/B: invalid bucketName ${JSON.stringify(name)}. ${fix}`);
  });

  it('rejects an expiration outside 1-36500 days', () => {
    expect(() =>
      synth((st) => new SecureBucket(st, 'B', { environment: env, bucketName: 'acme-logs', expirationDays: 0 })),
    ).toThrow('test/B: invalid expirationDays 0. Use a whole number from 1 to 36500.');
  });

  it('rejects an account id that is not 12 digits before anything else', () => {
    expect(() =>
      synth((s) => new SecureBucket(s, 'B', { environment: { ...env, accountId: '1111' }, bucketName: 'acme-pics' })),
    ).toThrow('test/B: invalid environment.accountId "1111". Give the 12-digit AWS account id');
  });

  it('rejects public read on a KMS-encrypted bucket', () => {
    expect(() =>
      synth((s) => new SecureBucket(s, 'B', { environment: env, bucketName: 'acme-pics' }).allowPublicObjectRead()),
    ).toThrow('test/B: invalid encryption "kms". allowPublicObjectRead needs encryption "s3-managed"');
  });

  it('rejects server access log delivery to a KMS-encrypted bucket', () => {
    expect(() =>
      synth((s) =>
        new SecureBucket(s, 'B', { environment: env, bucketName: 'acme-logs' }).allowServerAccessLogs(['acme-config']),
      ),
    ).toThrow(
      'test/B: invalid encryption "kms". S3 server access logs can only be delivered to a bucket with encryption "s3-managed".',
    );
  });

  it('rejects a KMS key with S3-managed encryption', () => {
    expect(() =>
      synth(
        (s) =>
          new SecureBucket(s, 'B', {
            environment: env,
            bucketName: 'acme-pics',
            encryption: 's3-managed',
            kmsKeyArn: 'arn:k',
          }),
      ),
    ).toThrow('test/B: invalid kmsKeyArn "arn:k". A KMS key is only used with encryption "kms"');
  });

  it('rejects a log delivery prefix containing AWSLogs', () => {
    expect(() =>
      synth((s) =>
        new SecureBucket(s, 'B', { environment: env, bucketName: 'acme-logs' }).allowLogDelivery({
          prefix: 'x/AWSLogs',
        }),
      ),
    ).toThrow('test/B: invalid allowLogDelivery.prefix "x/AWSLogs". Give the prefix without leading or trailing "/"');
  });

  it('rejects a non-current expiry of 0 days', () => {
    expect(() =>
      synth(
        (s) =>
          new SecureBucket(s, 'B', { environment: env, bucketName: 'acme-logs', noncurrentVersionExpirationDays: 0 }),
      ),
    ).toThrow('test/B: invalid noncurrentVersionExpirationDays 0. Use a whole number from 1 to 36500.');
  });
});
