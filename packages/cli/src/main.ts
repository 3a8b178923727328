#!/usr/bin/env node
import * as fs from 'fs';
import * as path from 'path';
import { installCompileCache } from './compile-cache';
import { findRepoRoot } from './paths';

// The compile cache goes in before anything else loads: loading the construct libraries is most of a short command.
// It lives in the checkout the command belongs to (node_modules/.cache, like other tools' caches) unless
// TTS_ECS_COMPILE_CACHE_DIR names another folder.
const repoRoot = findRepoRoot(__dirname);
const cacheDir =
  process.env.TTS_ECS_COMPILE_CACHE_DIR ||
  (fs.existsSync(path.join(repoRoot, 'pnpm-workspace.yaml')) && fs.existsSync(path.join(repoRoot, 'node_modules'))
    ? path.join(repoRoot, 'node_modules', '.cache', 'tts-ecs')
    : undefined);
if (cacheDir) installCompileCache(cacheDir);

void import('./cli');
