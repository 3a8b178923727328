import { discoverStacks } from '@tts-ecs/terraform';
import * as fs from 'fs';
import { DiagramGraph, DiagramNode, NodeShape, safeId } from './graph';

/**
 * The architecture of any cdktf app as a graph, from its synthesized stacks only (`tts-ecs diagram --resources`):
 * one group per stack, a node per entry point (load balancer, CDN, API), ECS service and data store, and an edge
 * for each way traffic may flow, read from security group ingress rules (source group's owner -> destination
 * group's owner, labelled with the port), CloudFront origins and the internet CIDRs a load balancer admits.
 * References across stacks (cdktf's remote-state outputs) are followed to the resource that produced them.
 */
type Json = Record<string, unknown>;
interface Stack {
  readonly name: string;
  readonly resource: Record<string, Record<string, Json>>;
  readonly output: Record<string, { value?: unknown }>;
}
/** `<stack>/<type>.<name>` of a resource. */
type Key = string;

const NODE_TYPES: Readonly<Record<string, { shape: NodeShape; label: (r: Json) => string[] }>> = {
  aws_lb: {
    shape: 'balancer',
    label: (r) => [`${r.load_balancer_type === 'network' ? 'NLB' : 'ALB'} ${text(r.name)}`, scheme(r)],
  },
  aws_cloudfront_distribution: { shape: 'balancer', label: () => ['CloudFront distribution'] },
  aws_apigatewayv2_api: { shape: 'balancer', label: (r) => [`HTTP API ${text(r.name)}`] },
  aws_ecs_service: { shape: 'stack', label: (r) => [`ECS service ${text(r.name)}`] },
  aws_db_instance: { shape: 'store', label: (r) => [`RDS ${text(r.engine)} ${text(r.identifier)}`] },
  aws_rds_cluster: { shape: 'store', label: (r) => [`Aurora ${text(r.cluster_identifier)}`] },
  aws_elasticache_replication_group: { shape: 'store', label: (r) => [`Redis ${text(r.replication_group_id)}`] },
  aws_efs_file_system: { shape: 'store', label: (r) => [`EFS ${text(r.creation_token)}`] },
  aws_s3_bucket: { shape: 'store', label: (r) => [`S3 ${text(r.bucket ?? r.bucket_prefix)}`] },
  aws_ecr_repository: { shape: 'store', label: (r) => [`ECR ${text(r.name)}`] },
};

/** Attributes through which a resource wears security groups, and which diagram node that makes the owner. */
const GROUP_HOLDERS: readonly { type: string; groups: (r: Json) => unknown; owner?: (r: Json) => unknown }[] = [
  { type: 'aws_lb', groups: (r) => r.security_groups },
  { type: 'aws_ecs_service', groups: (r) => (r.network_configuration as Json | undefined)?.security_groups },
  { type: 'aws_db_instance', groups: (r) => r.vpc_security_group_ids },
  { type: 'aws_rds_cluster', groups: (r) => r.vpc_security_group_ids },
  { type: 'aws_elasticache_replication_group', groups: (r) => r.security_group_ids },
  { type: 'aws_efs_mount_target', groups: (r) => r.security_groups, owner: (r) => r.file_system_id },
  { type: 'aws_apigatewayv2_vpc_link', groups: (r) => r.security_group_ids },
];

const INTERNET = 'internet';

/** Reads every stack of a synth output folder (one app or several). */
export function readStacks(outDir: string): Stack[] {
  return discoverStacks(outDir).map((s) => {
    const json = JSON.parse(fs.readFileSync(s.file, 'utf8')) as Json;
    return {
      name: s.name,
      resource: (json.resource ?? {}) as Stack['resource'],
      output: (json.output ?? {}) as Stack['output'],
    };
  });
}

