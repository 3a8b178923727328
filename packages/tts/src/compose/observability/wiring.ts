import { Token } from 'cdktf';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { RedisReplicationGroup } from '@tts-ecs/data';
import { INTERNAL_PORTS } from '@tts-ecs/tts-catalog';
import { ComputeLayer, SERVICE_NAMESPACE } from '../compute-layer';
import type { DataLayer } from '../data-layer';
import type { NetworkLayer } from '../network-layer';
import type { ObservabilityLayerInputs } from '../observability-layer';
import type { SecretsLayer } from '../secrets-layer';
import { ObservedCache, ObservedLoadBalancer, ObservedService } from './inputs';

/**
 * The observability layer's inputs from the real layers of the same cluster. Identifiers the other layers set
 * literally (service names, Aurora instance and Redis group ids) are read as literals, so alarm names and Terraform
 * addresses stay readable; everything AWS assigns (ids, ARNs, arn_suffix) is a cross-stack reference.
 */
export function observabilityInputsOf(
  network: NetworkLayer,
  secrets: SecretsLayer,
  data: DataLayer,
  compute: ComputeLayer,
): ObservabilityLayerInputs {
  const scraped = new Set<string>(compute.components.map((c) => c.spec.id));
  const services: ObservedService[] = Object.entries(compute.services).map(([name, service]) => ({
    component: name,
    serviceName: service.serviceName,
    desiredCount: desiredCountOf(service.resource.desiredCountInput, service.node.path),
    // TTS components serve /metrics on their internal HTTP port; Envoy (router, IS proxy) has no such endpoint.
    metrics: scraped.has(name)
      ? { dnsName: `${name}.${SERVICE_NAMESPACE}`, port: INTERNAL_PORTS.http, securityGroupId: service.securityGroupId }
      : undefined,
  }));

  const caches: ObservedCache[] = [];
  for (const [purpose, redis] of Object.entries(data.redis)) {
    if (redis) caches.push(cacheOf(purpose, redis.group));
  }

  const metricsPassword = secrets.metricsPassword;
  if (metricsPassword.jsonKeys !== undefined) {
    throw new Error(`${secrets.node.path}: the metrics password must be a plain string secret for Prometheus.`);
  }
  const fs = data.fileSystem;
  return {
    clusterName: compute.cluster.clusterName,
    clusterArn: compute.cluster.clusterArn,
    vpcId: network.network.vpcId,
    privateSubnetIds: network.network.privateSubnetIds,
    services,
    database: data.database && {
      clusterIdentifier: data.database.aurora.clusterIdentifier,
      instanceIdentifiers: data.database.aurora.instances.map((i) => literal(i.identifierInput, i.node.path)),
    },
    caches,
    loadBalancer: loadBalancerOf(network, compute),
    prometheus: fs && {
      fileSystemId: fs.fileSystemId,
      accessPointId: fs.accessPointId,
      fileSystemSecurityGroupId: fs.securityGroupId,
      metricsPasswordSecretArn: metricsPassword.arn,
      secretsKmsKeyArn: metricsPassword.kmsKeyArn,
      cloudMapNamespace: { id: compute.namespaceId, name: SERVICE_NAMESPACE },
    },
    bastionSecurityGroupId: network.bastion?.securityGroupId,
  };
}

/** ElastiCache names the members of a cluster-mode-disabled group `<group>-001`, `<group>-002`, ... */
function cacheOf(purpose: string, group: RedisReplicationGroup): ObservedCache {
  const id = literal(group.resource.replicationGroupIdInput, group.node.path);
  const count = group.resource.numCacheClustersInput;
  if (typeof count !== 'number' || Token.isUnresolved(count)) {
    throw new Error(`${group.node.path}: the member count must be a literal number to name the member alarms.`);
  }
  const memberClusterIds = Array.from({ length: count }, (_, i) => `${id}-${String(i + 1).padStart(3, '0')}`);
  return { purpose, replicationGroupId: id, memberClusterIds };
}

/** Every target group of the compute layer's listeners, named by its construct id (`<target>-<protocol>-<port>`). */
function loadBalancerOf(network: NetworkLayer, compute: ComputeLayer): ObservedLoadBalancer {
  const targetGroups = compute.listeners.node.children
    .filter((c): c is LbTargetGroup => c instanceof LbTargetGroup)
    .map((g) => ({ name: g.node.id.replace(/^Target-/, ''), arnSuffix: g.arnSuffix }));
  return { arnSuffix: network.loadBalancer.arnSuffix, targetGroups };
}

function desiredCountOf(value: number | undefined, path: string): number {
  if (typeof value !== 'number' || Token.isUnresolved(value)) {
    throw new Error(`${path}: the desired count must be a literal number to set the running-tasks alarm.`);
  }
  return value;
}

function literal(value: string | undefined, path: string): string {
  if (typeof value !== 'string' || Token.isUnresolved(value)) {
    throw new Error(`${path}: the identifier must be a literal string to name its alarms.`);
  }
  return value;
}
