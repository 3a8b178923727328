import { DiagramStack } from './read';

/**
 * The deployment as a graph, built from synthesized stacks only, and rendered the same way as Mermaid and DOT:
 * groups per region, then per cluster; one node per stack; a node per load balancer (its public listeners as a compact
 * port list) and per data store; edges for dependencies inside a cluster, remote-state reads across clusters (labelled
 * with what is read) and the secondary -> primary Identity Server link.
 */
export interface DiagramGraph {
  readonly groups: readonly DiagramGroup[];
  readonly nodes: readonly DiagramNode[];
  readonly edges: readonly DiagramEdge[];
}

export interface DiagramGroup {
  readonly id: string;
  readonly label: string;
  readonly parent?: string;
}

export type NodeShape = 'stack' | 'balancer' | 'store';

export interface DiagramNode {
  readonly id: string;
  readonly shape: NodeShape;
  /** Label lines (plain text; the renderers escape them). */
  readonly lines: readonly string[];
  readonly group: string;
  /** What it shows: the stack and, for resource nodes, the Terraform addresses (`type.logical_id`). */
  readonly source: { readonly stack: string; readonly resources: readonly string[] };
}

/**
 * `holds`: a stack and a resource node of it; `after`: a dependency inside a cluster (applied first -> dependent);
 * `reads`: a stack of another cluster whose state is read (writer -> reader); `calls`: a secondary's runtime link to the
 * primary (reader -> the primary's load balancer).
 */
export type EdgeKind = 'holds' | 'after' | 'reads' | 'calls';

export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  readonly label?: string;
}

type Resource = Record<string, unknown>;

/** Short names of what a secondary reads from the primary's outputs, by output name (the contract's names). */
const OUTPUT_LABELS: readonly [RegExp, string][] = [
  [/^cluster_keys_/, 'cluster keys'],
  [/^identity_server_/, 'IS endpoint'],
  [/^oauth_issuer_url$/, 'OAuth issuer'],
  [/^domain$/, 'domain'],
  [/^cross-stack-output-/, 'cdktf references'],
];

/** The short label of a read output; undefined when none is known (the diagram shows the output's name). */
export function outputLabel(output: string): string | undefined {
  return OUTPUT_LABELS.find(([pattern]) => pattern.test(output))?.[1];
}

/** A Mermaid- and DOT-safe id: letters, digits and `_`. */
export function safeId(text: string): string {
  return text.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '');
}

export const stackNodeId = (stack: string): string => `st_${safeId(stack)}`;

