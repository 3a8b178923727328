import { spawn } from 'child_process';
import * as os from 'os';

/** How to run one terraform command. */
export interface RunOptions {
  /** Working directory (the stack directory). Required. */
  readonly cwd: string;
  /**
   * Environment of the child. Used as is: build it with {@link terraformEnv} so the user's shell settings
   * (TF_WORKSPACE, TF_CLI_ARGS, ...) cannot leak into our runs.
   * @default process.env
   */
  readonly env?: NodeJS.ProcessEnv;
  /** Stack name for error messages. @default the cwd */
  readonly stack?: string;
  /** Kill the child after this many milliseconds. @default no limit */
  readonly timeoutMs?: number;
  /** The terraform executable. @default env TTS_ECS_TERRAFORM or `terraform` on PATH */
  readonly terraformBin?: string;
}

/** Outcome of one terraform command (whatever its exit code). */
export interface TerraformResult {
  readonly args: readonly string[];
  readonly stack: string;
  /** Exit code; -1 when the process could not start or was killed. */
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

/** A terraform command failed. The message names the stack, the command and the last lines of stderr. */
export class TerraformError extends Error {
  constructor(readonly result: TerraformResult) {
    super(
      `${result.stack}: \`terraform ${result.args.join(' ')}\` failed (exit ${result.exitCode}) after ` +
        `${result.seconds.toFixed(1)} s:\n${tail(result.stderr || result.stdout, 15)}`,
    );
    this.name = 'TerraformError';
  }
}

/** The last `lines` non-empty lines of `text`. */
export function tail(text: string, lines: number): string {
  const all = text.split('\n').filter((line) => line.trim() !== '');
  return all.slice(-lines).join('\n');
}

/** The terraform executable to use. */
export function terraformBinary(): string {
  return process.env.TTS_ECS_TERRAFORM ?? 'terraform';
}

/** Variables of the user's shell that would change what our terraform children do. */
const UNSAFE_ENV =
  /^(TF_CLI_ARGS.*|TF_WORKSPACE|TF_DATA_DIR|TF_PLUGIN_CACHE_DIR|TF_CLI_CONFIG_FILE|TF_LOG.*|TF_VAR_.*)$/;

/**
 * Environment for terraform children: the parent's, minus settings that would redirect state, workspace or
 * plugin cache, plus our CLI config and non-interactive flags. `extra` comes last (e.g. fake AWS credentials).
 */
export function terraformEnv(
  cliConfigFile: string,
  extra: Record<string, string> = {},
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) if (!UNSAFE_ENV.test(key)) env[key] = value;
  return {
    ...env,
    TF_CLI_CONFIG_FILE: cliConfigFile,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    ...extra,
  };
}

/** `-lock-timeout=<n>s`, for commands that take the state lock (plan, apply) while another run may hold it. */
export function lockTimeoutArgs(seconds: number): string[] {
  if (!Number.isInteger(seconds) || seconds < 0)
    throw new Error(`lock timeout must be a whole number of seconds >= 0, got ${seconds}`);
  return [`-lock-timeout=${seconds}s`];
}

/** Runs terraform and resolves with its result; never rejects on a non-zero exit (see {@link requireSuccess}). */
export function runTerraform(args: readonly string[], options: RunOptions): Promise<TerraformResult> {
  const started = process.hrtime.bigint();
  const stack = options.stack ?? options.cwd;
  const seconds = (): number => Number(process.hrtime.bigint() - started) / 1e9;
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let spawnError: Error | undefined;
    const child = spawn(options.terraformBin ?? terraformBinary(), args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            err.push(Buffer.from(`\nkilled after ${options.timeoutMs} ms (timeout)\n`));
            child.kill('SIGTERM');
          }, options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => (spawnError = error));
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      const hint =
        (spawnError as NodeJS.ErrnoException | undefined)?.code === 'ENOENT'
          ? ' (is terraform on PATH? or set TTS_ECS_TERRAFORM)'
          : '';
      const stderr = Buffer.concat(err).toString('utf8') + (spawnError ? `\n${spawnError.message}${hint}` : '');
      const exitCode = spawnError || code === null ? -1 : code;
      resolve({ args, stack, exitCode, stdout: Buffer.concat(out).toString('utf8'), stderr, seconds: seconds() });
    });
  });
}

/** Returns `result` if terraform exited 0, else throws a {@link TerraformError}. */
export function requireSuccess(result: TerraformResult): TerraformResult {
  if (result.exitCode !== 0) throw new TerraformError(result);
  return result;
}

/** Whether a terraform executable answers `terraform version`. */
export async function terraformAvailable(terraformBin?: string): Promise<boolean> {
  const result = await runTerraform(['version', '-json'], { cwd: os.tmpdir(), terraformBin });
  return result.exitCode === 0;
}

/** The default pool size: one terraform per core (terraform itself is mostly single-threaded per stack). */
export function defaultConcurrency(): number {
  return Math.max(1, os.cpus().length);
}

/**
 * Maps `items` through `worker` with at most `concurrency` in flight; results keep the order of `items`.
 * A worker that throws rejects the whole pool after the in-flight work settles, so catch per item if needed.
 */
export async function runPool<T, R>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new Error(`concurrency must be a whole number >= 1, got ${concurrency}`);
  const results: R[] = new Array(items.length);
  let next = 0;
  let failure: unknown;
  const lane = async (): Promise<void> => {
    while (next < items.length && failure === undefined) {
      const index = next++;
      try {
        results[index] = await worker(items[index], index);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  if (failure !== undefined) throw failure;
  return results;
}
