// patches/cdktf@0.21.0.patch speeds up token resolution (plain strings skip the token machinery) and the writing of
// cdk.tf.json (a direct stable stringify). Neither may change a byte of the output; these tests hold both to the
// stock code paths they replace, on a real synthesized stack and on edge cases.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Fn, TerraformOutput, TerraformStack, Token } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { inNamedTest } from '@tts-ecs/testing';

// The unpatched pieces cdktf itself still uses elsewhere.
const cdktfDir = path.dirname(require.resolve('cdktf/package.json'));
const stockStringify = require(require.resolve('json-stable-stringify', { paths: [cdktfDir] })) as (
  obj: unknown,
  opts: { space: number },
) => string;
const { TokenString } = require(path.join(cdktfDir, 'lib/tokens/private/encoding.js')) as {
  TokenString: {
    forString(s: string, esc?: boolean): { test(): boolean };
    forNumbers(s: string): { test(): boolean };
    forListToken(s: string): { test(): boolean };
  };
};

/** A stack with strings of every kind: plain, escaped, tokens, encoded numbers, lists, maps, numbers in text. */
function build(app: App): TerraformStack {
  const stack = new TerraformStack(app, 'patched');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const group = new SecurityGroup(stack, 'Group', { name: 'g', description: 'plain text, e.g. 1e5 and 3.2e-1' });
  const port = Token.asNumber(group.id);
  new SsmParameter(stack, 'Param', {
    name: `/x/${group.id}/y`,
    type: 'String',
    value: `literal $\{not.a.ref} and ${Fn.join(',', [group.arn, 'b'])} and port ${port}`,
    tags: {
      plain: 'v',
      'key.with-dots': 'e+1',
      empty: '',
      list: Fn.join(';', Token.asList(group.id)),
      // Strings the writer must escape as JSON.stringify does, and some it must leave alone.
      escapes: 'quote " backslash \\ newline \n tab \t bell \u0007',
      unicode: 'é ü 😀 \u2028',
      lone: 'half \ud800 a pair',
      'key "quoted"\\': 'k',
    },
  });
  new TerraformOutput(stack, 'numbers', { value: [1, 2.5, -0.5e-7, port] });
  return stack;
}

describe('the patched cdktf writes what stock cdktf writes', () => {
  const synthesized = inNamedTest('synthesizes a stack with every kind of string', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-patch-'));
    const app = new App({ outdir, stackTraces: false });
    build(app);
    app.synth();
    const text = fs.readFileSync(path.join(outdir, 'stacks/patched/cdk.tf.json'), 'utf8');
    fs.rmSync(outdir, { recursive: true, force: true });
    return { text };
  });
  const json = (): string => synthesized.text;

  it('writes cdk.tf.json byte for byte as json-stable-stringify does', () => {
    expect(json()).toBe(stockStringify(JSON.parse(json()), { space: 2 }));
  });

  it('keeps escapes, references and encoded numbers intact', () => {
    expect(json()).toContain('literal ${not.a.ref} and ${join(\\",\\", [aws_security_group.Group.arn');
    expect(json()).toContain('port ${aws_security_group.Group');
    expect(json()).toContain('"description": "plain text, e.g. 1e5 and 3.2e-1"');
  });

  it('skips the token machinery only for strings in which it finds nothing', () => {
    const isPlain = (s: string) => s.indexOf('{') === -1 && !/[-|\d.+]e[-|\d.eE+]/.test(s);
    const samples = [
      ...JSON.stringify(JSON.parse(json()))
        .match(/"(?:[^"\\]|\\.)*"/g)!
        .map((s) => JSON.parse(s) as string),
      'a${b}',
      '#{TfToken[TOKEN.1]}',
      '1e5',
      '-1.8881545897087626e+289',
      'x.e-1',
      'us-east-1',
      'eu-west-1e',
    ];
    for (const s of samples.filter(isPlain)) {
      expect({ s, token: TokenString.forString(s, true).test() }).toEqual({ s, token: false });
      expect({ s, number: TokenString.forNumbers(s).test() }).toEqual({ s, number: false });
      expect({ s, list: TokenString.forListToken(s).test() }).toEqual({ s, list: false });
    }
    expect(samples.filter(isPlain).length).toBeGreaterThan(20);
  });
});

describe('leaves that the patched resolve() returns without a context', () => {
  const { DefaultTokenResolver, Lazy, StringConcat, Tokenization } = require('cdktf') as typeof import('cdktf');
  const resolveIn = (value: unknown): unknown => {
    const stack = new TerraformStack(new App({ outdir: os.tmpdir(), stackTraces: false }), 'leaves');
    return Tokenization.resolve(value, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()) });
  };
  const lazyNumber = () => Token.asNumber(Lazy.numberValue({ produce: () => 42 }));

  it('returns plain leaves as they are, and still resolves number tokens among them', () => {
    const value = { a: 1, b: -5, c: Number.MAX_SAFE_INTEGER, d: true, e: null, f: 'plain', g: 2.5, h: lazyNumber() };
    expect(resolveIn(value)).toEqual({ ...value, h: 42 });
    expect(resolveIn([0, lazyNumber(), false, 'x', null])).toEqual([0, 42, false, 'x', null]);
    expect(resolveIn({ skipped: undefined, kept: 1 })).toEqual({ kept: 1 });
  });

  it('still refuses the number map token value as a leaf (it is a safe integer)', () => {
    expect(() => resolveIn({ m: Token.NUMBER_MAP_TOKEN_VALUE })).toThrow(/map/i);
    expect(() => resolveIn([Token.NUMBER_MAP_TOKEN_VALUE])).toThrow(/map/i);
  });
});
