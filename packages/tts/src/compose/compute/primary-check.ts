import { Op, TerraformResource } from 'cdktf';
import type { PrimaryIdentityServerInput } from './inputs';

/** The primary endpoint an IS proxy was rendered for (config values, known at synth). */
export interface RenderedPrimaryEndpoint {
  readonly host: string;
  readonly httpsPort: number;
  readonly grpcPort: number;
}

/**
 * Makes `resource` (the IS proxy's task definition) refuse to plan unless the primary contract's Identity Server
 * endpoint equals the one the proxy's Envoy bootstrap was rendered for.
 *
 * Why a precondition: the bootstrap is rendered at synth from the config's primary domain, because the renderer
 * validates host names and the contract values are Terraform references, unknown until plan. A changed primary
 * domain or port (contract) with a stale config would otherwise deploy a proxy pointing at the old endpoint; this
 * fails `terraform plan` of the secondary instead, naming both values.
 */
export function requireContractMatches(
  resource: TerraformResource,
  contract: PrimaryIdentityServerInput,
  rendered: RenderedPrimaryEndpoint,
): void {
  const condition = Op.and(
    Op.eq(contract.identityServerHost, rendered.host),
    Op.and(
      Op.eq(contract.identityServerHttpsPort, rendered.httpsPort),
      Op.eq(contract.identityServerGrpcPort, rendered.grpcPort),
    ),
  );
  resource.lifecycle = {
    ...resource.lifecycle,
    precondition: [
      ...(resource.lifecycle?.precondition ?? []),
      {
        condition,
        errorMessage:
          `The IS proxy is rendered for ${rendered.host} (HTTPS ${rendered.httpsPort}, gRPC ${rendered.grpcPort}) ` +
          "from the config's primary domain, but the primary contract (outputs identity_server_host, " +
          'identity_server_https_port, identity_server_grpc_port of the primary network state) differs. ' +
          "Make the config's domain match the applied primary network layer (or apply the primary first), then synth again.",
      },
    ],
  };
}