export function buildGraph(stacks: readonly DiagramStack[]): DiagramGraph {
  const groups: DiagramGroup[] = [];
  const nodes: DiagramNode[] = [];
  const edges: DiagramEdge[] = [];
  const byName = new Map(stacks.map((s) => [s.name, s]));
  const clusterOf = (name: string) => byName.get(name)?.cluster;
  const balancerOfCluster = new Map<string, string>();
  const listeners = listenersByBalancer(stacks);

  // A cluster sits in the region of its first stack (all of a cluster's stacks share it).
  const regionOf = (s: DiagramStack) => stacks.find((o) => s.cluster && o.cluster === s.cluster)?.region ?? s.region;
  for (const region of unique(stacks.map(regionOf))) {
    const regionId = `rg_${safeId(region)}`;
    groups.push({ id: regionId, label: region });
    const inRegion = stacks.filter((s) => regionOf(s) === region);
    for (const stack of inRegion.filter((s) => s.cluster === undefined)) {
      addStack(stack, regionId);
      addBalancers('', stack, regionId);
    }
    for (const cluster of unique(inRegion.flatMap((s) => (s.cluster === undefined ? [] : [s.cluster])))) {
      const members = inRegion.filter((s) => s.cluster === cluster);
      const clusterId = `cl_${safeId(cluster)}`;
      const reads = unique(members.flatMap((s) => s.dependsOn.map(clusterOf).filter((c) => c && c !== cluster)));
      const role = members[0].role + (reads.length ? `, reads ${reads.join(', ')}` : '');
      groups.push({ id: clusterId, label: `${cluster} · ${role}`, parent: regionId });
      for (const stack of members) addStack(stack, clusterId);
      for (const stack of members) addBalancers(cluster, stack, clusterId);
    }
  }

  for (const stack of stacks) {
    const local = stack.dependsOn.filter((d) => clusterOf(d) === stack.cluster);
    for (const dep of withoutTransitive(local, (n) => byName.get(n)?.dependsOn.filter((d) => local.includes(d)) ?? []))
      edges.push({ from: stackNodeId(dep), to: stackNodeId(stack.name), kind: 'after' });
    for (const dep of stack.dependsOn.filter((d) => clusterOf(d) !== stack.cluster)) {
      const writer = byName.get(dep)!;
      const outputs = outputsRead(stack, writer);
      const label = unique(outputs.map((o) => outputLabel(o) ?? o)).join(', ') || 'state only';
      edges.push({ from: stackNodeId(dep), to: stackNodeId(stack.name), kind: 'reads', label });
      if (outputs.includes('identity_server_host')) {
        const host = plain(writer.json.output?.identity_server_host?.value) ?? 'primary';
        const ports = outputs
          .filter((o) => /^identity_server_.*port$/.test(o))
          .map((o) => plain(writer.json.output?.[o]?.value) ?? '?')
          .sort((a, b) => Number(a) - Number(b))
          .map((p) => `:${p}`);
        const to = balancerOfCluster.get(writer.cluster ?? '') ?? stackNodeId(dep);
        edges.push({ from: stackNodeId(stack.name), to, kind: 'calls', label: [`IS API ${host}`, ...ports].join(' ') });
      }
    }
  }
  return { groups, nodes, edges };

  function addStack(stack: DiagramStack, group: string): void {
    const id = stackNodeId(stack.name);
    nodes.push({ id, shape: 'stack', lines: stackLines(stack), group, source: { stack: stack.name, resources: [] } });
    const seen = new Map<string, number>();
    for (const store of storesOf(stack)) {
      const n = (seen.get(store.kind) ?? 0) + 1;
      seen.set(store.kind, n);
      const storeId = `${id}__${store.kind}${n > 1 ? n : ''}`;
      nodes.push({
        id: storeId,
        shape: 'store',
        lines: store.lines,
        group,
        source: { stack: stack.name, resources: store.resources },
      });
      edges.push({ from: id, to: storeId, kind: 'holds' });
    }
  }

  function addBalancers(cluster: string, stack: DiagramStack, group: string): void {
    resources(stack, 'aws_lb').forEach(([logical, lb], i) => {
      const id = `${stackNodeId(stack.name)}__lb${i > 0 ? i + 1 : ''}`;
      const mine = listeners.get(`${stack.name}/${logical}`) ?? [];
      const kind = { network: 'NLB', application: 'ALB', gateway: 'GWLB' }[String(lb.load_balancer_type)] ?? 'LB';
      const ports = mine
        .map((l) => ({ port: Number(l.r.port), text: listenerText(l.r) }))
        .sort((a, b) => a.port - b.port || a.text.localeCompare(b.text))
        .map((p) => p.text);
      const lines = [
        `${kind} ${plain(lb.name) ?? logical}${lb.internal === true ? ' (internal)' : ''}`,
        ...chunk(ports, 7).map((c) => c.join(' ')),
      ];
      const addresses = [`aws_lb.${logical}`, ...mine.map((l) => `aws_lb_listener.${l.logical}`)];
      nodes.push({ id, shape: 'balancer', lines, group, source: { stack: stack.name, resources: addresses } });
      edges.push({ from: stackNodeId(stack.name), to: id, kind: 'holds' });
      for (const owner of unique(mine.map((l) => l.stack)).filter((s) => s !== stack.name))
        edges.push({ from: stackNodeId(owner), to: id, kind: 'holds' });
      if (!balancerOfCluster.has(cluster)) balancerOfCluster.set(cluster, id);
    });
  }
}

interface Listener {
  readonly stack: string;
  readonly logical: string;
  readonly r: Resource;
}

