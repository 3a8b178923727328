import { Construct } from 'constructs';
import { DataTerraformRemoteStateS3, Fn, TerraformOutput, TerraformStack } from 'cdktf';
import { InvalidPropError, partitionOf } from '@tts-ecs/core';
import {
  ClusterConfig,
  DeploymentConfig,
  Layer,
  clusterDomain,
  clusterResourcePrefix,
  primaryCluster,
  stateKey,
} from '@tts-ecs/config';

/**
 * The contract between the primary cluster and its secondaries (docs/architecture.md, "The primary->secondary contract"): the named Terraform outputs the
 * primary's layer stacks export and the secondaries read through S3 remote state. Both sides use this one table, so a
 * renamed or moved output breaks both at once (and the tests in test/contract.test.ts).
 *
 * Output names are ours (snake case, stable); cdktf's hashed cross-stack output names never cross apps.
 */
export interface ContractEntry {
  /** Terraform output name in the primary stack. */
  readonly output: string;
  /** Layer of the primary that creates the value and emits the output. */
  readonly layer: Layer;
  readonly kind: 'string' | 'number';
  readonly description: string;
}

export const PRIMARY_CONTRACT = {
  domain: {
    output: 'domain',
    layer: 'network',
    kind: 'string',
    description: 'Domain the primary serves (certificate and DNS alias of the network layer).',
  },
  identityServerHost: {
    output: 'identity_server_host',
    layer: 'network',
    kind: 'string',
    description: 'Host the IS proxy of a secondary connects to (TLS, SNI and certificate name check on it).',
  },
  identityServerHttpsPort: {
    output: 'identity_server_https_port',
    layer: 'network',
    kind: 'number',
    description:
      'Public HTTPS port of the primary (router listener on its NLB) that serves the Identity Server REST API.',
  },
  identityServerGrpcPort: {
    output: 'identity_server_grpc_port',
    layer: 'network',
    kind: 'number',
    description: 'Public gRPC-over-TLS port of the primary that serves the Identity Server gRPC API.',
  },
  oauthIssuerUrl: {
    output: 'oauth_issuer_url',
    layer: 'network',
    kind: 'string',
    description:
      'OAuth server of the primary Identity Server (`https://<domain>/oauth`); Consoles of secondaries log in there.',
  },
  clusterKeysSecretName: {
    output: 'cluster_keys_secret_name',
    layer: 'secrets',
    kind: 'string',
    description: 'Name of the cluster-keys secret; its replica in each secondary region has the same name.',
  },
  clusterKeysSecretArn: {
    output: 'cluster_keys_secret_arn',
    layer: 'secrets',
    kind: 'string',
    description: 'ARN of the cluster-keys secret in the primary region; replicas differ only in the region field.',
  },
  clusterKeysKmsKeyArn: {
    output: 'cluster_keys_kms_key_arn',
    layer: 'secrets',
    kind: 'string',
    description:
      'KMS key of the cluster-keys secret in the primary region (a multi-Region key: replicas share its id).',
  },
} as const satisfies Record<string, ContractEntry>;

export type ContractKey = keyof typeof PRIMARY_CONTRACT;
type KindType<K extends ContractEntry['kind']> = K extends 'number' ? number : string;

/** Every contract value, typed by its kind. */
export type PrimaryContractValues = { readonly [K in ContractKey]: KindType<(typeof PRIMARY_CONTRACT)[K]['kind']> };

/** The keys a layer emits. */
export type ContractKeysOf<L extends Layer> = {
  [K in ContractKey]: (typeof PRIMARY_CONTRACT)[K]['layer'] extends L ? K : never;
}[ContractKey];

/** The values one layer of the primary must emit: all of its keys, nothing else. */
export type ContractValuesOf<L extends Layer> = Pick<PrimaryContractValues, ContractKeysOf<L>>;

export const CONTRACT_KEYS = Object.keys(PRIMARY_CONTRACT) as ContractKey[];

/** The primary layers secondaries read, in layer order. */
export function contractLayers(): Layer[] {
  return [...new Set(CONTRACT_KEYS.map((k) => PRIMARY_CONTRACT[k].layer as Layer))];
}

/** Contract output name -> entry, for tools reading synthesized JSON. */
export function contractEntryByOutput(output: string): (ContractEntry & { key: ContractKey }) | undefined {
  const key = CONTRACT_KEYS.find((k) => PRIMARY_CONTRACT[k].output === output);
  return key ? { ...PRIMARY_CONTRACT[key], key } : undefined;
}

/** What emitContractOutputs needs to know about the stack (a LayerStack has it all). */
export interface ContractStack extends TerraformStack {
  readonly cluster: Pick<ClusterConfig, 'id' | 'role'>;
  readonly layer: Layer;
}

/**
 * Emits the contract outputs of one primary layer as Terraform outputs with the contract's names. The type requires
 * every key of that layer, so a layer cannot emit part of its contract. Call it once per layer, in the primary only.
 */
