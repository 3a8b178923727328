// Small fast paths of patches/cdktf@0.21.0.patch, each held to what stock cdktf computes:
// - each element's resolved fragment merges into its stack's configuration by taking the fragment's objects where
//   the stack has nothing yet, instead of copying them member by member (deepMerge): lists of blocks from several
//   elements (two providers of one type) must still concatenate, and overrides still apply on top;
// - an element's metadata path is built from its parent's, kept per construct, instead of from all its scopes;
// - snakeCase keeps the names it converted;
// - logical ids hash their construct path with Node's one-shot crypto.hash instead of a Hash object per element,
//   and collect the ids below the stack walking up from the element instead of listing all its scopes;
// - an element looks its stack up once; TerraformStack.findAll walks synchronously (stock: an async function per
//   construct that awaits nothing);
// - the forEach-and-count check of resources and data sources builds its message only when it fails;
// - processDynamicAttributes lists keys without an array per attribute; Token.isUnresolved answers strings without
//   the token marker and numbers above every token double at once;
// - validation errors and annotations are collected in one array each.
import { Annotations, App, TerraformIterator, TerraformOutput, TerraformStack, Token } from 'cdktf';
import { TerraformDynamicBlock } from 'cdktf/lib/terraform-dynamic-block';
import { deepMerge, processDynamicAttributes, snakeCase } from 'cdktf/lib/util';
import { extractTokenDouble, TokenString } from 'cdktf/lib/tokens/private/encoding';
import { makeUniqueId } from 'cdktf/lib/private/unique';
import { createHash } from 'crypto';
import { Construct, IConstruct } from 'constructs';
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

/** A stack with a provider, and the innermost of plain constructs nested below it with these ids. */
function nestedScope(stackId: string, ids: string[]): { stack: TerraformStack; scope: Construct } {
  const stack = new TerraformStack(new App({ outdir, stackTraces: false }), stackId);
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  let scope: Construct = stack;
  for (const id of ids) scope = new Construct(scope, id);
  return { stack, scope };
}

