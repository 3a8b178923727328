/**
 * One offline plan for many stacks: each stack becomes a module of a generated root, so Terraform loads the AWS
 * provider schema once and starts one provider process per distinct provider setting instead of one per stack and
 * alias. Measured on the 16 stacks of the example (2 cores, Terraform 1.11.4, AWS provider 5.100.0): 93 s one
 * stack at a time, 46 s as modules with their own providers, 34 s with shared providers. Provider processes cost
 * most: each one spends about 0.9 s of CPU starting and building its schema before it answers a call.
 */
import { OFFLINE_AWS_PROVIDER } from './overrides';
import { OutputHint, overrideDataBlocks, RemoteStateReads, requiredVariables, variablePlaceholder } from './fixtures';

type Json = Record<string, unknown>;

/** One stack of a batch: its parsed cdk.tf.json and what its offline plan reads. */
export interface BatchMember {
  /** `app/name`, for messages. */
  readonly id: string;
  readonly json: Json;
  readonly reads: RemoteStateReads;
  readonly secretReads: readonly string[];
}

/** The generated root and the rewritten stacks, each to be written as `<module>/cdk.tf.json`. */
export interface BatchRoot {
  /** main.tf.json of the root. */
  readonly root: Json;
  /** Module name -> the stack JSON as the module sees it. */
  readonly modules: ReadonlyMap<string, Json>;
  /** Stack id -> module name. */
  readonly moduleOf: ReadonlyMap<string, string>;
  /** The test file (written at fixtures.ts' TEST_FILE, as a stack's): every stack's override_data, one plan run. */
  readonly testFile: string;
}

/**
 * Provider settings a shared provider drops: the alias (the root names its own), `default_tags` (they only feed the
 * computed `tags_all`, which the AWS provider does not validate; keeping them would mean one provider process per
 * stack again), and the account checks and role assumptions an offline plan switches off anyway (overrides.ts).
 */
const PER_STACK_SETTINGS = new Set([
  'alias',
  'default_tags',
  'allowed_account_ids',
  'forbidden_account_ids',
  'assume_role',
  'assume_role_with_web_identity',
]);

/**
 * Why a stack cannot join a batch, or undefined when it can: its only provider configurations are AWS ones (the
 * batch replaces them by shared offline ones; another provider's block would stay in the module and pin its own
 * process, which is what the per-stack run does anyway).
 */
export function batchBlocker(json: Json): string | undefined {
  const providers = Object.keys((json.provider ?? {}) as Json).filter((name) => name !== 'aws');
  return providers.length > 0 ? `configures provider ${providers.join(', ')}` : undefined;
}

/** A Terraform identifier for a module: letters, digits, `_` and `-`, starting with a letter. */
export function moduleName(id: string, taken: ReadonlySet<string>): string {
  const base = `s_${id.replace(/[^A-Za-z0-9_-]+/g, '_')}`;
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
  return name;
}