/**
 * Listeners by `<stack>/<logical id>` of their load balancer: `load_balancer_arn` references it directly
 * (`aws_lb.<id>.arn`) or through the remote state of the stack holding it (cdktf's cross-stack output names the id).
 */
function listenersByBalancer(stacks: readonly DiagramStack[]): Map<string, Listener[]> {
  const byState = new Map(stacks.filter((s) => s.state).map((s) => [s.state, s]));
  const found = new Map<string, Listener[]>();
  for (const stack of stacks) {
    for (const [logical, r] of resources(stack, 'aws_lb_listener')) {
      const arn = String(r.load_balancer_arn ?? '');
      const via = /data\.terraform_remote_state\.([\w-]+)\.outputs\./.exec(arn)?.[1];
      const config = via === undefined ? undefined : stack.json.data?.terraform_remote_state?.[via]?.config;
      const holder = via === undefined ? stack : byState.get(`${config?.bucket}/${config?.key}`);
      const balancer = holder && resources(holder, 'aws_lb').find(([id]) => arn.includes(id))?.[0];
      if (!holder || !balancer) continue;
      const key = `${holder.name}/${balancer}`;
      found.set(key, [...(found.get(key) ?? []), { stack: stack.name, logical, r }]);
    }
  }
  return found;
}

/** `:443` for TLS/HTTPS listeners, `:1700/udp` (`/tcp`, `/http`, ...) for the others. */
function listenerText(listener: Resource): string {
  const protocol = String(listener.protocol ?? '').toLowerCase();
  const port = `:${plain(listener.port) ?? '?'}`;
  return protocol === 'tls' || protocol === 'https' ? port : `${port}/${protocol.replace('_', '+')}`;
}

function stackLines(stack: DiagramStack): string[] {
  const count = (type: string) => Object.keys(stack.json.resource?.[type] ?? {}).length;
  const vpc = resources(stack, 'aws_vpc')[0]?.[1];
  const facts = [
    vpc ? `VPC ${plain(vpc.cidr_block) ?? ''}`.trim() : '',
    count('aws_ecs_service') ? plural(count('aws_ecs_service'), 'ECS service') : '',
    count('aws_secretsmanager_secret') ? plural(count('aws_secretsmanager_secret'), 'secret') : '',
    count('aws_cloudwatch_metric_alarm') ? plural(count('aws_cloudwatch_metric_alarm'), 'alarm') : '',
    stack.state === undefined ? 'local state' : '',
  ].filter(Boolean);
  return [stack.layer ?? stack.role, stack.name, ...(facts.length ? [facts.join(' · ')] : [])];
}

interface Store {
  readonly kind: string;
  readonly lines: string[];
  readonly resources: string[];
}