it('gives each element the metadata path of its node, however deep', () => {
  const { stack, scope } = nestedScope('paths', ['a', 'b', 'Default', 'c']);
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

it('gives each element the logical id stock cdktf computes from its scopes below its stack', () => {
  const { stack, scope } = nestedScope('ids', ['a', 'Default', 'b', 'Resource']);
  const elements = [
    new S3Bucket(scope, 'deep', { bucket: 'deep' }),
    new S3Bucket(stack, 'top', { bucket: 'top' }),
    new S3Bucket(new Construct(stack, 'Resource'), 'Default', { bucket: 'defaults' }),
  ];
  // Stock cdktf 0.21.0's TerraformStack.allocateLogicalId for an element.
  const stockId = (e: S3Bucket) => {
    const scopes = e.node.scopes;
    return makeUniqueId(scopes.slice(scopes.indexOf(stack) + 1).map((c) => c.node.id));
  };
  for (const e of elements) expect(e.friendlyUniqueId).toBe(stockId(e));
  expect(elements[0].friendlyUniqueId).toMatch(/^a_b_deep_[0-9A-F]{8}$/);
  expect(stack.getLogicalId(elements[1])).toBe(elements[1].friendlyUniqueId);
});

it('gives every element its nearest stack, the same on every ask', () => {
  const app = new App({ outdir, stackTraces: false });
  const outer = new TerraformStack(app, 'outer');
  const inner = new TerraformStack(new Construct(outer, 'group'), 'inner');
  const here = new S3Bucket(new Construct(inner, 'x'), 'b', { bucket: 'b' });
  const there = new S3Bucket(outer, 'b', { bucket: 'b' });
  expect([here.cdktfStack, here.cdktfStack, there.cdktfStack]).toEqual([inner, inner, outer]);
  expect(here.cdktfStack).toBe(TerraformStack.of(here));
});

it('finds constructs in the order stock findAll does, and lets a failing predicate throw', () => {
  const app = new App({ outdir, stackTraces: false });
  const stack = new TerraformStack(app, 'find');
  const a = new Construct(stack, 'a');
  new Construct(a, 'a1');
  new Construct(stack, 'b');
  // Private in cdktf's types; stacks use it for their providers and backends.
  const findAll = (predicate: (c: IConstruct) => boolean): IConstruct[] =>
    (stack as unknown as { findAll(p: (c: IConstruct) => boolean): IConstruct[] }).findAll(predicate);
  expect(findAll(() => true).map((c) => c.node.path)).toEqual(stack.node.findAll().map((c) => c.node.path));
  // Stock cdktf's async walk turned this into an unhandled rejection.
  expect(() =>
    findAll((c) => {
      if (c.node.id === 'a1') throw new Error('bad predicate');
      return false;
    }),
  ).toThrow('bad predicate');
});

it('refuses forEach with count on resources and data sources, naming the construct', () => {
  const app = new App({ outdir, stackTraces: false });
  const stack = new TerraformStack(app, 'meta');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const forEach = TerraformIterator.fromList(['a', 'b']);
  const bucket = new S3Bucket(stack, 'bucket', { bucket: 'b', forEach });
  bucket.count = 2;
  const region = new DataAwsRegion(stack, 'region', { forEach });
  region.count = 2;
  const message = (kind: string, path: string) =>
    `forEach and count are both set, but they are mutually exclusive. You can only use either of them. Check the ${kind} at path: ${path}`;
  expect(() => bucket.toTerraform()).toThrow(message('resource', 'meta/bucket'));
  expect(() => region.toTerraform()).toThrow(message('data source', 'meta/region'));
  bucket.count = undefined;
  expect(() => bucket.toTerraform()).not.toThrow();
});

it('moves dynamic blocks under "dynamic" as stock processDynamicAttributes does, in the same key order', () => {
  // Stock cdktf 0.21.0's processDynamicAttributes (util.js).
  const stock = (attributes: Record<string, unknown>): Record<string, unknown> => {
    const result: Record<string, unknown> & { dynamic?: Record<string, unknown> } = {};
    Object.entries(attributes).forEach(([name, value]) => {
      if (TerraformDynamicBlock.isTerraformDynamicBlock(value)) {
        result.dynamic ??= {};
        result.dynamic[name] = value.toTerraformDynamicBlockJson();
      } else {
        const recurse = value !== null && typeof value === 'object' && value.constructor === Object;
        result[name] = recurse ? stock(value as Record<string, unknown>) : value;
      }
    });
    return result;
  };
  const iterator = TerraformIterator.fromList(['a', 'b']);
  // What a provider's list mapper makes of `iterator.dynamic(...)` in a block attribute.
  const dynamicBlock = () =>
    TerraformDynamicBlock.fromDynamicExpression(iterator.dynamic({ name: iterator.value }) as never);
  const sample = {
    zeta: 1,
    rule: dynamicBlock(),
    alpha: { nested: { deep: dynamicBlock(), list: [1, { x: 2 }] }, date: new Date(0) },
    '10': 'integer-like key',
    empty: {},
    none: undefined,
  };
  const patched = processDynamicAttributes(sample);
  // (Each dynamic block gives a new lazy token: the two are compared resolved.)
  expect(Object.keys(patched)).toEqual(Object.keys(stock(sample)));
  expect(Object.keys(patched.dynamic as object)).toEqual(['rule']); // a dynamic block was moved
  expect(JSON.stringify(resolve(new TerraformStack(new App({ outdir }), 'dyn'), patched))).toBe(
    JSON.stringify(resolve(new TerraformStack(new App({ outdir }), 'dyn2'), stock(sample))),
  );
});

it('tells unresolved strings and numbers apart as stock Token.isUnresolved does', () => {
  const app = new App({ outdir, stackTraces: false });
  const stack = new TerraformStack(app, 'unresolved');
  const bucket = new S3Bucket(stack, 'b', { bucket: 'b' });
  const strings = [
    '',
    'plain',
    '${TfToken[',
    '${TfToken[]}',
    '${TfToken[TOKEN.1]}',
    '${TfToken[not valid!]}',
    `prefix ${bucket.arn} suffix`,
    'x${TfToken[TOKEN.99999999]}',
    '#{TfToken[TOKEN.1]}',
  ];
  const numbers = [
    0,
    -1,
    1e308,
    -1e308,
    Number.NaN,
    -Infinity,
    Infinity,
    -Math.pow(2, 960),
    -Math.pow(2, 961),
    Token.asNumber(bucket.arn),
    Token.asNumberList(bucket.arn)[0],
    Token.asNumber(Token.asString(bucket.id)),
  ];
  // Stock cdktf 0.21.0's unresolved() for strings and numbers (tokens/private/encoding.js), from its unpatched parts.
  const stock = (x: unknown) =>
    typeof x === 'string' ? TokenString.forString(x).test() : extractTokenDouble(x as number, false) !== undefined;
  for (const x of [...strings, ...numbers])
    expect({ x, unresolved: Token.isUnresolved(x) }).toEqual({ x, unresolved: stock(x) });
  expect([...strings, ...numbers].filter((x) => Token.isUnresolved(x))).toHaveLength(5);
});

it('collects validation errors and annotations in construct order, as stock cdktf does', () => {
  const app = new App({ outdir, stackTraces: false });
  const stack = new TerraformStack(app, 'order');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const a = new Construct(stack, 'a');
  const b = new Construct(a, 'b');
  const c = new Construct(stack, 'c');
  Annotations.of(b).addWarning('second');
  Annotations.of(a).addInfo('first');
  Annotations.of(c).addWarning('third');
  Annotations.of(c).addInfo('fourth');
  app.synth();
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  expect(manifest.stacks.order.annotations).toEqual([
    { constructPath: 'order/a', level: '@cdktf/info', message: 'first' },
    { constructPath: 'order/a/b', level: '@cdktf/warn', message: 'second' },
    { constructPath: 'order/c', level: '@cdktf/warn', message: 'third' },
    { constructPath: 'order/c', level: '@cdktf/info', message: 'fourth' },
  ]);

  const failing = new TerraformStack(new App({ outdir, stackTraces: false }), 'failing');
  new AwsProvider(failing, 'aws', { region: 'eu-west-1' });
  const x = new Construct(failing, 'x');
  x.node.addValidation({ validate: () => ['x one', 'x two'] });
  new Construct(x, 'y').node.addValidation({ validate: () => ['y'] });
  expect(() => failing.runAllValidations()).toThrow(
    /\[failing\/x\] x one\n {2}\[failing\/x\] x two\n {2}\[failing\/x\/y\] y/,
  );
});
