import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadDeploymentConfig } from '@tts-ecs/config';
import { readApplyOrderFile } from '@tts-ecs/terraform';
import { ParsedArgs, UsageError } from '../args';
import { resolveConfigPath } from '../paths';
import { synthesize } from '../synth';
import { DEFAULT_ROLE_ARN_TEMPLATE, GithubWorkflowOptions, renderGithubWorkflow } from './github';

export const CI_DEFAULT_OUT = path.join('.github', 'workflows', 'tts-ecs.yml');

/** What the command needs besides the arguments; tests replace parts. */
export interface CiDeps {
  readonly synthesize?: typeof synthesize;
  readonly stdout?: { write(text: string): unknown };
}

/** The generator's input from the config and a synth into a temporary folder (the apply order). */
export async function githubWorkflowOptions(
  repoRoot: string,
  args: ParsedArgs,
  deps: CiDeps = {},
): Promise<GithubWorkflowOptions> {
  const option = (name: string): string | undefined =>
    typeof args.options[name] === 'string' ? (args.options[name] as string) : undefined;
  const configPath = resolveConfigPath(repoRoot, args.options.config);
  if (path.relative(repoRoot, configPath).startsWith('..'))
    throw new UsageError(`the config must be inside the repository (the workflow runs there): ${configPath}`);
  const config = loadDeploymentConfig(configPath);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-ecs-ci-'));
  try {
    const { outDir } = await (deps.synthesize ?? synthesize)({
      repoRoot,
      configPath,
      outDir: path.join(work, 'cdktf.out'),
    });
    const waveSize = option('wave-size');
    if (waveSize !== undefined && !/^\d+$/.test(waveSize))
      throw new UsageError(`--wave-size must be a whole number >= 1, got ${waveSize}.`);
    const template = option('role-arn-template') ?? DEFAULT_ROLE_ARN_TEMPLATE;
    return {
      order: readApplyOrderFile(outDir),
      clusters: Object.fromEntries(
        config.clusters.map((c) => [c.id, { accountId: c.accountId, region: c.region }] as const),
      ),
      deployment: `${config.prefix}-${config.environment}`,
      configPath: path.relative(repoRoot, configPath).split(path.sep).join('/'),
      roleArnTemplate: template,
      planRoleArnTemplate: option('plan-role-arn-template') ?? template,
      branch: option('branch') ?? 'main',
      waveSize: waveSize === undefined ? undefined : Number(waveSize),
      canary: option('canary'),
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** `tts-ecs ci github [--out FILE]` */
export async function ciCommand(repoRoot: string, args: ParsedArgs, deps: CiDeps = {}): Promise<number> {
  const [target, ...rest] = args.positional;
  if (target !== 'github') throw new UsageError(`ci needs a target: tts-ecs ci github (got ${target ?? 'none'}).`);
  if (rest.length > 0) throw new UsageError(`unexpected argument ${rest[0]}.`);
  const options = await githubWorkflowOptions(repoRoot, args, deps);
  const file = path.resolve(
    typeof args.options.out === 'string' ? args.options.out : path.join(repoRoot, CI_DEFAULT_OUT),
  );
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, renderGithubWorkflow(options, ciCommandLine(args)));
  (deps.stdout ?? process.stdout).write(
    `Wrote ${path.relative(process.cwd(), file)}: plan and apply of ${options.order.stacks.length} stacks, ` +
      `drift of ${new Set(options.order.stacks.map((st) => st.cluster)).size} clusters.\n`,
  );
  return 0;
}

/** The command line that regenerates the file (options that change its content, without --out). */
export function ciCommandLine(args: ParsedArgs): string {
  const parts = ['tts-ecs ci github'];
  for (const name of ['config', 'role-arn-template', 'plan-role-arn-template', 'branch', 'wave-size', 'canary']) {
    const value = args.options[name];
    if (typeof value === 'string') parts.push(`--${name} ${/^[\w./:@-]+$/.test(value) ? value : `'${value}'`}`);
  }
  return parts.join(' ');
}
