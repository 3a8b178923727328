import * as crypto from 'crypto';
import * as fs from 'fs';
import Module = require('module');
import * as path from 'path';
import * as vm from 'vm';

/**
 * A V8 code cache for the modules this process loads (CommonJS only). Loading the construct libraries was about half
 * of a synth of the example: V8 parses 14 MB of JavaScript, 8 MB of it the inline source maps of the AWS provider's
 * files. With the cache, V8 takes each module's compiled bytecode from one file instead of parsing it.
 *
 * Node 22.1 and later cache compiled code themselves (`module.enableCompileCache`), and that is used where it exists.
 * On Node 20 this replaces `Module.prototype._compile` as the `v8-compile-cache` package does, with two differences:
 * the cache is written when the process exits, so it holds the functions compiled while the command ran and not only
 * each module's top level; and a trailing inline source map is dropped before compiling unless source maps are on
 * (`--enable-source-maps`), as nothing reads it then. Line and column numbers are unchanged.
 *
 * A module's cache entry is keyed by its file name and a hash of its content: an edited module is compiled afresh
 * (V8's own check only compares the source length). An unreadable, truncated or foreign cache file is ignored and
 * replaced. The file is replaced atomically (written beside it, then renamed), so concurrent commands never read half
 * a file.
 */

/** Where the cache lives and what it did in this process. */
export interface CompileCache {
  readonly file: string;
  /** `node` when Node's own compile cache is used. */
  readonly kind: 'node' | 'hook';
  /** Modules compiled from the cache, compiled afresh, and whether the cache is rewritten at exit (hook only). */
  stats(): { hits: number; misses: number; dirty: boolean };
}

