import { Construct } from 'constructs';
import { ClusterConfig, DeploymentConfig } from '@tts-ecs/config';
import { LayerStack } from '@tts-ecs/stacks';
import { NetworkLayer } from './network-layer';
import { SecretsLayer } from './secrets-layer';
import { DataLayer } from './data-layer';
import { ComputeLayer } from './compute-layer';
import { computeInputsOf } from './compute/wiring';
import { ObservabilityLayer } from './observability-layer';
import { observabilityInputsOf } from './observability/wiring';
import { emitNetworkContract } from './primary-link';

/** The stacks of one cluster, by layer. Layers not built yet are absent. */
export interface ClusterStacks {
  readonly cluster: ClusterConfig;
  readonly network: LayerStack;
  readonly networkLayer: NetworkLayer;
  readonly secrets: LayerStack;
  readonly secretsLayer: SecretsLayer;
  readonly data: LayerStack;
  readonly dataLayer: DataLayer;
  readonly compute: LayerStack;
  readonly computeLayer: ComputeLayer;
  readonly observability: LayerStack;
  readonly observabilityLayer: ObservabilityLayer;
}

/** Builds every layer stack of one cluster in apply order, wiring each layer to the ones before it. */
export function composeCluster(scope: Construct, config: DeploymentConfig, cluster: ClusterConfig): ClusterStacks {
  const network = new LayerStack(scope, { config, cluster, layer: 'network' });
  const networkLayer = new NetworkLayer(network, 'Network');
  emitNetworkContract(network, networkLayer); // primary only: secondaries read it through remote state
  const secrets = new LayerStack(scope, { config, cluster, layer: 'secrets' });
  const secretsLayer = new SecretsLayer(secrets, 'Secrets');
  const data = new LayerStack(scope, { config, cluster, layer: 'data' });
  const dataLayer = new DataLayer(data, 'Data', { network: networkLayer, secrets: secretsLayer });
  const compute = new LayerStack(scope, { config, cluster, layer: 'compute' });
  const computeLayer = new ComputeLayer(
    compute,
    'Compute',
    computeInputsOf(compute, networkLayer, secretsLayer, dataLayer),
  );
  const observability = new LayerStack(scope, { config, cluster, layer: 'observability' });
  const observabilityLayer = new ObservabilityLayer(
    observability,
    'Observability',
    observabilityInputsOf(networkLayer, secretsLayer, dataLayer, computeLayer),
  );
  return {
    cluster,
    network,
    networkLayer,
    secrets,
    secretsLayer,
    data,
    dataLayer,
    compute,
    computeLayer,
    observability,
    observabilityLayer,
  };
}

/** The primary cluster's stacks (apps/primary). */
export function composePrimary(scope: Construct, config: DeploymentConfig): ClusterStacks {
  const primary = config.clusters.find((c) => c.role === 'primary');
  if (!primary) throw new Error('The deployment config has no primary cluster.'); // the config loader rejects this first
  return composeCluster(scope, config, primary);
}

/** One set of stacks per secondary cluster (apps/secondary); none when the config has no secondaries. */
export function composeSecondaries(scope: Construct, config: DeploymentConfig): ClusterStacks[] {
  return config.clusters.filter((c) => c.role === 'secondary').map((cluster) => composeCluster(scope, config, cluster));
}
