import { IPeer } from '@tts-ecs/core';
import { NLB_TLS_POLICY, TLS12_POLICIES } from '@tts-ecs/network';

/** AWS's recommended ALB policy: TLS 1.3 and 1.2 with forward secrecy. */
export const ALB_DEFAULT_SSL_POLICY = NLB_TLS_POLICY;

/** Security policies that refuse TLS 1.0 and 1.1: the one list of `@tts-ecs/network`, for ALBs and NLBs alike. */
export const ALB_SSL_POLICIES: readonly string[] = TLS12_POLICIES;

/** How the load balancer treats requests that may be HTTP desync (request smuggling) attempts. */
export type DesyncMitigationMode = 'monitor' | 'defensive' | 'strictest';

/** An S3 destination of load balancer logs. */
export interface AlbLogDestination {
  /**
   * Bucket name, same region as the load balancer, encrypted with SSE-S3 (ALBs do not write to SSE-KMS buckets),
   * whose policy admits the region's Elastic Load Balancing log delivery under `<prefix>/AWSLogs/<account>/`
   * (`SecureBucket.allowAlbLogDelivery()` of `@tts-ecs/data`).
   */
  readonly bucket: string;
  /** Key prefix, without `AWSLogs` and without leading or trailing `/`. @default the load balancer name */
  readonly prefix?: string;
}

export interface ApplicationLoadBalancerProps {
  /**
   * Load balancer name, also used for the security group and target group names: 1-32 letters, digits and hyphens,
   * not starting or ending with a hyphen nor starting with `internal-`.
   */
  readonly name: string;
  /** VPC of the load balancer, its security group and its target groups. */
  readonly vpcId: string;
  /** Subnets in at least two AZs: public subnets when internet-facing, private ones otherwise. */
  readonly subnetIds: string[];
  /**
   * Reachable from the internet (a public DNS name, public subnets). Internal load balancers answer inside the VPC
   * only.
   * @default false
   */
  readonly internetFacing?: boolean;
  /** ACM (or IAM server) certificate of the HTTPS listener on 443. Required: the HTTPS listener always exists. */
  readonly certificateArn: string;
  /** More certificates on the HTTPS listener, chosen by SNI. @default none */
  readonly additionalCertificateArns?: string[];
  /**
   * Security policy of the HTTPS listener; only policies refusing TLS < 1.2 ({@link ALB_SSL_POLICIES}).
   * @default 'ELBSecurityPolicy-TLS13-1-2-2021-06'
   */
  readonly sslPolicy?: string;
  /**
   * Listen on port 80 too, only to redirect to HTTPS (301). Off, there is no port 80 listener and no port 80 ingress.
   * @default true
   */
  readonly redirectHttp?: boolean;
  /**
   * Who may connect on 443 (and 80 with {@link redirectHttp}). More peers can be admitted with
   * `connections.allowFrom`. `restrictToCloudFront` replaces these peers with CloudFront's prefix list.
   * @default [Peer.anyIpv4()] when internet-facing, [] (nobody until allowed) when internal
   */
  readonly ingressPeers?: IPeer[];
  /** Drop headers whose names are not valid HTTP (they are a smuggling vector). @default true */
  readonly dropInvalidHeaderFields?: boolean;
  /**
   * Desync mitigation: `strictest` passes only RFC 7230-compliant requests (AWS ELB best practices); use `monitor`
   * for a while first if legacy clients send odd requests.
   * @default 'strictest'
   */
  readonly desyncMitigationMode?: DesyncMitigationMode;
  /** Refuse deletion through the API: its DNS name is what clients and records point to. @default true */
  readonly deletionProtection?: boolean;
  /** Seconds a connection may stay idle, 1-4000. @default 60 */
  readonly idleTimeoutSeconds?: number;
  /** HTTP/2 between clients and the load balancer. @default true */
  readonly http2?: boolean;
  /**
   * Access logs (one line per request). Required when internet-facing: logs are how you investigate an incident.
   * @default none (internal load balancers only)
   */
  readonly accessLogs?: AlbLogDestination;
  /** Connection logs (TLS handshakes, client certificates). @default none */
  readonly connectionLogs?: AlbLogDestination;
}

/** Options of `ApplicationLoadBalancer.restrictToCloudFront`. */
export interface CloudFrontOriginOptions {
  /**
   * Id of the AWS-managed prefix list `com.amazonaws.global.cloudfront.origin-facing` in the load balancer's region
   * (the id differs per region): `aws ec2 describe-managed-prefix-lists --region <region> --filters
   * Name=prefix-list-name,Values=com.amazonaws.global.cloudfront.origin-facing --query 'PrefixLists[0].PrefixListId'`.
   * It weighs 55 rules against the security group quota (60 by default), so only 443 is opened to it.
   */
  readonly cloudFrontPrefixListId: string;
  /** Header CloudFront adds to origin requests (the distribution's origin custom header). @default 'X-Origin-Verify' */
  readonly headerName?: string;
  /**
   * The header's secret value, as a token only (e.g. from `data "aws_secretsmanager_secret_version"`, an ephemeral
   * resource, or a sensitive variable); a literal string is rejected so it never sits in code.
   */
  readonly secretValue: string;
}
