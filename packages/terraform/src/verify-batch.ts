import * as fs from 'fs';
import * as path from 'path';
import { BatchMember, buildBatchRoot, splitBatchPlan } from './batch';
import { requiredProviders } from './cli-config';
import { remoteStateReads, secretValueReads, TEST_FILE } from './fixtures';
import { planChanges, summarizePlan } from './plan-summary';
import { lockFileFor } from './plugin-cache';
import { initializedTest } from './linked-init';
import { tail } from './runner';
import { copyStackDir, SynthesizedStack } from './stacks';
import { errorDiagnostics, parseTestOutput } from './terraform-output';
import type { StackContext, StackVerifyResult } from './verify';

type Json = Record<string, unknown>;

/** What one batch run gave: a result per stack when the plan succeeded, else why not. */
export type BatchOutcome =
  | { readonly ok: true; readonly results: ReadonlyMap<SynthesizedStack, StackVerifyResult> }
  | {
      readonly ok: false;
      readonly error: string;
      /** The stacks the error diagnostics point at (by file or address); empty when they point at none. */
      readonly culprits: readonly SynthesizedStack[];
    };

/**
 * Plans `stacks` together as modules of one generated root in `dir` (batch.ts): one `terraform test`, after an init
 * (or its result laid out directly, linked-init.ts).
 * When it fails, the caller re-runs each stack alone, which says which stack failed and why in that stack's own
 * terms; a batch error is only reported if that re-run cannot happen.
 */
export async function verifyBatch(
  stacks: readonly SynthesizedStack[],
  parsed: ReadonlyMap<SynthesizedStack, Json>,
  dir: string,
  ctx: StackContext,
): Promise<BatchOutcome> {
  const started = Date.now();
  const id = (s: SynthesizedStack): string => `${s.app}/${s.name}`;
  const members: BatchMember[] = stacks.map((s) => {
    const json = parsed.get(s) ?? {};
    return { id: id(s), json, reads: remoteStateReads(json), secretReads: secretValueReads(json) };
  });
  const batch = buildBatchRoot(members, ctx.producers, ctx.options.remoteStateFixtures);
  fs.mkdirSync(path.join(dir, path.dirname(TEST_FILE)), { recursive: true });
  for (const stack of stacks) {
    const name = batch.moduleOf.get(id(stack)) ?? '';
    copyStackDir(stack.dir, path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, path.basename(stack.file)), JSON.stringify(batch.modules.get(name)));
  }
  fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(batch.root, null, 2));
  fs.writeFileSync(path.join(dir, TEST_FILE), batch.testFile);
  const lock = lockFileFor(
    members.flatMap((m) => requiredProviders(m.json)),
    ctx.locks,
  );
  if (lock) fs.writeFileSync(path.join(dir, '.terraform.lock.hcl'), lock);

  const label = `batch of ${stacks.length} stacks`;
  const initArgs = ['init', '-backend=false', '-input=false', '-no-color'];
  const runInit = () => (lock ? ctx.run(initArgs, dir, label) : ctx.serialInit(() => ctx.run(initArgs, dir, label)));
  const runTest = () => ctx.run(['test', '-json', '-verbose', '-no-color', `-filter=${TEST_FILE}`], dir, label);
  // With every provider cached at its locked version, init would only record the modules and link the providers.
  const { init, test } = await initializedTest(dir, batch.modules.keys(), lock, ctx.pluginCacheDir, runInit, runTest);
  if (!test)
    return { ok: false, error: `terraform init failed:\n${tail(init.stderr || init.stdout, 15)}`, culprits: [] };
  const planned = parseTestOutput(test);
  if (!planned.ok || planned.plan === undefined) {
    const named = culpritModules(test.stdout);
    const culprits = stacks.filter((s) => named.has(batch.moduleOf.get(id(s)) ?? ''));
    return { ok: false, error: planned.error ?? 'no plan', culprits };
  }

  const plans = splitBatchPlan(planned.plan, batch.moduleOf.values());
  const seconds = (Date.now() - started) / 1000;
  const results = new Map<SynthesizedStack, StackVerifyResult>();
  for (const stack of stacks) {
    const plan = plans.get(batch.moduleOf.get(id(stack)) ?? '') ?? { resource_changes: [] };
    const summary = summarizePlan(plan);
    results.set(stack, {
      app: stack.app,
      stack: stack.name,
      validate: 'ok',
      plan: 'ok',
      summary,
      changes: planChanges(plan),
      toAdd: summary.add,
      seconds,
      stepSeconds: { ...(init ? { init: init.seconds } : {}), plan: test.seconds },
      batch: { stacks: stacks.length },
    });
  }
  return { ok: true, results };
}

/** Modules that error diagnostics of `terraform test -json` point at: by file (`<module>/...`) or by address. */
export function culpritModules(stdout: string): Set<string> {
  const modules = new Set<string>();
  for (const diagnostic of errorDiagnostics(stdout)) {
    const byFile = /^([A-Za-z0-9_-]+)[\\/]/.exec(diagnostic.range?.filename ?? '')?.[1];
    const byAddress = /^module\.([A-Za-z0-9_-]+)/.exec(diagnostic.address ?? '')?.[1];
    for (const name of [byFile, byAddress]) if (name && name !== 'tests') modules.add(name);
  }
  return modules;
}
