import { MOCK_CREDENTIALS_ENV, offlineGoEnv, offlineOverride } from '../src';

describe('offlineOverride', () => {
  const stack = {
    terraform: { backend: { s3: { bucket: 'acme-tfstate', key: 'prod/eu1/network.tfstate', region: 'eu-west-1' } } },
    provider: {
      aws: [
        { region: 'eu-west-1', allowed_account_ids: ['111111111111'] },
        {
          alias: 'us',
          region: 'us-east-1',
          allowed_account_ids: ['111111111111'],
          assume_role: [{ role_arn: 'arn:aws:iam::111111111111:role/deploy' }],
        },
      ],
      random: [{}],
    },
  };
  const override = offlineOverride(stack) as {
    terraform: unknown;
    provider: { aws: Record<string, unknown>[]; random?: unknown };
  };

  it('replaces the S3 backend with a local one in the work dir', () => {
    expect(override.terraform).toEqual({ backend: { local: { path: 'terraform.tfstate' } } });
  });

  it('makes every AWS provider, aliased ones included, configure without any AWS call', () => {
    expect(override.provider.aws.map((p) => p.alias)).toEqual([undefined, 'us']);
    for (const p of override.provider.aws) {
      expect(p).toMatchObject({
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
        skip_region_validation: true,
        access_key: 'mock_access_key',
        secret_key: 'mock_secret_key',
        allowed_account_ids: null,
      });
    }
  });

  it('neutralises assume_role only where the stack sets it, and leaves other providers alone', () => {
    expect(override.provider.aws[0]).not.toHaveProperty('assume_role');
    expect(override.provider.aws[1].assume_role).toEqual([{ role_arn: '' }]);
    expect(override.provider.random).toBeUndefined();
  });

  it('overrides only the backend of a stack without AWS provider', () => {
    expect(offlineOverride({ terraform: {} })).toEqual({
      terraform: { backend: { local: { path: 'terraform.tfstate' } } },
    });
  });

  it('gives the child processes fake credentials and no profile or instance metadata', () => {
    expect(MOCK_CREDENTIALS_ENV).toMatchObject({
      AWS_ACCESS_KEY_ID: 'mock_access_key',
      AWS_PROFILE: '',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
  });
});

describe('offlineGoEnv', () => {
  it("lets verify's Go processes grow their heaps further between collections, unless the user chose GOGC", () => {
    expect(offlineGoEnv({})).toEqual({ GOGC: '200' });
    expect(offlineGoEnv({ GOGC: '50' })).toEqual({});
    expect(offlineGoEnv({ GOGC: 'off' })).toEqual({});
  });
});
