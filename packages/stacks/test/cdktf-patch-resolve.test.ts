// patches/cdktf@0.21.0.patch rewrites the inside of cdktf's resolve() (tokens/private/resolve.js): the path of a value
// is a chain of nodes instead of an array copied for every value, the resolution context is a class instead of an
// object literal with closures, and App.crossStackReference() answers a repeated reference from what it registered
// the first time. These tests pin what users of tokens rely on: error messages name the place, the context a token
// sees carries its settings to the values it resolves, post-processors run, and cross-stack references from two
// stacks with the same resource address stay apart.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  App,
  DefaultTokenResolver,
  IPostProcessor,
  IResolvable,
  IResolveContext,
  StringConcat,
  TerraformOutput,
  TerraformStack,
  Token,
  Tokenization,
} from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';

const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-resolve-')), stackTraces: false });
const scope = new TerraformStack(app, 'scope');
const resolve = (value: unknown): unknown =>
  Tokenization.resolve(value, { scope, resolver: new DefaultTokenResolver(new StringConcat()), preparing: false });

/** A token computed by `produce` from the context it is resolved with. */
function tokenOf(produce: (context: IResolveContext) => unknown): IResolvable {
  return {
    creationStack: [],
    resolve: produce,
    toString: () => Token.asString({ creationStack: [], resolve: produce }),
  };
}

describe('errors name the place of the bad value', () => {
  it('a function below objects and arrays', () => {
    expect(() => resolve({ tags: { list: ['a', { fn: () => 1 }] } })).toThrow(
      "Trying to resolve a non-data object (e.g., a function) at '/tags/list/1/fn'",
    );
  });

  it('a cycle, after 200 levels', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => resolve({ top: cycle })).toThrow(
      `Unable to resolve object tree with circular reference at '/top${'/self'.repeat(200)}'`,
    );
  });

  it('a map key that resolves to something other than a string', () => {
    const key = Token.asString(tokenOf(() => 42));
    expect(() => resolve({ outer: { [key]: 'v' } })).toThrow('At "/outer" a map uses the key');
  });
});

describe('the context a token is resolved with', () => {
  it('carries the resolution settings and the scope', () => {
    let seen: IResolveContext | undefined;
    resolve({ a: [tokenOf((c) => ((seen = c), 'v'))] });
    expect(seen).toMatchObject({ preparing: false, scope, suppressBraces: undefined, iteratorContext: undefined });
  });

  it('passes what a token changed on it to the values the token resolves through it, and to no other value', () => {
    const inner: (boolean | undefined)[] = [];
    const innerToken = tokenOf((c) => (inner.push(c.suppressBraces), 'inner'));
    const outer = tokenOf((c) => {
      c.suppressBraces = true;
      return c.resolve({ nested: [innerToken] });
    });
    expect(resolve({ first: outer, second: innerToken })).toEqual({ first: { nested: ['inner'] }, second: 'inner' });
    expect(inner).toEqual([true, undefined]);
  });

  it('runs the post-processor a token registers, on the fully resolved value, with the same context', () => {
    let registeredWith: IResolveContext | undefined;
    let processedWith: IResolveContext | undefined;
    const token = tokenOf((c) => {
      registeredWith = c;
      const postProcessor: IPostProcessor = {
        postProcess: (value: unknown, context: IResolveContext) => ((processedWith = context), { wrapped: value }),
      };
      c.registerPostProcessor(postProcessor);
      return [Token.asString(tokenOf(() => 'deep'))];
    });
    expect(resolve({ value: token })).toEqual({ value: { wrapped: ['deep'] } });
    expect(processedWith).toBe(registeredWith);
  });

  it('resolves tokens inside strings and encoded numbers inside strings', () => {
    const name = Token.asString(tokenOf(() => 'db'));
    const port = Token.asNumber(tokenOf(() => 5432));
    expect(resolve({ url: `postgres://${name}:${port}/x`, list: [`port ${port}`, port] })).toEqual({
      url: 'postgres://db:5432/x',
      list: ['port 5432', 5432],
    });
  });
});

