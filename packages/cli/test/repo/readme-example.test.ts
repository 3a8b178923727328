import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// The README's "Using the constructs in your own project" example, run exactly as written.
const ROOT = path.join(__dirname, '../../../..');

function readmeExample(): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Using the constructs in your own project'));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error('README has no ts example under "Using the constructs in your own project"');
  return match[1];
}

describe('the README consumer example', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-example-'));
  // Beside the packages, so its imports resolve as in a consumer's project (jest compiles it like any test file).
  const file = path.join(ROOT, 'packages/testing', `readme-example-${process.pid}.ts`);
  afterAll(() => {
    fs.rmSync(file, { force: true });
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  it('synthesizes a stack with the provider, the network and the bucket', () => {
    fs.writeFileSync(file, readmeExample());
    process.env.CDKTF_OUTDIR = outdir;
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    jest.isolateModules(() => require(file));
    log.mockRestore();
    delete process.env.CDKTF_OUTDIR;
    const stack = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'shop-prod', 'cdk.tf.json'), 'utf8'));
    expect(stack.provider.aws[0]).toMatchObject({ region: 'eu-west-1', allowed_account_ids: ['123456789012'] });
    expect(Object.keys(stack.resource)).toEqual(expect.arrayContaining(['aws_vpc', 'aws_s3_bucket']));
  });
});
