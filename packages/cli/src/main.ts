#!/usr/bin/env node
import * as fs from 'fs';
import * as path from 'path';
import { BUNDLE_DIR, bundleState } from './bundle';
import { installCompileCache } from './compile-cache';
import { findRepoRoot } from './paths';
import { keepYoungGenerationSmall } from './young-generation';

// Before any module loads, and again at exit before the compile cache (whose exit listener comes later) is written:
// V8's code cache records the flags (young-generation.ts).
keepYoungGenerationSmall();
process.once('exit', keepYoungGenerationSmall);

// Before anything else loads: loading the construct libraries is most of a short command.
const repoRoot = findRepoRoot(__dirname);
const inCheckout = fs.existsSync(path.join(repoRoot, 'pnpm-workspace.yaml'));

// The bundle (bundle.ts) while it is fresh; TTS_ECS_BUNDLE=0 never uses it, TTS_ECS_BUNDLE=1 insists on it.
const bundleSetting = process.env.TTS_ECS_BUNDLE;
const bundle =
  bundleSetting === '0' || !inCheckout ? undefined : bundleState(path.join(__dirname, '..', BUNDLE_DIR), repoRoot);
if (bundleSetting === '1' && !bundle?.fresh) {
  process.stderr.write(
    `TTS_ECS_BUNDLE=1, but the bundle cannot run: ${bundle?.fresh === false ? bundle.reason : 'not in a checkout'}.\n`,
  );
  process.exit(1);
}

// The compile cache lives in the checkout (node_modules/.cache, like other tools' caches) unless
// TTS_ECS_COMPILE_CACHE_DIR names another folder. It serves the bundle as well as the compiled files.
const cacheDir =
  process.env.TTS_ECS_COMPILE_CACHE_DIR ||
  (inCheckout && fs.existsSync(path.join(repoRoot, 'node_modules'))
    ? path.join(repoRoot, 'node_modules', '.cache', 'tts-ecs')
    : undefined);
// One cache for the bundle and one for the compiled files: each run reads the whole file, and they share nothing.
if (cacheDir && bundle?.fresh)
  installCompileCache(path.join(cacheDir, 'bundle'), {
    withoutDynamicImport: bundle.manifest.dynamicImport ? [] : [bundle.file],
    knownFiles: new Map([[bundle.file, bundle.manifest.bundle]]),
  });
else if (cacheDir) installCompileCache(path.join(cacheDir, 'modules'));

void import(bundle?.fresh ? bundle.file : './cli');
