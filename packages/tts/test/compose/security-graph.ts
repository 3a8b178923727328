/**
 * A small model of the network security of synthesized stacks (the JSON of `fullSynth`): security groups and their
 * rules, the workloads that attach them, and the calls each workload is configured to make, all read from the
 * Terraform JSON. Cross-stack references (`data.terraform_remote_state.<x>.outputs.<y>`) are followed to the output of
 * the producing stack (found by its S3 backend key) and from there to the resource, so a security group referenced in
 * the compute stack is the very group the network stack creates.
 *
 * What the model does not know: NACLs, routes and DNS outside Route 53 / Cloud Map. Public addresses (NAT gateway and
 * Elastic IPs) are unknown at synth, so traffic that leaves a VPC matches only `0.0.0.0/0` rules. Targets of a load
 * balancer with a security group may admit it by reference whether or not the client IP is preserved (what AWS
 * documents for NLBs with security groups).
 */
import type { Json } from './helpers';

export type Protocol = 'tcp' | 'udp';

/** One security group rule, whatever resource type or inline block it came from. */
export interface Rule {
  /**
   * Terraform address with its stack, e.g. `acme-prod-eu1-compute/aws_vpc_security_group_ingress_rule.X` (`#...` for
   * an inline block or one source of a multi-source rule).
   */
  readonly id: string;
  /** Key of the security group the rule belongs to. */
  readonly sg: string;
  readonly direction: 'ingress' | 'egress';
  /** `tcp`, `udp`, `all` (protocol -1) or another IP protocol as written. */
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  /** The peer: another security group (key), a CIDR block, or a prefix list (not modelled: never matches). */
  readonly peer: { readonly sg: string } | { readonly cidr: string } | { readonly prefixList: string };
  readonly description?: string;
}

export interface SecurityGroup {
  /** `<stack>/aws_security_group.<name>` */
  readonly key: string;
  readonly stack: string;
  /** `name` or `name_prefix`. */
  readonly name: string;
  readonly vpc?: string;
  readonly ingress: Rule[];
  readonly egress: Rule[];
}

export type WorkloadKind =
  'ecs-service' | 'ecs-task' | 'scheduled-task' | 'aurora' | 'redis' | 'efs' | 'ec2' | 'nlb' | 'internet';

/** Something with network interfaces (or the internet outside every VPC). */
export interface Workload {
  /** `<cluster>/<short name>`, e.g. `eu1/gs`, `us1/is-proxy`, `eu1/redis-general`; `internet` for the outside. */
  readonly id: string;
  readonly cluster: string;
  readonly kind: WorkloadKind;
  /** Key of the defining resource. */
  readonly resource?: string;
  /** Keys of every security group its interfaces carry. */
  readonly securityGroups: string[];
  /** Keys of the subnets of its interfaces. */
  readonly subnets: string[];
  /** Address ranges of its interfaces (the subnets' CIDR blocks). */
  readonly cidrs: string[];
  readonly vpc?: string;
}

/** A connection a workload is configured to open. */
export interface Call {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol: Protocol;
  /** `vpc`: private addresses inside one VPC; `internet`: through public addresses (NAT, Elastic IPs). */
  readonly via: 'vpc' | 'internet';
  /** Where the call was read from, e.g. `TTN_LW_CLUSTER_NETWORK_SERVER=ns.tts.internal:1884`. */
  readonly reason: string;
}

export interface Verdict {
  readonly allowed: boolean;
  readonly egress?: Rule;
  readonly ingress?: Rule;
  /** Why not, when not allowed. */
  readonly why?: string;
}

/** An address that a call's configuration names but the model cannot map to a workload. */
export interface Unresolved {
  readonly from: string;
  readonly target: string;
  readonly reason: string;
}

const INTERNET = 'internet';
const LAYERS = /^(.*)\/([^/]+)\/([^/]+)\.tfstate$/;

type Ref =
  { kind: 'resource'; stack: string; type: string; name: string; attr: string } | { kind: 'literal'; value: unknown };

const keyOf = (stack: string, type: string, name: string): string => `${stack}/${type}.${name}`;

/** The inner text of `${...}` interpolations in a string (outermost ones, braces balanced). */
function interpolations(text: string): string[] {
  const out: string[] = [];
  for (let i = text.indexOf('${'); i >= 0; i = text.indexOf('${', i)) {
    let depth = 0;
    let j = i + 1;
    for (; j < text.length; j++) {
      if (text[j] === '{') depth++;
      else if (text[j] === '}' && --depth === 0) break;
    }
    out.push(text.slice(i + 2, j));
    i = j + 1;
  }
  return out;
}

function parseIpv4(cidr: string): { addr: number; bits: number } | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) return undefined;
  const addr = ((+m[1] << 24) | (+m[2] << 16) | (+m[3] << 8) | +m[4]) >>> 0;
  return { addr, bits: +m[5] };
}

/** Whether IPv4 block `outer` contains `inner`. IPv6 blocks contain no IPv4 address. */
export function cidrContains(outer: string, inner: string): boolean {
  const o = parseIpv4(outer);
  const i = parseIpv4(inner);
  if (!o || !i || o.bits > i.bits) return false;
  const mask = o.bits === 0 ? 0 : (~0 << (32 - o.bits)) >>> 0;
  return (o.addr & mask) >>> 0 === (i.addr & mask) >>> 0;
}

const isAnyIpv4 = (cidr: string): boolean => parseIpv4(cidr)?.bits === 0;