describe('cross-stack references', () => {
  const synthesized = (() => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-cross-'));
    const crossApp = new App({ outdir, stackTraces: false });
    // Two stacks each with a parameter of the same address, aws_ssm_parameter.p, both read by a third stack.
    const params = ['one', 'two'].map((id) => {
      const stack = new TerraformStack(crossApp, id);
      new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
      return new SsmParameter(stack, 'p', { name: `/${id}`, type: 'String', value: id });
    });
    const reader = new TerraformStack(crossApp, 'reader');
    new AwsProvider(reader, 'aws', { region: 'eu-west-1' });
    for (let i = 0; i < 3; i++) {
      new SsmParameter(reader, `copy-one-${i}`, { name: `/copy/one/${i}`, type: 'String', value: params[0].value });
      new SsmParameter(reader, `copy-two-${i}`, { name: `/copy/two/${i}`, type: 'String', value: params[1].value });
    }
    new TerraformOutput(reader, 'both', { value: `${params[0].value}+${params[1].value}` });
    crossApp.synth();
    const read = (stack: string) =>
      JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as {
        resource: { aws_ssm_parameter: Record<string, { value: string }> };
        output: Record<string, { value: string }>;
        data?: { terraform_remote_state: Record<string, unknown> };
      };
    const result = { one: read('one'), two: read('two'), reader: read('reader') };
    fs.rmSync(outdir, { recursive: true, force: true });
    return result;
  })();

  it('reads each origin stack through its own remote state, however often an attribute is used', () => {
    const values = Object.entries(synthesized.reader.resource.aws_ssm_parameter).map(([id, r]) => [id, r.value]);
    const one = values.filter(([id]) => id.startsWith('copy-one')).map(([, v]) => v);
    const two = values.filter(([id]) => id.startsWith('copy-two')).map(([, v]) => v);
    expect(new Set(one).size).toBe(1);
    expect(new Set(two).size).toBe(1);
    expect(one[0]).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-one\.outputs\./);
    expect(two[0]).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-two\.outputs\./);
    expect(synthesized.reader.output.both.value).toBe(`${one[0]}+${two[0]}`);
    expect(Object.keys(synthesized.reader.data!.terraform_remote_state).sort()).toEqual([
      'cross-stack-reference-input-one',
      'cross-stack-reference-input-two',
    ]);
  });

  it('adds one output per referenced attribute to each origin stack', () => {
    for (const origin of [synthesized.one, synthesized.two]) {
      const outputs = Object.values(origin.output);
      expect(outputs).toEqual([expect.objectContaining({ value: '${aws_ssm_parameter.p.value}', sensitive: true })]);
    }
  });
});

describe('token detection in lists and map keys answers as the stock regular expressions do', () => {
  const cdktfDir = path.dirname(require.resolve('cdktf/package.json'));
  const encoding = require(path.join(cdktfDir, 'lib/tokens/private/encoding.js')) as {
    TokenString: { forListToken(s: string): { test(): boolean }; forMapToken(s: string): { test(): boolean } };
    extractTokenDouble(x: number, list: boolean): number | undefined;
    containsStringListTokenElement(xs: unknown[]): boolean;
    containsNumberListTokenElement(xs: unknown[]): boolean;
    containsMapToken(xs: Record<string, unknown>): boolean;
  };
  // The stock functions, from the pieces the patch leaves as they are.
  const stockStringList = (xs: unknown[]) =>
    xs.some((x) => typeof x === 'string' && encoding.TokenString.forListToken(x).test());
  const stockNumberList = (xs: unknown[]) =>
    xs.some((x) => typeof x === 'number' && encoding.extractTokenDouble(x, true) !== undefined);
  const stockMap = (xs: Record<string, unknown>) =>
    Object.keys(xs).some((x) => encoding.TokenString.forMapToken(x).test());

  const listToken = Token.asList(tokenOf(() => ['a']));
  const numberListToken = Token.asNumberList(tokenOf(() => [1]));
  const mapToken = Token.asStringMap(tokenOf(() => ({ a: 'b' })));
  const samples: unknown[] = [
    ...listToken,
    ...numberListToken,
    Token.asNumber(tokenOf(() => 1)), // a number token, not a list one
    Token.asString(tokenOf(() => 'x')),
    'plain',
    '#{not a token}',
    '&{TfToken[',
    0,
    -0.5,
    1e308,
    -1e308,
    -Math.pow(2, 960),
    -Math.pow(2, 960) * 1.5,
    Number.NaN,
    -Infinity,
    Infinity,
    null,
    {},
  ];

  it('for every element alone', () => {
    for (const sample of samples) {
      expect([sample, encoding.containsStringListTokenElement([sample])]).toEqual([sample, stockStringList([sample])]);
      expect([sample, encoding.containsNumberListTokenElement([sample])]).toEqual([sample, stockNumberList([sample])]);
    }
    expect(encoding.containsNumberListTokenElement(numberListToken)).toBe(true);
    expect(encoding.containsStringListTokenElement(listToken)).toBe(true);
  });

  it('for every map key', () => {
    const keys = [...Object.keys(mapToken), 'plain', '&{TfToken[x]}', '&{TfToken[', '${TfToken[TOKEN.1]}'];
    for (const key of keys)
      expect([key, encoding.containsMapToken({ [key]: 1 })]).toEqual([key, stockMap({ [key]: 1 })]);
    expect(encoding.containsMapToken(mapToken)).toBe(true);
  });
});
