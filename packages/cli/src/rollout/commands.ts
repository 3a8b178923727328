import * as path from 'path';
import { ParsedArgs, UsageError } from '../args';
import { resolveConfigPath } from '../paths';
import { synthesize } from '../synth';
import { ApplyOptions, runApply } from './apply';
import { OrderSource, readApplyOrder } from './order-source';
import { PlanResult, runPlan } from './plan';
import { readManifest } from './plan-store';
import { Output, progressFor } from './progress';
import { formatApply, formatDrift, formatPlan, formatRollout } from './report';
import { runRollout } from './rollout';
import { TerraformSettings } from './steps';

export { ROLLOUT_FLAGS, ROLLOUT_OPTIONS, ROLLOUT_USAGE } from './usage';

/** What the commands need besides the arguments; tests replace parts. */
export interface CommandDeps {
  readonly stdout?: Output;
  readonly synthesize?: typeof synthesize;
  /** @default reads `<out>/apply-order.json` */
  readonly orderSource?: OrderSource;
  /** Terraform settings the flags do not cover (tests: env with a fake terraform, `offline`, no retry delay). */
  readonly terraform?: TerraformSettings;
}

const list = (value: string | true | undefined): string[] | undefined =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : undefined;

function integer(args: ParsedArgs, name: string, min: number): number | undefined {
  const value = args.options[name];
  if (value === undefined) return undefined;
  const parsed = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(parsed >= min)) throw new UsageError(`--${name} must be a whole number >= ${min}, got ${String(value)}.`);
  return parsed;
}

interface Common {
  readonly outDir: string;
  readonly plansDir: string;
  readonly json: boolean;
  readonly out: Output;
  readonly settings: TerraformSettings;
  readonly orderSource: OrderSource;
}

function common(repoRoot: string, args: ParsedArgs, deps: CommandDeps): Common {
  const option = (name: string): string | undefined =>
    typeof args.options[name] === 'string' ? (args.options[name] as string) : undefined;
  const lockTimeout = integer(args, 'lock-timeout', 0);
  const lockRetryDelay = integer(args, 'lock-retry-delay', 0);
  return {
    outDir: path.resolve(option('out') ?? path.join(repoRoot, 'cdktf.out')),
    plansDir: path.resolve(option('plans') ?? path.join(repoRoot, '.tts-ecs', 'rollout')),
    json: args.options.json === true,
    out: deps.stdout ?? process.stdout,
    settings: {
      ...deps.terraform,
      ...(lockTimeout === undefined ? {} : { lockTimeoutSeconds: lockTimeout }),
      ...(lockRetryDelay === undefined ? {} : { lockRetryDelayMs: lockRetryDelay * 1000 }),
    },
    orderSource: deps.orderSource ?? readApplyOrder,
  };
}

/** What plan and apply share: folders, Terraform settings, --clusters/--layers/--stacks, --allow-destroy, progress. */
function stackRunOptions(c: Common, args: ParsedArgs, order: ApplyOptions['order']): ApplyOptions {
  return {
    ...c.settings,
    outDir: c.outDir,
    plansDir: c.plansDir,
    order,
    selection: {
      clusters: list(args.options.clusters),
      layers: list(args.options.layers),
      stacks: list(args.options.stacks),
    },
    allowDestroy: list(args.options['allow-destroy']),
    onProgress: progressFor(c.out, c.json),
  };
}

const print = (c: Common, human: string, machine: unknown): void =>
  c.out.write(c.json ? `${JSON.stringify(machine, null, 2)}\n` : `${human}\n`);

/** `tts-ecs plan` */
export async function planCommand(repoRoot: string, args: ParsedArgs, deps: CommandDeps = {}): Promise<number> {
  const c = common(repoRoot, args, deps);
  const configPath = resolveConfigPath(repoRoot, args.options.config);
  const synth = await (deps.synthesize ?? synthesize)({ repoRoot, configPath, outDir: c.outDir });
  const order = c.orderSource(c.outDir);
  if (!c.json) {
    c.out.write(`Synthesized ${synth.stacks.length} stacks in ${synth.seconds.toFixed(1)} s; planning...\n`);
    // The state bucket's stack has local state and is applied once by hand (docs/multi-region.md), never here.
    if (order.bootstrap) c.out.write(`(${order.bootstrap.name} is not planned here: apply it once by hand.)\n`);
  }
  const result = await runPlan({ ...stackRunOptions(c, args, order), concurrency: integer(args, 'concurrency', 1) });
  print(c, formatPlan(result), result);
  return result.ok ? 0 : 1;
}

/** Drifted stacks: each planned stack with changes, and its `<address> <actions>` lines. */
export interface DriftReport {
  readonly drifted: readonly { readonly stack: string; readonly changes: readonly string[] }[];
  readonly failed: readonly string[];
  readonly clean: number;
}

