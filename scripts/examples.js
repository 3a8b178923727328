#!/usr/bin/env node
// The example apps (examples/<name>, built only from the generic packages): synthesize, verify, draw.
//   node scripts/examples.js synth                  every example into examples/<name>/cdktf.out (one process)
//   node scripts/examples.js verify [--update-golden]   terraform validate + offline plan of every stack, compared with
//                                                  examples/<name>/golden.plan.txt (--update-golden rewrites it)
//   node scripts/examples.js diagram                the architecture diagram in examples/<name>/README.md
// Run `tsc -b` first (the package scripts do).
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const examplesDir = path.join(root, 'examples');
const cli = path.join(root, 'packages/cli/dist/main.js');

/** Names of the examples that have a built app (dist/app.js exporting buildApp). */
function examples() {
  if (!fs.existsSync(examplesDir)) return [];
  const names = fs.readdirSync(examplesDir).filter((n) => fs.existsSync(path.join(examplesDir, n, 'package.json')));
  const unbuilt = names.filter((n) => !fs.existsSync(path.join(examplesDir, n, 'dist/app.js')));
  if (unbuilt.length > 0) fail(`not built: ${unbuilt.join(', ')} (run \`pnpm build\` first)`);
  return names.sort();
}

function fail(message) {
  process.stderr.write(`examples: ${message}\n`);
  process.exit(1);
}

function synth() {
  for (const name of examples()) {
    const out = path.join(examplesDir, name, 'cdktf.out');
    fs.rmSync(out, { recursive: true, force: true });
    const started = Date.now();
    const app = require(path.join(examplesDir, name, 'dist/app.js')).buildApp(out);
    app.synth();
    const stacks = fs.readdirSync(path.join(out, 'stacks'));
    console.log(
      `${name}: ${stacks.length} stacks (${stacks.join(', ')}) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }
}

function run(args) {
  const child = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit', cwd: root });
  return child.status ?? 1;
}

function verify(update) {
  synth();
  let code = 0;
  for (const name of examples()) {
    const dir = path.join('examples', name);
    const golden = ['--golden', path.join(dir, 'golden.plan.txt'), ...(update ? ['--update-golden'] : [])];
    code = Math.max(code, run(['verify', '--from', path.join(dir, 'cdktf.out'), ...golden]));
  }
  process.exit(code);
}

function diagram() {
  synth();
  let code = 0;
  for (const name of examples()) {
    const dir = path.join('examples', name);
    const args = [
      'diagram',
      '--resources',
      '--from',
      path.join(dir, 'cdktf.out'),
      '--output',
      path.join(dir, 'README.md'),
    ];
    code = Math.max(code, run(args));
  }
  process.exit(code);
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'synth') synth();
else if (command === 'verify') verify(rest.includes('--update-golden'));
else if (command === 'diagram') diagram();
else fail('usage: node scripts/examples.js synth | verify [--update-golden] | diagram');