const JS_FILE = /\.c?js$/;
const DYNAMIC_IMPORT = /\bimport\s*\(/;
const SOURCE_MAP_MARK = '//# sourceMappingURL=data:';
/** File layout: MAGIC, a 4-byte length, that many bytes of JSON index, then the cached data the index points into. */
const MAGIC = Buffer.from('tts-ecs-compile-cache-1\n');
/** Entries of modules this process did not load are kept while the file stays under this size. */
const MAX_BYTES = 64 * 1024 * 1024;

interface Entry {
  /** md5 (base64) of the compiled source. */
  readonly hash: string;
  readonly start: number;
  readonly end: number;
}

/** The cache file for this Node and machine architecture inside `dir` (cached data is specific to both). */
export function compileCacheFile(dir: string): string {
  return path.join(dir, `v8-${process.versions.v8}-${process.arch}.bin`);
}

/**
 * Installs the cache once, before the modules it should speed up are required. Returns undefined when the cache is
 * turned off (`TTS_ECS_COMPILE_CACHE=0`) or `dir` cannot be created.
 */
export interface CompileCacheOptions {
  /**
   * Files known to call no import() although their text mentions it (in comments): the bundle, whose build checks.
   * Other files that mention it are left to Node.
   * @default none
   */
  readonly withoutDynamicImport?: readonly string[];
  /**
   * Files whose bytes the caller vouches for (the bundle: its build recorded them, bundle.ts checked its size and
   * modification time): their md5 (base64) and whether every byte is ASCII. Such a file is read as bytes, decoded as
   * Latin-1 when ASCII (the same string), and not hashed again. Node read the 5.6 MB bundle as UTF-8 in about 0.1 s here,
   * and the md5 of its string takes another 10 to 40 ms; the bytes take a fifth of that.
   * @default none
   */
  readonly knownFiles?: ReadonlyMap<string, KnownFile>;
}

export interface KnownFile {
  readonly md5: string;
  readonly ascii: boolean;
}

export function installCompileCache(dir: string, options: CompileCacheOptions = {}): CompileCache | undefined {
  if (process.env.TTS_ECS_COMPILE_CACHE === '0') return undefined;
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch {
    return undefined; // e.g. a read-only checkout: run without a cache
  }
  const nodeCache = (Module as unknown as { enableCompileCache?: (dir: string) => { status: number } })
    .enableCompileCache;
  if (typeof nodeCache === 'function') {
    nodeCache(dir);
    return { file: dir, kind: 'node', stats: () => ({ hits: 0, misses: 0, dirty: false }) };
  }
  return installHook(compileCacheFile(dir), new Set(options.withoutDynamicImport ?? []), options.knownFiles);
}

type Compile = (this: NodeModule, content: string, filename: string) => unknown;

function installHook(
  file: string,
  withoutDynamicImport: ReadonlySet<string>,
  knownFiles: ReadonlyMap<string, KnownFile> = new Map(),
): CompileCache {
  const stored = readCacheFile(file);
  const loaded = new Map<string, { hash: string; script: vm.Script }>();
  let hits = 0;
  let misses = 0;
  const proto = Module.prototype as unknown as { _compile: Compile };
  const nodeCompile = proto._compile;
  const keepSourceMaps = process.sourceMapsEnabled === true;
  const extensions = (Module as unknown as { _extensions: Record<string, (module: NodeModule, file: string) => void> })
    ._extensions;
  const nodeLoadJs = extensions['.js'];
  // The text each known file was read as, and the same text in the module wrapper: read into one buffer between the
  // wrapper's two parts and decoded once, so that V8 compiles it without a copy (Module.wrap's concatenation is
  // flattened into one: 3.8 MB of fresh memory for the bundle). Its hash is the recorded one only while the compiled
  // source is that text.
  const readAsKnown = new Map<string, { content: string; wrapped: string }>();
  const wrapper = moduleWrapper();
  extensions['.js'] = function (module: NodeModule, filename: string): void {
    const known = knownFiles.get(filename);
    if (known === undefined || wrapper === undefined) return nodeLoadJs.call(this, module, filename);
    const [head, tail] = wrapper;
    const bytes = readBetween(filename, head, tail);
    const wrapped = bytes.toString(known.ascii ? 'latin1' : 'utf8');
    const content = wrapped.slice(head.length, wrapped.length - tail.length);
    readAsKnown.set(filename, { content, wrapped });
    (module as unknown as { _compile: Compile })._compile.call(module, content, filename);
  };

  proto._compile = function (this: NodeModule, content: string, filename: string): unknown {
    // import() in a vm.Script needs a loader callback that Node 20 only offers as an experimental feature (with a
    // warning): a module that may call it (the test also matches comments) is compiled by Node, uncached.
    const source = JS_FILE.test(filename)
      ? stripShebang(keepSourceMaps ? content : withoutInlineSourceMap(content))
      : undefined;
    const mayImport =
      !withoutDynamicImport.has(filename) && source?.includes('import') === true && DYNAMIC_IMPORT.test(source);
    if (source === undefined || mayImport) {
      return nodeCompile.call(this, content, filename);
    }
    // A known file compiles as read (no shebang or source map was cut from it): its recorded hash, its wrapped text.
    const read = readAsKnown.get(filename);
    const asRead = read !== undefined && read.content === source ? read : undefined;
    const hash = asRead ? knownFiles.get(filename)!.md5 : crypto.createHash('md5').update(source).digest('base64');
    const entry = stored.index[filename];
    const cachedData = entry?.hash === hash ? stored.data.subarray(entry.start, entry.end) : undefined;
    const script = new vm.Script(asRead ? asRead.wrapped : Module.wrap(source), { filename, cachedData });
    if (cachedData && !script.cachedDataRejected) hits++;
    else misses++;
    loaded.set(filename, { hash, script });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, requireFor(this), this, filename, path.dirname(filename));
  };

  process.once('exit', () => {
    if (misses === 0) return;
    try {
      writeCacheFile(file, stored, loaded);
    } catch {
      // A cache that cannot be written only costs the next run its speed.
    }
  });
  return { file, kind: 'hook', stats: () => ({ hits, misses, dirty: misses > 0 }) };
}

/**
 * The two parts of Node's module wrapper (Module.wrap puts a module's text between them), or undefined when another
 * tool replaced Module.wrap: known files are then read by Node like the others.
 */
function moduleWrapper(): readonly [string, string] | undefined {
  const parts = (Module as unknown as { wrapper?: unknown }).wrapper;
  const [head, tail] = Array.isArray(parts) ? (parts as unknown[]) : [];
  return typeof head === 'string' && typeof tail === 'string' && Module.wrap('x') === `${head}x${tail}`
    ? [head, tail]
    : undefined;
}