function normalizeProtocol(p: unknown): string {
  const s = String(p).toLowerCase();
  if (s === '-1' || s === 'all') return 'all';
  if (s === '6') return 'tcp';
  if (s === '17') return 'udp';
  return s;
}

function hostPort(value: string): { host: string; port: number } | undefined {
  const m = /^([A-Za-z0-9.-]+):(\d+)$/.exec(value.trim());
  return m ? { host: m[1].toLowerCase(), port: +m[2] } : undefined;
}

/**
 * The security model of a set of synthesized stacks. Build it with {@link buildSecurityGraph}.
 */
export class SecurityGraph {
  readonly groups = new Map<string, SecurityGroup>();
  readonly workloads = new Map<string, Workload>();
  readonly calls: Call[] = [];
  readonly unresolved: Unresolved[] = [];

  private readonly byBackend = new Map<string, string>();
  private readonly clusterOf = new Map<string, { cluster: string; prefix: string }>();
  private readonly subnets = new Map<string, { cidr?: string; vpc?: string }>();
  private readonly vpcCidrs = new Map<string, string>();
  /** Resource key -> workload id (the resources a workload is addressed by). */
  private readonly owners = new Map<string, string>();
  private readonly callKeys = new Set<string>();

  constructor(readonly stacks: Record<string, Json>) {
    for (const [name, stack] of Object.entries(stacks)) {
      const s3 = stack.terraform?.backend?.s3;
      if (!s3) continue;
      this.byBackend.set(`${s3.bucket}/${s3.key}`, name);
      const m = LAYERS.exec(s3.key);
      const layer = m ? m[3] : '';
      this.clusterOf.set(name, {
        cluster: m ? m[2] : name,
        prefix: name.endsWith(`-${layer}`) ? name.slice(0, -layer.length - 1) : name,
      });
    }
  }

  // ---------------------------------------------------------------- references

  resource(key: string): Json | undefined {
    const m = /^([^/]+)\/([a-z0-9_]+)\.(.+)$/.exec(key);
    return m ? this.stacks[m[1]]?.resource?.[m[2]]?.[m[3]] : undefined;
  }

  /** Resources of one type in every stack, as `[key, stackName, body]`. */
  resourcesOf(type: string): Array<[string, string, Json]> {
    const out: Array<[string, string, Json]> = [];
    for (const [stack, json] of Object.entries(this.stacks)) {
      for (const [name, body] of Object.entries<Json>(json.resource?.[type] ?? {}))
        out.push([keyOf(stack, type, name), stack, body]);
    }
    return out;
  }

  /**
   * Resolves a value of `stack` (a literal, or a string that is one whole `${...}`) to the resource attribute it reads
   * or to a literal, following locals and remote-state outputs into the producing stack.
   */
  resolve(stack: string, value: unknown, depth = 0): Ref | undefined {
    if (typeof value !== 'string') return { kind: 'literal', value };
    const parts = interpolations(value);
    if (parts.length === 0) return { kind: 'literal', value };
    if (parts.length === 1 && value.trim() === `\${${parts[0]}}`)
      return this.resolveExpr(stack, parts[0].trim(), depth);
    return undefined;
  }