export function emitContractOutputs<L extends Layer>(
  stack: ContractStack,
  layer: L,
  values: ContractValuesOf<L>,
): TerraformOutput[] {
  const where = stack.node.path;
  if (stack.cluster.role !== 'primary') {
    throw new InvalidPropError(
      where,
      'stack',
      stack.cluster.id,
      'Only the primary cluster emits contract outputs; secondaries read them with readPrimaryContract.',
    );
  }
  if (stack.layer !== layer) {
    throw new InvalidPropError(
      where,
      'layer',
      layer,
      `This stack is the "${stack.layer}" layer; emit the "${layer}" contract values from the "${layer}" stack (PRIMARY_CONTRACT tags each value with its layer).`,
    );
  }
  const given = values as Record<string, unknown>;
  const expected = CONTRACT_KEYS.filter((k) => PRIMARY_CONTRACT[k].layer === layer);
  const missing = expected.filter((k) => given[k] === undefined);
  const extra = Object.keys(given).filter((k) => !(expected as string[]).includes(k));
  if (missing.length > 0 || extra.length > 0) {
    throw new InvalidPropError(
      where,
      'values',
      Object.keys(given),
      `The "${layer}" layer emits exactly ${expected.join(', ')}` +
        (missing.length ? `; missing ${missing.join(', ')}` : '') +
        (extra.length ? `; not in its contract: ${extra.join(', ')}` : '') +
        '.',
    );
  }
  return expected.map((key) => {
    const entry = PRIMARY_CONTRACT[key];
    const output = new TerraformOutput(stack, `contract-${entry.output}`, {
      value: given[key],
      description: `tts-ecs contract: ${entry.description}`,
    });
    output.overrideLogicalId(entry.output);
    return output;
  });
}

/** Typed access to the primary's contract outputs from a secondary stack. */
export interface PrimaryContract extends PrimaryContractValues {
  /** The remote state of one primary layer (created on first use; one per layer and stack). */
  remoteState(layer: Layer): DataTerraformRemoteStateS3;
  /** ARN of the cluster-keys replica in `region` (same name and suffix, only the region differs). */
  clusterKeysSecretArnIn(region: string): string;
  /** ARN of the cluster-keys KMS key replica in `region` (multi-Region keys keep their id). */
  clusterKeysKmsKeyArnIn(region: string): string;
}

/** Name of the `terraform_remote_state` data source a secondary stack reads a primary layer through. */
export function remoteStateName(layer: Layer): string {
  return `primary_${layer}`;
}

/**
 * Reads the primary's contract outputs in a secondary stack through `terraform_remote_state` (backend s3, the state
 * bucket and its region from `config.stateBackend`, key = the primary layer's state key). Only the layers whose
 * values are used get a remote state. Throws when `scope` is in a primary stack: a cluster never reads itself.
 */
export function readPrimaryContract(scope: Construct, config: DeploymentConfig): PrimaryContract {
  const stack = TerraformStack.of(scope);
  const role = (stack as Partial<ContractStack>).cluster?.role;
  if (role === 'primary') {
    throw new InvalidPropError(
      scope.node.path,
      'scope',
      stack.node.id,
      'The primary passes values to its own layers directly; readPrimaryContract is for secondary stacks.',
    );
  }
  const primary = primaryCluster(config);
  const primaryRegion = primary.region;
  const remoteState = (layer: Layer): DataTerraformRemoteStateS3 => {
    const id = `tts-ecs-${remoteStateName(layer)}`;
    const existing = stack.node.tryFindChild(id);
    if (existing) return existing as DataTerraformRemoteStateS3;
    const state = new DataTerraformRemoteStateS3(stack, id, {
      bucket: config.stateBackend.bucket,
      region: config.stateBackend.region,
      key: stateKey(config, primary, layer),
    });
    state.overrideLogicalId(remoteStateName(layer));
    return state;
  };
  const read = (key: ContractKey): string | number => {
    const entry: ContractEntry = PRIMARY_CONTRACT[key];
    const state = remoteState(entry.layer);
    return entry.kind === 'number' ? state.getNumber(entry.output) : state.getString(entry.output);
  };
  const inRegion = (arn: string, region: string): string =>
    region === primaryRegion ? arn : Fn.replace(arn, `:${primaryRegion}:`, `:${region}:`);
  const contract = { remoteState } as Record<string, unknown>;
  for (const key of CONTRACT_KEYS) Object.defineProperty(contract, key, { get: () => read(key), enumerable: true });
  contract.clusterKeysSecretArnIn = (region: string) => inRegion(read('clusterKeysSecretArn') as string, region);
  contract.clusterKeysKmsKeyArnIn = (region: string) => inRegion(read('clusterKeysKmsKeyArn') as string, region);
  return contract as unknown as PrimaryContract;
}

/**
 * Values shaped like the primary's real outputs for this config, by output name: `tts-ecs verify` feeds them to the
 * remote states of secondary stacks so their offline plans see plausible domains, ports and ARNs.
 */
export function contractFixtures(config: DeploymentConfig): Record<string, string | number> {
  const primary = primaryCluster(config);
  const domain = clusterDomain(config, primary);
  const partition = partitionOf(primary.region);
  const secretName = `${clusterResourcePrefix(config, primary)}/cluster-keys`;
  const values: PrimaryContractValues = {
    domain,
    identityServerHost: domain,
    identityServerHttpsPort: 443,
    identityServerGrpcPort: 8884,
    oauthIssuerUrl: `https://${domain}/oauth`,
    clusterKeysSecretName: secretName,
    clusterKeysSecretArn: `arn:${partition}:secretsmanager:${primary.region}:${primary.accountId}:secret:${secretName}-AbCdEf`,
    clusterKeysKmsKeyArn: `arn:${partition}:kms:${primary.region}:${primary.accountId}:key/mrk-0123456789abcdef0123456789abcdef`,
  };
  return Object.fromEntries(CONTRACT_KEYS.map((k) => [PRIMARY_CONTRACT[k].output, values[k]]));
}