/** The data stores of a stack: databases, caches, buckets (one node), file systems, TimescaleDB hosts. */
function storesOf(stack: DiagramStack): Store[] {
  const stores: Store[] = [];
  const short = (name: unknown, fallback: string) => shortName(stack.name, plain(name) ?? fallback);
  for (const [logical, db] of resources(stack, 'aws_rds_cluster')) {
    const instances = resources(stack, 'aws_rds_cluster_instance').filter(([, i]) =>
      String(i.cluster_identifier ?? '').includes(`aws_rds_cluster.${logical}.`),
    );
    stores.push({
      kind: 'rds',
      lines: [
        `${engineName(db.engine)} ${plain(db.engine_version) ?? ''}`.trim(),
        `${plain(db.cluster_identifier) ?? logical} · ${plural(instances.length, 'instance')}`,
      ],
      resources: [`aws_rds_cluster.${logical}`, ...instances.map(([i]) => `aws_rds_cluster_instance.${i}`)],
    });
  }
  for (const [logical, db] of resources(stack, 'aws_db_instance'))
    stores.push({
      kind: 'rds',
      lines: [`RDS ${engineName(db.engine)} ${plain(db.engine_version) ?? ''}`.trim(), short(db.identifier, logical)],
      resources: [`aws_db_instance.${logical}`],
    });
  for (const [logical, cache] of resources(stack, 'aws_elasticache_replication_group')) {
    const engine = engineName(cache.engine ?? 'redis');
    const nodes = plain(cache.num_cache_clusters);
    stores.push({
      kind: 'cache',
      lines: [
        `${engine} ${plain(cache.engine_version) ?? ''} · ${short(cache.replication_group_id, logical)}`,
        ...(nodes ? [plural(Number(nodes), 'node')] : []),
      ],
      resources: [`aws_elasticache_replication_group.${logical}`],
    });
  }
  const buckets = resources(stack, 'aws_s3_bucket');
  if (buckets.length > 0)
    stores.push({
      kind: 's3',
      lines:
        buckets.length === 1
          ? [`S3 · ${short(buckets[0][1].bucket, buckets[0][0])}`]
          : [`S3 ×${buckets.length}`, ...chunk(buckets.map(([l, b]) => short(b.bucket, l)).sort(), 3).map(commas)],
      resources: buckets.map(([l]) => `aws_s3_bucket.${l}`),
    });
  for (const [logical, efs] of resources(stack, 'aws_efs_file_system'))
    stores.push({
      kind: 'efs',
      lines: [`EFS · ${short(efs.creation_token ?? (efs.tags as Resource | undefined)?.Name, logical)}`],
      resources: [`aws_efs_file_system.${logical}`],
    });
  for (const [logical, host] of resources(stack, 'aws_instance')) {
    const name = plain((host.tags as Resource | undefined)?.Name) ?? '';
    if (/timescale/i.test(name))
      stores.push({
        kind: 'timescale',
        lines: ['TimescaleDB host', `EC2 ${plain(host.instance_type) ?? ''}`.trim()],
        resources: [`aws_instance.${logical}`],
      });
  }
  return stores;
}

/** Outputs of `writer` that `reader` uses, through the remote states pointing at the writer's state. */
function outputsRead(reader: DiagramStack, writer: DiagramStack): string[] {
  const text = JSON.stringify(reader.json);
  const names = Object.entries(reader.json.data?.terraform_remote_state ?? {})
    .filter(([, s]) => s.backend === 's3' && `${s.config?.bucket}/${s.config?.key}` === writer.state)
    .map(([name]) => name);
  return unique(
    names.flatMap((name) =>
      [
        ...text.matchAll(
          new RegExp(`data\\.terraform_remote_state\\.${escapeRegExp(name)}\\.outputs\\.([\\w-]+)`, 'g'),
        ),
      ].map((m) => m[1]),
    ),
  ).sort();
}

/** `deps` without those reachable through another of them (the transitive reduction). */
function withoutTransitive(deps: readonly string[], dependsOn: (name: string) => readonly string[]): string[] {
  const reachable = (from: string, seen = new Set<string>()): Set<string> => {
    for (const next of dependsOn(from)) if (!seen.has(next)) reachable(next, seen.add(next));
    return seen;
  };
  return deps.filter((d) => !deps.some((other) => other !== d && reachable(other).has(d)));
}

/** `acme-prod-eu1-edcs-111111111111` in stack `acme-prod-eu1-data` -> `edcs` (cluster prefix and account id off). */
function shortName(stack: string, name: string): string {
  const prefix = `${stack.slice(0, stack.lastIndexOf('-'))}-`;
  return (name.startsWith(prefix) ? name.slice(prefix.length) : name).replace(/-\d{12}$/, '') || name;
}

function engineName(engine: unknown): string {
  const names: Record<string, string> = {
    'aurora-postgresql': 'Aurora PostgreSQL',
    'aurora-mysql': 'Aurora MySQL',
    postgres: 'PostgreSQL',
    redis: 'Redis',
    valkey: 'Valkey',
  };
  const text = plain(engine) ?? 'unknown engine';
  return names[text] ?? text;
}

function resources(stack: DiagramStack, type: string): [string, Resource][] {
  return Object.entries(stack.json.resource?.[type] ?? {});
}

/** A literal value as text; undefined for Terraform expressions (`${...}`) and non-scalars. */
function plain(value: unknown): string | undefined {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'string' && !value.includes('${') ? value : undefined;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const commas = (items: readonly string[]) => items.join(', ');
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
