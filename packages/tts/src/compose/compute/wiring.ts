import { TerraformLocal } from 'cdktf';
import type { LayerStack } from '@tts-ecs/stacks';
import type { DeploymentConfig } from '@tts-ecs/config';
import type { ComputeLayerInputs, BucketInput, EmailInput, RedisInput } from './inputs';
import type { DataLayer, TtsRedis } from '../data-layer';
import type { NetworkLayer } from '../network-layer';
import { primaryLink } from '../primary-link';
import type { OperatorSecret, SecretsLayer } from '../secrets-layer';

/** A bucket of the data layer as a compute input (its SSE-KMS key included, so readers may decrypt). */
function bucketOf(b: { bucketName: string; arn: string; url?: string; bucket: { kmsKeyArn?: string } }): BucketInput {
  return { name: b.bucketName, arn: b.arn, url: b.url, kmsKeyArn: b.bucket.kmsKeyArn };
}

function redisOf(r: TtsRedis): RedisInput {
  return { address: r.address, port: r.port, authTokenSecretArn: r.authTokenSecretArn };
}

/**
 * The Identity Server's e-mail from the config's `email` section and the primary's `email-credentials` secret
 * (JSON `username` / `password`; for SendGrid the password is the API key). Undefined without either.
 */
export function emailOf(config: DeploymentConfig['email'], secret: OperatorSecret | undefined): EmailInput | undefined {
  if (!config || !secret) return undefined;
  for (const key of ['username', 'password']) {
    if (!secret.jsonKeys?.includes(key))
      throw new Error(`The e-mail secret ${secret.name} has no JSON key "${key}"; the IS reads it from there.`);
  }
  const common = { senderAddress: config.senderAddress, senderName: config.senderName };
  if (config.provider === 'sendgrid') {
    return { ...common, provider: 'sendgrid', apiKeySecretArn: { arn: secret.arn, jsonKey: 'password' } };
  }
  if (!config.smtp) throw new Error('email.smtp is required with provider "smtp" (the config rules reject this).');
  return {
    ...common,
    provider: 'smtp',
    address: config.smtp.address,
    usernameSecretArn: { arn: secret.arn, jsonKey: 'username' },
    passwordSecretArn: { arn: secret.arn, jsonKey: 'password' },
  };
}

/**
 * The compute layer's inputs from the real network, secrets and data layers of the same cluster (cross-stack
 * references: cdktf turns them into remote-state outputs; no secret value crosses, only ARNs). In a secondary the
 * cluster-keys replica (ARN and replica KMS key) and the Identity Server endpoint come from the primary contract,
 * read by the compute stack itself: nothing is copied from the config by hand.
 */
export function computeInputsOf(
  stack: LayerStack,
  network: NetworkLayer,
  secrets: SecretsLayer,
  data: DataLayer,
): ComputeLayerInputs {
  const contract = primaryLink(stack);
  const region = stack.cluster.region;
  // Locals keep the replace() expressions (with quotes) out of the JSON task definitions and policies that use them.
  const clusterKeys = contract
    ? {
        arn: new TerraformLocal(stack, 'cluster_keys_secret_arn', contract.clusterKeysSecretArnIn(region)).asString,
        kmsKeyArn: new TerraformLocal(stack, 'cluster_keys_kms_key_arn', contract.clusterKeysKmsKeyArnIn(region))
          .asString,
      }
    : { arn: secrets.clusterKeys.arn, kmsKeyArn: secrets.clusterKeys.kmsKeyArn };
  const kms = new Set<string>([secrets.kmsKeyArn]);
  if (data.database) kms.add(data.database.uriSecretKmsKeyArn);
  // Only Enterprise components (AS Storage Integration, NOC) read the TimescaleDB URI: the data layer admits them.
  const timescale = stack.config.tts.edition === 'enterprise' ? data.timescaleDatabase : undefined;
  if (timescale) kms.add(timescale.uriSecretKmsKeyArn);
  const redis = data.redis;
  for (const r of [redis.general, redis.cache, redis.events]) if (r) kms.add(r.authTokenKmsKeyArn);
  const pb = secrets.packetBroker;
  const stripe = secrets.stripe;
  return {
    network: {
      vpcId: network.network.vpcId,
      vpcCidr: network.network.cidr,
      privateSubnetIds: network.network.privateSubnetIds,
      tasksSecurityGroupId: network.tasksSecurityGroupId,
    },
    loadBalancer: network.loadBalancer,
    certificateArn: network.certificate.certificateArn,
    secrets: {
      kmsKeyArns: [...kms],
      cookieBlockKeyArn: secrets.cookieBlockKey.arn,
      cookieHashKeyArn: secrets.cookieHashKey.arn,
      metricsPasswordArn: secrets.metricsPassword.arn,
      pprofPasswordArn: secrets.pprofPassword.arn,
      clusterKeysArn: clusterKeys.arn,
      clusterKeysKmsKeyArn: clusterKeys.kmsKeyArn,
      consoleOAuthClientSecretArn: secrets.consoleOAuthClientSecret.arn,
      licenseKeyArn: secrets.licenseKey?.arn,
      tenantAdminKeyArn: secrets.tenantAdminKey?.arn,
      email: emailOf(stack.config.email, secrets.email),
      packetBroker: {
        clientIdSecretArn: { arn: pb.arn, jsonKey: 'client-id' },
        clientSecretSecretArn: { arn: pb.arn, jsonKey: 'client-secret' },
      },
      stripe: stripe && {
        apiKeySecretArn: { arn: stripe.arn, jsonKey: 'api-key' },
        endpointSecretSecretArn: { arn: stripe.arn, jsonKey: 'endpoint-secret-key' },
      },
    },
    data: {
      databaseUriSecretArn: data.database?.uriSecretArn,
      timescale: timescale && { uriSecretArn: timescale.uriSecretArn },
      redis: {
        general: redisOf(redis.general),
        cache: redis.cache && redisOf(redis.cache),
        events: redis.events && redisOf(redis.events),
      },
      buckets: {
        profilePictures: data.buckets.profilePictures && bucketOf(data.buckets.profilePictures),
        endDevicePictures: data.buckets.endDevicePictures && bucketOf(data.buckets.endDevicePictures),
        interop: bucketOf(data.buckets.interop),
        edcs: bucketOf(data.buckets.edcs),
      },
      rateLimiting: {
        bucket: bucketOf({ ...data.buckets.rateLimiting, arn: data.buckets.rateLimiting.bucket.arn }),
      },
    },
    primary: contract && {
      identityServerHost: contract.identityServerHost,
      identityServerHttpsPort: contract.identityServerHttpsPort,
      identityServerGrpcPort: contract.identityServerGrpcPort,
    },
  };
}
