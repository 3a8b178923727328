#!/usr/bin/env node
// Bundles the compiled tts-ecs command with the construct libraries and every app's compose module into
// packages/cli/bundle/tts-ecs.bundle.js, and records its inputs in tts-ecs.bundle.json (packages/cli/src/bundle.ts
// says why, and when main.js runs it). Run after `tsc -b` (pnpm build does both); does nothing while the bundle is
// fresh. Asserts nothing about speed: `pnpm bench` measures.
const crypto = require('crypto');
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const distDir = path.join(root, 'packages/cli/dist');
const { BUNDLE_DIR, BUNDLE_FILE, BUNDLE_MANIFEST, bundleState, composeModules } = require(
  path.join(distDir, 'bundle.js'),
);
// Beside dist/, not in it: dist/ is one of the folders the bundle records.
const bundleDir = path.join(root, 'packages/cli', BUNDLE_DIR);

/**
 * cdktf zips an archive asset by running lib/private/fs.js as a script (`node <its __filename> src dest`); inside a
 * bundle that name would be the bundle's. That module stays a file of its own, loaded from node_modules.
 */
const cdktfScriptModules = {
  name: 'cdktf-script-modules',
  setup(build) {
    build.onResolve({ filter: /^\.\/private\/fs$/ }, (args) =>
      /[\\/]cdktf[\\/]lib$/.test(args.resolveDir)
        ? { path: path.join(args.resolveDir, 'private', 'fs.js'), external: true }
        : undefined,
    );
  },
};

/**
 * One non-ASCII character makes Node decode the whole file as UTF-8 into a two-byte string: 0.12 s for the 5.6 MB
 * bundle instead of 0.03 s. esbuild escapes them in code but copies comments as they are; in a line that is only a
 * comment they become "?". Anything else is left alone, with a warning.
 */
const NON_ASCII = /[\u0080-\uffff]/;
const NON_ASCII_ALL = new RegExp(NON_ASCII.source, 'g');
function asciiOnly(file) {
  const text = fs.readFileSync(file, 'utf8');
  if (!NON_ASCII.test(text)) return;
  let left = 0;
  const lines = text.split('\n').map((line) => {
    if (!NON_ASCII.test(line)) return line;
    if (/^\s*(\/\/|\/\*|\*)/.test(line)) return line.replace(NON_ASCII_ALL, '?');
    left++;
    return line;
  });
  fs.writeFileSync(file, lines.join('\n'));
  if (left > 0) console.warn(`bundle-cli: ${left} lines of code hold non-ASCII characters; the bundle loads slower.`);
}

async function main() {
  const state = bundleState(bundleDir, root);
  if (state.fresh) return;
  const apps = composeModules(root);
  for (const app of apps) if (!fs.existsSync(app)) throw new Error(`${app} does not exist: run tsc -b first.`);
  // The apps are registered before the command starts: synth composes them as soon as cli.js loads.
  const entry = [
    `require(${JSON.stringify(path.join(distDir, 'bundle.js'))}).registerBundledApps({`,
    ...apps.map((app) => `  ${JSON.stringify(app)}: require(${JSON.stringify(app)}),`),
    '});',
    `require(${JSON.stringify(path.join(distDir, 'cli.js'))});`,
  ].join('\n');
  const started = Date.now();
  fs.mkdirSync(bundleDir, { recursive: true });
  const temporary = path.join(bundleDir, `${BUNDLE_FILE}.${process.pid}.tmp`);
  const result = await esbuild.build({
    stdin: { contents: entry, resolveDir: root, sourcefile: 'tts-ecs-bundle-entry.js', loader: 'js' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: temporary,
    absWorkingDir: root,
    metafile: true,
    logLevel: 'warning',
    plugins: [cdktfScriptModules],
    minifyWhitespace: true,
  });
  const inputs = Object.keys(result.metafile.inputs)
    .filter((input) => !input.startsWith('<stdin>') && !input.includes('tts-ecs-bundle-entry'))
    .map((input) => path.resolve(root, input))
    .sort();
  // The cdktf.json files name the compose modules: a change there must make the bundle stale too.
  const appsDir = path.join(root, 'apps');
  const cdktfFiles = fs
    .readdirSync(appsDir)
    .map((name) => path.join(appsDir, name, 'cdktf.json'))
    .filter((file) => fs.existsSync(file));
  // Also what decides which files `require` finds: every folder holding an input (a file added there may take the
  // place of a bundled one), and pnpm's record of the install (an install repoints node_modules links while the
  // files they pointed to stay where they are).
  const folders = inputs.map((input) => path.dirname(input));
  const install = [path.join(root, 'pnpm-lock.yaml'), path.join(root, 'node_modules', '.modules.yaml')];
  const recorded = [...new Set([...inputs, ...cdktfFiles, ...folders, ...install.filter(fs.existsSync)])].map(
    (file) => {
      const stat = fs.statSync(file);
      return [file, stat.size, stat.mtimeMs];
    },
  );
  // A file written while esbuild ran may be newer than what it read: no manifest, so the bundle does not run.
  const changed = recorded.find(([, , mtimeMs]) => mtimeMs >= started);
  if (changed) {
    fs.rmSync(temporary, { force: true });
    throw new Error(`${changed[0]} changed while bundling; run the build again.`);
  }
  asciiOnly(temporary);
  // The compile cache leaves a file that may call import() to Node; it takes the bundle only when none does.
  const dynamicImport = Object.values(result.metafile.inputs).some((input) =>
    input.imports.some((i) => i.kind === 'dynamic-import'),
  );
  // Manifest last: until it is written, the command runs unbundled.
  fs.rmSync(path.join(bundleDir, BUNDLE_MANIFEST), { force: true });
  fs.renameSync(temporary, path.join(bundleDir, BUNDLE_FILE));
  // The bundle itself: the command runs it only while it is unchanged, and then takes these from here instead of
  // hashing and decoding it again (bundle.ts, compile-cache.ts).
  const bytes = fs.readFileSync(path.join(bundleDir, BUNDLE_FILE));
  const { size, mtimeMs } = fs.statSync(path.join(bundleDir, BUNDLE_FILE));
  const bundle = {
    size,
    mtimeMs,
    md5: crypto.createHash('md5').update(bytes).digest('base64'),
    ascii: !bytes.some((byte) => byte > 0x7f),
  };
  const manifest = { version: 2, inputs: recorded, apps, dynamicImport, bundle };
  fs.writeFileSync(`${temporary}.json`, `${JSON.stringify(manifest)}\n`);
  fs.renameSync(`${temporary}.json`, path.join(bundleDir, BUNDLE_MANIFEST));
  // On stderr: `pnpm tts-ecs order --json` builds first, and its stdout is JSON.
  console.error(
    `Bundled the tts-ecs command: ${recorded.length} files, ${apps.length} apps, ` +
      `${(size / 1024 / 1024).toFixed(1)} MiB in ${((Date.now() - started) / 1000).toFixed(1)} s (${state.reason}).`,
  );
}

main().catch((error) => {
  process.stderr.write(`bundle-cli: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
