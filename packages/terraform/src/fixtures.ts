/**
 * Placeholder inputs for `terraform_remote_state` data sources, so a stack that reads another stack's outputs
 * (cdktf cross-stack references, or a secondary reading the primary) can be planned offline with
 * `terraform test` + `override_data`.
 */

type Json = Record<string, unknown>;

/** What is known about one output a stack reads, to shape a plausible placeholder. */
export interface OutputHint {
  /** Attribute the producing stack exports, e.g. `id` of `${aws_vpc.main.id}`. */
  readonly attribute?: string;
  /** Resource type of the producing expression, e.g. `aws_vpc`. */
  readonly resourceType?: string;
  /** The value is a list (producer exports a list/splat, or the consumer indexes it or feeds a list argument). */
  readonly list?: boolean;
}

/** Remote states of a stack: data source name -> output key -> hint from how the stack uses it. */
export type RemoteStateReads = Map<string, Map<string, OutputHint>>;

const REF =
  /data\.terraform_remote_state\.([A-Za-z_][\w-]*)\.outputs(?:\.([A-Za-z_][\w-]*)|\[\s*"([^"]+)"\s*\])(\s*\[)?/g;
const LIST_NAME = /(_ids|_arns|_list|_names|_cidrs|_blocks|_subnets|_zones|[^su]s)$/;

/** Whether a name reads as a list: `subnet_ids`, `cidr_blocks`, `availability_zones`, `*_list` (not `dns`, `address`). */
export function isListName(name: string): boolean {
  return LIST_NAME.test(name) && !/(dns|alias|ss|us|is|tags)$/.test(name);
}