/**
 * `tts-ecs drift`: a plan of every selected stack against its live state, several at once (plans only read), into
 * `.tts-ecs/drift` so the reviewed plans of `tts-ecs plan` stay untouched. Exit 0: no drift; 2: drift (the
 * `-detailed-exitcode` convention); 1: a stack could not be planned.
 */
export async function driftCommand(repoRoot: string, args: ParsedArgs, deps: CommandDeps = {}): Promise<number> {
  const c = common(
    repoRoot,
    { ...args, options: { plans: path.join(repoRoot, '.tts-ecs', 'drift'), ...args.options } },
    deps,
  );
  if (args.options['allow-destroy'] !== undefined) throw new UsageError('drift applies nothing: drop --allow-destroy.');
  const configPath = resolveConfigPath(repoRoot, args.options.config);
  await (deps.synthesize ?? synthesize)({ repoRoot, configPath, outDir: c.outDir });
  const order = c.orderSource(c.outDir);
  const result = await runPlan({
    ...stackRunOptions(c, args, order),
    concurrency: integer(args, 'concurrency', 1) ?? 4,
  });
  const report = driftReport(result, readManifest(c.plansDir, c.outDir).plans);
  print(c, formatDrift(report), report);
  if (report.failed.length > 0) return 1;
  return report.drifted.length > 0 ? 2 : 0;
}

function driftReport(result: PlanResult, plans: Record<string, { changes?: readonly string[] }>): DriftReport {
  return {
    drifted: result.stacks
      .filter((o) => o.status === 'planned')
      .map((o) => ({ stack: o.stack, changes: [...(plans[o.stack]?.changes ?? [])] })),
    failed: result.stacks.filter((o) => o.status === 'failed').map((o) => `${o.stack}: ${o.error ?? 'failed'}`),
    clean: result.stacks.filter((o) => o.status === 'no-changes').length,
  };
}

/** `tts-ecs apply` */
export async function applyCommand(repoRoot: string, args: ParsedArgs, deps: CommandDeps = {}): Promise<number> {
  const c = common(repoRoot, args, deps);
  const result = await runApply(stackRunOptions(c, args, c.orderSource(c.outDir)));
  print(c, formatApply(result), result);
  return result.ok ? 0 : 1;
}

/** `tts-ecs rollout` */
export async function rolloutCommand(repoRoot: string, args: ParsedArgs, deps: CommandDeps = {}): Promise<number> {
  const c = common(repoRoot, args, deps);
  const resume = args.options.resume === true;
  if (resume) {
    const scoped = ['clusters', 'layers', 'wave-size', 'canary'].filter((o) => args.options[o] !== undefined);
    if (scoped.length > 0) {
      throw new UsageError(`--resume keeps the stopped rollout's scope; drop --${scoped.join(', --')}.`);
    }
  }
  if (args.options.stacks !== undefined)
    throw new UsageError('rollout selects by --clusters and --layers, not --stacks.');
  const result = await runRollout({
    ...c.settings,
    outDir: c.outDir,
    plansDir: c.plansDir,
    order: c.orderSource(c.outDir),
    clusters: list(args.options.clusters),
    layers: list(args.options.layers),
    waveSize: integer(args, 'wave-size', 1),
    canary: typeof args.options.canary === 'string' ? args.options.canary : undefined,
    allowDestroy: list(args.options['allow-destroy']),
    dryRun: args.options['dry-run'] === true,
    resume,
    onProgress: args.options['dry-run'] === true ? undefined : progressFor(c.out, c.json),
  });
  const resumeCommand = resumeCommandFor(args, result.stacks.find((o) => o.step === 'safety')?.error);
  print(c, formatRollout(result, resumeCommand), { ...result, ...(result.ok ? {} : { resumeCommand }) });
  return result.ok ? 0 : 1;
}

/** `tts-ecs rollout --resume` with the folder options in effect and, after a safety stop, the flag it asked for. */
export function resumeCommandFor(args: ParsedArgs, safetyError?: string, cwd: string = process.cwd()): string {
  const parts = ['tts-ecs rollout --resume'];
  for (const name of ['out', 'plans', 'lock-timeout']) {
    const value = args.options[name];
    if (typeof value !== 'string') continue;
    const relative = path.relative(cwd, path.resolve(value));
    parts.push(`--${name} ${name === 'lock-timeout' || relative.startsWith('..') ? value : relative || '.'}`);
  }
  const flag = safetyError ? /--allow-destroy (\S+)/.exec(safetyError)?.[1] : undefined;
  if (flag) parts.push(`--allow-destroy ${flag}   # only if that removal is intended`);
  return parts.join(' ');
}
