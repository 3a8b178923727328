#!/usr/bin/env node
// Measures `tts-ecs synth` of a config: wall time and peak memory (largest single process, from GNU time's %M),
// over several runs. Usage: pnpm bench [--runs N] [--config file]. Prints numbers; asserts nothing.
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 3;
const configIndex = args.indexOf('--config');
const root = path.join(__dirname, '..');
const cli = path.join(root, 'packages/cli/dist/main.js');
const timeBin = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

const results = [];
for (let i = 0; i < runs; i++) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-ecs-bench-'));
  const synthArgs = [cli, 'synth', '--out', path.join(out, 'cdktf.out')];
  if (configIndex !== -1) synthArgs.push('--config', args[configIndex + 1]);
  const started = process.hrtime.bigint();
  const child = timeBin
    ? spawnSync(timeBin, ['-f', 'TTS_ECS_BENCH %M', process.execPath, ...synthArgs], { encoding: 'utf8' })
    : spawnSync(process.execPath, synthArgs, { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.status !== 0) {
    process.stderr.write(child.stdout + child.stderr);
    process.exit(1);
  }
  const match = /TTS_ECS_BENCH (\d+)/.exec(child.stderr);
  const stacks = (/Synthesized (\d+) stacks/.exec(child.stdout) || [])[1];
  results.push({ seconds, peakMiB: match ? Number(match[1]) / 1024 : NaN, stacks });
  fs.rmSync(out, { recursive: true, force: true });
}
for (const [i, r] of results.entries()) {
  console.log(
    `run ${i + 1}: ${r.seconds.toFixed(2)} s, peak ${r.peakMiB.toFixed(0)} MiB (largest process), ${r.stacks} stacks`,
  );
}
const sorted = results.map((r) => r.seconds).sort((a, b) => a - b);
console.log(
  `synth wall time: median ${sorted[Math.floor(sorted.length / 2)].toFixed(2)} s, min ${sorted[0].toFixed(2)} s over ${runs} runs`,
);
console.log(`peak memory: ${Math.max(...results.map((r) => r.peakMiB)).toFixed(0)} MiB`);
