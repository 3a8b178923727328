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
    forNumbers(s: string): { test(): boolean; split(lookup: (id: string) => unknown): { tokens: unknown[] } };
    forListToken(s: string): { test(): boolean };
  };
};
const { TokenMap } = require(path.join(cdktfDir, 'lib/tokens/private/token-map.js')) as {
  TokenMap: { instance(): { lookupNumberToken(x: number): unknown } };
};
/** The tokens stock cdktf finds among the encoded numbers of `s` (what resolve() replaces). */
const numberTokensIn = (s: string): unknown[] =>
  TokenString.forNumbers(s).split((id) => TokenMap.instance().lookupNumberToken(parseFloat(id))).tokens;

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
    // The patch's test: no "{", and no encoded number, whose every text holds "e+" (see resolve.js).
    const isPlain = (s: string) => s.indexOf('{') === -1 && !(s.indexOf('e+') !== -1 && /[-|\d.+]e[-|\d.eE+]/.test(s));
    const encoded = `port ${Token.asNumber(Fn.abs(-1))} and ${Token.asNumber(Token.asString(Fn.abs(-2)))}`;
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
      'x1e+5',
      encoded,
    ];
    for (const s of samples.filter(isPlain)) {
      expect({ s, token: TokenString.forString(s, true).test() }).toEqual({ s, token: false });
      expect({ s, numbers: numberTokensIn(s) }).toEqual({ s, numbers: [] });
      expect({ s, list: TokenString.forListToken(s).test() }).toEqual({ s, list: false });
    }
    expect(samples.filter(isPlain).length).toBeGreaterThan(20);
    // Plain text with numbers in it is plain; an encoded number is not, and stock cdktf finds its token.
    expect(['1e5', 'x.e-1', 'x1e+5'].filter(isPlain)).toEqual(['1e5', 'x.e-1']);
    expect(isPlain(encoded)).toBe(false);
    expect(numberTokensIn(encoded)).toHaveLength(2);
  });
});

describe('writeStableJson, which writes cdk.tf.json and manifest.json', () => {
  const { writeStableJson } = require(path.join(cdktfDir, 'lib/synthesize/synthesizer.js')) as {
    writeStableJson(file: string, obj: unknown, space: string): void;
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stable-json-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  const written = (obj: unknown): string => {
    const file = path.join(dir, `${n++}.json`);
    writeStableJson(file, obj, '  ');
    return fs.readFileSync(file, 'utf8');
  };

  /** What writeStableJson writes of `obj` while `through` stands in for fs.writeSync (given the real one). */
  const writtenThrough = (
    obj: unknown,
    through: (writeSync: (...args: unknown[]) => number, ...args: unknown[]) => number,
  ): string => {
    // The module object cdktf holds (this file's `fs` import is a copy made by the module interop).
    const nodeFs = require('fs') as typeof fs;
    const writeSync = nodeFs.writeSync as unknown as (...args: unknown[]) => number;
    const spy = jest
      .spyOn(nodeFs, 'writeSync')
      .mockImplementation(((...args: unknown[]) => through(writeSync, ...args)) as typeof fs.writeSync);
    try {
      return written(obj);
    } finally {
      spy.mockRestore();
    }
  };

  it('writes what json-stable-stringify writes, edge cases included', () => {
    const custom = { toJSON: () => ({ z: 1, a: { toJSON: () => 'inner' } }) };
    const samples: unknown[] = [
      { b: 1, a: [1, 'x', null, true, false], c: {}, d: [], e: [[], {}] },
      { skipped: undefined, fn: () => 1, sym: Symbol('s'), kept: 0 },
      [undefined, () => 1, Symbol('s'), 'x'],
      { when: new Date(Date.UTC(2026, 10, 30)), custom, nan: NaN, inf: -Infinity, neg: -0.5e-7, big: 1e21 },
      {
        'key "quoted"\\': 'quote " backslash \\ newline \n tab \t bell \u0007',
        unicode: 'é ü 😀 \u2028',
        lone: 'a\ud800b',
      },
      { a: 1, b: { c: 2, d: [3] }, e: 4 }, // listed in order already: kept as listed
      { '10': 1, '2': 2, b: 1, a: 2, A: 3, é: 4 }, // integer-like keys come first from Object.keys, sorted as text
      'top-level string',
      42,
    ];
    for (const sample of samples) expect(written(sample)).toBe(stockStringify(sample, { space: 2 }));
  });

  it("writes a text of many pieces whole, and no piece reaches V8's large-object size", () => {
    // ~1.5 MB of JSON: many pieces, with multi-byte characters and long strings among them.
    const big = Object.fromEntries(
      Array.from({ length: 3000 }, (_, i) => [
        `resource_${i}`,
        {
          name: `r${i}-é`,
          list: [i, `${i}`.repeat(20)],
          nested: { deep: { text: 'x'.repeat(i % 7 === 0 ? 5000 : 50) } },
        },
      ]),
    );
    const writes: number[] = [];
    const text = writtenThrough(big, (writeSync, ...args) => {
      const count = writeSync(...args);
      writes.push(count);
      return count;
    });
    expect(text).toBe(stockStringify(big, { space: 2 }));
    expect(writes.length).toBeGreaterThan(20);
    expect(Math.max(...writes)).toBeLessThan(128 * 1024);
  });

  it('finishes a piece the system wrote only part of, in bytes (multi-byte characters included)', () => {
    // Pieces go out as strings; a short write (a full disk, a signal) must resume after the bytes written.
    const sample = Object.fromEntries(Array.from({ length: 4000 }, (_, i) => [`k${i}`, `é😀 ${i} ü`]));
    let shortened = 0;
    const text = writtenThrough(sample, (writeSync, ...args) => {
      const [fd, data] = args;
      if (typeof data === 'string' && shortened < 3) {
        // Write the first 7 bytes (the middle of a character, after the first piece) and report them.
        shortened++;
        return writeSync(fd, Buffer.from(data, 'utf8'), 0, 7);
      }
      return writeSync(...args);
    });
    expect(shortened).toBe(3);
    expect(text).toBe(stockStringify(sample, { space: 2 }));
  });

  it('refuses a cycle as JSON.stringify does, and leaves no half-written file', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = { back: cyclic };
    const file = path.join(dir, 'cyclic.json');
    expect(() => writeStableJson(file, cyclic, '  ')).toThrow(new TypeError('Converting circular structure to JSON'));
    expect(fs.existsSync(file)).toBe(false);
  });

  it('refuses a value JSON has no text for, naming the file', () => {
    expect(() => written(undefined)).toThrow(/nothing to write/);
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
