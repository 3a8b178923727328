import { Construct } from 'constructs';
import { Annotations, TerraformOutput } from 'cdktf';
import { ServiceDiscoveryPrivateDnsNamespace } from '@cdktf/provider-aws/lib/service-discovery-private-dns-namespace';
import { Certbot, ContainerProps, ContainerService, EcsAccountSettings, EcsCluster } from '@tts-ecs/compute';
import { EncryptionKey, Peer, Port } from '@tts-ecs/core';
import { clusterDomain } from '@tts-ecs/config';
import { LayerStack } from '@tts-ecs/stacks';
import { ComponentId, HEALTH_CHECK, INTERNAL_PORTS, binaryOf, maxTasksOf, routesFor } from '@tts-ecs/tts-catalog';
import { identityServerProxyContainer, routerContainer } from './compute/envoy-services';
import {
  PublicListeners,
  ServiceTargets,
  containerNameOf,
  enabledPublicPorts,
  publicListenersOf,
} from './compute/listeners';
import { OpsTask } from './compute/ops';
import { PlannedComponent, ownsAccountSettings, planComponents, servedComponents, ttsImageOf } from './compute/plan';
import { requireContractMatches } from './compute/primary-check';
import { PRIMARY_IDENTITY_SERVER_PORTS } from './primary-link';
import { TtsEnvContext, clusterPeerHosts, ttsContainerConfig } from './compute/tts-env';
import type { ComputeLayerInputs } from './compute/inputs';

export * from './compute/inputs';

/** Cloud Map namespace of every cluster: components resolve each other as `<id>.tts.internal`. */
export const SERVICE_NAMESPACE = 'tts.internal';
/** Cloud Map name of a secondary's Identity Server proxy. */
export const IS_PROXY_NAME = 'is-proxy';

/**
 * Compute layer of one cluster (official templates 3-1, 3-2, 5-1 to 5-8): ECS cluster, account settings (one owner
 * per account and region), Cloud Map namespace, one service per included component, the Identity Server (primary) or
 * its proxy (secondaries), the HTTP/gRPC router, NLB listeners and target groups, the ops task and optional certbot.
 */
export class ComputeLayer extends Construct {
  readonly cluster: EcsCluster;
  readonly components: readonly PlannedComponent[];
  readonly services: Readonly<Record<string, ContainerService>>;
  readonly listeners: PublicListeners;
  readonly ops: OpsTask;
  readonly certbot?: Certbot;
  readonly namespaceId: string;

