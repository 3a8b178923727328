import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { PlanSummary } from '@tts-ecs/terraform';
import { PlanValues } from './plan-values';

/** The manifest of saved plans: `<plans dir>/plans.json`. */
export const PLAN_MANIFEST = 'plans.json';

/** A planned change of one resource: `<address> <actions>`, e.g. `aws_ecs_service.lns update`. */
export type ChangeLine = string;

/** One reviewed plan. */
export interface SavedPlan {
  readonly stack: string;
  /** Plan file, absolute. */
  readonly planFile: string;
  /** Hash of the stack's synthesized files when it was planned; apply refuses when they differ. */
  readonly synthHash: string;
  readonly summary: PlanSummary;
  /** Every resource change, sorted (the rollout compares a fresh plan against it). */
  readonly changes: readonly ChangeLine[];
  /**
   * What each change sets: attribute path to planned value (sensitive values as a salted hash, never the value);
   * the rollout refuses a fresh plan that sets other values. Missing in plans saved by older versions.
   */
  readonly values?: PlanValues;
  /** Key of the hashes of sensitive values in `values`. */
  readonly valueSalt?: string;
  readonly createdAt: string;
  /** Set once `apply` used the plan: a saved plan is applied once. */
  readonly appliedAt?: string;
}

export interface PlanManifest {
  readonly version: 1;
  /** Synth output folder the plans were made from. */
  readonly outDir: string;
  readonly plans: Record<string, SavedPlan>;
}

/** Files of a stack directory that are terraform's, not the synth's: left out of the hash. */
const NOT_SYNTH =
  /^(\.terraform|\.terraform\.lock\.hcl|terraform\.tfstate.*|.*\.tfplan|tts_ecs_verify_override\.tf\.json)$/;

/** SHA-256 over the synthesized files of a stack directory (names and contents, sorted). */
export function hashStackDir(dir: string): string {
  const hash = createHash('sha256');
  const walk = (rel: string): void => {
    for (const entry of fs
      .readdirSync(path.join(dir, rel), { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      if (NOT_SYNTH.test(entry.name)) continue;
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else {
        hash.update(`${child}\0`);
        hash.update(fs.readFileSync(path.join(dir, child)));
        hash.update('\0');
      }
    }
  };
  walk('');
  return hash.digest('hex');
}

export function manifestPath(plansDir: string): string {
  return path.join(plansDir, PLAN_MANIFEST);
}

/** The plan manifest, or an empty one when none was written yet. */
export function readManifest(plansDir: string, outDir: string): PlanManifest {
  const file = manifestPath(plansDir);
  if (!fs.existsSync(file)) return { version: 1, outDir, plans: {} };
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as PlanManifest;
  if (manifest.version !== 1)
    throw new Error(`${file}: unknown version ${String(manifest.version)}; run tts-ecs plan again.`);
  return manifest;
}

export function writeManifest(plansDir: string, manifest: PlanManifest): void {
  fs.mkdirSync(plansDir, { recursive: true });
  const file = manifestPath(plansDir);
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
  fs.renameSync(`${file}.tmp`, file);
}

/** Why a saved plan cannot be applied to the stack in `stackDir` now, or undefined when it can. */
export function stalePlanReason(plan: SavedPlan | undefined, stack: string, stackDir: string): string | undefined {
  if (!plan) return `${stack} has no saved plan: run \`tts-ecs plan\` first and review it.`;
  if (plan.appliedAt)
    return `the saved plan of ${stack} was already applied at ${plan.appliedAt}: run \`tts-ecs plan\` again.`;
  if (!fs.existsSync(plan.planFile))
    return `the plan file ${plan.planFile} of ${stack} is gone: run \`tts-ecs plan\` again.`;
  if (!fs.existsSync(stackDir))
    return `${stackDir} does not exist: the synth output changed since the plan; run \`tts-ecs plan\` again.`;
  if (hashStackDir(stackDir) !== plan.synthHash) {
    return `the synthesized ${stack} changed since it was planned (${plan.createdAt}): run \`tts-ecs plan\` again and review it.`;
  }
  return undefined;
}

/** The resource changes of a JSON plan as sorted `<address> <actions>` lines (no-ops and reads left out). */
export function changeLines(plan: unknown): ChangeLine[] {
  const changes =
    (plan as { resource_changes?: { address?: string; mode?: string; change?: { actions?: string[] } }[] })
      ?.resource_changes ?? [];
  return changes
    .filter((rc) => rc.mode !== 'data')
    .map((rc) => ({ address: rc.address ?? '?', actions: rc.change?.actions ?? [] }))
    .filter((c) => !c.actions.every((a) => a === 'no-op' || a === 'read'))
    .map((c) => `${c.address} ${c.actions.join('+')}`)
    .sort();
}
