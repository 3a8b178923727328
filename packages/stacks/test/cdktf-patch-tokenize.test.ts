// patches/cdktf@0.21.0.patch makes TokenString.split() (how cdktf finds tokens and "${...}" escapes in a string) walk
// the string once. Stock cdktf searched again from every "}" to the next token or to the end of the string, which is
// quadratic in long JSON with tokens in it (an ECS container definition, a policy document). The fragments must stay
// exactly what stock cdktf makes: the expectations below were recorded from stock cdktf 0.21.0, quirks included.
import * as path from 'path';

const cdktfDir = path.dirname(require.resolve('cdktf/package.json'));
interface Fragments {
  fragments: { type: string; lit?: string; kind?: string; token?: { key: string } }[];
}
const { TokenString } = require(path.join(cdktfDir, 'lib/tokens/private/encoding.js')) as {
  TokenString: {
    forString(s: string, escapes?: boolean): { split(lookup: (key: string) => unknown): Fragments };
  };
};

// Keys starting with UNKNOWN are not tokens of this app: split() keeps them as text.
const lookup = (key: string) => (key.startsWith('UNKNOWN') ? undefined : { key });
const fragmentsOf = (s: string, escapes: boolean) =>
  TokenString.forString(s, escapes)
    .split(lookup)
    .fragments.map((f) =>
      f.type === 'token' ? { token: f.token!.key } : f.type === 'literal' ? { literal: f.lit } : { escape: f.kind },
    );

describe('TokenString.split() gives the fragments stock cdktf gives', () => {
  const withEscapes: [string, unknown[]][] = [
    ['plain text', [{ literal: 'plain text' }]],
    [
      '{"name":"a","value":"${TfToken[TOKEN.1]}"}',
      [{ literal: '{"name":"a","value":"' }, { token: 'TOKEN.1' }, { literal: '"' }, { escape: 'close' }],
    ],
    [
      'prefix ${var.x} and ${TfToken[TOKEN.2]} suffix',
      [
        { literal: 'prefix ' },
        { escape: 'open' },
        { literal: 'var.x' },
        { escape: 'close' },
        { literal: ' and ' },
        { token: 'TOKEN.2' },
        { literal: ' suffix' },
      ],
    ],
    ['}${TfToken[TOKEN.3]}{', [{ escape: 'close' }, { token: 'TOKEN.3' }, { literal: '{' }]],
    [
      'a}b${c}d${TfToken[TOKEN.4]}',
      [
        { literal: 'a' },
        { escape: 'close' },
        { literal: 'b' },
        { escape: 'open' },
        { literal: 'c' },
        { escape: 'close' },
        { literal: 'd' },
        { token: 'TOKEN.4' },
      ],
    ],
    [
      '$${literal} ${TfToken[UNKNOWN.5]} }}',
      [
        { literal: '$' },
        { escape: 'open' },
        { literal: 'literal' },
        { escape: 'close' },
        { literal: ' ' },
        { literal: '${TfToken[UNKNOWN.5]}' },
        { literal: ' ' },
        { escape: 'close' },
        { escape: 'close' },
      ],
    ],
    ['${TfToken[TOKEN.6]}${TfToken[TOKEN.7]}', [{ token: 'TOKEN.6' }, { token: 'TOKEN.7' }]],
    ['x}${y', [{ literal: 'x' }, { escape: 'close' }, { escape: 'open' }, { literal: 'y' }]],
    // Stock cdktf adds an empty literal when "}" opens the rest and "${" follows: kept.
    ['}${x}', [{ literal: '' }, { escape: 'close' }, { escape: 'open' }, { literal: 'x' }, { escape: 'close' }]],
  ];
  it.each(withEscapes)('with escapes: %s', (s, expected) => {
    expect(fragmentsOf(s, true)).toEqual(expected);
  });

  const withoutEscapes: [string, unknown[]][] = [
    [
      '{"name":"a","value":"${TfToken[TOKEN.1]}"}',
      [{ literal: '{"name":"a","value":"' }, { token: 'TOKEN.1' }, { literal: '"}' }],
    ],
    [
      'prefix ${var.x} and ${TfToken[TOKEN.2]} suffix',
      [{ literal: 'prefix ${var.x} and ' }, { token: 'TOKEN.2' }, { literal: ' suffix' }],
    ],
  ];
  it.each(withoutEscapes)('without escapes: %s', (s, expected) => {
    expect(fragmentsOf(s, false)).toEqual(expected);
  });
});

it('reads a long JSON document with many tokens in one pass', () => {
  // 1,000 entries, every fifth value a token: about 49,000 characters, 200 tokens and 2,000 "}".
  const entries = Array.from({ length: 1000 }, (_, i) => ({
    name: `n${i}`,
    value: i % 5 === 0 ? `\${TfToken[TOKEN.${i}]}` : `v${i}`,
    options: { a: 1 },
  }));
  const document = JSON.stringify(entries);
  // Characters the regular expressions and indexOf() pass over while splitting this document.
  let scanned = 0;
  const exec = RegExp.prototype.exec;
  const indexOf = String.prototype.indexOf;
  RegExp.prototype.exec = function (this: RegExp, s: string) {
    const from = this.lastIndex;
    const match = exec.call(this, s);
    if (s === document) scanned += (match ? match.index + match[0].length : s.length) - from;
    return match;
  };
  String.prototype.indexOf = function (this: string, search: string, from?: number) {
    const at = indexOf.call(this, search, from);
    if (String(this) === document) scanned += (at === -1 ? this.length : at + search.length) - (from ?? 0);
    return at;
  };
  let fragments: ReturnType<typeof fragmentsOf>;
  try {
    fragments = fragmentsOf(document, true);
  } finally {
    RegExp.prototype.exec = exec;
    String.prototype.indexOf = indexOf;
  }
  expect(fragments.filter((f) => 'token' in f)).toHaveLength(200);
  expect(fragments.filter((f) => 'escape' in f)).toHaveLength(2000);
  // Stock cdktf passes over 58 million characters here (a search to the next token from every "}").
  expect(scanned).toBeLessThan(4 * document.length);
});