export function buildResourceGraph(stacks: readonly Stack[]): DiagramGraph {
  const refs = new References(stacks);
  const nodes = new Map<Key, DiagramNode>();
  for (const stack of stacks)
    for (const [type, spec] of Object.entries(NODE_TYPES))
      for (const [name, r] of Object.entries(stack.resource[type] ?? {}))
        nodes.set(`${stack.name}/${type}.${name}`, {
          id: safeId(`${stack.name}_${type}_${name}`),
          shape: spec.shape,
          lines: spec.label(r).filter(Boolean),
          group: safeId(`stack_${stack.name}`),
          source: { stack: stack.name, resources: [`${type}.${name}`] },
        });

  // Security group -> the diagram nodes wearing it.
  const owners = new Map<Key, Set<Key>>();
  const vpcLinkOwners = apiOfVpcLink(stacks, refs);
  for (const stack of stacks)
    for (const holder of GROUP_HOLDERS)
      for (const [name, r] of Object.entries(stack.resource[holder.type] ?? {})) {
        const self = `${stack.name}/${holder.type}.${name}`;
        const owner = holder.owner
          ? refs.of(stack.name, holder.owner(r))[0]
          : holder.type === 'aws_apigatewayv2_vpc_link'
            ? vpcLinkOwners.get(self)
            : self;
        if (!owner) continue;
        for (const group of refs.of(stack.name, holder.groups(r)))
          owners.set(group, new Set([...(owners.get(group) ?? []), owner]));
      }

  const edges = new EdgeSet();
  let internet = false;
  for (const stack of stacks)
    for (const rule of Object.values(stack.resource.aws_vpc_security_group_ingress_rule ?? {})) {
      const targets = [...(owners.get(refs.of(stack.name, rule.security_group_id)[0]) ?? [])];
      const label = portLabel(rule);
      const cidr = text(rule.cidr_ipv4 ?? rule.cidr_ipv6);
      const sources = rule.referenced_security_group_id
        ? [...(owners.get(refs.of(stack.name, rule.referenced_security_group_id)[0]) ?? [])]
        : cidr === '0.0.0.0/0' || cidr === '::/0'
          ? [INTERNET]
          : cidr
            ? [clientsNode(nodes, cidr)]
            : rule.prefix_list_id
              ? [clientsNode(nodes, text(rule.prefix_list_id) || 'a prefix list', 'Prefix list')]
              : [];
      if (sources.includes(INTERNET)) internet = true;
      for (const from of sources) for (const to of targets) edges.add(from, to, label);
    }
  for (const stack of stacks)
    for (const [name, cdn] of Object.entries(stack.resource.aws_cloudfront_distribution ?? {})) {
      const self = `${stack.name}/aws_cloudfront_distribution.${name}`;
      for (const origin of asList(cdn.origin)) {
        const domain = (origin as Json).domain_name;
        const targets = refs.of(stack.name, domain);
        // A literal origin domain: follow the Route 53 alias of that name to what it points at.
        for (const target of targets.length > 0 ? targets : aliasTargets(stacks, refs, text(domain)))
          edges.add(self, target, 'origin');
      }
      internet = true;
      edges.add(INTERNET, self, 'https');
    }
  for (const stack of stacks)
    for (const [name] of Object.entries(stack.resource.aws_apigatewayv2_api ?? {})) {
      internet = true;
      edges.add(INTERNET, `${stack.name}/aws_apigatewayv2_api.${name}`, 'https');
    }

  if (internet)
    nodes.set(INTERNET, {
      id: INTERNET,
      shape: 'stack',
      lines: ['Internet'],
      group: '',
      source: { stack: '', resources: [] },
    });
  const idOf = (key: Key) => nodes.get(key)?.id;
  return {
    groups: stacks.map((s) => ({ id: safeId(`stack_${s.name}`), label: `stack ${s.name}` })),
    nodes: [...nodes.values()],
    edges: edges.list().flatMap(({ from, to, labels }) => {
      const [a, b] = [idOf(from), idOf(to)];
      return a && b && a !== b ? [{ from: a, to: b, kind: 'after' as const, label: labels.join(', ') }] : [];
    }),
  };
}

