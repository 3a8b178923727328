// patches/cdktf@0.21.0.patch merges each element's resolved fragment into its stack's configuration by taking the
// fragment's objects where the stack has nothing yet, instead of copying them member by member (cdktf's deepMerge).
// This test holds the result to deepMerge's: lists of blocks from several elements (two providers of one type)
// still concatenate, elements of one type share a map, and overrides still apply on top.
import { App, TerraformOutput, TerraformStack, Token } from 'cdktf';
import { deepMerge } from 'cdktf/lib/util';
import { resolve } from 'cdktf/lib/_tokens';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';

it('builds the same configuration as deepMerge of the resolved fragments, overrides last', () => {
  const app = new App({ outdir: '/tmp/unused-cdktf-patch-merge', stackTraces: false });
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
