import { Testing } from 'cdktf';
import { DeploymentConfig, clusterDomain, primaryCluster } from '@tts-ecs/config';
import { LayerStack } from '@tts-ecs/stacks';
import { NetworkLoadBalancer } from '@tts-ecs/network';
import { ComputeLayer, ComputeLayerInputs } from '../../src';
import { inNamedTest } from '@tts-ecs/testing';
import { Json } from './helpers';

const ACCOUNT = '111111111111';
export const secretArn = (region: string, name: string): string =>
  `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:acme/${name}-AbCdEf`;
export const SECRET_KMS = 'arn:aws:kms:eu-west-1:111111111111:key/secrets';
export const BUCKET_KMS = 'arn:aws:kms:eu-west-1:111111111111:key/buckets';
/** Replica of the primary's multi-Region secrets key in a secondary's region (encrypts the cluster-keys replica). */
export const REPLICA_KMS = (region: string): string => `arn:aws:kms:${region}:111111111111:key/mrk-secrets`;

/** Compute-layer inputs as plain identifiers, the way the network/secrets/data layers would hand them over. */
export function fakeInputs(stack: LayerStack, primary: boolean): ComputeLayerInputs {
  const region = stack.cluster.region;
  const nlb = new NetworkLoadBalancer(stack, 'FakeNlb', {
    name: `${stack.resourcePrefix}`,
    scheme: 'internet-facing',
    vpcId: 'vpc-123',
    vpcCidr: stack.cluster.vpcCidr,
    subnetIds: ['subnet-pub-a', 'subnet-pub-b'],
    accessLogsBucket: 'logs',
  });
  const bucket = (name: string, url?: string) => ({ name, arn: `arn:aws:s3:::${name}`, url, kmsKeyArn: BUCKET_KMS });
  const redis = (name: string) => ({
    address: `${name}.cache.amazonaws.com`,
    port: 6379,
    authTokenSecretArn: secretArn(region, `redis-${name}`),
  });
  return {
    network: {
      vpcId: 'vpc-123',
      vpcCidr: stack.cluster.vpcCidr,
      privateSubnetIds: ['subnet-a', 'subnet-b'],
      tasksSecurityGroupId: 'sg-0a5c0a5c0a5c0a5c0',
    },
    loadBalancer: nlb,
    certificateArn: `arn:aws:acm:${region}:${ACCOUNT}:certificate/cert`,
    secrets: {
      kmsKeyArns: [SECRET_KMS],
      cookieBlockKeyArn: secretArn(region, 'cookie-block'),
      cookieHashKeyArn: secretArn(region, 'cookie-hash'),
      metricsPasswordArn: secretArn(region, 'metrics'),
      pprofPasswordArn: secretArn(region, 'pprof'),
      clusterKeysArn: secretArn(region, 'cluster-keys'),
      clusterKeysKmsKeyArn: primary ? SECRET_KMS : REPLICA_KMS(region),
      consoleOAuthClientSecretArn: secretArn(region, 'console'),
      licenseKeyArn: secretArn(region, 'license'),
      tenantAdminKeyArn: secretArn(region, 'tenant-admin'),
      email: {
        provider: 'sendgrid',
        apiKeySecretArn: secretArn(region, 'sendgrid'),
        senderAddress: 'noreply@example.com',
        senderName: 'Acme',
      },
      packetBroker: {
        clientIdSecretArn: { arn: secretArn(region, 'pb'), jsonKey: 'client-id' },
        clientSecretSecretArn: { arn: secretArn(region, 'pb'), jsonKey: 'client-secret' },
      },
    },
    data: {
      databaseUriSecretArn: primary ? secretArn(region, 'db-uri') : undefined,
      timescale:
        stack.config.features.timescale && stack.config.tts.edition === 'enterprise'
          ? { uriSecretArn: secretArn(region, 'timescale-uri') }
          : undefined,
      redis: { general: redis('general'), events: redis('events') },
      buckets: {
        profilePictures: primary ? bucket('acme-profile', 'https://acme-profile.s3.amazonaws.com') : undefined,
        endDevicePictures: primary ? bucket('acme-devices', 'https://acme-devices.s3.amazonaws.com') : undefined,
        interop: bucket(`${stack.resourcePrefix}-interop`),
        edcs: bucket(`${stack.resourcePrefix}-edcs`),
      },
    },
    primary: primary
      ? undefined
      : {
          identityServerHost: clusterDomain(stack.config, primaryCluster(stack.config)),
          identityServerHttpsPort: 443,
          identityServerGrpcPort: 8884,
        },
  };
}

type ChangeInputs = (inputs: ComputeLayerInputs) => ComputeLayerInputs;

/** Synthesizes the compute stack of one cluster against fake inputs (optionally changed). */
export function synthCompute(
  config: DeploymentConfig,
  clusterId: string,
  change: ChangeInputs = (i) => i,
): { stack: Json; layer: ComputeLayer } {
  return inNamedTest(`synthesizes the compute layer of ${clusterId}`, () => synthComputeNow(config, clusterId, change));
}

/** The synthesized compute stack of one cluster (in a named test when called in a `describe` body). */
export function synthComputeStack(config: DeploymentConfig, clusterId: string, change: ChangeInputs = (i) => i): Json {
  return inNamedTest(
    `synthesizes the compute layer of ${clusterId}`,
    () => synthComputeNow(config, clusterId, change).stack,
  );
}

function synthComputeNow(
  config: DeploymentConfig,
  clusterId: string,
  change: ChangeInputs,
): { stack: Json; layer: ComputeLayer } {
  const cluster = config.clusters.find((c) => c.id === clusterId)!;
  const app = Testing.app();
  const stack = new LayerStack(app, { config, cluster, layer: 'compute' });
  const layer = new ComputeLayer(stack, 'Compute', change(fakeInputs(stack, cluster.role === 'primary')));
  return { stack: JSON.parse(Testing.synth(stack)), layer };
}

/** Builds the compute layer and returns the error it throws (or undefined). */
export function computeError(config: DeploymentConfig, clusterId = 'eu1', change?: ChangeInputs): Error | undefined {
  try {
    synthCompute(config, clusterId, change);
    return undefined;
  } catch (e) {
    return e as Error;
  }
}

export interface ContainerDef {
  name: string;
  image: string;
  entryPoint?: string[];
  command?: string[];
  environment: Array<{ name: string; value: string }>;
  secrets: Array<{ name: string; valueFrom: string }>;
  portMappings: Array<{ containerPort: number; protocol: string }>;
}

/** Container definitions of every task definition, by family. */
export function containersByFamily(stack: Json): Record<string, ContainerDef[]> {
  const out: Record<string, ContainerDef[]> = {};
  for (const td of Object.values<Json>(stack.resource.aws_ecs_task_definition)) {
    out[td.family] = JSON.parse(td.container_definitions);
  }
  return out;
}