function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value as Json)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((value as Json)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

function awsProviders(json: Json): Json[] {
  const aws = (json.provider as Json | undefined)?.aws;
  if (aws === undefined) return [];
  return (Array.isArray(aws) ? aws : [aws]) as Json[];
}

/**
 * Builds the root of a batch. Every AWS provider block of every stack maps to a root provider with the same
 * settings minus {@link PER_STACK_SETTINGS}, made offline-safe; stacks with equal settings (same region, ...) share
 * it. Each module gets its stack's JSON without provider blocks and backend (a child module has neither), with its
 * aliases declared as `configuration_aliases`, and its required variables as placeholder arguments.
 */
export function buildBatchRoot(
  members: readonly BatchMember[],
  producers: ReadonlyMap<string, OutputHint>,
  fixtures: Readonly<Record<string, unknown>> = {},
): BatchRoot {
  const rootProviders = new Map<string, { alias: string; config: Json }>();
  const requiredProviders: Json = {};
  const moduleBlocks: Json = {};
  const modules = new Map<string, Json>();
  const moduleOf = new Map<string, string>();
  const blocks: string[] = [];
  for (const member of members) {
    const blocker = batchBlocker(member.json);
    if (blocker) throw new Error(`${member.id} cannot join a batch: it ${blocker}.`);
    const name = moduleName(member.id, new Set(modules.keys()));
    const terraform = { ...((member.json.terraform ?? {}) as Json) };
    delete terraform.backend;
    const required = { ...((terraform.required_providers ?? {}) as Json) };
    for (const [local, spec] of Object.entries(required)) requiredProviders[local] ??= spec;
    const mapping: Json = {};
    const aliases: string[] = [];
    for (const provider of awsProviders(member.json)) {
      const settings: Json = { ...OFFLINE_AWS_PROVIDER };
      for (const [key, value] of Object.entries(provider)) if (!PER_STACK_SETTINGS.has(key)) settings[key] = value;
      const key = stable(settings);
      let shared = rootProviders.get(key);
      if (!shared) {
        const region = typeof settings.region === 'string' ? settings.region.replace(/[^A-Za-z0-9]+/g, '_') : 'aws';
        const taken = new Set([...rootProviders.values()].map((p) => p.alias));
        let alias = region;
        for (let n = 2; taken.has(alias); n++) alias = `${region}_${n}`;
        shared = { alias, config: { alias, ...settings } };
        rootProviders.set(key, shared);
      }
      if (typeof provider.alias === 'string') {
        mapping[`aws.${provider.alias}`] = `aws.${shared.alias}`;
        aliases.push(`aws.${provider.alias}`);
      } else mapping.aws = `aws.${shared.alias}`;
    }
    if (aliases.length > 0) {
      const aws = required.aws;
      const spec = (typeof aws === 'string' ? { version: aws } : { ...((aws ?? {}) as Json) }) as Json;
      required.aws = { ...spec, configuration_aliases: aliases };
    }
    terraform.required_providers = required;
    const child: Json = { ...member.json, terraform };
    delete child.provider;
    modules.set(name, child);
    moduleOf.set(member.id, name);
    const variables: Json = {};
    for (const variable of requiredVariables(member.json)) variables[variable] = variablePlaceholder(variable);
    moduleBlocks[name] = { source: `./${name}`, providers: mapping, ...variables };
    blocks.push(
      ...overrideDataBlocks(member.reads, producers, fixtures, member.secretReads, `module.${name}.`).map(
        (b) => `# ${member.id}\n${b}`,
      ),
    );
  }
  const root: Json = {
    '//': 'Generated by tts-ecs verify: the stacks below planned together, offline.',
    terraform: { required_providers: requiredProviders },
    ...(rootProviders.size > 0 ? { provider: { aws: [...rootProviders.values()].map((p) => p.config) } } : {}),
    module: moduleBlocks,
  };
  const testFile = [
    '# Generated by tts-ecs verify: an offline plan of several stacks; remote state outputs are placeholders.',
    ...blocks,
    'run "plan" {\n  command = plan\n}',
  ].join('\n\n');
  return { root, modules, moduleOf, testFile: `${testFile}\n` };
}

interface ResourceChange {
  address?: string;
  module_address?: string;
  [key: string]: unknown;
}

/**
 * Splits the JSON plan of a batch into one plan per module, with addresses as the stack alone would have them
 * (`module.s_primary_x.aws_vpc.main` -> `aws_vpc.main`), so summaries and golden plans stay per stack.
 */
export function splitBatchPlan(plan: unknown, moduleNames: Iterable<string>): Map<string, Json> {
  const changes = ((plan as { resource_changes?: ResourceChange[] } | null)?.resource_changes ??
    []) as ResourceChange[];
  const byModule = new Map<string, ResourceChange[]>();
  for (const name of moduleNames) byModule.set(name, []);
  for (const rc of changes) {
    const address = rc.address ?? '';
    const match = /^module\.([A-Za-z0-9_-]+)\.(.+)$/.exec(address);
    const list = match ? byModule.get(match[1]) : undefined;
    if (!match || !list) continue;
    const inner = match[2];
    // A module inside the stack keeps its own prefix: `module.cdn.aws_x.y` -> module_address `module.cdn`.
    const nested = /^((?:module\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?\.)+)/.exec(inner)?.[1];
    const moved: ResourceChange = { ...rc, address: inner };
    if (nested) moved.module_address = nested.slice(0, -1);
    else delete moved.module_address;
    list.push(moved);
  }
  return new Map([...byModule].map(([name, list]) => [name, { resource_changes: list }]));
}
