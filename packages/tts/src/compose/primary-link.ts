import { DeploymentConfig } from '@tts-ecs/config';
import {
  ContractValuesOf,
  LayerStack,
  PrimaryContract,
  emitContractOutputs,
  readPrimaryContract,
} from '@tts-ecs/stacks';
import { NetworkLayerOutputs } from './network-layer';

/**
 * Public TLS ports of the primary's router on its NLB (reference "Ports": 443 HTTPS, 8884 gRPC). The compute layer's
 * NLB listeners serve the Identity Server there; the IS proxy of every secondary connects to them.
 */
export const PRIMARY_IDENTITY_SERVER_PORTS = { https: 443, grpc: 8884 } as const;

/** The contract values of the primary's network layer: its domain and the public Identity Server endpoint. */
export function networkContractValues(network: Pick<NetworkLayerOutputs, 'domain'>): ContractValuesOf<'network'> {
  return {
    domain: network.domain,
    identityServerHost: network.domain,
    identityServerHttpsPort: PRIMARY_IDENTITY_SERVER_PORTS.https,
    identityServerGrpcPort: PRIMARY_IDENTITY_SERVER_PORTS.grpc,
    // The Identity Server serves OAuth under /oauth of the cluster domain (is.oauth.ui.canonical-url's base).
    oauthIssuerUrl: `https://${network.domain}/oauth`,
  };
}

/** Emits the network layer's contract outputs in the primary's network stack (no-op for a secondary). */
export function emitNetworkContract(stack: LayerStack, network: Pick<NetworkLayerOutputs, 'domain'>): void {
  if (stack.cluster.role !== 'primary') return;
  emitContractOutputs(stack, 'network', networkContractValues(network));
}

/**
 * How a secondary's stack reaches the primary: typed contract values read through S3 remote state (only the primary
 * layers actually used get a `terraform_remote_state`). Undefined in the primary's own stacks, which receive the
 * values as constructs from earlier layers instead.
 */
export function primaryLink(stack: LayerStack, config: DeploymentConfig = stack.config): PrimaryContract | undefined {
  return stack.cluster.role === 'secondary' ? readPrimaryContract(stack, config) : undefined;
}
