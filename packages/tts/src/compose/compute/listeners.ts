import { Construct } from 'constructs';
import { LoadBalancerTarget } from '@tts-ecs/compute';
import { NLB_TLS_POLICY, NlbListener, NlbTargetGroup } from '@tts-ecs/network';
import { DeploymentConfig } from '@tts-ecs/config';
import { ComponentId, ComponentSpec, HEALTH_CHECK, INTERNAL_PORTS, PublicPort } from '@tts-ecs/tts-catalog';
import type { ComputeLayerInputs } from './inputs';
import { PlannedComponent } from './plan';

/**
 * The router's listen ports (renderRouterConfig defaults): HTTP/h2c from NLB 80, HTTPS-terminated traffic from NLB
 * 443 on a port of its own (so the router knows it arrived over TLS and tells TTS `X-Forwarded-Proto: https`), gRPC
 * from 1884/8884.
 */
export const ROUTER_PORTS = { http: 8080, https: 8443, grpc: INTERNAL_PORTS.grpc } as const;

/** TLS 1.3 and 1.2 only, forward secrecy (official template 3-2 offers a TLS 1.2+ policy). */
export const TLS_POLICY = NLB_TLS_POLICY;

export type IngressGroup = 'gateway' | 'application' | 'api' | 'interop';
export type ListenerTarget = ComponentId | 'router';

/** One public NLB listener and where it sends traffic. */
export interface PublicListenerSpec {
  /** Unique name, usable in construct ids, e.g. `gs-basic-station-tls`. */
  readonly name: string;
  readonly port: number;
  readonly protocol: 'tcp' | 'udp';
  /** The NLB terminates TLS with the cluster certificate. */
  readonly tls: boolean;
  readonly target: ListenerTarget;
  readonly containerPort: number;
  readonly preserveClientIp: boolean;
  /** ALPN on TLS listeners that carry HTTP/2 (gRPC, h2 to the router). */
  readonly alpn?: 'HTTP2Preferred';
  /** Seconds in-flight connections may drain when a task stops. */
  readonly deregistrationDelaySeconds: number;
  /** Which `ingress.*Cidrs` list may connect. */
  readonly ingress: IngressGroup;
}

const GROUP_OF: Partial<Record<ComponentId, IngressGroup>> = { gs: 'gateway', as: 'application', is: 'interop' };

/** The catalog ports a component serves in this deployment: those of the configured edition. */
export function enabledPublicPorts(config: DeploymentConfig, spec: ComponentSpec): PublicPort[] {
  return spec.publicPorts.filter((p) => (p.editions ?? spec.editions).includes(config.tts.edition));
}

/**
 * Every public listener of a cluster (official template 3-2 and the reference's port list): the router on 80/443
 * and 1884/8884, each included component's own ports. Non-TLS listeners only with `ingress.plainListeners`
 * (Semtech UDP has no TLS variant and is always open); interop 8886 only with `ingress.interop` where the IS runs.
 */
export function publicListenersOf(
  config: DeploymentConfig,
  planned: readonly PlannedComponent[],
): PublicListenerSpec[] {
  const plain = config.ingress.plainListeners;
  const router = (name: string, port: number, tls: boolean, containerPort: number): PublicListenerSpec => ({
    name,
    port,
    protocol: 'tcp',
    tls,
    target: 'router',
    containerPort,
    preserveClientIp: true,
    alpn: tls ? 'HTTP2Preferred' : undefined,
    deregistrationDelaySeconds: 30,
    ingress: 'api',
  });
  const specs: PublicListenerSpec[] = [
    router('router-http', 80, false, ROUTER_PORTS.http),
    router('router-https', 443, true, ROUTER_PORTS.https),
    router('router-grpc', 1884, false, ROUTER_PORTS.grpc),
    router('router-grpc-tls', 8884, true, ROUTER_PORTS.grpc),
  ];
  for (const { spec } of planned) {
    for (const p of enabledPublicPorts(config, spec)) {
      specs.push({
        name: `${spec.id}-${p.name}`,
        port: p.port,
        protocol: p.protocol,
        tls: p.tls,
        target: spec.id,
        containerPort: p.containerPort,
        preserveClientIp: p.preserveClientIp,
        // Basic Station gateways reconnect at once; holding their old connection only delays that (reference).
        deregistrationDelaySeconds: p.name.startsWith('basic-station') ? 0 : 30,
        ingress: GROUP_OF[spec.id] ?? 'api',
      });
    }
  }
  return specs.filter((s) => {
    if (s.ingress === 'interop') return config.ingress.interop;
    return s.tls || s.protocol === 'udp' || plain;
  });
}

/** CIDRs allowed for an ingress group. */
export function cidrsOf(config: DeploymentConfig, group: IngressGroup): string[] {
  const i = config.ingress;
  return { gateway: i.gatewayCidrs, application: i.applicationCidrs, api: i.apiCidrs, interop: i.interopCidrs }[group];
}

