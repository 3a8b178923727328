#!/usr/bin/env node
// Measures `tts-ecs synth` as a whole process: wall time and peak memory (GNU time's %M, the largest process), as
// medians over several runs. Prints numbers; asserts nothing (a benchmark, not a test).
//   pnpm bench [--runs N] [--config file]        one config (default deployments/example.json)
//   pnpm bench --secondaries 0,10,30 [--runs N]  the example with N secondaries each (replacing its own), and the
//                                                marginal cost of one more secondary (slope between the ends, per
//                                                round of one run of each count, median of the rounds)
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const runs = Number(option('--runs')) || 5;
const root = path.join(__dirname, '..');
const cli = path.join(root, 'packages/cli/dist/main.js');
const timeBin = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-ecs-bench-'));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One whole-process synth of `config`: wall seconds, peak MiB, stacks. */
function runOnce(config, i) {
  const out = path.join(work, `out-${i}`);
  const synthArgs = [cli, 'synth', '--out', out, '--config', config];
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
  const stacks = Number((/Synthesized (\d+) stacks/.exec(child.stdout) || [])[1]);
  fs.rmSync(out, { recursive: true, force: true });
  return { seconds, peakMiB: match ? Number(match[1]) / 1024 : NaN, stacks };
}

function summary(results) {
  return {
    seconds: median(results.map((r) => r.seconds)),
    min: Math.min(...results.map((r) => r.seconds)),
    peakMiB: Math.max(...results.map((r) => r.peakMiB)),
    stacks: results[0].stacks,
  };
}

/**
 * Runs every config `runs` times, in rounds (one run of each config per round), so that a machine whose speed drifts
 * slows all configs alike; returns each config's runs.
 */
function measureRounds(configs) {
  const all = configs.map(() => []);
  for (let round = 0; round < runs; round++) configs.forEach((config, i) => all[i].push(runOnce(config, i)));
  return all;
}

/** deployments/example.json with `n` secondaries in mixed regions (some sharing one). */
function withSecondaries(n) {
  const config = JSON.parse(fs.readFileSync(path.join(root, 'deployments/example.json'), 'utf8'));
  delete config.$schema;
  const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-1', 'us-east-1'];
  const primary = config.clusters.find((c) => c.role === 'primary');
  config.clusters = [
    primary,
    ...Array.from({ length: n }, (_, i) => {
      const region = regions[i % regions.length];
      return {
        id: `s${i}`,
        role: 'secondary',
        accountId: primary.accountId,
        region,
        availabilityZones: [`${region}a`, `${region}b`],
        vpcCidr: `10.${100 + i}.0.0/16`,
      };
    }),
  ];
  const file = path.join(work, `secondaries-${n}.json`);
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

const line = (label, r) =>
  `${label}: median ${r.seconds.toFixed(2)} s (min ${r.min.toFixed(2)} s), peak ${r.peakMiB.toFixed(0)} MiB, ${r.stacks} stacks`;
try {
  console.log(`${runs} runs each, ${os.cpus().length} CPUs, node ${process.version}`);
  const counts = option('--secondaries');
  if (counts) {
    const ns = counts.split(',').map(Number);
    const rounds = measureRounds(ns.map(withSecondaries));
    ns.forEach((n, i) => console.log(line(`${String(n).padStart(3)} secondaries`, summary(rounds[i]))));
    const [n0, n1] = [ns[0], ns[ns.length - 1]];
    if (n1 > n0) {
      // The slope between the first and last count, round by round (both runs of a round met the same machine).
      const slopes = rounds[0].map((r0, k) => (rounds[rounds.length - 1][k].seconds - r0.seconds) / (n1 - n0));
      const ms = (x) => (x * 1000).toFixed(0);
      console.log(
        `marginal cost of one more secondary: ${ms(median(slopes))} ms (median of ${slopes.length} rounds, ` +
          `${ms(Math.min(...slopes))}-${ms(Math.max(...slopes))} ms)`,
      );
    }
  } else {
    const config = option('--config') ?? path.join(root, 'deployments/example.json');
    console.log(line(path.relative(root, config), summary(measureRounds([config])[0])));
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
