import { TerraformStack, Testing } from 'cdktf';

// A consumer without the optional peer @cdktf/provider-random: the package loads, and only generating a value asks for it.
const missing = () => {
  throw Object.assign(new Error("Cannot find module '@cdktf/provider-random'"), { code: 'MODULE_NOT_FOUND' });
};

describe('@tts-ecs/data without @cdktf/provider-random', () => {
  beforeEach(() => {
    jest.resetModules();
    jest.doMock('@cdktf/provider-random/lib/password', missing);
    jest.doMock('@cdktf/provider-random/lib/bytes', missing);
  });
  afterEach(() => jest.dontMock('@cdktf/provider-random/lib/password').dontMock('@cdktf/provider-random/lib/bytes'));

  it('loads, and SecureBucket works', () => {
    const data = require('../src');
    const stack = new TerraformStack(Testing.app(), 'test');
    new data.SecureBucket(stack, 'B', {
      environment: { accountId: '111111111111', region: 'eu-west-1' },
      bucketName: 'acme-b',
    });
    expect(JSON.parse(Testing.synth(stack)).resource.aws_s3_bucket).toBeDefined();
  });

  it('says what to install when a value is generated', () => {
    const data = require('../src');
    const stack = new TerraformStack(Testing.app(), 'test');
    expect(() => new data.GeneratedSecretValue(stack, 'Value', { kind: 'bytes', byteLength: 32 })).toThrow(
      'test/Value: GeneratedSecretValue needs the optional peer dependency @cdktf/provider-random (12.0.1). Install it: npm install @cdktf/provider-random@12.0.1',
    );
  });
});
