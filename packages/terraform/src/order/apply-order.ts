import * as fs from 'fs';
import * as path from 'path';
import { discoverStacks, SynthesizedStack } from '../stacks';
import { topologicalOrder, waves } from './graph';
import { sequentialFileReader } from './file-reader';
import { topLevelMembers } from './json-members';

/**
 * The apply order of a synth output, written by `tts-ecs synth` to `<out>/apply-order.json` and printed by
 * `tts-ecs order`. Consumers (the rollout CLI) apply `stacks` front to back, or wave by wave.
 *
 * ```jsonc
 * {
 *   "version": 1,
 *   // Applied once, by hand, before anything else: it creates the state bucket, so its state is local.
 *   "bootstrap": { "name": "acme-prod-bootstrap", "app": "bootstrap", "dir": "bootstrap/stacks/acme-prod-bootstrap", "backend": "local" },
 *   // Every S3-backed stack, topologically sorted: a stack never comes before a stack in its dependsOn.
 *   "stacks": [
 *     { "name": "acme-prod-eu1-network", "app": "primary", "cluster": "eu1", "role": "primary", "layer": "network",
 *       "dir": "primary/stacks/acme-prod-eu1-network", "stateKey": "prod/eu1/network.tfstate", "dependsOn": [], "wave": 0 },
 *     ...
 *   ],
 *   // waves[i]: stacks whose dependencies are all in waves[0..i-1]; a wave may be applied in parallel.
 *   "waves": [["acme-prod-eu1-network", "acme-prod-us1-network"], ...]
 * }
 * ```
 * `dir` is relative to the synth output folder. `dependsOn` is derived, never hand-kept: cdktf's manifest
 * `dependencies` (cross-stack references within an app) plus every `terraform_remote_state` whose S3 key is another
 * stack's backend key (a secondary reading the primary's contract). Among stacks that are ready at the same time,
 * stacks of an earlier app go first (`apps`: the primary before secondaries), then clusters in config order, then a
 * cluster's layers in `layers` order. The harness knows layers and apps only as these parameters.
 */
export interface ApplyOrder {
  readonly version: 1;
  readonly bootstrap?: BootstrapEntry;
  readonly stacks: readonly ApplyOrderStack[];
  readonly waves: readonly (readonly string[])[];
}

export interface ApplyOrderStack {
  readonly name: string;
  /** cdktf app, e.g. `primary` or `secondary` (one of DeriveOptions.apps). */
  readonly app: string;
  /** Cluster id, from the stack's state key. */
  readonly cluster: string;
  /** The stack's app, as the role of its cluster (`primary`, `secondary`). */
  readonly role: string;
  /** One of DeriveOptions.layers, from the state key. */
  readonly layer: string;
  /** Stack working directory (holds cdk.tf.json), relative to the synth output folder. */
  readonly dir: string;
  /** S3 key of the stack's state, `<environment>/<cluster>/<layer>.tfstate`. */
  readonly stateKey: string;
  /** Stacks to apply first; all appear earlier in `stacks`. */
  readonly dependsOn: readonly string[];
  /** Index in `waves`. */
  readonly wave: number;
}

/** The stack that creates the state bucket (local backend). */
export interface BootstrapEntry {
  readonly name: string;
  readonly app: string;
  readonly dir: string;
  readonly backend: 'local';
}

export const APPLY_ORDER_JSON = 'apply-order.json';

interface StackJson {
  terraform?: { backend?: Record<string, { bucket?: string; key?: string }> };
  data?: { terraform_remote_state?: Record<string, { backend?: string; config?: { bucket?: string; key?: string } }> };
}

export interface DeriveOptions {
  /** Layers in apply order; every S3 state key is `<environment>/<cluster>/<layer>.tfstate` with one of them. */
  readonly layers: readonly string[];
  /** Apps whose stacks keep their state in S3, earlier apps first among stacks that are ready together. */
  readonly apps: readonly string[];
  /** Cluster ids in config order: breaks ties between clusters. @default order of appearance in the manifests */
  readonly clusterOrder?: readonly string[];
}