  /** Resolves one Terraform expression (the inside of `${...}`): a resource attribute, a local or a remote output. */
  resolveExpr(stack: string, expr: string, depth = 0): Ref | undefined {
    if (depth > 20) return undefined;
    const remote = /^data\.terraform_remote_state\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expr);
    if (remote) {
      const producer = this.producerOf(stack, remote[1]);
      const output = producer && this.stacks[producer].output?.[remote[2]];
      return output ? this.resolve(producer!, output.value, depth + 1) : undefined;
    }
    const local = /^local\.([\w-]+)$/.exec(expr);
    if (local) return this.resolve(stack, this.stacks[stack].locals?.[local[1]], depth + 1);
    const res = /^([a-z][a-z0-9_]*)\.([\w-]+)\.(\w+)$/.exec(expr);
    if (res && this.stacks[stack].resource?.[res[1]]?.[res[2]] !== undefined)
      return { kind: 'resource', stack, type: res[1], name: res[2], attr: res[3] };
    return undefined;
  }

  /** Key of the resource an expression reads an attribute of. */
  keyOfRef(stack: string, expr: unknown): string | undefined {
    const r = this.resolve(stack, expr);
    return r?.kind === 'resource' ? keyOf(r.stack, r.type, r.name) : undefined;
  }

  /** Every resource read anywhere inside the interpolations of `text` (remote-state outputs followed). */
  refsIn(stack: string, text: string): Array<{ key: string; attr: string; expr: string }> {
    const out: Array<{ key: string; attr: string; expr: string }> = [];
    const pattern =
      /data\.terraform_remote_state\.[\w-]+\.outputs\.[\w-]+|local\.[\w-]+|\b[a-z][a-z0-9]*_[a-z0-9_]+\.[\w-]+\.\w+/g;
    for (const inner of interpolations(text)) {
      for (const m of inner.matchAll(pattern)) {
        const r = this.resolveExpr(stack, m[0]);
        if (r?.kind === 'resource') out.push({ key: keyOf(r.stack, r.type, r.name), attr: r.attr, expr: m[0] });
      }
    }
    return out;
  }

  private producerOf(stack: string, dataSource: string): string | undefined {
    const config = this.stacks[stack].data?.terraform_remote_state?.[dataSource]?.config;
    return config ? this.byBackend.get(`${config.bucket}/${config.key}`) : undefined;
  }

  /** A resource name without the cluster's resource prefix (`acme-prod-eu1-gs` -> `gs`; the prefix itself -> ''). */
  private shortName(stack: string, name: string): string {
    const prefix = this.clusterOf.get(stack)?.prefix;
    if (prefix && name === prefix) return '';
    return prefix && name.startsWith(`${prefix}-`) ? name.slice(prefix.length + 1) : name;
  }

  private label(kind: string, stack: string, name: string): string {
    const short = this.shortName(stack, name);
    return short ? `${kind}-${short}` : kind;
  }

  // ---------------------------------------------------------------- groups and rules

  /** Reads every security group and rule resource type the provider offers for VPC groups. */
  readGroups(): void {
    for (const type of ['aws_security_group', 'aws_default_security_group']) {
      for (const [key, stack, body] of this.resourcesOf(type)) {
        const sg: SecurityGroup = {
          key,
          stack,
          name: String(body.name ?? body.name_prefix ?? key),
          vpc: this.keyOfRef(stack, body.vpc_id),
          ingress: [],
          egress: [],
        };
        this.groups.set(key, sg);
        for (const direction of ['ingress', 'egress'] as const) {
          const blocks: Json[] = Array.isArray(body[direction])
            ? body[direction]
            : body[direction]
              ? [body[direction]]
              : [];
          blocks.forEach((b, i) =>
            this.addLegacyRule(stack, `${key}#${direction}${i}`, key, direction, b, b.security_groups ?? []),
          );
        }
      }
    }
    for (const direction of ['ingress', 'egress'] as const) {
      for (const [key, stack, body] of this.resourcesOf(`aws_vpc_security_group_${direction}_rule`)) {
        const sg = this.keyOfRef(stack, body.security_group_id);
        if (!sg) throw new Error(`${key}: security_group_id ${body.security_group_id} does not resolve`);
        const protocol = normalizeProtocol(body.ip_protocol);
        const all = protocol === 'all';
        let peer: Rule['peer'];
        if (body.referenced_security_group_id !== undefined) {
          const ref = this.keyOfRef(stack, body.referenced_security_group_id);
          if (!ref) throw new Error(`${key}: referenced_security_group_id does not resolve`);
          peer = { sg: ref };
        } else if (body.cidr_ipv4 !== undefined) peer = { cidr: String(body.cidr_ipv4) };
        else if (body.cidr_ipv6 !== undefined) peer = { cidr: String(body.cidr_ipv6) };
        else peer = { prefixList: String(body.prefix_list_id) };
        this.addRule({
          id: key,
          sg,
          direction,
          protocol,
          fromPort: all ? 0 : Number(body.from_port),
          toPort: all ? 65535 : Number(body.to_port),
          peer,
          description: body.description,
        });
      }
    }
    for (const [key, stack, body] of this.resourcesOf('aws_security_group_rule')) {
      const sg = this.keyOfRef(stack, body.security_group_id);
      if (!sg) throw new Error(`${key}: security_group_id does not resolve`);
      const sources = body.source_security_group_id === undefined ? [] : [body.source_security_group_id];
      this.addLegacyRule(stack, key, sg, body.type, body, sources);
    }
  }

  /** Inline blocks of aws_security_group and aws_security_group_rule: one rule per source. */
  private addLegacyRule(
    stack: string,
    id: string,
    sg: string,
    direction: 'ingress' | 'egress',
    b: Json,
    sourceGroups: unknown[],
  ): void {
    const protocol = normalizeProtocol(b.protocol);
    const all = protocol === 'all';
    const base = {
      sg,
      direction,
      protocol,
      fromPort: all ? 0 : Number(b.from_port),
      toPort: all ? 65535 : Number(b.to_port),
      description: b.description,
    };
    const peers: Rule['peer'][] = [
      ...[...(b.cidr_blocks ?? []), ...(b.ipv6_cidr_blocks ?? [])].map((cidr: string) => ({ cidr })),
      ...(b.prefix_list_ids ?? []).map((p: string) => ({ prefixList: p })),
      ...sourceGroups.map((s) => {
        const ref = this.keyOfRef(stack, s);
        if (!ref) throw new Error(`${id}: source security group ${String(s)} does not resolve`);
        return { sg: ref };
      }),
    ];
    if (b.self) peers.push({ sg });
    peers.forEach((peer, i) => this.addRule({ ...base, id: peers.length > 1 ? `${id}#${i}` : id, peer }));
  }

  private addRule(rule: Rule): void {
    const group = this.groups.get(rule.sg);
    if (!group) throw new Error(`${rule.id}: no security group ${rule.sg} in the stacks`);
    (rule.direction === 'ingress' ? group.ingress : group.egress).push(rule);
  }

  /** Every ingress rule of every group. */
  ingressRules(): Rule[] {
    return [...this.groups.values()].flatMap((g) => g.ingress);
  }

  // ---------------------------------------------------------------- workloads

  readNetworks(): void {
    for (const [key, , body] of this.resourcesOf('aws_vpc'))
      if (typeof body.cidr_block === 'string') this.vpcCidrs.set(key, body.cidr_block);
    for (const [key, stack, body] of this.resourcesOf('aws_subnet')) {
      this.subnets.set(key, {
        cidr: typeof body.cidr_block === 'string' && parseIpv4(body.cidr_block) ? body.cidr_block : undefined,
        vpc: this.keyOfRef(stack, body.vpc_id),
      });
    }
  }

  private addWorkload(
    stack: string,
    kind: WorkloadKind,
    name: string,
    resource: string,
    sgExprs: unknown[],
    subnetExprs: unknown[],
  ): Workload {
    const cluster = this.clusterOf.get(stack)?.cluster ?? stack;
    const id = `${cluster}/${this.shortName(stack, name)}`;
    if (this.workloads.has(id)) throw new Error(`Two workloads named ${id}`);
    const securityGroups = sgExprs.map((e) => {
      const k = this.keyOfRef(stack, e);
      if (!k || !this.groups.has(k)) throw new Error(`${id}: security group ${String(e)} does not resolve to a group`);
      return k;
    });
    const subnets = subnetExprs.map((e) => {
      const k = this.keyOfRef(stack, e);
      if (!k || !this.subnets.has(k)) throw new Error(`${id}: subnet ${String(e)} does not resolve to a subnet`);
      return k;
    });
    const vpc = subnets.map((s) => this.subnets.get(s)!.vpc).find((v) => v !== undefined);
    const cidrs = subnets.map((s) => this.subnets.get(s)!.cidr ?? (vpc && this.vpcCidrs.get(vpc))).filter(Boolean);
    const w: Workload = { id, cluster, kind, resource, securityGroups, subnets, cidrs: cidrs as string[], vpc };
    this.workloads.set(id, w);
    this.owners.set(resource, id);
    return w;
  }

  /** Every workload the stacks create, with the security groups and subnets of its interfaces. */
  readWorkloads(): void {
    this.workloads.set(INTERNET, {
      id: INTERNET,
      cluster: '',
      kind: 'internet',
      securityGroups: [],
      subnets: [],
      cidrs: [],
    });
    for (const [key, stack, body] of this.resourcesOf('aws_ecs_service')) {
      const net = body.network_configuration ?? {};
      this.addWorkload(stack, 'ecs-service', body.name, key, net.security_groups ?? [], net.subnets ?? []);
    }
    for (const [key, stack, body] of this.resourcesOf('aws_scheduler_schedule')) {
      const ecs = body.target?.ecs_parameters;
      if (!ecs) continue;
      const td = this.keyOfRef(stack, ecs.task_definition_arn);
      const family = td ? String(this.resource(td)?.family) : String(body.name);
      const net = ecs.network_configuration ?? {};
      this.addWorkload(stack, 'scheduled-task', family, key, net.security_groups ?? [], net.subnets ?? []);
    }
    this.readRunTaskCommands();
    for (const [key, stack, body] of this.resourcesOf('aws_rds_cluster')) {
      const group = this.resource(this.keyOfRef(stack, body.db_subnet_group_name) ?? '');
      const w = this.addWorkload(
        stack,
        'aurora',
        this.label('aurora', stack, String(body.cluster_identifier)),
        key,
        body.vpc_security_group_ids ?? [],
        group?.subnet_ids ?? [],
      );
      // Instances are reached through the cluster endpoints.
      for (const [ik, istack, ib] of this.resourcesOf('aws_rds_cluster_instance'))
        if (this.keyOfRef(istack, ib.cluster_identifier) === key) this.owners.set(ik, w.id);
    }
    for (const [key, stack, body] of this.resourcesOf('aws_elasticache_replication_group')) {
      const group = this.resource(this.keyOfRef(stack, body.subnet_group_name) ?? '');
      this.addWorkload(
        stack,
        'redis',
        this.label('redis', stack, String(body.replication_group_id)),
        key,
        body.security_group_ids ?? [],
        group?.subnet_ids ?? [],
      );
    }
    for (const [key, stack, body] of this.resourcesOf('aws_efs_file_system')) {
      const targets = this.resourcesOf('aws_efs_mount_target').filter(
        ([, s, mt]) => this.keyOfRef(s, mt.file_system_id) === key,
      );
      const sgs = [...new Set(targets.flatMap(([, , mt]) => mt.security_groups ?? []))];
      this.addWorkload(
        stack,
        'efs',
        this.label('efs', stack, String(body.creation_token)),
        key,
        sgs,
        targets.map(([, , mt]) => mt.subnet_id),
      );
    }
    for (const [key, stack, body] of this.resourcesOf('aws_instance')) {
      this.addWorkload(stack, 'ec2', String(body.tags?.Name ?? key), key, body.vpc_security_group_ids ?? [], [
        body.subnet_id,
      ]);
    }
    for (const [key, stack, body] of this.resourcesOf('aws_lb')) {
      const subnets = body.subnet_mapping ? body.subnet_mapping.map((m: Json) => m.subnet_id) : (body.subnets ?? []);
      this.addWorkload(
        stack,
        'nlb',
        this.label('nlb', stack, String(body.name)),
        key,
        body.security_groups ?? [],
        subnets,
      );
    }
  }

  /**
   * Tasks started by hand (the ops task): their network configuration exists only in the `aws ecs run-task` commands
   * the stack outputs.
   */
  private readRunTaskCommands(): void {
    for (const [stack, json] of Object.entries(this.stacks)) {
      for (const [outName, output] of Object.entries<Json>(json.output ?? {})) {
        const values = typeof output.value === 'string' ? [output.value] : Object.values(output.value ?? {});
        for (const command of values) {
          if (typeof command !== 'string' || !command.includes('aws ecs run-task')) continue;
          const family = /--task-definition (\S+)/.exec(command)?.[1];
          const sgs = /securityGroups=\[([^\]]*)\]/.exec(command)?.[1];
          const subnets = /subnets=\[(.*)\],securityGroups=/.exec(command)?.[1];
          if (!family || sgs === undefined || subnets === undefined)
            throw new Error(`${stack} output ${outName}: cannot read the run-task network configuration`);
          const td = this.resourcesOf('aws_ecs_task_definition').find(([, s, b]) => s === stack && b.family === family);
          if (!td) throw new Error(`${stack} output ${outName}: no task definition of family ${family}`);
          const id = `${this.clusterOf.get(stack)?.cluster}/${this.shortName(stack, family)}`;
          if (this.workloads.has(id)) continue; // one workload per task definition; every command shares its network
          const sgExprs = sgs.split(',').map((s) => s.trim());
          const subnetKeys = this.refsIn(stack, subnets).filter((r) => r.key.includes('/aws_subnet.'));
          this.addWorkload(
            stack,
            'ecs-task',
            family,
            td[0],
            sgExprs,
            subnetKeys.map((r) => `\${${r.expr}}`),
          );
        }
      }
    }
  }

  /** The workload a resource belongs to (a service, the cluster of an instance, ...). */
  ownerOf(key: string): string | undefined {
    return this.owners.get(key);
  }

  // ---------------------------------------------------------------- name resolution

  /** Cloud Map: `<service>.<namespace>` as resolved from inside `vpc`, to the ECS services registered there. */
  private cloudMap(host: string, vpc: string | undefined): { namespace: boolean; workloads: string[] } {
    let namespace = false;
    const found: string[] = [];
    for (const [nsKey, nsStack, ns] of this.resourcesOf('aws_service_discovery_private_dns_namespace')) {
      if (this.keyOfRef(nsStack, ns.vpc) !== vpc || !host.endsWith(`.${ns.name}`)) continue;
      namespace = true;
      for (const [svcKey, svcStack, svc] of this.resourcesOf('aws_service_discovery_service')) {
        if (this.keyOfRef(svcStack, svc.dns_config?.namespace_id) !== nsKey || `${svc.name}.${ns.name}` !== host)
          continue;
        for (const [ecsKey, ecsStack, ecs] of this.resourcesOf('aws_ecs_service')) {
          const registries: Json[] = [ecs.service_registries ?? []].flat();
          if (registries.some((r) => this.keyOfRef(ecsStack, r.registry_arn) === svcKey))
            found.push(this.owners.get(ecsKey)!);
        }
      }
    }
    return { namespace, workloads: found };
  }

  /** Route 53: a public name aliased to a load balancer. */
  private publicDns(host: string): string[] {
    const found: string[] = [];
    for (const [, stack, rec] of this.resourcesOf('aws_route53_record')) {
      const name = String(rec.name).toLowerCase().replace(/\.$/, '');
      const matches = name === host || (name.startsWith('*.') && host.endsWith(name.slice(1)));
      const target = matches && rec.alias ? this.keyOfRef(stack, rec.alias.name) : undefined;
      if (target && this.owners.has(target)) found.push(this.owners.get(target)!);
    }
    return [...new Set(found)];
  }

  /** Adds the calls `from` makes to `host:port`, resolved like the workload's resolver would. */
  private callHost(from: Workload, host: string, port: number, protocol: Protocol, reason: string): void {
    const cm = this.cloudMap(host, from.vpc);
    if (cm.namespace) {
      if (cm.workloads.length === 0) this.unresolved.push({ from: from.id, target: `${host}:${port}`, reason });
      for (const to of cm.workloads) this.addCall({ from: from.id, to, port, protocol, via: 'vpc', reason });
      return;
    }
    const lbs = this.publicDns(host);
    for (const to of lbs) this.addCall({ from: from.id, to, port, protocol, via: 'internet', reason });
    if (lbs.length === 0) this.addCall({ from: from.id, to: INTERNET, port, protocol, via: 'internet', reason });
  }

  /** Adds the calls to the workloads whose resources `text` reads (an endpoint followed by `:port`, or their port). */
  private callRefs(from: Workload, stack: string, text: string, reason: string): void {
    for (const inner of interpolations(text)) {
      const after = text.slice(text.indexOf(`\${${inner}}`) + inner.length + 3);
      for (const ref of this.refsIn(stack, `\${${inner}}`)) {
        const to = this.owners.get(ref.key);
        if (!to || to === from.id) continue;
        const explicit = /^:(\d+)/.exec(after)?.[1];
        const port = Number(explicit ?? this.resource(ref.key)?.port);
        if (!Number.isInteger(port)) {
          this.unresolved.push({ from: from.id, target: ref.key, reason: `${reason} (no port)` });
          continue;
        }
        const via = this.workloads.get(to)!.vpc === from.vpc ? 'vpc' : 'internet';
        const target = `${ref.key.split('/')[1]}.${ref.attr}`;
        this.addCall({ from: from.id, to, port, protocol: 'tcp', via, reason: `${reason} -> ${target}:${port}` });
      }
    }
  }

  private addCall(call: Call): void {
    const key = `${call.from}>${call.to}:${call.port}/${call.protocol}|${call.via}|${call.reason}`;
    if (this.callKeys.has(key)) return;
    this.callKeys.add(key);
    this.calls.push(call);
  }

  // ---------------------------------------------------------------- configured calls

  /** Everything each workload is configured to call, read from the stacks. */
  readCalls(): void {
    for (const w of this.workloads.values()) {
      const taskDefinition = this.taskDefinitionOf(w);
      if (taskDefinition) this.readContainerCalls(w, taskDefinition.stack, taskDefinition.body);
    }
    this.readLoadBalancerCalls();
    this.readOperatorCalls();
  }

  private taskDefinitionOf(w: Workload): { stack: string; body: Json } | undefined {
    if (!w.resource) return undefined;
    const stack = w.resource.split('/')[0];
    const body = this.resource(w.resource)!;
    let key: string | undefined;
    if (w.kind === 'ecs-task') key = w.resource;
    else if (w.kind === 'ecs-service') key = this.keyOfRef(stack, body.task_definition);
    else if (w.kind === 'scheduled-task') key = this.keyOfRef(stack, body.target.ecs_parameters.task_definition_arn);
    return key ? { stack: key.split('/')[0], body: this.resource(key)! } : undefined;
  }

  private readContainerCalls(w: Workload, stack: string, td: Json): void {
    const containers: Json[] = JSON.parse(td.container_definitions);
    for (const c of containers) {
      for (const { name, value } of (c.environment ?? []) as Array<{ name: string; value: string }>) {
        const reason = value.includes('${') ? `${c.name} ${name}` : `${c.name} ${name}=${value}`;
        // Addresses a TTS component connects to; CLUSTER_ADDRESS is the address it advertises for itself.
        const connects =
          (/^TTN_LW_CLUSTER_/.test(name) && name !== 'TTN_LW_CLUSTER_ADDRESS') ||
          /_REDIS_ADDRESS$/.test(name) ||
          /_SMTP_ADDRESS$/.test(name);
        if (connects) {
          const hp = hostPort(value);
          if (hp) this.callHost(w, hp.host, hp.port, 'tcp', reason);
          else this.callRefs(w, stack, value, reason);
        }
        const config = jsonOf(value);
        if (config && Array.isArray(config.scrape_configs)) this.readScrapeConfig(w, config, `${c.name} ${name}`);
      }
      for (const s of (c.secrets ?? []) as Array<{ name: string; valueFrom: string }>)
        this.readSecretCalls(w, stack, s, c.name);
      const command: unknown[] = c.command ?? [];
      const at = command.indexOf('--config-yaml');
      if (at >= 0) this.readEnvoyBootstrap(w, jsonOf(String(command[at + 1])), c.name);
    }
    for (const v of [td.volume ?? []].flat() as Json[]) {
      const efs = v.efs_volume_configuration;
      const fs = efs && this.owners.get(this.keyOfRef(stack, efs.file_system_id) ?? '');
      if (fs)
        this.addCall({ from: w.id, to: fs, port: 2049, protocol: 'tcp', via: 'vpc', reason: `EFS volume ${v.name}` });
      else if (efs)
        this.unresolved.push({ from: w.id, target: String(efs.file_system_id), reason: `EFS volume ${v.name}` });
    }
  }

  /** A secret whose value Terraform writes (e.g. a database URI) names the endpoint of the workload it points at. */
  private readSecretCalls(w: Workload, stack: string, s: { name: string; valueFrom: string }, container: string): void {
    const secrets = this.refsIn(stack, s.valueFrom).filter((r) => r.key.includes('/aws_secretsmanager_secret.'));
    for (const secret of secrets) {
      for (const [, vStack, version] of this.resourcesOf('aws_secretsmanager_secret_version')) {
        // Values are written write-only (secret_string_wo); secret_string is what a user's own stack may still use.
        const value = version.secret_string_wo ?? version.secret_string;
        if (this.keyOfRef(vStack, version.secret_id) !== secret.key || typeof value !== 'string') continue;
        this.callRefs(w, vStack, value, `${container} secret ${s.name}`);
        this.callPrivateIps(w, value, `${container} secret ${s.name}`);
      }
    }
  }

  /**
   * Calls to a URI host that is a fixed private address (`scheme://[user@]<address>:<port>`): a literal IPv4 or
   * `${cidrhost("<cidr>", <n>)}`, evaluated like Terraform does, mapped to the instance of that VPC whose `private_ip`
   * evaluates to it and whose subnet contains it. An address the model cannot map is unresolved.
   */
  private callPrivateIps(from: Workload, text: string, reason: string): void {
    for (const m of text.matchAll(/(?:@|\/\/)(\$\{cidrhost\([^}]*\)\}|\d+\.\d+\.\d+\.\d+):(\d+)/g)) {
      const ip = addressOf(m[1]);
      const to = [...this.workloads.values()].find(
        (w) =>
          w.kind === 'ec2' &&
          w.vpc === from.vpc &&
          ip !== undefined &&
          addressOf(String(this.resource(w.resource!)?.private_ip)) === ip &&
          w.cidrs.some((c) => cidrContains(c, `${ip}/32`)),
      );
      if (!to) this.unresolved.push({ from: from.id, target: `${m[1]}:${m[2]}`, reason });
      else
        this.addCall({
          from: from.id,
          to: to.id,
          port: +m[2],
          protocol: 'tcp',
          via: 'vpc',
          reason: `${reason} -> ${ip}:${m[2]}`,
        });
    }
  }

  private readEnvoyBootstrap(w: Workload, bootstrap: Json | undefined, container: string): void {
    if (!bootstrap) throw new Error(`${w.id}: the --config-yaml argument is not JSON`);
    for (const cluster of bootstrap.static_resources?.clusters ?? []) {
      for (const group of cluster.load_assignment?.endpoints ?? []) {
        for (const lb of group.lb_endpoints ?? []) {
          const a = lb.endpoint?.address?.socket_address;
          if (!a) continue;
          const protocol: Protocol = String(a.protocol ?? 'TCP').toLowerCase() === 'udp' ? 'udp' : 'tcp';
          const reason = `${container} envoy cluster ${cluster.name} -> ${a.address}:${a.port_value}`;
          this.callHost(w, String(a.address).toLowerCase(), Number(a.port_value), protocol, reason);
        }
      }
    }
  }

  private readScrapeConfig(w: Workload, config: Json, where: string): void {
    for (const job of config.scrape_configs) {
      for (const sd of job.dns_sd_configs ?? [])
        for (const name of sd.names ?? [])
          this.callHost(w, String(name).toLowerCase(), Number(sd.port), 'tcp', `${where} scrape job ${job.job_name}`);
      for (const sc of job.static_configs ?? []) {
        for (const target of sc.targets ?? []) {
          const hp = hostPort(String(target));
          if (hp) this.callHost(w, hp.host, hp.port, 'tcp', `${where} scrape job ${job.job_name}`);
        }
      }
    }
  }

  /** Listeners (clients -> load balancer) and target groups (load balancer -> targets, traffic and health checks). */
  private readLoadBalancerCalls(): void {
    const listenersOf = new Map<string, Array<{ lb: string; port: number }>>();
    for (const [key, stack, l] of this.resourcesOf('aws_lb_listener')) {
      const lb = this.owners.get(this.keyOfRef(stack, l.load_balancer_arn) ?? '');
      if (!lb) throw new Error(`${key}: load_balancer_arn does not resolve to a load balancer`);
      const protocols: Protocol[] =
        l.protocol === 'UDP' ? ['udp'] : l.protocol === 'TCP_UDP' ? ['tcp', 'udp'] : ['tcp'];
      for (const protocol of protocols)
        this.addCall({
          from: INTERNET,
          to: lb,
          port: Number(l.port),
          protocol,
          via: 'internet',
          reason: `listener ${key}`,
        });
      const actions: Json[] = [l.default_action ?? []].flat();
      for (const a of actions) {
        const groups = [a.target_group_arn, ...(a.forward?.target_group ?? []).map((g: Json) => g.arn)];
        for (const g of groups.filter((x) => x !== undefined)) {
          const tg = this.keyOfRef(stack, g);
          if (tg) listenersOf.set(tg, [...(listenersOf.get(tg) ?? []), { lb, port: Number(l.port) }]);
        }
      }
    }
    for (const [svcKey, stack, svc] of this.resourcesOf('aws_ecs_service')) {
      const target = this.owners.get(svcKey)!;
      for (const entry of [svc.load_balancer ?? []].flat() as Json[]) {
        const tgKey = this.keyOfRef(stack, entry.target_group_arn);
        const tg = tgKey && this.resource(tgKey);
        if (!tgKey || !tg) throw new Error(`${svcKey}: target group ${entry.target_group_arn} does not resolve`);
        const protocol: Protocol = tg.protocol === 'UDP' ? 'udp' : 'tcp';
        const port = Number(entry.container_port);
        const hc = tg.health_check ?? {};
        const hcPort = hc.port === undefined || hc.port === 'traffic-port' ? port : Number(hc.port);
        const hcProtocol: Protocol =
          String(hc.protocol ?? (protocol === 'udp' ? 'TCP' : tg.protocol)) === 'UDP' ? 'udp' : 'tcp';
        const lbs = listenersOf.get(tgKey) ?? [];
        if (lbs.length === 0)
          this.unresolved.push({ from: target, target: tgKey, reason: 'target group without listener' });
        for (const lb of new Set(lbs.map((x) => x.lb))) {
          const name = tgKey.split('.').slice(1).join('.');
          this.addCall({ from: lb, to: target, port, protocol, via: 'vpc', reason: `target group ${name}` });
          if (hc.enabled !== false)
            this.addCall({
              from: lb,
              to: target,
              port: hcPort,
              protocol: hcProtocol,
              via: 'vpc',
              reason: `health check of ${name}`,
            });
        }
      }
    }
  }

  /**
   * URLs inside a VPC that a stack publishes for operators (e.g. `prometheus_url`): the operators' way in is the
   * cluster's bastion (Session Manager port forwarding), so the bastion calls them.
   */
  private readOperatorCalls(): void {
    for (const [stack, json] of Object.entries(this.stacks)) {
      const cluster = this.clusterOf.get(stack)?.cluster;
      const bastions = [...this.workloads.values()].filter(
        (w) => w.cluster === cluster && w.kind === 'ec2' && /bastion/.test(w.id),
      );
      for (const [name, output] of Object.entries<Json>(json.output ?? {})) {
        const m = typeof output.value === 'string' ? /^https?:\/\/([A-Za-z0-9.-]+):(\d+)/.exec(output.value) : null;
        if (!m) continue;
        for (const b of bastions)
          this.callHost(b, m[1].toLowerCase(), Number(m[2]), 'tcp', `output ${name} (through the bastion)`);
      }
    }
  }

  // ---------------------------------------------------------------- evaluation

  /**
   * Whether `from` may open a connection to `to` on `port`: some group of `from` allows the egress (to a group of
   * `to`, or to a CIDR containing `to`'s addresses) and some group of `to` allows the ingress (from a group of `from`,
   * or from a CIDR containing `from`'s addresses). Traffic `via: 'internet'` carries public addresses unknown at synth:
   * only `0.0.0.0/0` matches them, and group references do not apply; clients on the internet (`from: 'internet'`) are
   * whoever a CIDR rule admits. Security groups are stateful: replies need no rule.
   */
  canReach(from: string, to: string, port: number, protocol: Protocol, via?: 'vpc' | 'internet'): Verdict {
    const src = this.workloads.get(from);
    const dst = this.workloads.get(to);
    if (!src || !dst) return { allowed: false, why: `unknown workload ${src ? to : from}` };
    const path = via ?? (src.vpc !== undefined && src.vpc === dst.vpc ? 'vpc' : 'internet');
    const egress = this.egressRule(src, dst, port, protocol, path);
    if (src.kind !== 'internet' && !egress)
      return { allowed: false, why: `no egress rule of ${from} allows ${protocol}/${port} to ${to} (${path})` };
    const ingress = this.ingressRule(src, dst, port, protocol, path);
    if (dst.kind !== 'internet' && !ingress)
      return {
        allowed: false,
        egress,
        why: `no ingress rule of ${to} admits ${protocol}/${port} from ${from} (${path})`,
      };
    return { allowed: true, egress, ingress };
  }

  /** {@link canReach} for a configured call. */
  check(call: Call): Verdict {
    return this.canReach(call.from, call.to, call.port, call.protocol, call.via);
  }

  private egressRule(src: Workload, dst: Workload, port: number, protocol: Protocol, via: string): Rule | undefined {
    for (const sg of src.securityGroups) {
      for (const r of this.groups.get(sg)!.egress) {
        if (!portMatches(r, port, protocol)) continue;
        if ('sg' in r.peer && via === 'vpc' && dst.securityGroups.includes(r.peer.sg)) return r;
        if ('cidr' in r.peer) {
          const cidr = r.peer.cidr;
          if (
            via === 'internet' ? isAnyIpv4(cidr) : dst.cidrs.length > 0 && dst.cidrs.every((c) => cidrContains(cidr, c))
          )
            return r;
        }
      }
    }
    return undefined;
  }

  private ingressRule(src: Workload, dst: Workload, port: number, protocol: Protocol, via: string): Rule | undefined {
    return dst.securityGroups
      .flatMap((sg) => this.groups.get(sg)!.ingress)
      .find((r) => this.ingressAdmits(r, src, port, protocol, via));
  }

  private ingressAdmits(r: Rule, src: Workload, port: number, protocol: Protocol, via: string): boolean {
    if (!portMatches(r, port, protocol)) return false;
    if ('sg' in r.peer) return via === 'vpc' && src.securityGroups.includes(r.peer.sg);
    if (!('cidr' in r.peer)) return false;
    const cidr = r.peer.cidr;
    if (src.kind === 'internet') return parseIpv4(cidr) !== undefined;
    if (via === 'internet') return isAnyIpv4(cidr);
    return src.cidrs.length > 0 && src.cidrs.every((c) => cidrContains(cidr, c));
  }

  /** The configured calls an ingress rule admits (empty: the rule opens something nothing is configured to use). */
  callsAdmittedBy(rule: Rule): Call[] {
    return this.calls.filter((c) => {
      const src = this.workloads.get(c.from)!;
      const dst = this.workloads.get(c.to)!;
      return dst.securityGroups.includes(rule.sg) && this.ingressAdmits(rule, src, c.port, c.protocol, c.via);
    });
  }

  /** A one-line description of a rule for reports. */
  describe(rule: Rule): string {
    const ports =
      rule.protocol === 'all'
        ? 'all'
        : `${rule.protocol}/${rule.fromPort === rule.toPort ? rule.fromPort : `${rule.fromPort}-${rule.toPort}`}`;
    const peer =
      'sg' in rule.peer
        ? `sg ${this.groups.get(rule.peer.sg)?.name ?? rule.peer.sg}`
        : 'cidr' in rule.peer
          ? rule.peer.cidr
          : `prefix list ${rule.peer.prefixList}`;
    const users = [...this.workloads.values()].filter((w) => w.securityGroups.includes(rule.sg)).map((w) => w.id);
    return `${rule.id} (group ${this.groups.get(rule.sg)?.name}, on ${users.join(', ') || 'no workload'}): ${rule.direction} ${ports} ${rule.direction === 'ingress' ? 'from' : 'to'} ${peer}`;
  }
}