  constructor(stack: LayerStack, id: string, inputs: ComputeLayerInputs) {
    super(stack, id);
    const { config, cluster, environment, resourcePrefix } = stack;
    const primary = config.clusters.find((c) => c.role === 'primary') ?? cluster;
    const domain = clusterDomain(config, cluster);
    const edition = config.tts.edition;
    this.components = planComponents(config, cluster);
    const ids = this.components.map((c) => c.spec.id);
    const isPrimary = cluster.role === 'primary';

    const key = new EncryptionKey(this, 'Key', {
      environment,
      description: `ECS logs and exec sessions of ${resourcePrefix}`,
      alias: `${resourcePrefix}-compute`,
      allowCloudWatchLogs: true,
    });
    this.cluster = new EcsCluster(this, 'Cluster', { environment, clusterName: resourcePrefix, kmsKeyArn: key.arn });
    if (ownsAccountSettings(config, cluster)) new EcsAccountSettings(this, 'AccountSettings');

    const namespace = new ServiceDiscoveryPrivateDnsNamespace(this, 'Namespace', {
      name: SERVICE_NAMESPACE,
      vpc: inputs.network.vpcId,
      description: `Peer discovery of ${resourcePrefix}`,
    });
    this.namespaceId = namespace.id;
    const hostOf = (c: ComponentId): string =>
      c === 'is' && !isPrimary ? `${IS_PROXY_NAME}.${SERVICE_NAMESPACE}` : `${c}.${SERVICE_NAMESPACE}`;

    this.listeners = new PublicListeners(this, 'Listeners', {
      config,
      inputs,
      listeners: publicListenersOf(config, this.components),
    });

    if (ids.includes('is') && !inputs.secrets.email) {
      Annotations.of(this).addWarning(
        'E-mail is off: the Identity Server sends no e-mail (account confirmation, password reset, notifications). ' +
          'Add an "email" section to the deployment config and fill the primary\'s email-credentials secret.',
      );
    }
    const ctx: TtsEnvContext = {
      config,
      cluster,
      domain,
      primaryDomain: clusterDomain(config, primary),
      inputs,
      served: servedComponents(this.components),
      defaultTenantId: config.tts.defaultTenantId,
      hostOf,
    };
    const image = ttsImageOf(config);
    // In secondaries the cluster keys are a replica encrypted with the replica of the primary's key, not this
    // cluster's secrets key: without it in the list, tasks fail to start (ECS cannot decrypt the secret).
    const secretsKmsKeyArns = [...new Set([...inputs.secrets.kmsKeyArns, inputs.secrets.clusterKeysKmsKeyArn])];
    const common = {
      environment,
      cluster: this.cluster,
      vpcId: inputs.network.vpcId,
      subnetIds: inputs.network.privateSubnetIds,
      securityGroupIds: [inputs.network.tasksSecurityGroupId],
      logKmsKeyArn: key.arn,
      secretsKmsKeyArns,
    };
    const services: Record<string, ContainerService> = {};
    const addService = (
      name: string,
      container: ContainerProps,
      size: { cpu: number; memory: number; desiredCount?: number; singleton?: boolean },
      targets: ServiceTargets,
      peerPorts: number[],
    ) => {
      const service = new ContainerService(this, `Service-${name}`, {
        ...common,
        family: `${resourcePrefix}-${name}`,
        containers: [container],
        cpu: size.cpu,
        memory: size.memory,
        desiredCount: size.desiredCount,
        singleton: size.singleton,
        serviceDiscovery: { namespaceId: namespace.id, name },
        loadBalancers: targets.loadBalancers.length > 0 ? targets.loadBalancers : undefined,
      });
      const tasks = Peer.securityGroupId(inputs.network.tasksSecurityGroupId);
      for (const port of peerPorts) service.connections.allowFrom(tasks, Port.tcp(port));
      for (const p of targets.ports) service.connections.allowFrom(inputs.loadBalancer, Port.of(p.protocol, p.port));
      services[name] = service;
      return service;
    };

    // Who calls whom inside the VPC, from the configuration itself: the `cluster.*` peer addresses the components and
    // the ops task are given, and what the router routes. Only those ports are opened from the tasks security group.
    const configs = new Map(this.components.map((p) => [p.spec.id, ttsContainerConfig(p.spec.id, ctx)]));
    const opsConfig = ttsContainerConfig('ops', ctx);
    // The router's `is` upstream is the IS proxy in secondaries (hostOf resolves it).
    const routed: ComponentId[] = isPrimary ? ids : ['is', ...ids];
    const routes = routesFor(routed, edition, { identityServer: isPrimary ? 'local' : 'proxy' });
    const peerHosts = new Set([...configs.values(), opsConfig].flatMap((t) => [...clusterPeerHosts(t)]));
    const peerPortsOf = (c: ComponentId): number[] => {
      const calledAsPeer = peerHosts.has(hostOf(c));
      const grpc = calledAsPeer || routes.some((r) => r.kind === 'grpc' && r.target === c);
      const http = routes.some((r) => r.kind === 'http' && r.target === c);
      return [...(grpc ? [INTERNAL_PORTS.grpc] : []), ...(http ? [INTERNAL_PORTS.http] : [])];
    };

    for (const planned of this.components) {
      const { spec } = planned;
      const tts = configs.get(spec.id)!;
      const targets = this.listeners.targetsOf(spec.id);
      const ports = new Map<string, { containerPort: number; protocol: 'tcp' | 'udp' }>();
      if (spec.grpc) ports.set(`tcp/${INTERNAL_PORTS.grpc}`, { containerPort: INTERNAL_PORTS.grpc, protocol: 'tcp' });
      if (spec.http) ports.set(`tcp/${INTERNAL_PORTS.http}`, { containerPort: INTERNAL_PORTS.http, protocol: 'tcp' });
      for (const p of enabledPublicPorts(config, spec))
        ports.set(`${p.protocol}/${p.containerPort}`, { containerPort: p.containerPort, protocol: p.protocol });
      const service = addService(
        spec.id,
        {
          name: containerNameOf(spec.id),
          image,
          entryPoint: [binaryOf(edition)],
          command: ['start', ...spec.start, ...tts.flags],
          portMappings: [...ports.values()],
          environment: tts.environment,
          secrets: tts.secrets,
          allowedSecretLookingEnvironment: tts.catalogPlain,
          // The image runs as its own unprivileged user; only /tmp needs to be writable.
          runAsImageUser: true,
          writablePaths: ['/tmp'],
          // The image's own check (runtime contract); a task that stops answering /healthz is replaced.
          healthCheck: { command: [...HEALTH_CHECK.command], startPeriodSeconds: 60 },
        },
        {
          cpu: planned.cpu,
          memory: planned.memoryMiB,
          desiredCount: planned.desiredCount,
          singleton: maxTasksOf(spec.id, edition) === 1,
        },
        targets,
        peerPortsOf(spec.id),
      );
      if (tts.taskStatements.length > 0) service.grantTaskRole(tts.taskStatements);
    }

    if (!isPrimary) {
      if (!inputs.primary) {
        throw new Error(
          `${this.node.path}: a secondary needs inputs.primary (the primary contract's Identity Server endpoint, from primaryLink(stack)).`,
        );
      }
      // Secondaries reach the primary's Identity Server through this proxy (template 5-3b).
      const proxy = addService(
        IS_PROXY_NAME,
        identityServerProxyContainer(ctx.primaryDomain, edition),
        { cpu: 256, memory: 512 },
        { loadBalancers: [], ports: [] },
        peerPortsOf('is'),
      );
      requireContractMatches(proxy.taskDefinition.resource, inputs.primary, {
        host: ctx.primaryDomain,
        httpsPort: PRIMARY_IDENTITY_SERVER_PORTS.https,
        grpcPort: PRIMARY_IDENTITY_SERVER_PORTS.grpc,
      });
    }
    addService(
      'router',
      routerContainer(routed, edition, hostOf, isPrimary ? 'local' : 'proxy'),
      { cpu: 512, memory: 1024 },
      this.listeners.targetsOf('router'),
      [],
    );
    this.services = services;

    this.ops = new OpsTask(this, 'Ops', {
      config,
      cluster,
      environment,
      resourcePrefix,
      domain,
      image,
      ecsCluster: this.cluster,
      inputs,
      logKmsKeyArn: key.arn,
      secretsKmsKeyArns,
      tts: opsConfig,
    });

    if (config.features.certbot) {
      this.certbot = new Certbot(this, 'Certbot', {
        environment,
        resourcePrefix,
        domain,
        includeWildcard: config.multiTenant,
        hostedZoneId: cluster.hostedZoneId ?? config.hostedZoneId,
        ecsCluster: this.cluster,
        vpcId: inputs.network.vpcId,
        subnetIds: inputs.network.privateSubnetIds,
        logKmsKeyArn: key.arn,
        tlsListenerArns: this.listeners.tlsListenerArns,
      });
    }

    new TerraformOutput(this, 'cluster_name', { value: this.cluster.clusterName }).overrideLogicalId(
      'ecs_cluster_name',
    );
    new TerraformOutput(this, 'services', {
      value: Object.fromEntries(Object.entries(services).map(([n, s]) => [n, s.serviceName])),
    }).overrideLogicalId('ecs_services');
  }
}
