// patches/cdktf@0.21.0.patch lets a stack's toTerraform() reuse what prepareStack() resolved, instead of building and
// resolving every element twice, and skip resolving the merged result again when the stack's overrides hold no token. These tests hold it to stock behaviour: the same bytes with and without the reuse
// (CDKTF_REUSE_PREPARED=0 turns it off) on stacks with cross-stack references and lazy values, and no reuse where an
// aspect may change an element between prepare and synthesize.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Annotations, App, Aspects, IAspect, Lazy, TerraformOutput, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { inNamedTest } from '@tts-ecs/testing';

/** Every file an app writes, relative path -> content. */
function synthesize(build: (app: App) => void, reuse: boolean): Map<string, string> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-prepared-'));
  const previous = process.env.CDKTF_REUSE_PREPARED;
  process.env.CDKTF_REUSE_PREPARED = reuse ? '1' : '0';
  try {
    const app = new App({ outdir, stackTraces: false });
    build(app);
    app.synth();
    return new Map(
      (fs.readdirSync(outdir, { recursive: true }) as string[])
        .filter((f) => fs.statSync(path.join(outdir, f)).isFile())
        .map((f) => [f, fs.readFileSync(path.join(outdir, f), 'utf8')]),
    );
  } finally {
    if (previous === undefined) delete process.env.CDKTF_REUSE_PREPARED;
    else process.env.CDKTF_REUSE_PREPARED = previous;
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Three stacks, each reading the ones before (cdktf adds outputs and remote states while preparing). */
function crossStack(app: App): void {
  const network = new TerraformStack(app, 'network');
  new AwsProvider(network, 'aws', { region: 'eu-west-1' });
  const vpc = new Vpc(network, 'vpc', { cidrBlock: '10.0.0.0/16' });
  network.addOverride('locals.vpc_id', vpc.id); // an override holding a token: resolved with the rest
  const data = new TerraformStack(app, 'data');
  data.addOverride('terraform.required_version', '>= 1.10'); // plain overrides: merged as they are
  new AwsProvider(data, 'aws', { region: 'eu-west-1' });
  const group = new SecurityGroup(data, 'sg', { vpcId: vpc.id, name: 'sg', description: 'data' });
  const compute = new TerraformStack(app, 'compute');
  new AwsProvider(compute, 'aws', { region: 'eu-west-1' });
  const names: string[] = [];
  new S3Bucket(compute, 'logs', {
    bucket: 'acme-logs',
    tags: { group: group.id, vpc: vpc.id, names: Lazy.stringValue({ produce: () => names.join(',') }) },
  });
  names.push('a', 'b'); // a lazy value filled after the bucket was declared
  new TerraformOutput(compute, 'sg_id', { value: group.id });
}

it('writes the same bytes with and without reusing the prepared resolution, cross-stack references included', () => {
  const reused = synthesize(crossStack, true);
  const stock = synthesize(crossStack, false);
  expect([...reused.keys()].sort()).toEqual([...stock.keys()].sort());
  for (const [file, text] of stock) expect({ file, text: reused.get(file) }).toEqual({ file, text });
  const compute = JSON.parse(reused.get(path.join('stacks', 'compute', 'cdk.tf.json')) ?? '{}');
  expect(compute.resource.aws_s3_bucket.logs.tags.names).toBe('a,b');
  expect(Object.keys(compute.data.terraform_remote_state)).toHaveLength(2); // reads network and data
  expect(compute.output.sg_id.value).toMatch(/^\$\{data\.terraform_remote_state\./);
  const network = JSON.parse(reused.get(path.join('stacks', 'network', 'cdk.tf.json')) ?? '{}');
  expect(network.locals.vpc_id).toBe('${aws_vpc.vpc.id}');
  const data = JSON.parse(reused.get(path.join('stacks', 'data', 'cdk.tf.json')) ?? '{}');
  expect(data.terraform.required_version).toBe('>= 1.10');
});

it('resolves again what an aspect may have changed after prepare', () => {
  const withAspect = (app: App): void => {
    const stack = new TerraformStack(app, 'tagged');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    new S3Bucket(stack, 'bucket', { bucket: 'acme-bucket' });
    const aspect: IAspect = {
      visit: (node: IConstruct) => {
        if (node instanceof S3Bucket) node.tags = { ChangedBy: 'aspect' };
        if (node instanceof S3Bucket) Annotations.of(node).addInfo('tagged');
      },
    };
    Aspects.of(stack).add(aspect);
  };
  const json = JSON.parse(synthesize(withAspect, true).get(path.join('stacks', 'tagged', 'cdk.tf.json')) ?? '{}');
  expect(json.resource.aws_s3_bucket.bucket.tags).toEqual({ ChangedBy: 'aspect' });
});

// The patch reads aspects without giving every construct an Aspects object, and walks for none until one was added
// (the lazy test file synthesizes an asset, the other user of a synthesis-time walk, in a fresh process).
describe('aspects, read without giving every construct an Aspects object', () => {
  const visits: string[] = [];
  // One app, one synth: a stack whose aspect sits deep in the tree, and one whose aspect adds another while visiting.
  const synthesized = inNamedTest('synthesizes a stack with a deep aspect and one that adds an aspect', () => ({
    files: synthesize((app: App): void => {
      const deep = new TerraformStack(app, 'deep');
      new AwsProvider(deep, 'aws', { region: 'eu-west-1' });
      const group = new Vpc(deep, 'vpc', { cidrBlock: '10.0.0.0/16' });
      new S3Bucket(deep, 'outside', { bucket: 'outside' });
      const inner = new S3Bucket(group, 'inside', { bucket: 'inside' });
      // Only on a construct below the stack: hasAspects() must find it for the change to be resolved again.
      Aspects.of(group).add({
        visit: (node: IConstruct) => {
          visits.push(node.node.path);
          if (node === inner) inner.tags = { ChangedBy: 'deep aspect' };
        },
      });
      const nested = new TerraformStack(app, 'nested');
      new AwsProvider(nested, 'aws', { region: 'eu-west-1' });
      const bucket = new S3Bucket(nested, 'bucket', { bucket: 'b' });
      Aspects.of(bucket).add({
        visit: (node: IConstruct) => {
          if (node === bucket) Aspects.of(bucket).add({ visit: () => undefined });
        },
      });
    }, true),
  }));
  const files = (): Map<string, string> => synthesized.files;

  it('visits each construct below the scope they were added to once, and sees an aspect added deep down', () => {
    const json = JSON.parse(files().get(path.join('stacks', 'deep', 'cdk.tf.json')) ?? '{}');
    const inside = Object.values(json.resource.aws_s3_bucket as Record<string, { bucket: string; tags?: object }>);
    expect(inside.find((b) => b.bucket === 'inside')?.tags).toEqual({ ChangedBy: 'deep aspect' });
    expect(inside.find((b) => b.bucket === 'outside')?.tags).toBeUndefined();
    expect(visits).toEqual(['deep/vpc', 'deep/vpc/inside']);
  });

  it('warns, as stock cdktf does, when an aspect adds another aspect while visiting', () => {
    const manifest = JSON.parse(files().get('manifest.json') ?? '{}');
    const messages = manifest.stacks.nested.annotations.map((a: { message: string }) => a.message);
    expect(messages).toContain('We detected an Aspect was added via another Aspect, and will not be applied');
  });
});
