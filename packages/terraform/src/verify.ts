import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  defaultPluginCacheDir,
  findProviderMirror,
  requiredProviders,
  uninstallableProviders,
  writeCliConfig,
} from './cli-config';
import {
  producerHints,
  remoteStateReads,
  renderTestFile,
  requiredVariables,
  secretValueReads,
  TEST_FILE,
} from './fixtures';
import {
  MOCK_CREDENTIALS_ENV,
  needsRandomPasswords,
  offlineGoEnv,
  offlineOverride,
  OVERRIDE_FILE,
  secretsManagerEndpointEnv,
} from './overrides';
import { SecretsManagerStandIn, startSecretsManagerStandIn } from './secrets-manager-stand-in';
import { PlanSummary } from './plan-summary';
import { batchBlocker } from './batch';
import { verifyBatch } from './verify-batch';
import { lockFileFor, Run, serializer, warmPluginCache } from './plugin-cache';
import { defaultConcurrency, runPool, runTerraform, tail, terraformEnv } from './runner';
import { copyStackDir, discoverStacks, selectStacks, SynthesizedStack } from './stacks';
import { initializedTest } from './linked-init';
import { parseTestOutput, parseValidateOutput } from './terraform-output';

/** Options of {@link runVerify}. */
export interface VerifyOptions {
  /** The synth output: holds `primary/` and `secondary/` (or one app's manifest.json itself). Required. */
  readonly synthDir: string;
  /** Only these stacks (`name` or `app/name`). @default all stacks */
  readonly stacks?: readonly string[];
  /** Stacks verified at once, when stacks run one by one. @default os.cpus().length */
  readonly concurrency?: number;
  /**
   * Plan the stacks together, as modules of one generated root (batch.ts): one provider schema load and one provider
   * process per distinct provider setting instead of per stack. When that plan fails, each of its stacks is planned
   * again on its own, so errors still name the stack. `false` plans each stack on its own from the start.
   * @default true
   */
  readonly batch?: boolean;
  /** Keep the work dir (stack copies, overrides, test files, CLI config) for inspection. @default false */
  readonly keepWorkDir?: boolean;
  /** Where to work. @default a fresh directory under the OS temp dir */
  readonly workDir?: string;
  /** Values for remote-state outputs by output name; they win over the generated placeholders. @default {} */
  readonly remoteStateFixtures?: Readonly<Record<string, unknown>>;
  /** Shared plugin cache. @default env TTS_ECS_PLUGIN_CACHE, else `<repo>/.tts-ecs/plugin-cache` */
  readonly pluginCacheDir?: string;
  /**
   * With a mirror, try providers it lacks from the registry instead of skipping their stacks.
   * @default env TTS_ECS_ALLOW_REGISTRY=1
   */
  readonly allowRegistry?: boolean;
  /** Limit per terraform command. @default 10 minutes */
  readonly timeoutMs?: number;
  /** Called as each stack finishes (progress output). */
  readonly onStackDone?: (result: StackVerifyResult) => void;
  /** Environment used to find the mirror and build the children's environment. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** Outcome of one step: `skipped` always carries a reason. */
export type StepStatus = 'ok' | 'fail' | 'skipped';

/** Result for one stack. */
export interface StackVerifyResult {
  readonly app: string;
  readonly stack: string;
  /**
   * `terraform init -backend=false`, then the configuration checked against the provider schemas: by the plan itself
   * when it succeeds (a plan validates first), by `terraform validate` when it fails (to tell a schema error from a
   * plan error).
   */
  readonly validate: StepStatus;
  /** Offline plan through `terraform test` (command = plan). */
  readonly plan: StepStatus;
  /** Why a step was skipped (e.g. a provider not installable offline). */
  readonly reason?: string;
  /** Planned counts when the plan ran. */
  readonly summary?: PlanSummary;
  /**
   * The planned changes of managed resources as sorted `<action> <address>` lines, when the plan ran: what a golden
   * plan holds (golden.ts).
   */
  readonly changes?: readonly string[];
  /** Resources to add (creates + replacements), when the plan ran. */
  readonly toAdd?: number;
  /**
   * Wall time for the stack, and per step. No `init` when every provider was cached: the working directory was
   * laid out as init would (linked-init.ts).
   */
  readonly seconds: number;
  readonly stepSeconds: { readonly init?: number; readonly validate?: number; readonly plan?: number };
  /** What went wrong, for a failed step. */
  readonly error?: string;
  /** Set when the stack was planned in a batch: how many stacks that one run planned (seconds are the batch's). */
  readonly batch?: { readonly stacks: number };
}

/** Result of {@link runVerify}. */
export interface VerifyResult {
  /** No stack failed (skipped stacks do not fail the run; they are listed with their reason). */
  readonly ok: boolean;
  readonly stacks: readonly StackVerifyResult[];
  readonly seconds: number;
  /** The provider mirror used, if any. */
  readonly mirror?: string;
  readonly pluginCacheDir: string;
  /** Time to fill the plugin cache before the stacks run; `cold` when a provider was not cached yet. */
  readonly cacheWarmup: { readonly seconds: number; readonly cold: boolean; readonly error?: string };
  /** The work dir, when kept. */
  readonly workDir?: string;
  /** The batch plan, when one ran: its stacks, its time, and its error when it failed (its stacks then ran alone). */
  readonly batch?: BatchSummary;
}

/** What the batch plan did. */
export interface BatchSummary {
  readonly stacks: number;
  readonly seconds: number;
  readonly ok: boolean;
  readonly error?: string;
  /** After a failure: the stacks the errors did not point at, planned together again, and whether that passed. */
  readonly retried?: { readonly stacks: number; readonly ok: boolean };
}

/**
 * Verifies every synthesized stack offline: init, then a plan (which validates against the real providers) with a local
 * backend, fake credentials and remote-state outputs replaced by placeholders. Stacks needing a provider that
 * cannot be installed are reported as skipped, with the reason.
 */
export async function runVerify(options: VerifyOptions): Promise<VerifyResult> {
  const started = Date.now();
  const env = options.env ?? process.env;
  const all = discoverStacks(options.synthDir);
  const selected = selectStacks(all, options.stacks);
  const parsed = new Map(all.map((s) => [s, JSON.parse(fs.readFileSync(s.file, 'utf8')) as Record<string, unknown>]));
  const producers = producerHints([...parsed.values()]);
  const mirror = findProviderMirror(env);
  const allowRegistry = options.allowRegistry ?? env.TTS_ECS_ALLOW_REGISTRY === '1';
  const pluginCacheDir =
    options.pluginCacheDir ?? defaultPluginCacheDir([options.synthDir, process.cwd(), __dirname], env);
  const blocked = new Map(
    selected.map((s) => [s, allowRegistry ? [] : uninstallableProviders(requiredProviders(parsed.get(s)), mirror)]),
  );
  const runnable = selected.filter((s) => blocked.get(s)?.length === 0);
  const workDir = options.workDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tts-ecs-verify-'));
  let standIn: SecretsManagerStandIn | undefined;
  try {
    // Ephemeral random passwords are fetched from Secrets Manager even in a plan: serve that one call locally.
    if (runnable.some((s) => needsRandomPasswords(parsed.get(s) ?? {}))) standIn = await startSecretsManagerStandIn();
    const cliConfig = writeCliConfig(workDir, mirror, pluginCacheDir);
    const childEnv = terraformEnv(
      cliConfig,
      {
        ...offlineGoEnv(env),
        ...MOCK_CREDENTIALS_ENV,
        ...(standIn ? secretsManagerEndpointEnv(standIn.url) : {}),
      },
      env,
    );
    const run: Run = (args, cwd, stack) =>
      runTerraform(args, { cwd, env: childEnv, stack, timeoutMs: options.timeoutMs ?? 600_000 });
    const { locks, ...cacheWarmup } = await warmPluginCache(
      runnable.flatMap((s) => requiredProviders(parsed.get(s))),
      pluginCacheDir,
      path.join(workDir, '_warmup'),
      run,
    );
    const ctx: StackContext = { run, producers, options, locks, serialInit: serializer(), pluginCacheDir };
    const { results: batched, summary: batch } = await runBatch(
      runnable.filter((s) => options.batch !== false && batchBlocker(parsed.get(s) ?? {}) === undefined),
      parsed,
      path.join(workDir, '_batch'),
      ctx,
    );
    const stacks = await runPool(selected, options.concurrency ?? defaultConcurrency(), async (stack) => {
      const done = batched.get(stack);
      if (done) {
        options.onStackDone?.(done);
        return done;
      }
      const missing = blocked.get(stack) ?? [];
      const result: StackVerifyResult =
        missing.length > 0
          ? skipped(stack, `provider ${missing.join(', ')} not installable offline (not in the mirror ${mirror?.path})`)
          : await verifyStack(stack, parsed.get(stack) ?? {}, path.join(workDir, stack.app, stack.name), ctx);
      options.onStackDone?.(result);
      return result;
    });
    return {
      ok: stacks.every((s) => s.validate !== 'fail' && s.plan !== 'fail'),
      stacks,
      seconds: (Date.now() - started) / 1000,
      ...(mirror ? { mirror: mirror.path } : {}),
      pluginCacheDir,
      cacheWarmup,
      ...(options.keepWorkDir ? { workDir } : {}),
      ...(batch ? { batch } : {}),
    };
  } finally {
    await standIn?.close();
    if (!options.keepWorkDir) fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * Plans `stacks` as one batch when there are two or more; returns their results, or none when the batch failed
 * (each stack is then planned alone, which names the one that fails).
 */
async function runBatch(
  stacks: readonly SynthesizedStack[],
  parsed: ReadonlyMap<SynthesizedStack, Record<string, unknown>>,
  dir: string,
  ctx: StackContext,
): Promise<{ results: ReadonlyMap<SynthesizedStack, StackVerifyResult>; summary?: BatchSummary }> {
  if (stacks.length < 2) return { results: new Map() };
  const started = Date.now();
  const first = await verifyBatch(stacks, parsed, dir, ctx);
  if (first.ok) {
    const seconds = (Date.now() - started) / 1000;
    return { results: first.results, summary: { stacks: stacks.length, seconds, ok: true } };
  }
  // The stacks the errors point at run alone; the others are planned together once more.
  const rest = stacks.filter((s) => !first.culprits.includes(s));
  const second =
    first.culprits.length > 0 && rest.length >= 2 ? await verifyBatch(rest, parsed, `${dir}-2`, ctx) : undefined;
  const seconds = (Date.now() - started) / 1000;
  return {
    results: second?.ok ? second.results : new Map(),
    summary: {
      stacks: stacks.length,
      seconds,
      ok: false,
      error: first.error,
      ...(second ? { retried: { stacks: rest.length, ok: second.ok } } : {}),
    },
  };
}

function skipped(stack: SynthesizedStack, reason: string): StackVerifyResult {
  return {
    app: stack.app,
    stack: stack.name,
    validate: 'skipped',
    plan: 'skipped',
    reason,
    seconds: 0,
    stepSeconds: {},
  };
}

/** What every stack run shares (batch or alone). */
export interface StackContext {
  readonly run: Run;
  readonly producers: ReturnType<typeof producerHints>;
  readonly options: VerifyOptions;
  readonly locks: ReadonlyMap<string, string>;
  /** The shared plugin cache the lock entries' providers are unpacked in. */
  readonly pluginCacheDir: string;
  /** Inits without a prepared lock file write to the shared cache: one at a time. */
  readonly serialInit: ReturnType<typeof serializer>;
}

async function verifyStack(
  stack: SynthesizedStack,
  json: Record<string, unknown>,
  dir: string,
  ctx: StackContext,
): Promise<StackVerifyResult> {
  const { run, producers, options } = ctx;
  const started = Date.now();
  const base = { app: stack.app, stack: stack.name };
  const seconds = (): number => (Date.now() - started) / 1000;
  copyStackDir(stack.dir, dir);
  fs.writeFileSync(path.join(dir, OVERRIDE_FILE), JSON.stringify(offlineOverride(json), null, 2));
  fs.mkdirSync(path.join(dir, path.dirname(TEST_FILE)), { recursive: true });
  const reads = remoteStateReads(json);
  fs.writeFileSync(
    path.join(dir, TEST_FILE),
    renderTestFile(reads, producers, options.remoteStateFixtures, requiredVariables(json), secretValueReads(json)),
  );

  const lock = lockFileFor(requiredProviders(json), ctx.locks);
  if (lock) fs.writeFileSync(path.join(dir, '.terraform.lock.hcl'), lock);
  const initArgs = ['init', '-backend=false', '-input=false', '-no-color'];
  const runInit = () => (lock ? run(initArgs, dir, stack.name) : ctx.serialInit(() => run(initArgs, dir, stack.name)));
  // The plan validates the configuration against the provider schema itself (terraform plan always runs validate
  // first), so a stack that plans is valid: `terraform validate` runs only to say why a plan failed. One provider
  // start-up fewer per stack. A stack's own modules are not laid out: terraform then asks for the real init.
  const runTest = () => run(['test', '-json', '-verbose', '-no-color', `-filter=${TEST_FILE}`], dir, stack.name);
  const { init, test } = await initializedTest(dir, [], lock, ctx.pluginCacheDir, runInit, runTest);
  const initSeconds = init ? { init: init.seconds } : {};
  if (!test) {
    const error = `terraform init failed:\n${tail(init.stderr || init.stdout, 15)}`;
    return {
      ...base,
      validate: 'fail',
      plan: 'skipped',
      reason: 'init failed',
      seconds: seconds(),
      stepSeconds: { init: init.seconds },
      error,
    };
  }
  const planned = parseTestOutput(test);
  if (!planned.ok || !planned.summary) {
    // -no-tests: our generated test file is not the stack's code; its problems belong to the plan step.
    const validate = await run(['validate', '-json', '-no-color', '-no-tests'], dir, stack.name);
    const validation = parseValidateOutput(validate);
    const stepSeconds = { ...initSeconds, validate: validate.seconds, plan: test.seconds };
    if (!validation.ok) {
      return {
        ...base,
        validate: 'fail',
        plan: 'skipped',
        reason: 'validate failed',
        seconds: seconds(),
        stepSeconds,
        error: validation.error,
      };
    }
    // A guessed placeholder of the wrong shape fails the plan like a real bug would: say where to look.
    const note =
      reads.size > 0
        ? `\n(remote state outputs were placeholders, see ${TEST_FILE} with --keep; give the right shape through remoteStateFixtures)`
        : '';
    return {
      ...base,
      validate: 'ok',
      plan: 'fail',
      seconds: seconds(),
      stepSeconds,
      error: `${planned.error}${note}`,
    };
  }
  const timing = { ...initSeconds, plan: test.seconds };
  return {
    ...base,
    validate: 'ok',
    plan: 'ok',
    summary: planned.summary,
    ...(planned.changes ? { changes: planned.changes } : {}),
    toAdd: planned.summary.add,
    seconds: seconds(),
    stepSeconds: timing,
  };
}