/** The bytes of `head`, then the file, then `tail` (ASCII parts), read into one buffer. */
function readBetween(file: string, head: string, tail: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const bytes = Buffer.allocUnsafe(head.length + size + tail.length);
    bytes.write(head, 0, 'latin1');
    let read = 0;
    while (read < size) {
      const got = fs.readSync(fd, bytes, head.length + read, size - read, read);
      if (got === 0) break;
      read += got;
    }
    if (read < size) throw new Error(`${file} became shorter while it was read`);
    bytes.write(tail, head.length + size, 'latin1');
    return bytes;
  } finally {
    fs.closeSync(fd);
  }
}

/** The `require` Node gives a module (see Node's makeRequireFunction). */
function requireFor(module: NodeModule): NodeJS.Require {
  const internals = Module as unknown as {
    _resolveFilename(request: string, parent: NodeModule, isMain: boolean, options?: unknown): string;
    _resolveLookupPaths(request: string, parent: NodeModule): string[] | null;
    _extensions: NodeJS.RequireExtensions;
    _cache: NodeJS.Dict<NodeModule>;
  };
  const require = ((id: string) => module.require(id)) as NodeJS.Require;
  const resolve = ((request: string, options?: { paths?: string[] }) =>
    internals._resolveFilename(request, module, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => internals._resolveLookupPaths(request, module);
  require.resolve = resolve;
  require.main = process.mainModule;
  require.extensions = internals._extensions;
  require.cache = internals._cache;
  return require;
}

/** The source without a trailing `//# sourceMappingURL=data:...` line. */
export function withoutInlineSourceMap(content: string): string {
  const at = content.lastIndexOf(SOURCE_MAP_MARK);
  if (at < 0 || (at > 0 && content[at - 1] !== '\n')) return content;
  return content.slice(at).trimEnd().includes('\n') ? content : content.slice(0, at);
}

/** A `#!` line becomes a comment, as Node's loader treats it (line numbers unchanged). */
function stripShebang(content: string): string {
  return content.startsWith('#!') ? `//${content}` : content;
}

interface StoredCache {
  readonly index: Record<string, Entry>;
  readonly data: Buffer;
}

function readCacheFile(file: string): StoredCache {
  const empty: StoredCache = { index: {}, data: Buffer.alloc(0) };
  let buffer: Buffer;
  try {
    buffer = fs.readFileSync(file);
  } catch {
    return empty;
  }
  try {
    if (!buffer.subarray(0, MAGIC.length).equals(MAGIC)) return empty;
    const length = buffer.readUInt32LE(MAGIC.length);
    const start = MAGIC.length + 4;
    const index = JSON.parse(buffer.subarray(start, start + length).toString('utf8')) as Record<string, Entry>;
    const data = buffer.subarray(start + length);
    const valid = Object.values(index).every(
      (e) => typeof e.hash === 'string' && Number.isInteger(e.start) && e.start <= e.end && e.end <= data.length,
    );
    return valid ? { index, data } : empty;
  } catch {
    return empty; // truncated or foreign: start over
  }
}

function writeCacheFile(
  file: string,
  stored: StoredCache,
  loaded: ReadonlyMap<string, { hash: string; script: vm.Script }>,
): void {
  const index: Record<string, Entry> = {};
  const chunks: Buffer[] = [];
  let size = 0;
  const add = (filename: string, hash: string, data: Buffer): void => {
    index[filename] = { hash, start: size, end: size + data.length };
    chunks.push(data);
    size += data.length;
  };
  for (const [filename, { hash, script }] of loaded) add(filename, hash, script.createCachedData());
  // Keep what other commands loaded (verify, rollout), unless the file is gone or the cache grew too large.
  for (const [filename, entry] of Object.entries(stored.index)) {
    if (loaded.has(filename) || size + entry.end - entry.start > MAX_BYTES || !fs.existsSync(filename)) continue;
    add(filename, entry.hash, stored.data.subarray(entry.start, entry.end));
  }
  const header = Buffer.from(JSON.stringify(index), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, Buffer.concat([MAGIC, length, header, ...chunks]));
  fs.renameSync(temporary, file);
}
