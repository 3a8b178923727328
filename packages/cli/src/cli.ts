import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, renderJsonSchema } from '@tts-ecs/config';
import { ParsedArgs, UsageError, parseArgs } from './args';
import { findRepoRoot, resolveConfigPath } from './paths';
import { synthesize } from './synth';
import { formatApplyOrder, readApplyOrderFile } from '@tts-ecs/terraform';
import { ROLLOUT_FLAGS, ROLLOUT_OPTIONS, ROLLOUT_USAGE } from './rollout/usage';
import { DIAGRAM_FLAGS, DIAGRAM_OPTIONS, DIAGRAM_USAGE } from './diagram/usage';
import { CI_OPTIONS, CI_USAGE } from './ci/usage';

const USAGE = `Usage: tts-ecs <command> [options]

Commands:
  synth     Validate the deployment config and synthesize every cluster's stacks.
  verify    Synthesize into a temporary folder, then terraform init + validate + offline plan of every stack.
  schema    Write the config JSON Schema to deployments/schema.json.
  order     Synthesize (like synth) and print the apply order across clusters and layers (--json: apply-order.json).
${ROLLOUT_USAGE}${DIAGRAM_USAGE}${CI_USAGE}
Options:
  --config <file>   Deployment config (default: $TTS_ECS_CONFIG, else deployments/example.json).
  --out <dir>       Synth output folder (default: cdktf.out).
  --json            Machine-readable output (verify, order, plan, apply, rollout).
  --stacks <a,b>    Verify only these stacks.
  --keep            Keep the verify work folder (stack copies, overrides) for inspection.
  --one-by-one      verify: plan each stack in its own terraform run instead of all in one (slower; the batch
                    already re-runs the stacks an error points at alone).
  --allow-skipped   verify: exit 0 although some stacks could not be checked (they are still reported).
  --golden <file>   verify: compare the normalised plan (per stack, action and address of every resource) with this
                    committed golden plan; exit 1 with a diff when it differs (pnpm golden:update regenerates).
  --update-golden   verify --golden: write the golden plan file instead of comparing.
  --from <dir>      verify: check an existing synth output (any cdktf app, e.g. examples/camunda/cdktf.out) instead
                    of synthesizing the config.
  --version         Print the tts-ecs version.
${ROLLOUT_OPTIONS}${DIAGRAM_OPTIONS}${CI_OPTIONS}`;

const FLAGS = [
  'json',
  'help',
  'keep',
  'one-by-one',
  'allow-skipped',
  'update-golden',
  'version',
  ...ROLLOUT_FLAGS,
  ...DIAGRAM_FLAGS,
];

/** The version of this package (package.json next to dist/). */
function version(): string {
  return (JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string })
    .version;
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, FLAGS);
  if (args.options.version) {
    process.stdout.write(`tts-ecs ${version()}\n`);
    return 0;
  }
  if (args.options.help || args.command === undefined || args.command === 'help') {
    process.stdout.write(USAGE);
    return args.command === undefined && !args.options.help ? 2 : 0;
  }
  const repoRoot = findRepoRoot();
  switch (args.command) {
    case 'synth':
      return synthCommand(repoRoot, args);
    case 'verify':
      return (await import('./verify-command')).verifyCommand(repoRoot, args);
    case 'order': {
      const configPath = resolveConfigPath(repoRoot, args.options.config);
      const outDir = path.resolve(
        typeof args.options.out === 'string' ? args.options.out : path.join(repoRoot, 'cdktf.out'),
      );
      const { outDir: out } = await synthesize({ repoRoot, configPath, outDir });
      const order = readApplyOrderFile(out);
      process.stdout.write(
        args.options.json === true ? `${JSON.stringify(order, null, 2)}\n` : formatApplyOrder(order),
      );
      return 0;
    }
    case 'plan':
      return (await import('./rollout/commands')).planCommand(repoRoot, args);
    case 'drift':
      return (await import('./rollout/commands')).driftCommand(repoRoot, args);
    case 'apply':
      return (await import('./rollout/commands')).applyCommand(repoRoot, args);
    case 'rollout':
      return (await import('./rollout/commands')).rolloutCommand(repoRoot, args);
    case 'diagram':
      return (await import('./diagram/command')).diagramCommand(repoRoot, args);
    case 'ci':
      return (await import('./ci/command')).ciCommand(repoRoot, args);
    case 'schema': {
      const file = path.join(repoRoot, 'deployments', 'schema.json');
      fs.writeFileSync(file, renderJsonSchema());
      process.stdout.write(`Wrote ${path.relative(process.cwd(), file)}\n`);
      return 0;
    }
    default:
      throw new UsageError(`Unknown command "${args.command}".`);
  }
}

async function synthCommand(repoRoot: string, args: ParsedArgs): Promise<number> {
  const configPath = resolveConfigPath(repoRoot, args.options.config);
  const outDir = path.resolve(
    typeof args.options.out === 'string' ? args.options.out : path.join(repoRoot, 'cdktf.out'),
  );
  const result = await synthesize({ repoRoot, configPath, outDir });
  const rel = (p: string) => path.relative(process.cwd(), p) || '.';
  process.stdout.write(
    `Synthesized ${result.stacks.length} stacks from ${rel(configPath)} in ${result.seconds.toFixed(1)} s:\n` +
      result.stacks.map((s) => `  ${s.name.padEnd(34)} ${rel(s.dir)}\n`).join('') +
      `Plan one with: terraform -chdir=${rel(result.stacks[0]?.dir ?? outDir)} init && terraform -chdir=... plan\n`,
  );
  return 0;
}

/**
 * Exits once stdout and stderr are flushed: writes to a pipe are asynchronous, and `process.exit` right after them
 * cut `verify --json | jq` off at 64 KiB.
 */
function exitAfterFlush(code: number): void {
  let pending = 2;
  const done = (): void => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

main(process.argv.slice(2)).then(exitAfterFlush, (error: unknown) => {
  if (error instanceof UsageError) process.stderr.write(`${error.message}\n\n${USAGE}`);
  else if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  exitAfterFlush(error instanceof UsageError ? 2 : 1);
});
