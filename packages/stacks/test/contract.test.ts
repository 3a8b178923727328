import * as path from 'path';
import { TerraformOutput, TerraformStack, Testing } from 'cdktf';
import {
  CONTRACT_KEYS,
  ContractValuesOf,
  LayerStack,
  PRIMARY_CONTRACT,
  contractEntryByOutput,
  contractFixtures,
  contractLayers,
  emitContractOutputs,
  readPrimaryContract,
} from '../src';
import { loadDeploymentConfig } from '@tts-ecs/config';
import { inNamedTest } from '@tts-ecs/testing';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const config = loadDeploymentConfig(path.join(__dirname, '../../../deployments/example.json'));
const [eu1, us1] = config.clusters;

/** Plain outputs of arbitrary values, to see how a value renders. */
function addOutputs(stack: TerraformStack, values: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(values))
    new TerraformOutput(stack, name, { value }).overrideLogicalId(name);
}

const NETWORK: ContractValuesOf<'network'> = {
  domain: 'lns.example.com',
  identityServerHost: 'lns.example.com',
  identityServerHttpsPort: 443,
  identityServerGrpcPort: 8884,
  oauthIssuerUrl: 'https://lns.example.com/oauth',
};

describe('the contract table', () => {
  it('names each output once, in snake case, and tags it with a layer the primary has', () => {
    const outputs = CONTRACT_KEYS.map((k) => PRIMARY_CONTRACT[k].output);
    expect(new Set(outputs).size).toBe(outputs.length);
    for (const output of outputs) expect(output).toMatch(/^[a-z][a-z0-9_]*$/);
    expect(contractLayers()).toEqual(['network', 'secrets']);
  });

  it('carries at least the values a secondary needs', () => {
    expect(CONTRACT_KEYS).toEqual(
      expect.arrayContaining([
        'domain',
        'identityServerHost',
        'identityServerHttpsPort',
        'identityServerGrpcPort',
        'oauthIssuerUrl',
        'clusterKeysSecretName',
        'clusterKeysSecretArn',
      ]),
    );
    expect(contractEntryByOutput('cluster_keys_secret_arn')).toMatchObject({
      key: 'clusterKeysSecretArn',
      layer: 'secrets',
    });
    expect(contractEntryByOutput('cross-stack-output-foo')).toBeUndefined();
  });

  it('has a fixture for every output, shaped for the example primary', () => {
    const fixtures = contractFixtures(config);
    expect(Object.keys(fixtures).sort()).toEqual(CONTRACT_KEYS.map((k) => PRIMARY_CONTRACT[k].output).sort());
    expect(fixtures.domain).toBe('lns.example.com');
    expect(fixtures.cluster_keys_secret_arn).toMatch(
      /^arn:aws:secretsmanager:eu-west-1:111111111111:secret:acme-prod-eu1\/cluster-keys-\w{6}$/,
    );
  });
});

describe('emitContractOutputs', () => {
  const synthesized: Json = inNamedTest('synthesizes the network stack', () => {
    const network = new LayerStack(Testing.app(), { config, cluster: eu1, layer: 'network' });
    emitContractOutputs(network, 'network', NETWORK);
    return JSON.parse(Testing.synth(network));
  });

  it('writes one output per key of the layer, under the contract name', () => {
    expect(Object.keys(synthesized.output).sort()).toEqual([
      'domain',
      'identity_server_grpc_port',
      'identity_server_host',
      'identity_server_https_port',
      'oauth_issuer_url',
    ]);
    expect(synthesized.output.identity_server_grpc_port.value).toBe(8884);
    expect(synthesized.output.domain.value).toBe('lns.example.com');
  });

  it('rejects a secondary stack', () => {
    const stack = new LayerStack(Testing.app(), { config, cluster: us1, layer: 'network' });
    expect(() => emitContractOutputs(stack, 'network', NETWORK)).toThrow(
      'acme-prod-us1-network: invalid stack "us1". Only the primary cluster emits contract outputs; secondaries read them with readPrimaryContract.',
    );
  });

  it('rejects values of another layer', () => {
    const stack = new LayerStack(Testing.app(), { config, cluster: eu1, layer: 'data' });
    expect(() => emitContractOutputs(stack, 'network', NETWORK)).toThrow(
      'acme-prod-eu1-data: invalid layer "network". This stack is the "data" layer; emit the "network" contract values from the "network" stack',
    );
  });

  it('rejects a partial or padded set of values', () => {
    const stack = new LayerStack(Testing.app(), { config, cluster: eu1, layer: 'network' });
    const { domain, ...partial } = NETWORK;
    expect(domain).toBeDefined();
    expect(() => emitContractOutputs(stack, 'network', { ...partial, extra: 1 } as never)).toThrow(
      'acme-prod-eu1-network: invalid values ["identityServerHost","identityServerHttpsPort","identityServerGrpcPort","oauthIssuerUrl","extra"]. The "network" layer emits exactly domain, identityServerHost, identityServerHttpsPort, identityServerGrpcPort, oauthIssuerUrl; missing domain; not in its contract: extra.',
    );
  });
});

describe('readPrimaryContract', () => {
  const synthesized: Json = inNamedTest('synthesizes the compute stack', () => {
    const compute = new LayerStack(Testing.app(), { config, cluster: us1, layer: 'compute' });
    const contract = readPrimaryContract(compute, config);
    const again = readPrimaryContract(compute, config);
    addOutputs(compute, {
      domain: contract.domain,
      port: again.identityServerGrpcPort,
      keys: contract.clusterKeysSecretArnIn(us1.region),
      same: contract.clusterKeysSecretArnIn(eu1.region),
    });
    return JSON.parse(Testing.synth(compute));
  });
  const states = (): Json => synthesized.data.terraform_remote_state;

  it('reads each used primary layer once from the state bucket, in the bucket region', () => {
    expect(Object.keys(states()).sort()).toEqual(['primary_network', 'primary_secrets']);
    expect(states().primary_network).toMatchObject({
      backend: 's3',
      config: { bucket: 'acme-tts-ecs-state', region: 'eu-west-1', key: 'prod/eu1/network.tfstate' },
    });
    expect(states().primary_secrets.config.key).toBe('prod/eu1/secrets.tfstate');
  });

  it('references the contract output names', () => {
    expect(synthesized.output.domain.value).toBe('${data.terraform_remote_state.primary_network.outputs.domain}');
    expect(synthesized.output.port.value).toBe(
      '${data.terraform_remote_state.primary_network.outputs.identity_server_grpc_port}',
    );
  });

  it('derives the replica ARN of another region and keeps the primary ARN in its own region', () => {
    expect(synthesized.output.keys.value).toBe(
      '${replace(data.terraform_remote_state.primary_secrets.outputs.cluster_keys_secret_arn, ":eu-west-1:", ":us-east-1:")}',
    );
    expect(synthesized.output.same.value).toBe(
      '${data.terraform_remote_state.primary_secrets.outputs.cluster_keys_secret_arn}',
    );
  });

  it('rejects a primary stack', () => {
    const stack = new LayerStack(Testing.app(), { config, cluster: eu1, layer: 'compute' });
    expect(() => readPrimaryContract(stack, config)).toThrow(
      'acme-prod-eu1-compute: invalid scope "acme-prod-eu1-compute". The primary passes values to its own layers directly; readPrimaryContract is for secondary stacks.',
    );
  });
});
