import { ClusterConfig, DeploymentConfig } from './schema';

/** The layers of one cluster, in apply order (docs/architecture.md, "Layers and stacks"). */
export const LAYERS = ['network', 'secrets', 'data', 'compute', 'observability'] as const;
export type Layer = (typeof LAYERS)[number];

type Naming = Pick<DeploymentConfig, 'prefix' | 'environment'>;

/** `<prefix>-<environment>-<cluster>`: the start of every AWS resource name of a cluster. */
export function clusterResourcePrefix(config: Naming, cluster: Pick<ClusterConfig, 'id'>): string {
  return `${config.prefix}-${config.environment}-${cluster.id}`;
}

/** `<prefix>-<environment>-<cluster>-<layer>`, e.g. `acme-prod-eu1-network`. */
export function stackName(config: Naming, cluster: Pick<ClusterConfig, 'id'>, layer: Layer): string {
  return `${clusterResourcePrefix(config, cluster)}-${layer}`;
}

/** `<environment>/<cluster>/<layer>.tfstate`. */
export function stateKey(
  config: Pick<DeploymentConfig, 'environment'>,
  cluster: Pick<ClusterConfig, 'id'>,
  layer: Layer,
): string {
  return `${config.environment}/${cluster.id}/${layer}.tfstate`;
}

/** The primary cluster of a config (the config loader guarantees exactly one). */
export function primaryCluster(config: DeploymentConfig): ClusterConfig {
  const primary = config.clusters.find((c) => c.role === 'primary');
  if (!primary) throw new Error('The deployment config has no primary cluster (the config loader rejects this).');
  return primary;
}