/** A node for the clients of one CIDR block or prefix list (outside any stack), created on first use. */
function clientsNode(nodes: Map<Key, DiagramNode>, source: string, kind = 'Clients'): Key {
  const key = `source:${source}`;
  if (!nodes.has(key))
    nodes.set(key, {
      id: safeId(`clients_${source}`),
      shape: 'stack',
      lines: [`${kind} ${source}`],
      group: '',
      source: { stack: '', resources: [] },
    });
  return key;
}

/** What the Route 53 alias records named `domain` point at. */
function aliasTargets(stacks: readonly Stack[], refs: References, domain: string): Key[] {
  if (!domain) return [];
  const bare = (name: string) => name.replace(/\.$/, '');
  return stacks.flatMap((stack) =>
    Object.values(stack.resource.aws_route53_record ?? {})
      .filter((record) => bare(text(record.name)) === bare(domain))
      .flatMap((record) => asList(record.alias).flatMap((alias) => refs.of(stack.name, (alias as Json).name))),
  );
}

/** The API whose integration uses each VPC link: the link's group stands for the API's traffic. */
function apiOfVpcLink(stacks: readonly Stack[], refs: References): Map<Key, Key> {
  const out = new Map<Key, Key>();
  for (const stack of stacks)
    for (const integration of Object.values(stack.resource.aws_apigatewayv2_integration ?? {})) {
      const [link] = refs.of(stack.name, integration.connection_id);
      const [api] = refs.of(stack.name, integration.api_id);
      if (link && api) out.set(link, api);
    }
  return out;
}

/** Resolves `${type.name.attr}` references, and cdktf's cross-stack outputs back to the producing resource. */
class References {
  private readonly outputs = new Map<string, { stack: string; value: unknown }>();
  constructor(stacks: readonly Stack[]) {
    for (const s of stacks)
      for (const [name, o] of Object.entries(s.output)) this.outputs.set(name, { stack: s.name, value: o.value });
  }

  /** Every resource `value` refers to (strings, lists, nested), as keys. */
  of(stack: string, value: unknown, depth = 0): Key[] {
    if (depth > 5 || value === undefined || value === null) return [];
    if (Array.isArray(value)) return value.flatMap((v) => this.of(stack, v, depth + 1));
    if (typeof value !== 'string') return [];
    const out: Key[] = [];
    for (const m of value.matchAll(/data\.terraform_remote_state\.[A-Za-z0-9_-]+\.outputs\.([A-Za-z0-9_-]+)/g)) {
      const produced = this.outputs.get(m[1]);
      if (produced) out.push(...this.of(produced.stack, produced.value, depth + 1));
    }
    for (const m of value.matchAll(/(?<![.\w])(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\./g))
      out.push(`${stack}/${m[1]}.${m[2]}`);
    return out;
  }
}

class EdgeSet {
  private readonly edges = new Map<string, { from: Key; to: Key; labels: string[] }>();
  add(from: Key, to: Key, label: string): void {
    const key = `${from} -> ${to}`;
    const edge = this.edges.get(key) ?? { from, to, labels: [] };
    if (!edge.labels.includes(label)) edge.labels.push(label);
    this.edges.set(key, edge);
  }
  list(): { from: Key; to: Key; labels: string[] }[] {
    return [...this.edges.values()].map((e) => ({ ...e, labels: [...e.labels].sort() }));
  }
}

function portLabel(rule: Json): string {
  const protocol = String(rule.ip_protocol);
  if (protocol === '-1') return 'all traffic';
  return rule.from_port === rule.to_port
    ? `${protocol}/${rule.from_port}`
    : `${protocol}/${rule.from_port}-${rule.to_port}`;
}

const text = (value: unknown): string => (typeof value === 'string' && !value.includes('${') ? value : '');
const scheme = (r: Json): string => (r.internal === true ? 'internal' : 'internet-facing');
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
