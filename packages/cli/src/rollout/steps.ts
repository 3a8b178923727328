import * as fs from 'fs';
import * as path from 'path';
import {
  MOCK_CREDENTIALS_ENV,
  OVERRIDE_FILE,
  PlanSummary,
  TerraformResult,
  defaultPluginCacheDir,
  findProviderMirror,
  lockFileFor,
  lockTimeoutArgs,
  offlineOverride,
  requiredProviders,
  runTerraform,
  serializer,
  summarizePlan,
  tail,
  terraformEnv,
  warmPluginCache,
  writeCliConfig,
} from '@tts-ecs/terraform';
import { isLockError, LockInfo, parseLockInfo } from './locks';
import { ChangeLine, changeLines } from './plan-store';

/** How terraform runs for plan / apply / rollout. */
export interface TerraformSettings {
  /** Seconds terraform itself waits for a held state lock (`-lock-timeout`). @default 120 */
  readonly lockTimeoutSeconds?: number;
  /** Further attempts after terraform gave up waiting for a lock. @default 1 */
  readonly lockRetries?: number;
  /** Pause before such an attempt. @default 30 000 ms */
  readonly lockRetryDelayMs?: number;
  /** Limit per terraform command. @default none (an apply may legitimately take long) */
  readonly timeoutMs?: number;
  /** The terraform executable. @default env TTS_ECS_TERRAFORM, else `terraform` on PATH */
  readonly terraformBin?: string;
  /** Environment the children's is built from. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * TESTS ONLY, never a CLI flag: plan offline like `tts-ecs verify` (local backend override written next to
   * cdk.tf.json, fake credentials). Real runs use the stack's S3 backend and the user's AWS credentials.
   */
  readonly offline?: boolean;
}

/** A stack terraform runs in. */
export interface StackRef {
  readonly name: string;
  /** Absolute stack directory (holds cdk.tf.json). */
  readonly dir: string;
}

/** A step of a stack that did not succeed. */
export class StepFailure extends Error {
  constructor(
    readonly stack: string,
    readonly step: 'init' | 'plan' | 'show' | 'apply' | 'safety' | 'review' | 'stale',
    message: string,
    readonly lock?: LockInfo,
  ) {
    super(message);
    this.name = 'StepFailure';
  }
}

/** Shared by every stack of one command run. */
export interface Terraform {
  init(stack: StackRef): Promise<void>;
  /** `plan -out`; the summary and change lines come from `terraform show -json`, which `json` holds. */
  plan(stack: StackRef, planFile: string): Promise<{ summary: PlanSummary; changes: ChangeLine[]; json: unknown }>;
  apply(stack: StackRef, planFile: string): Promise<void>;
}

/**
 * Prepares terraform for a run: our CLI config (provider mirror, shared plugin cache) in `workDir`, a child
 * environment without the user's TF_* overrides, and one plugin cache warm-up so parallel inits do not race.
 */
export async function prepareTerraform(
  settings: TerraformSettings,
  workDir: string,
  stacks: readonly StackRef[],
): Promise<Terraform> {
  const base = settings.env ?? process.env;
  const mirror = findProviderMirror(base);
  const pluginCacheDir = defaultPluginCacheDir([workDir, process.cwd(), __dirname], base);
  const cliConfig = writeCliConfig(workDir, mirror, pluginCacheDir);
  const env = terraformEnv(cliConfig, settings.offline ? MOCK_CREDENTIALS_ENV : {}, base);
  const lockTimeout = settings.lockTimeoutSeconds ?? 120;
  const retries = settings.lockRetries ?? 1;
  const delay = settings.lockRetryDelayMs ?? 30_000;
  const run = (args: string[], cwd: string, stack: string): Promise<TerraformResult> =>
    runTerraform(args, { cwd, env, stack, timeoutMs: settings.timeoutMs, terraformBin: settings.terraformBin });

  const parsed = new Map(stacks.map((s) => [s.name, readStackJson(s)]));
  const required = [...parsed.values()].flatMap((json) => requiredProviders(json));
  const warm = await warmPluginCache(required, pluginCacheDir, path.join(workDir, '_warmup'), run);
  const serialInit = serializer();

  /** Runs a command that takes the state lock; retries when terraform gave up waiting for it. */
  const locked = async (args: string[], stack: StackRef, step: 'plan' | 'apply'): Promise<TerraformResult> => {
    for (let attempt = 0; ; attempt++) {
      const result = await run(args, stack.dir, stack.name);
      if (result.exitCode === 0 || result.exitCode === 2 || !isLockError(result.stderr)) return result;
      const lock = parseLockInfo(result.stderr);
      if (attempt >= retries) {
        throw new StepFailure(
          stack.name,
          step,
          `the state of ${stack.name} is locked` +
            `${lock.who ? ` by ${lock.who}` : ''}${lock.operation ? ` (${lock.operation})` : ''}${lock.created ? ` since ${lock.created}` : ''}; ` +
            `gave up after ${attempt + 1} attempts of ${lockTimeout} s each.\n` +
            `If that run is still going, wait for it and resume. If it died, release the lock with ` +
            `\`terraform -chdir=${stack.dir} force-unlock ${lock.id ?? '<lock id>'}\` and resume.`,
          lock,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  };

  return {
    async init(stack) {
      const json = parsed.get(stack.name) ?? readStackJson(stack);
      if (settings.offline) {
        fs.writeFileSync(path.join(stack.dir, OVERRIDE_FILE), JSON.stringify(offlineOverride(json), null, 2));
      }
      const lock = lockFileFor(requiredProviders(json), warm.locks);
      if (lock) fs.writeFileSync(path.join(stack.dir, '.terraform.lock.hcl'), lock);
      const args = ['init', '-input=false', '-no-color'];
      const result = await (lock
        ? run(args, stack.dir, stack.name)
        : serialInit(() => run(args, stack.dir, stack.name)));
      if (result.exitCode !== 0) throw failure(stack, 'init', result);
    },
    async plan(stack, planFile) {
      fs.mkdirSync(path.dirname(planFile), { recursive: true });
      const args = [
        'plan',
        '-input=false',
        '-no-color',
        '-detailed-exitcode',
        ...lockTimeoutArgs(lockTimeout),
        `-out=${planFile}`,
      ];
      const planned = await locked(args, stack, 'plan');
      if (planned.exitCode !== 0 && planned.exitCode !== 2) throw failure(stack, 'plan', planned);
      const shown = await run(['show', '-json', '-no-color', planFile], stack.dir, stack.name);
      if (shown.exitCode !== 0) throw failure(stack, 'show', shown);
      const json = JSON.parse(shown.stdout) as unknown;
      return { summary: summarizePlan(json), changes: changeLines(json), json };
    },
    async apply(stack, planFile) {
      const args = ['apply', '-input=false', '-no-color', '-auto-approve', ...lockTimeoutArgs(lockTimeout), planFile];
      const applied = await locked(args, stack, 'apply');
      if (applied.exitCode !== 0) throw failure(stack, 'apply', applied);
    },
  };
}

function readStackJson(stack: StackRef): Record<string, unknown> {
  const file = path.join(stack.dir, 'cdk.tf.json');
  if (!fs.existsSync(file)) throw new StepFailure(stack.name, 'stale', `${file} does not exist: synthesize first.`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}

function failure(stack: StackRef, step: StepFailure['step'], result: TerraformResult): StepFailure {
  return new StepFailure(
    stack.name,
    step,
    `\`terraform ${result.args.join(' ')}\` failed (exit ${result.exitCode}):\n${tail(result.stderr || result.stdout, 15)}`,
  );
}