function portMatches(r: Rule, port: number, protocol: Protocol): boolean {
  if (r.protocol === 'all') return true;
  return r.protocol === protocol && r.fromPort <= port && port <= r.toPort;
}

/** A literal IPv4 address or the value of `${cidrhost("<IPv4 cidr>", <n>)}` (negative n counts from the end). */
function addressOf(text: string): string | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(text)) return text;
  const m = /^\$\{cidrhost\("([^"]+)",\s*(-?\d+)\)\}$/.exec(text);
  const block = m ? parseIpv4(m[1]) : undefined;
  if (!m || !block) return undefined;
  const size = 2 ** (32 - block.bits);
  const n = +m[2] < 0 ? size + +m[2] : +m[2];
  if (n < 0 || n >= size) return undefined;
  const addr = ((block.addr & (block.bits === 0 ? 0 : (~0 << (32 - block.bits)) >>> 0)) >>> 0) + n;
  return [24, 16, 8, 0].map((shift) => (addr >>> shift) & 255).join('.');
}

function jsonOf(text: string): Json | undefined {
  if (!/^\s*[{[]/.test(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Builds the model of a set of synthesized stacks (the output of `fullSynth`). */
export function buildSecurityGraph(stacks: Record<string, Json>): SecurityGraph {
  const g = new SecurityGraph(stacks);
  g.readNetworks();
  g.readGroups();
  g.readWorkloads();
  g.readCalls();
  return g;
}

/** `from -> to proto/port (via)`: a call in one line. */
export function formatCall(c: Call): string {
  return `${c.from} -> ${c.to} ${c.protocol}/${c.port}${c.via === 'internet' ? ' via internet' : ''}  [${c.reason}]`;
}
