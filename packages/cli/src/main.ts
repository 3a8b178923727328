#!/usr/bin/env node
import * as fs from 'fs';
import * as path from 'path';
import { installCompileCache } from './compile-cache';
import { findRepoRoot } from './paths';

// The compile cache goes in before anything else loads: loading the construct libraries is most of a short command.
// It lives in the checkout the command belongs to (node_modules/.cache, like other tools' caches), never elsewhere.
const repoRoot = findRepoRoot(__dirname);
if (fs.existsSync(path.join(repoRoot, 'pnpm-workspace.yaml')) && fs.existsSync(path.join(repoRoot, 'node_modules')))
  installCompileCache(path.join(repoRoot, 'node_modules', '.cache', 'tts-ecs'));

void import('./cli');
