import type { IConnectable } from '@tts-ecs/core';
import type { NlbIngressOptions } from '@tts-ecs/network';

/** A Secrets Manager secret by full ARN, optionally one key of a JSON secret. */
export type SecretInput = string | { readonly arn: string; readonly jsonKey?: string };

/** One ElastiCache Redis endpoint (TLS, AUTH token). */
export interface RedisInput {
  /** Primary endpoint host name. */
  readonly address: string;
  readonly port: number;
  readonly authTokenSecretArn: SecretInput;
}

/** An S3 bucket a component reads or writes. */
export interface BucketInput {
  readonly name: string;
  readonly arn: string;
  /** Public base URL (picture buckets). @default none */
  readonly url?: string;
  /** Customer key of the bucket's SSE-KMS encryption. @default none (SSE-S3) */
  readonly kmsKeyArn?: string;
}

/** Email delivery of the Identity Server. */
export type EmailInput = {
  readonly senderAddress: string;
  /** @default The Things Stack's own sender and network name */
  readonly senderName?: string;
} & (
  | { readonly provider: 'sendgrid'; readonly apiKeySecretArn: SecretInput }
  | {
      readonly provider: 'smtp';
      readonly address: string;
      readonly usernameSecretArn: SecretInput;
      readonly passwordSecretArn: SecretInput;
    }
);

/**
 * Everything the compute layer takes from the layers before it, as plain identifiers (ids, ARNs, names), so it can be
 * fed from the real network/secrets/data layers or from anything else.
 */
export interface ComputeLayerInputs {
  readonly network: {
    readonly vpcId: string;
    readonly vpcCidr: string;
    /** Subnets of the tasks (no public IPs). */
    readonly privateSubnetIds: string[];
    /** Security group every TTS task attaches; the data stores admit it. */
    readonly tasksSecurityGroupId: string;
  };
  /**
   * The cluster's NLB: listeners attach to `arn`; `allowIngress` opens its security group per listener; services
   * admit it through `connections`.
   */
  readonly loadBalancer: IConnectable & {
    readonly arn: string;
    readonly securityGroupId: string;
    allowIngress(options: NlbIngressOptions): void;
  };
  /** ACM certificate of the cluster domain for the TLS listeners. */
  readonly certificateArn: string;
  readonly secrets: {
    /** Keys encrypting the secrets below; the execution roles may decrypt with them. */
    readonly kmsKeyArns: string[];
    readonly cookieBlockKeyArn: SecretInput;
    readonly cookieHashKeyArn: SecretInput;
    readonly metricsPasswordArn: SecretInput;
    readonly pprofPasswordArn: SecretInput;
    /** Cluster keys (identical in every cluster; a replica in secondaries). */
    readonly clusterKeysArn: SecretInput;
    /**
     * KMS key of the cluster-keys secret in this region: the secrets key in the primary, the replica of the primary's
     * multi-Region key in secondaries (not this cluster's secrets key). The execution roles may decrypt with it.
     */
    readonly clusterKeysKmsKeyArn: string;
    /** This cluster's Console OAuth client secret (a plain string secret). */
    readonly consoleOAuthClientSecretArn: string;
    /** Enterprise license. @default none */
    readonly licenseKeyArn?: SecretInput;
    /** Tenant admin key (enterprise IS and TBS). @default none */
    readonly tenantAdminKeyArn?: SecretInput;
    /** @default no email: the IS sends none, and synth warns where it runs */
    readonly email?: EmailInput;
    /** Packet Broker API key (PBA). @default none */
    readonly packetBroker?: { readonly clientIdSecretArn: SecretInput; readonly clientSecretSecretArn: SecretInput };
    /** Stripe keys (TBS). @default none, Stripe off */
    readonly stripe?: { readonly apiKeySecretArn: SecretInput; readonly endpointSecretSecretArn: SecretInput };
  };
  readonly data: {
    /** PostgreSQL URI secret; primary only. */
    readonly databaseUriSecretArn?: SecretInput;
    /**
     * TimescaleDB host of features.timescale, Enterprise only (its users are): the `timescale-uri` secret the AS
     * Storage Integration and the NOC read. Its KMS key belongs in `secrets.kmsKeyArns`. @default none
     */
    readonly timescale?: { readonly uriSecretArn: SecretInput };
    readonly redis: { readonly general: RedisInput; readonly cache?: RedisInput; readonly events?: RedisInput };
    readonly buckets: {
      readonly profilePictures?: BucketInput;
      readonly endDevicePictures?: BucketInput;
      /** Interop configuration (`config.yml`), read by NS and AS. */
      readonly interop: BucketInput;
      /** Device claiming configuration (`config.yml`), read by DCS. */
      readonly edcs: BucketInput;
    };
    /** The bucket of rate-limiting.yml (folder and file: the runtime contract). @default no rate limiting configuration */
    readonly rateLimiting?: { readonly bucket: BucketInput };
  };
  /**
   * Secondaries only (required there): the primary's public Identity Server endpoint from the primary contract
   * (`primaryLink(stack)`), which the IS proxy forwards to. @default none (the primary runs the Identity Server)
   */
  readonly primary?: PrimaryIdentityServerInput;
}

/** The primary's Identity Server endpoint as the contract publishes it (Terraform references in a secondary). */
export interface PrimaryIdentityServerInput {
  readonly identityServerHost: string;
  readonly identityServerHttpsPort: number;
  readonly identityServerGrpcPort: number;
}