/** Every `terraform_remote_state` a stack declares, with the outputs it reads and how it uses them. */
export function remoteStateReads(stack: Json): RemoteStateReads {
  const reads: RemoteStateReads = new Map();
  const declared = ((stack.data as Json | undefined)?.terraform_remote_state ?? {}) as Json;
  for (const name of Object.keys(declared)) reads.set(name, new Map());
  const visit = (node: unknown, attribute: string): void => {
    if (typeof node === 'string') {
      for (const m of node.matchAll(REF)) {
        const [, state, dotted, quoted, indexed] = m;
        const key = dotted ?? quoted;
        const outputs = reads.get(state) ?? new Map<string, OutputHint>();
        reads.set(state, outputs);
        // A whole-string reference fed to a list argument (subnet_ids = "${...}") is a list too.
        const wholeValue = node.trim() === `\${${m[0].trim()}}`;
        const list =
          indexed !== undefined ||
          (wholeValue && isListName(attribute)) ||
          /(element|length|tolist|toset|join|concat)\($/.test(node.slice(0, m.index));
        outputs.set(key, { ...outputs.get(key), ...(list ? { list: true } : {}) });
      }
    } else if (Array.isArray(node)) {
      // An element of a list argument (subnet_ids = ["${...a}", "${...b}"]) is one item, not a list.
      node.forEach((item) => visit(item, `${attribute}[]`));
    } else if (typeof node === 'object' && node !== null) {
      for (const [k, v] of Object.entries(node)) if (k !== '//') visit(v, k);
    }
  };
  visit(
    { resource: stack.resource, data: stack.data, output: stack.output, locals: stack.locals, module: stack.module },
    '',
  );
  return reads;
}

/**
 * Hints from the producing stacks: output name -> what its value expression is (`${aws_vpc.main.id}` ->
 * attribute `id` of `aws_vpc`; arrays and splats -> list). Built from all stacks of the synth output.
 */
export function producerHints(stacks: readonly Json[]): Map<string, OutputHint> {
  const hints = new Map<string, OutputHint>();
  for (const stack of stacks) {
    for (const [name, output] of Object.entries((stack.output ?? {}) as Record<string, { value?: unknown }>)) {
      const value = output?.value;
      if (Array.isArray(value)) {
        hints.set(name, { list: true });
        continue;
      }
      if (typeof value !== 'string') continue;
      const ref = /^\$\{\s*(\[)?\s*(?:data\.)?([a-z][a-z0-9_]*)\.[\w-]+(\[[^\]]*\]|\.\*)?\.([a-z_][\w]*)/.exec(value);
      if (!ref) continue;
      const [, listLiteral, resourceType, splat, attribute] = ref;
      if (resourceType === 'terraform_remote_state') continue;
      const list = listLiteral !== undefined || splat === '.*' || splat === '[*]';
      hints.set(name, { attribute, resourceType, ...(list ? { list: true } : {}) });
    }
  }
  return hints;
}

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';

/** `mock-<name>`, safe for names that AWS validates strictly (bucket names: lower case, digits, hyphens). */
function mockName(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `mock-${slug || 'value'}`.replace(/-+$/, '');
}

const ARN_SHAPES: [RegExp, (n: string) => string][] = [
  [/kms|key/, () => `arn:aws:kms:${REGION}:${ACCOUNT}:key/00000000-0000-4000-8000-000000000000`],
  [/role/, (n) => `arn:aws:iam::${ACCOUNT}:role/${n}`],
  [/polic/, (n) => `arn:aws:iam::${ACCOUNT}:policy/${n}`],
  [/topic|sns/, (n) => `arn:aws:sns:${REGION}:${ACCOUNT}:${n}`],
  [/bucket|s3/, (n) => `arn:aws:s3:::${n}`],
  [/secret/, (n) => `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${n}-AbCdEf`],
  [/cert|acm/, () => `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/00000000-0000-4000-8000-000000000000`],
  [/log/, (n) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${n}`],
  [
    /target_?group/,
    (n) => `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${n.slice(0, 32)}/0123456789abcdef`,
  ],
  [
    /listener/,
    (n) =>
      `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/net/${n.slice(0, 32)}/0123456789abcdef/0123456789abcdef`,
  ],
  [
    /lb|load_?balancer/,
    (n) => `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/net/${n.slice(0, 32)}/0123456789abcdef`,
  ],
  [/cluster|ecs/, (n) => `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${n}`],
  [/file_?system|efs/, () => `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/fs-0123456789abcdef0`],
];

const ID_SHAPES: [RegExp, string][] = [
  [/vpc/, 'vpc-0123456789abcdef0'],
  [/subnet/, 'subnet-0123456789abcdef0'],
  [/security_?group|sg/, 'sg-0123456789abcdef0'],
  [/zone/, 'Z0123456789MOCKZONE'],
  [/kms|key/, '00000000-0000-4000-8000-000000000000'],
  [/eip|allocation/, 'eipalloc-0123456789abcdef0'],
  [/file_?system|efs/, 'fs-0123456789abcdef0'],
  [/route_?table/, 'rtb-0123456789abcdef0'],
  [/ami/, 'ami-0123456789abcdef0'],
];

/** A plausible scalar for `name` (lower snake case). */
function scalarFor(name: string): unknown {
  const n = mockName(name);
  if (/arn$/.test(name))
    return (
      ARN_SHAPES.find(([re]) => re.test(name))?.[1] ?? ((x: string) => `arn:aws:mock:${REGION}:${ACCOUNT}:mock/${x}`)
    )(n);
  if (/(^|_)id$/.test(name) || /[a-z]id$/.test(name)) return ID_SHAPES.find(([re]) => re.test(name))?.[1] ?? n;
  if (/cidr/.test(name)) return '10.0.0.0/16';
  if (/(^|_)ip(_address)?$|private_ip|public_ip/.test(name)) return '10.0.0.10';
  if (/port$/.test(name)) return 443;
  if (/(count|size|number|days|capacity|min|max|weight)$/.test(name)) return 1;
  if (/^(is|has|enable)_|enabled$/.test(name)) return true;
  if (/(dns_name|domain|fqdn|endpoint|host(name)?|address|url)$/.test(name)) return `${n}.example.com`;
  if (/region$/.test(name)) return REGION;
  if (/account(_id)?$/.test(name)) return ACCOUNT;
  return n;
}

/** Singular form for the elements of a list-named output: `subnet_ids` -> `subnet_id`. */
function singular(name: string): string {
  return name
    .replace(/_list$/, '')
    .replace(/ies$/, 'y')
    .replace(/([^s])s$/, '$1');
}

/**
 * A placeholder for output `key`: a caller fixture if given, else shaped by the name (ARNs, ids, CIDRs, ports,
 * lists for plural names) and by what the producer and consumer tell (`hint`).
 */
export function placeholderFor(
  key: string,
  hint: OutputHint = {},
  fixtures: Readonly<Record<string, unknown>> = {},
): unknown {
  if (Object.prototype.hasOwnProperty.call(fixtures, key)) return fixtures[key];
  // Generated secrets (e.g. a Redis AUTH token) are validated for length and characters: 32 letters and digits pass.
  if (/^random_(password|string|bytes)$/.test(hint.resourceType ?? '')) return 'MockGeneratedSecret0123456789abc';
  const base = (hint.attribute ?? key).toLowerCase();
  const name =
    hint.resourceType && /^(id|arn|name)$/.test(base) ? `${hint.resourceType.replace(/^aws_/, '')}_${base}` : base;
  if (/tags$/.test(name)) return {};
  if (hint.list || isListName(name)) {
    const element = singular(name);
    const first = scalarFor(element);
    if (typeof first !== 'string') return [first, first];
    // Two distinct elements: lists of subnets/AZs often need two.
    return [first, first.replace(/0(?=[^0]*$)/, '1') === first ? `${first}-2` : first.replace(/0(?=[^0]*$)/, '1')];
  }
  return scalarFor(name);
}

/** Renders a JSON value as an HCL expression (template markers in strings escaped). */
export function toHcl(value: unknown, indent = ''): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string')
    return JSON.stringify(value)
      .replace(/\$\{/g, () => '$${')
      .replace(/%\{/g, () => '%%{');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const inner = `${indent}  `;
  if (Array.isArray(value))
    return value.length === 0 ? '[]' : `[\n${value.map((v) => `${inner}${toHcl(v, inner)}`).join(',\n')}\n${indent}]`;
  const entries = Object.entries(value as Json);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)} = ${toHcl(v, inner)}`).join('\n')}\n${indent}}`;
}

/** The name of the test file, and of the only run block, that verify generates. */
export const TEST_FILE = 'tests/tts-ecs-verify.tftest.hcl';

/**
 * Placeholder of a secret value read with `data "aws_secretsmanager_secret_version"` (e.g. a Redis AUTH token): 40
 * letters and digits pass the usual length and character rules of what such values feed.
 */
export const SECRET_STRING_PLACEHOLDER = 'MockSecretValue0123456789abcdefghijklmno';

/** Names of the `aws_secretsmanager_secret_version` data sources of a stack (they read AWS during a plan). */
export function secretValueReads(stack: Json): string[] {
  const data = (stack.data ?? {}) as Json;
  return Object.keys((data.aws_secretsmanager_secret_version ?? {}) as Json).sort();
}

/**
 * The `terraform test` file for an offline plan: one `override_data` per remote state with placeholder
 * outputs (the stack never reads S3) and per secret value read (never reads Secrets Manager), and one `run` block
 * with `command = plan`.
 */
export function renderTestFile(
  reads: RemoteStateReads,
  producers: ReadonlyMap<string, OutputHint> = new Map(),
  fixtures: Readonly<Record<string, unknown>> = {},
  requiredVariables: readonly string[] = [],
  secretReads: readonly string[] = [],
): string {
  const blocks = ['# Generated by tts-ecs verify: an offline plan; remote state outputs are placeholders.'];
  if (requiredVariables.length > 0) {
    // Block arguments, unlike object keys, must be bare identifiers (variable names always are).
    const lines = requiredVariables.map((name) => `  ${name} = ${JSON.stringify(variablePlaceholder(name))}`);
    blocks.push(`variables {\n${lines.join('\n')}\n}`);
  }
  blocks.push(...overrideDataBlocks(reads, producers, fixtures, secretReads));
  blocks.push('run "plan" {\n  command = plan\n}');
  return `${blocks.join('\n\n')}\n`;
}

/**
 * The `override_data` blocks of one stack: placeholder outputs for each remote state, a placeholder value for each
 * secret read. `targetPrefix` addresses the stack as a module of a batch root (`module.<name>.`).
 */
export function overrideDataBlocks(
  reads: RemoteStateReads,
  producers: ReadonlyMap<string, OutputHint> = new Map(),
  fixtures: Readonly<Record<string, unknown>> = {},
  secretReads: readonly string[] = [],
  targetPrefix = '',
): string[] {
  const blocks: string[] = [];
  for (const [state, outputs] of [...reads.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const values: Json = {};
    for (const [key, hint] of [...outputs.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const producer = producers.get(key) ?? {};
      values[key] = placeholderFor(key, { ...producer, list: producer.list || hint.list }, fixtures);
    }
    blocks.push(
      `override_data {\n  target = ${targetPrefix}data.terraform_remote_state.${state}\n  values = ${toHcl({ outputs: values }, '  ')}\n}`,
    );
  }
  for (const name of secretReads) {
    const values = { secret_string: SECRET_STRING_PLACEHOLDER, version_stages: ['AWSCURRENT'] };
    blocks.push(
      `override_data {\n  target = ${targetPrefix}data.aws_secretsmanager_secret_version.${name}\n  values = ${toHcl(values, '  ')}\n}`,
    );
  }
  return blocks;
}

/**
 * Variables a stack declares without a default (e.g. the sensitive Opsgenie URL): a plan needs a value for each, and
 * the verify children never see the user's TF_VAR_* values, so placeholders are supplied in the test file.
 */
export function requiredVariables(stack: Json): string[] {
  const variables = (stack.variable ?? {}) as Record<string, Json>;
  return Object.keys(variables)
    .filter((name) => !('default' in (variables[name] ?? {})))
    .sort();
}

/** A placeholder for a required variable: an https URL for `*_url` names (they are usually validated), else a string. */
export function variablePlaceholder(name: string): string {
  return /_url$/.test(name) ? `https://placeholder.invalid/${name}` : `placeholder-${name}`;
}
