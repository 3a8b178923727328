import * as fs from 'fs';
import * as path from 'path';
import { ApplyOrder, discoverStacks, readApplyOrderFile } from '@tts-ecs/terraform';

/** The parts of a synthesized cdk.tf.json the diagram reads. */
export interface StackJson {
  readonly terraform?: { backend?: Record<string, { bucket?: string; key?: string }> };
  readonly provider?: { aws?: { alias?: string; region?: string }[] };
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: {
    terraform_remote_state?: Record<string, { backend?: string; config?: { bucket?: string; key?: string } }>;
  };
  readonly output?: Record<string, { value?: unknown }>;
}

/** One synthesized stack with its place in the deployment (from apply-order.json) and its JSON. */
export interface DiagramStack {
  readonly name: string;
  readonly app: string;
  /** Cluster id and layer (from the state key); undefined for the bootstrap stack (local state). */
  readonly cluster?: string;
  readonly layer?: string;
  /** `primary` / `secondary` (the app); `bootstrap` for the bootstrap stack. */
  readonly role: string;
  /** Region of the stack's default AWS provider. */
  readonly region: string;
  /** `<bucket>/<key>` of its S3 state, when it has one. */
  readonly state?: string;
  /** Stacks applied before it (apply-order.json: manifest dependencies and remote-state reads). */
  readonly dependsOn: readonly string[];
  readonly json: StackJson;
}

/**
 * Reads a synth output folder (`tts-ecs synth`'s `<out>`): every app's manifest.json, each stack's cdk.tf.json and
 * apply-order.json, in apply order (bootstrap first). Nothing of the deployment config: the diagram shows what
 * Terraform gets.
 */
export function readSynthOutput(outDir: string): DiagramStack[] {
  const root = path.resolve(outDir);
  if (!fs.existsSync(root))
    throw new Error(`no synth output in ${root}: run \`tts-ecs synth\` first (or \`tts-ecs diagram\` without --from).`);
  let order: ApplyOrder;
  try {
    order = readApplyOrderFile(root);
  } catch {
    throw new Error(
      `${root} is not a tts-ecs synth output (no apply-order.json): run \`tts-ecs synth\` first (or \`tts-ecs diagram\` without --from).`,
    );
  }
  const found = new Map(discoverStacks(root).map((s) => [s.name, s]));
  const named = [...(order.bootstrap ? [order.bootstrap.name] : []), ...order.stacks.map((s) => s.name)];
  const stale = [...named.filter((n) => !found.has(n)), ...[...found.keys()].filter((n) => !named.includes(n))];
  if (stale.length > 0)
    throw new Error(
      `${path.join(root, 'apply-order.json')} and the stacks in ${root} disagree (${stale.join(', ')}): re-run \`tts-ecs synth\`.`,
    );
  const entries = [
    ...(order.bootstrap ? [{ name: order.bootstrap.name, role: 'bootstrap', dependsOn: [] as readonly string[] }] : []),
    ...order.stacks,
  ];
  return entries.map((entry) => {
    const stack = found.get(entry.name)!;
    const json = JSON.parse(fs.readFileSync(stack.file, 'utf8')) as StackJson;
    const s3 = json.terraform?.backend?.s3;
    const ordered = 'cluster' in entry ? entry : undefined;
    return {
      name: stack.name,
      app: stack.app,
      cluster: ordered?.cluster,
      layer: ordered?.layer,
      role: entry.role,
      region: json.provider?.aws?.find((p) => p.alias === undefined)?.region ?? 'unknown region',
      state: s3 ? `${s3.bucket}/${s3.key}` : undefined,
      dependsOn: entry.dependsOn,
      json,
    };
  });
}
