import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { discoverStacks, exitCodeOf, formatReport, runVerify, toJsonReport } from '@tts-ecs/terraform';
import { ParsedArgs, UsageError } from './args';
import { unknownNames } from './rollout/order-source';
import { resolveConfigPath } from './paths';
import { synthesize } from './synth';
import { loadDeploymentConfig } from '@tts-ecs/config';
import { contractFixtures } from '@tts-ecs/stacks';
import { goldenCheck } from './golden';

/**
 * `tts-ecs verify`: synthesize the config into a temporary folder, then terraform init + validate + offline plan of
 * every stack (docs/architecture.md, "Verification": steps 3 and 4). `--stacks a,b` limits it; `--keep` keeps the work dir.
 * `--golden <file>` compares the normalised plan with a committed golden plan (exit 1 with a diff when it differs);
 * `--update-golden` writes that file instead.
 */
export async function verifyCommand(repoRoot: string, args: ParsedArgs): Promise<number> {
  if (args.options.from === true) throw new UsageError('--from needs the folder of a synth output.');
  const from = typeof args.options.from === 'string' ? path.resolve(args.options.from) : undefined;
  if (from && args.options.config !== undefined)
    throw new UsageError('--from verifies an existing synth output; --config synthesizes one: pick one.');
  if (from && !fs.existsSync(path.join(from, 'manifest.json')))
    throw new UsageError(
      `--from ${from}: no manifest.json there; synthesize the app first (e.g. pnpm synth:examples).`,
    );
  const configPath = from ?? resolveConfigPath(repoRoot, args.options.config);
  const golden = typeof args.options.golden === 'string' ? path.resolve(args.options.golden) : undefined;
  if (args.options.golden === true) throw new UsageError('--golden needs a file.');
  if (args.options['update-golden'] === true && !golden) throw new UsageError('--update-golden needs --golden <file>.');
  if (golden && args.options.stacks !== undefined) {
    throw new UsageError('--golden compares the plan of every stack: it cannot be combined with --stacks.');
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-ecs-verify-'));
  const json = args.options.json === true;
  const log = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);
  try {
    const synth = from
      ? { outDir: from, stacks: discoverStacks(from), seconds: 0 }
      : await synthesize({ repoRoot, configPath, outDir: path.join(tmp, 'cdktf.out') });
    log(
      from
        ? `Verifying ${synth.stacks.length} stacks of ${path.relative(process.cwd(), from) || '.'}...`
        : `Synthesized ${synth.stacks.length} stacks from ${path.relative(process.cwd(), configPath)} in ${synth.seconds.toFixed(1)} s; verifying...`,
    );
    const stacks = typeof args.options.stacks === 'string' ? args.options.stacks.split(',').filter(Boolean) : undefined;
    const names = synth.stacks.map((s) => s.name);
    const unknown = (stacks ?? []).filter(
      (s) => !names.includes(s) && !synth.stacks.some((x) => `${x.app}/${x.name}` === s),
    );
    if (unknown.length > 0) throw new UsageError(unknownNames('stack', unknown, names));
    const result = await runVerify({
      synthDir: synth.outDir,
      stacks,
      concurrency: typeof args.options.concurrency === 'string' ? Number(args.options.concurrency) : undefined,
      keepWorkDir: args.options.keep === true,
      batch: args.options['one-by-one'] !== true,
      // Secondary stacks read the primary's contract outputs: give them values shaped like this deployment's primary.
      remoteStateFixtures: from ? undefined : contractFixtures(loadDeploymentConfig(configPath)),
      onStackDone: (stack) =>
        log(`  ${stack.stack}: validate ${stack.validate}, plan ${stack.plan} (${stack.seconds.toFixed(1)} s)`),
    });
    process.stdout.write(json ? `${JSON.stringify(toJsonReport(result), null, 2)}\n` : `${formatReport(result)}\n`);
    const code = exitCodeOf(result, { allowSkipped: args.options['allow-skipped'] === true });
    if (!golden) return code;
    const check = goldenCheck(result, {
      file: golden,
      update: args.options['update-golden'] === true,
      config: path.relative(repoRoot, configPath).split(path.sep).join('/'),
    });
    log(check.message);
    return Math.max(code, check.code);
  } finally {
    if (args.options.keep !== true) fs.rmSync(tmp, { recursive: true, force: true });
  }
}