export interface PublicListenersProps {
  readonly config: DeploymentConfig;
  readonly inputs: ComputeLayerInputs;
  readonly listeners: readonly PublicListenerSpec[];
}

/** What a service registers and admits for its public ports. */
export interface ServiceTargets {
  readonly loadBalancers: LoadBalancerTarget[];
  /** Ports (and protocol) the NLB reaches the service on: traffic and health checks. */
  readonly ports: Array<{ port: number; protocol: 'tcp' | 'udp' }>;
}

interface TargetsEntry {
  readonly lbs: LoadBalancerTarget[];
  readonly ports: Map<string, { port: number; protocol: 'tcp' | 'udp' }>;
}

/**
 * NLB listeners, target groups (type `ip`) and the NLB security group's ingress rules for a cluster. Plain and TLS
 * listeners of one container port share a target group (ECS allows at most 5 target groups per service).
 */
export class PublicListeners extends Construct {
  private readonly targets = new Map<ListenerTarget, TargetsEntry>();
  /** ARNs of the TLS listeners (features.certbot puts its certificate on them). */
  readonly tlsListenerArns: string[] = [];

  constructor(scope: Construct, id: string, props: PublicListenersProps) {
    super(scope, id);
    const { inputs, config } = props;
    const groups = new Map<string, NlbTargetGroup>();
    for (const l of props.listeners) {
      const key = `${l.target}-${l.protocol}-${l.containerPort}`;
      let group = groups.get(key);
      if (!group) {
        group = this.targetGroup(key, l, inputs.network.vpcId);
        groups.set(key, group);
        this.register(
          l.target,
          { targetGroupArn: group.arn, containerName: containerNameOf(l.target), containerPort: l.containerPort },
          l,
        );
      }
      const listener = new NlbListener(this, `Listener-${l.name}`, {
        loadBalancerArn: inputs.loadBalancer.arn,
        port: l.port,
        protocol: l.protocol === 'udp' ? 'UDP' : l.tls ? 'TLS' : 'TCP',
        certificateArn: l.tls ? inputs.certificateArn : undefined,
        sslPolicy: l.tls ? TLS_POLICY : undefined,
        alpnPolicy: l.tls ? l.alpn : undefined,
        targetGroupArn: group.arn,
        tags: { Name: `${l.name}-${l.port}` },
        // With certbot, its task puts the Let's Encrypt certificate on the listener: keep it.
        certificateManagedElsewhere: l.tls && config.features.certbot,
      });
      if (l.tls) this.tlsListenerArns.push(listener.arn);
      inputs.loadBalancer.allowIngress({
        port: l.port,
        protocol: l.protocol,
        cidrs: cidrsOf(config, l.ingress),
        description: `${l.name} (${l.tls ? 'TLS' : l.protocol.toUpperCase()} ${l.port})`,
      });
    }
  }

  /** Target groups and NLB-facing ports of one service (empty when it has no public port). */
  targetsOf(target: ListenerTarget): ServiceTargets {
    const t = this.targets.get(target);
    return { loadBalancers: t?.lbs ?? [], ports: t ? [...t.ports.values()] : [] };
  }

  private register(target: ListenerTarget, lb: LoadBalancerTarget, l: PublicListenerSpec): void {
    const t: TargetsEntry = this.targets.get(target) ?? { lbs: [], ports: new Map() };
    t.lbs.push(lb);
    t.ports.set(`${l.protocol}/${l.containerPort}`, { port: l.containerPort, protocol: l.protocol });
    // TTS components are health-checked over HTTP on their own HTTP port (/healthz).
    if (target !== 'router') t.ports.set(`tcp/${HEALTH_CHECK.port}`, { port: HEALTH_CHECK.port, protocol: 'tcp' });
    this.targets.set(target, t);
  }

  private targetGroup(key: string, l: PublicListenerSpec, vpcId: string): NlbTargetGroup {
    // A TTS component answers /healthz on its HTTP port (runtime contract): a real check of the process, where a TCP
    // check would only prove that a port is open. The router (Envoy, admin on loopback only) keeps a TCP check.
    const httpCheck = l.target !== 'router';
    return new NlbTargetGroup(this, `Target-${key}`, {
      protocol: l.protocol === 'udp' ? 'UDP' : 'TCP',
      port: l.containerPort,
      vpcId,
      preserveClientIp: l.preserveClientIp,
      deregistrationDelaySeconds: l.deregistrationDelaySeconds,
      httpHealthCheck: httpCheck ? { port: HEALTH_CHECK.port, path: HEALTH_CHECK.path, matcher: '200' } : undefined,
      healthCheckIntervalSeconds: 10,
      tags: { Name: key },
    });
  }
}

/** Container name of a service's main container. */
export function containerNameOf(target: ListenerTarget): string {
  return target === 'router' ? 'envoy' : target;
}
