import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import Module = require('module');
import * as os from 'os';
import * as path from 'path';
import { compileCacheFile, withoutInlineSourceMap } from '../src/compile-cache';

// Each case runs fresh Node processes against the compiled module, as the command uses it.
const ROOT = path.join(__dirname, '../../..');
const DIST = path.join(ROOT, 'packages/cli/dist/compile-cache.js');
beforeAll(() =>
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'packages/cli'], { cwd: ROOT }),
);

// Node 22.1+ caches compiled code itself and the hook stands aside; these cases are about the hook (Node 20).
const hook = typeof (Module as unknown as { enableCompileCache?: unknown }).enableCompileCache !== 'function';
const hookIt = hook ? it : it.skip;

let work: string;
let cacheDir: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-ecs-compile-cache-'));
  cacheDir = path.join(work, 'cache');
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

/** Installs the cache, requires `entry` (relative to the work folder) and prints what it exported and the stats. */
function run(entry: string, env: NodeJS.ProcessEnv = {}, nodeArgs: string[] = [], knownFiles: unknown[] = []) {
  const options = `{ knownFiles: new Map(${JSON.stringify(knownFiles)}) }`;
  const script =
    `const c = require(${JSON.stringify(DIST)}).installCompileCache(${JSON.stringify(cacheDir)}, ${options});` +
    `Promise.resolve(require(${JSON.stringify(path.join(work, entry))})).then((value) =>` +
    ` console.log(JSON.stringify({ value, stats: c && c.stats(), kind: c && c.kind })));`;
  const result = spawnSync(process.execPath, [...nodeArgs, '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, TTS_ECS_COMPILE_CACHE: undefined, ...env },
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as {
    value: unknown;
    stats?: { hits: number; misses: number; dirty: boolean };
    kind?: string;
  };
}

const write = (name: string, content: string) => fs.writeFileSync(path.join(work, name), content);

describe('compile cache', () => {
  hookIt('compiles .js and .cjs files from the cache on the second run and gives the same results', () => {
    write('a.js', 'module.exports = require("./b.cjs") + 1;\n');
    write('b.cjs', 'module.exports = 41;\n'); // zod's files are .cjs
    expect(run('a.js')).toEqual({ value: 42, stats: { hits: 0, misses: 2, dirty: true }, kind: 'hook' });
    expect(fs.existsSync(compileCacheFile(cacheDir))).toBe(true);
    expect(run('a.js')).toEqual({ value: 42, stats: { hits: 2, misses: 0, dirty: false }, kind: 'hook' });
  });

  hookIt('never runs stale code: an edit of the same length is compiled afresh', () => {
    // The first run calls f, so its bytecode is in the cache; V8's own check only compares source lengths.
    write('a.js', 'const f = () => 1;\nmodule.exports = f();\n');
    expect(run('a.js').value).toBe(1);
    write('a.js', 'const f = () => 2;\nmodule.exports = f();\n');
    expect(run('a.js')).toEqual({ value: 2, stats: { hits: 0, misses: 1, dirty: true }, kind: 'hook' });
    expect(run('a.js')).toEqual({ value: 2, stats: { hits: 1, misses: 0, dirty: false }, kind: 'hook' });
  });

  hookIt('reads a file the caller vouches for as its bytes and keys its cache entry by the recorded hash', () => {
    write('a.js', 'module.exports = require("./u.js") + " and ascii";\n');
    write('u.js', 'module.exports = "caf\u00e9 \u{1f600}";\n'); // not ASCII: read as UTF-8
    const known = (md5: string) => [
      [path.join(work, 'a.js'), { md5, ascii: true }],
      [path.join(work, 'u.js'), { md5: 'u', ascii: false }],
    ];
    expect(run('a.js', {}, [], known('build-1'))).toEqual({
      value: 'caf\u00e9 \u{1f600} and ascii',
      stats: { hits: 0, misses: 2, dirty: true },
      kind: 'hook',
    });
    expect(run('a.js', {}, [], known('build-1')).stats).toEqual({ hits: 2, misses: 0, dirty: false });
    // Another recorded hash (a rebuilt bundle) is another entry, although the text is the same.
    expect(run('a.js', {}, [], known('build-2')).stats).toEqual({ hits: 1, misses: 1, dirty: true });
  });

  hookIt('leaves a file it vouches for to Module.wrap when another tool replaced it', () => {
    write('a.js', 'module.exports = typeof injected;\n');
    write(
      'wrap.js',
      'const M = require("module"); const [h, t] = M.wrapper;' + ' M.wrap = (s) => h + "var injected = 1;" + s + t;\n',
    );
    const known = [[path.join(work, 'a.js'), { md5: 'a', ascii: true }]];
    expect(run('a.js', {}, ['-r', path.join(work, 'wrap.js')], known).value).toBe('number');
    expect(run('a.js', {}, [], known).value).toBe('undefined');
  });

  hookIt('ignores and replaces a damaged cache file', () => {
    write('a.js', 'module.exports = 7;\n');
    run('a.js');
    const file = compileCacheFile(cacheDir);
    fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 40)); // truncated
    expect(run('a.js')).toEqual({ value: 7, stats: { hits: 0, misses: 1, dirty: true }, kind: 'hook' });
    fs.writeFileSync(file, 'not a cache');
    expect(run('a.js').value).toBe(7);
    expect(run('a.js').stats).toEqual({ hits: 1, misses: 0, dirty: false });
  });

  hookIt('keeps what a module sees: require.resolve, require.main, require.cache, __filename, __dirname', () => {
    write(
      'a.js',
      [
        'module.exports = {',
        '  resolved: require.resolve("./b"),',
        '  paths: Array.isArray(require.resolve.paths("x")),',
        '  main: require.main === process.mainModule,',
        '  cached: require.cache[__filename] === module,',
        '  file: __filename, dir: __dirname, b: require("./b"),',
        '};',
      ].join('\n'),
    );
    write('b.js', 'module.exports = "b";\n');
    const expected = {
      resolved: path.join(work, 'b.js'),
      paths: true,
      main: true,
      cached: true,
      file: path.join(work, 'a.js'),
      dir: work,
      b: 'b',
    };
    expect(run('a.js')).toEqual({ value: expected, stats: { hits: 0, misses: 2, dirty: true }, kind: 'hook' });
    expect(run('a.js')).toEqual({ value: expected, stats: { hits: 2, misses: 0, dirty: false }, kind: 'hook' });
  });

  hookIt('leaves a module that calls import() to Node, without an experimental-feature warning', () => {
    write('a.js', 'module.exports = import("path").then((p) => p.sep + require("./b"));\n');
    write('b.js', 'module.exports = "b";\n');
    const script =
      `require(${JSON.stringify(DIST)}).installCompileCache(${JSON.stringify(cacheDir)});` +
      `require(${JSON.stringify(path.join(work, 'a.js'))}).then((v) => console.log(v));`;
    for (let i = 0; i < 2; i++) {
      const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
      expect([result.stdout, result.stderr]).toEqual([`${path.sep}b\n`, '']);
    }
    expect(run('a.js').stats).toEqual({ hits: 1, misses: 0, dirty: false }); // b.js only
  });

  hookIt('caches a file that mentions import() only in comments when told it calls none (the bundle)', () => {
    write('a.js', '/** @type {import("./b")} */\nmodule.exports = require("./b");\n');
    write('b.js', 'module.exports = 5;\n');
    const runWith = (trusted: string[]) => {
      const script =
        `const c = require(${JSON.stringify(DIST)}).installCompileCache(${JSON.stringify(cacheDir)}, ` +
        `{ withoutDynamicImport: ${JSON.stringify(trusted)} });` +
        `const v = require(${JSON.stringify(path.join(work, 'a.js'))}); console.log(JSON.stringify([v, c.stats()]));`;
      return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as unknown[];
    };
    runWith([]);
    expect(runWith([])).toEqual([5, { hits: 1, misses: 0, dirty: false }]); // a.js left to Node
    runWith([path.join(work, 'a.js')]);
    expect(runWith([path.join(work, 'a.js')])).toEqual([5, { hits: 2, misses: 0, dirty: false }]);
  });

  hookIt('drops an inline source map without moving line numbers in stack traces', () => {
    const map = Buffer.from(JSON.stringify({ version: 3, sources: ['x.ts'], mappings: '' })).toString('base64');
    write(
      'a.js',
      `\nmodule.exports = new Error('here').stack.split('\\n')[1];\n//# sourceMappingURL=data:application/json;base64,${map}\n`,
    );
    expect(run('a.js').value).toContain(`${path.join(work, 'a.js')}:2:`);
    expect(run('a.js').value).toContain(`${path.join(work, 'a.js')}:2:`);
  });

  it('is off with TTS_ECS_COMPILE_CACHE=0', () => {
    write('a.js', 'module.exports = 1;\n');
    expect(run('a.js', { TTS_ECS_COMPILE_CACHE: '0' })).toEqual({ value: 1 });
    expect(fs.existsSync(cacheDir)).toBe(false);
  });

  hookIt('keeps the entries of modules another command loaded', () => {
    write('a.js', 'module.exports = 1;\n');
    write('b.js', 'module.exports = 2;\n');
    run('a.js');
    run('b.js');
    expect(run('a.js').stats).toEqual({ hits: 1, misses: 0, dirty: false });
    expect(run('b.js').stats).toEqual({ hits: 1, misses: 0, dirty: false });
  });

  it('drops only a trailing source map line', () => {
    const map = '//# sourceMappingURL=data:application/json;base64,e30=';
    expect(withoutInlineSourceMap(`a();\n${map}`)).toBe('a();\n');
    expect(withoutInlineSourceMap(`a();\n${map}\n\n`)).toBe('a();\n');
    expect(withoutInlineSourceMap(`a();\n${map}\nb();\n`)).toBe(`a();\n${map}\nb();\n`); // code follows it
    expect(withoutInlineSourceMap(`x = "${map}";`)).toBe(`x = "${map}";`); // inside a string
    expect(withoutInlineSourceMap('a();\n//# sourceMappingURL=a.js.map\n')).toBe(
      'a();\n//# sourceMappingURL=a.js.map\n',
    );
  });
});