/** Derives the apply order of the synth output in `outDir` (see {@link ApplyOrder}). */
export function deriveApplyOrder(outDir: string, options: DeriveOptions): ApplyOrder {
  const root = path.resolve(outDir);
  const read = sequentialFileReader();
  const found = discoverStacks(root).map((stack) => ({
    stack,
    json: topLevelMembers(read(stack.file), ['terraform', 'data']) as StackJson,
  }));
  const local = found.filter(({ json }) => !json.terraform?.backend?.s3);
  if (local.length > 1) {
    throw new Error(
      `only the bootstrap stack may use a local backend; found ${local.map((s) => s.stack.name).join(', ')}.`,
    );
  }
  const remote = found.filter(({ json }) => json.terraform?.backend?.s3);
  const writers = new Map<string, string>(); // `<bucket>/<key>` -> stack name
  for (const { stack, json } of remote) {
    const { bucket, key } = json.terraform?.backend?.s3 ?? {};
    const id = `${bucket}/${key}`;
    const other = writers.get(id);
    if (other) throw new Error(`stacks ${other} and ${stack.name} both keep their state in s3://${id}.`);
    writers.set(id, stack.name);
  }
  const clusterRank = new Map<string, number>((options.clusterOrder ?? []).map((id, i) => [id, i]));
  const nodes = remote.map(({ stack, json }) => {
    const meta = metadataOf(stack, json.terraform?.backend?.s3?.key ?? '', options);
    if (!clusterRank.has(meta.cluster)) clusterRank.set(meta.cluster, clusterRank.size);
    const dependsOn = new Set(stack.dependencies);
    for (const [name, state] of Object.entries(json.data?.terraform_remote_state ?? {})) {
      if (state.backend !== 's3') continue;
      const writer = writers.get(`${state.config?.bucket}/${state.config?.key}`);
      if (writer === undefined) {
        throw new Error(
          `${stack.name} reads terraform_remote_state.${name} (s3://${state.config?.bucket}/${state.config?.key}), ` +
            'which no synthesized stack writes: the stack it reads does not exist in this deployment.',
        );
      }
      if (writer !== stack.name) dependsOn.add(writer);
    }
    const { cluster, role, layer, stateKey } = meta;
    const dir = relativeDir(root, stack);
    return { name: stack.name, app: stack.app, cluster, role, layer, dir, stateKey, dependsOn: [...dependsOn].sort() };
  });
  for (const node of nodes) {
    const unknown = node.dependsOn.filter((d) => !nodes.some((n) => n.name === d));
    if (unknown.length > 0)
      throw new Error(`${node.name} depends on ${unknown.join(', ')}, which is not in the synth output.`);
  }
  const ordered = topologicalOrder(nodes, (n) => [
    options.apps.indexOf(n.app),
    clusterRank.get(n.cluster) ?? 0,
    options.layers.indexOf(n.layer),
  ]);
  const grouped = waves(ordered);
  const waveOf = new Map(grouped.flatMap((names, i) => names.map((n) => [n, i] as const)));
  const bootstrap = local[0];
  return {
    version: 1,
    ...(bootstrap
      ? {
          bootstrap: {
            name: bootstrap.stack.name,
            app: bootstrap.stack.app,
            dir: relativeDir(root, bootstrap.stack),
            backend: 'local' as const,
          },
        }
      : {}),
    stacks: ordered.map((n) => ({ ...n, wave: waveOf.get(n.name) ?? 0 })),
    waves: grouped,
  };
}

/** Derives the apply order and writes it to `<outDir>/apply-order.json`; returns it. */
export function writeApplyOrder(outDir: string, options: DeriveOptions): ApplyOrder {
  const order = deriveApplyOrder(outDir, options);
  fs.writeFileSync(path.join(outDir, APPLY_ORDER_JSON), `${JSON.stringify(order, null, 2)}\n`);
  return order;
}

/** A readable table of the order, one line per stack, for `tts-ecs order`. */
export function formatApplyOrder(order: ApplyOrder): string {
  const lines: string[] = [];
  if (order.bootstrap)
    lines.push(`  -  ${order.bootstrap.name.padEnd(34)} once, first (local state): ${order.bootstrap.dir}`);
  order.stacks.forEach((s, i) => {
    const after = s.dependsOn.length ? `after ${s.dependsOn.join(', ')}` : 'no dependencies';
    lines.push(`${String(i + 1).padStart(3)}  ${s.name.padEnd(34)} wave ${s.wave}  ${after}`);
  });
  return `${lines.join('\n')}\n`;
}

function metadataOf(
  stack: SynthesizedStack,
  key: string,
  { layers, apps }: DeriveOptions,
): { cluster: string; layer: string; role: string; stateKey: string } {
  const match = /^[^/]+\/([^/]+)\/([^/]+)\.tfstate$/.exec(key);
  const layer = match?.[2];
  if (!match || !layer || !layers.includes(layer)) {
    throw new Error(
      `${stack.name}: state key "${key}" is not "<environment>/<cluster>/<layer>.tfstate" with a layer of ${layers.join(', ')}.`,
    );
  }
  if (!apps.includes(stack.app)) {
    throw new Error(
      `${stack.name}: app "${stack.app}" has an S3 backend but is none of ${apps.map((a) => `"${a}"`).join(', ')}.`,
    );
  }
  return { cluster: match[1], layer, role: stack.app, stateKey: key };
}

function relativeDir(root: string, stack: SynthesizedStack): string {
  return path.relative(root, stack.dir).split(path.sep).join('/');
}

/** Reads `<outDir>/apply-order.json` as written by {@link writeApplyOrder}. */
export function readApplyOrderFile(outDir: string): ApplyOrder {
  const file = path.join(outDir, APPLY_ORDER_JSON);
  if (!fs.existsSync(file)) throw new Error(`${file} does not exist: run \`tts-ecs synth\` first.`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ApplyOrder;
}
