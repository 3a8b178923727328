// Small fast paths of patches/cdktf@0.21.0.patch, each held to what stock cdktf computes:
// - each element's resolved fragment merges into its stack's configuration by taking the fragment's objects where
//   the stack has nothing yet, instead of copying them member by member (deepMerge): lists of blocks from several
//   elements (two providers of one type) must still concatenate, and overrides still apply on top;
// - an element's metadata path is built from its parent's, kept per construct, instead of from all its scopes;
// - snakeCase keeps the names it converted;
// - logical ids hash their construct path with Node's one-shot crypto.hash instead of a Hash object per element.
import { App, TerraformOutput, TerraformStack, Token } from 'cdktf';
import { deepMerge, snakeCase } from 'cdktf/lib/util';
import { makeUniqueId } from 'cdktf/lib/private/unique';
import { createHash } from 'crypto';
import { Construct } from 'constructs';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// App creates its output folder; nothing is written to it here.
let outdir: string;
beforeEach(() => (outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-fast-paths-'))));
afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));
import { resolve } from 'cdktf/lib/_tokens';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';

it('builds the same configuration as deepMerge of the resolved fragments, overrides last', () => {
  const app = new App({ outdir, stackTraces: false });
  const stack = new TerraformStack(app, 'merge');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const us = new AwsProvider(stack, 'us', { region: 'us-east-1', alias: 'us' });
  const region = new DataAwsRegion(stack, 'region', { provider: us });
  const logs = new S3Bucket(stack, 'logs', { bucket: 'logs', tags: { region: region.name } });
  new S3Bucket(stack, 'data', { bucket: 'data', provider: us, lifecycle: { preventDestroy: true } });
  const versioning = new S3BucketVersioningA(stack, 'versioning', {
    bucket: logs.id,
    versioningConfiguration: { status: 'Enabled' },
  });
  versioning.addOverride('versioning_configuration.mfa_delete', 'Disabled');
  new TerraformOutput(stack, 'bucket', { value: logs.arn });
  stack.addOverride('terraform.required_version', '>= 1.11');
  stack.addOverride('locals.count', Token.asNumber(2));

  const actual = stack.toTerraform() as Record<string, unknown>;
  const elements = stack.node
    .findAll()
    .filter((c) => typeof (c as { toTerraform?: unknown }).toTerraform === 'function' && c !== stack);
  const expected = {} as Record<string, unknown>;
  for (const element of elements) deepMerge(expected, resolve(stack, (element as TerraformStack).toTerraform()));
  deepMerge(expected, (stack as unknown as { rawOverrides: object }).rawOverrides);
  const sections = ['provider', 'data', 'resource', 'output', 'terraform', 'locals'];
  const pick = (tf: Record<string, unknown>) => Object.fromEntries(sections.map((s) => [s, tf[s]]));
  expect(pick(actual)).toEqual(pick(resolve(stack, expected) as Record<string, unknown>));
  expect((actual.provider as { aws: unknown[] }).aws).toHaveLength(2); // two blocks, concatenated
  expect(Object.keys((actual.resource as { aws_s3_bucket: object }).aws_s3_bucket)).toEqual(['logs', 'data']);
});

it('gives each element the metadata path of its node, however deep', () => {
  const app = new App({ outdir, stackTraces: false });
  const stack = new TerraformStack(app, 'paths');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  let scope: Construct = stack;
  for (const id of ['a', 'b', 'Default', 'c']) scope = new Construct(scope, id);
  const deep = new S3Bucket(scope, 'bucket', { bucket: 'deep' });
  const top = new S3Bucket(stack, 'top', { bucket: 'top' });
  // The metadata cdktf writes under "//" of each resource in cdk.tf.json.
  const pathOf = (e: S3Bucket) => {
    const tf = resolve(stack, e.toTerraform()) as {
      resource: { aws_s3_bucket: Record<string, { '//': { metadata: { path: string } } }> };
    };
    return Object.values(tf.resource.aws_s3_bucket)[0]['//'].metadata.path;
  };
  expect([pathOf(deep), pathOf(top), pathOf(deep)]).toEqual([deep.node.path, top.node.path, deep.node.path]);
  expect(deep.node.path).toBe('paths/a/b/Default/c/bucket');
});

it('converts names to snake case as stock cdktf does, the first time and again', () => {
  // cdktf 0.21.0's snakeCase, as published.
  const stock = (str: string) =>
    str
      ? String(str)
          .replace(/^[^A-Za-z0-9]*|[^A-Za-z0-9]*$/g, '')
          .replace(/([a-z0-9])([A-Z])/g, (_m, a: string, b: string) => a + '_' + b.toLowerCase())
          .replace(/[^A-Za-z0-9]+|_+/g, '_')
          .toLowerCase()
      : '';
  const names = ['dependsOn', 'forEach', 'XMLHttp', '__weird--Name__', 'a1B2', '', 'already_snake', 'ID'];
  expect(names.map((n) => snakeCase(n))).toEqual(names.map(stock));
  expect(names.map((n) => snakeCase(n))).toEqual(names.map(stock));
});

it('gives logical ids the md5 of their path that stock cdktf gives (with crypto.hash where Node has it)', () => {
  const md5 = (text: string) => createHash('md5').update(text).digest('hex').slice(0, 8).toUpperCase();
  const cases: [string[], string][] = [
    [['Compute', 'Service-router', 'Task', 'TaskDefinition'], 'Compute_Service-router_Task_TaskDefinition'],
    [['Network', 'Vpc'], 'Network_Vpc'],
    [['Data', 'Bucket', 'Resource'], 'Data_Bucket'], // "Resource" is hashed, not shown
    [['Émoji 😀', 'x'], 'moji_x'], // hashed as UTF-8, shown without what ids may not hold
  ];
  for (const [path, human] of cases) expect(makeUniqueId(path)).toBe(`${human}_${md5(path.join('/'))}`);
  expect(typeof (require('crypto') as { hash?: unknown }).hash).toBe('function'); // the fast path is taken here
});
