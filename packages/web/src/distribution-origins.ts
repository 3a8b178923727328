import { IConstruct } from 'constructs';
import { Token } from 'cdktf';
import {
  CloudfrontDistributionOrderedCacheBehavior,
  CloudfrontDistributionOrigin,
} from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { requireIntegerInRange, requireOneOf, requireProp } from '@tts-ecs/core';

/**
 * AWS managed cache policies (ids fixed by AWS, the same in every account). Source: CloudFront Developer Guide,
 * "Use managed cache policies".
 */
export const ManagedCachePolicy = {
  /** CachingOptimized: long TTLs, no query strings or cookies in the cache key; for static objects. */
  CACHING_OPTIMIZED: '658327ea-f89d-4fab-a63d-7e88639e58f6',
  /** CachingDisabled: every request goes to the origin; for dynamic content and APIs. */
  CACHING_DISABLED: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
} as const;

/**
 * AWS managed origin request policies. Source: CloudFront Developer Guide, "Use managed origin request policies".
 */
export const ManagedOriginRequestPolicy = {
  /** AllViewerExceptHostHeader: every viewer header, cookie and query string except `Host` (the origin gets its own). */
  ALL_VIEWER_EXCEPT_HOST_HEADER: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
  /** AllViewer: every viewer header (including `Host`), cookie and query string. */
  ALL_VIEWER: '216adef6-5c7f-47e4-b989-5492eafa07d3',
} as const;

/** Name of the header that proves to an HTTP origin that a request came through the distribution. */
export const DEFAULT_ORIGIN_HEADER_NAME = 'X-Origin-Verify';

/** The secret header CloudFront adds to every request to an HTTP origin (the origin rejects requests without it). */
export interface OriginHeader {
  /**
   * Header name: letters, digits and hyphens; not one CloudFront refuses to add (`Host`, `Cookie`, `X-Amz-*`, ...).
   * @default 'X-Origin-Verify'
   */
  readonly name?: string;
  /**
   * Header value: a Terraform reference only, e.g. `DataAwsSecretsmanagerSecretVersion.secretString` or a sensitive
   * variable. A literal string is rejected: it would sit in the code. CloudFront has no write-only field for it, so
   * the value lands in Terraform state: rotate it in Secrets Manager (the origin accepts old and new during the switch).
   */
  readonly value: string;
}

/** An HTTP(S) origin such as an Application Load Balancer. */
export interface HttpOrigin {
  readonly kind: 'http';
  /** DNS name CloudFront connects to; its certificate must cover this name, e.g. `origin.example.com`. */
  readonly domainName: string;
  /** The secret header added to every origin request. */
  readonly originHeader: OriginHeader;
  /**
   * How CloudFront connects to the origin. `http-only` is refused: the origin header would cross the internet in clear.
   * @default 'https-only'
   */
  readonly protocolPolicy?: 'https-only' | 'match-viewer';
  /**
   * TLS versions CloudFront offers the origin; only `TLSv1.2` is accepted (older versions are broken).
   * @default ['TLSv1.2']
   */
  readonly originSslProtocols?: readonly 'TLSv1.2'[];
  /**
   * HTTPS port of the origin.
   * @default 443
   */
  readonly httpsPort?: number;
  /**
   * Seconds CloudFront waits for a response (1-180; above 60 needs a quota increase), e.g. more for long polls.
   * @default 30
   */
  readonly readTimeoutSeconds?: number;
}

/** A private S3 bucket, read through an origin access control (SigV4-signed requests). */
export interface S3Origin {
  readonly kind: 's3';
  /** Regional domain name of the bucket, e.g. `SecureBucket.regionalDomainName` (`<bucket>.s3.<region>.amazonaws.com`). */
  readonly bucketRegionalDomainName: string;
  /** ARN of the bucket, for {@link Distribution.s3OriginReadStatement}. */
  readonly bucketArn: string;
}

export type DistributionOrigin = HttpOrigin | S3Origin;

/** HTTP methods a behaviour accepts: `GET_HEAD`, `GET_HEAD_OPTIONS` or `ALL` (adds PUT, POST, PATCH, DELETE). */
export type AllowedMethods = 'GET_HEAD' | 'GET_HEAD_OPTIONS' | 'ALL';

const METHODS: Record<AllowedMethods, string[]> = {
  GET_HEAD: ['GET', 'HEAD'],
  GET_HEAD_OPTIONS: ['GET', 'HEAD', 'OPTIONS'],
  ALL: ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'],
};

/** How one behaviour serves requests. Viewers are always redirected to HTTPS and responses compressed. */
export interface BehaviorOptions {
  /**
   * Methods the behaviour accepts; only GET and HEAD are cached.
   * @default 'GET_HEAD' for an S3 origin, 'ALL' for an HTTP origin
   */
  readonly allowedMethods?: AllowedMethods;
  /**
   * Cache policy id ({@link ManagedCachePolicy} or your own `aws_cloudfront_cache_policy`).
   * @default CachingOptimized for an S3 origin, CachingDisabled for an HTTP origin
   */
  readonly cachePolicyId?: string;
  /**
   * Origin request policy id ({@link ManagedOriginRequestPolicy} or your own).
   * @default none for an S3 origin (a forwarded Host header would break the signature), AllViewerExceptHostHeader
   * for an HTTP origin
   */
  readonly originRequestPolicyId?: string;
  /**
   * Response headers policy id, e.g. the managed SecurityHeadersPolicy `67f7725c-6f97-4210-82d7-5512b31e9d03`.
   * @default none
   */
  readonly responseHeadersPolicyId?: string;
}

/** The behaviour for requests no path pattern matches. */
export interface DefaultBehaviorOptions extends BehaviorOptions {
  /** Key of the origin in `origins`. */
  readonly originId: string;
}

const ORIGIN_ID = /^[A-Za-z0-9_-]{1,64}$/;
const HEADER_NAME = /^[A-Za-z0-9-]{1,128}$/;
// Among the headers CloudFront cannot add to origin requests (CloudFront Developer Guide, "Custom headers that
// CloudFront can't add to origin requests"); the X-Amz- and X-Edge- prefixes are reserved as a whole.
const FORBIDDEN_HEADERS = new Set(
  'cache-control connection content-length cookie host if-match if-modified-since if-none-match if-range if-unmodified-since max-forwards pragma proxy-authorization proxy-connection range request-range te trailer transfer-encoding upgrade via x-real-ip'.split(
    ' ',
  ),
);

/** Throws unless `id` can name an origin. */
export function requireOriginId(scope: IConstruct, field: string, id: string): void {
  requireProp(scope, ORIGIN_ID.test(id), field, id, 'Use 1-64 letters, digits, "_" and "-".');
}

/** Validates an origin and renders it as the provider's `origin` block. */
export function renderOrigin(
  scope: IConstruct,
  id: string,
  origin: DistributionOrigin,
  originAccessControlId: () => string,
): CloudfrontDistributionOrigin {
  const field = `origins.${id}`;
  requireOriginId(scope, 'origins', id);
  requireOneOf(scope, `${field}.kind`, origin?.kind, ['http', 's3']);
  if (origin.kind === 's3') {
    requireProp(
      scope,
      Token.isUnresolved(origin.bucketRegionalDomainName) ||
        /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\.s3\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/.test(
          origin.bucketRegionalDomainName,
        ),
      `${field}.bucketRegionalDomainName`,
      origin.bucketRegionalDomainName,
      'Give the regional domain name of the bucket, "<bucket>.s3.<region>.amazonaws.com" (bucket_regional_domain_name).',
    );
    requireProp(
      scope,
      Token.isUnresolved(origin.bucketArn) ||
        /^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(origin.bucketArn),
      `${field}.bucketArn`,
      origin.bucketArn,
      'Give the bucket ARN, "arn:aws:s3:::<bucket>".',
    );
    // No s3_origin_config: that block is for legacy origin access identities; OAC signs requests instead.
    return {
      originId: id,
      domainName: origin.bucketRegionalDomainName,
      originAccessControlId: originAccessControlId(),
    };
  }
  requireProp(
    scope,
    Boolean(origin.domainName),
    `${field}.domainName`,
    origin.domainName,
    'Give the DNS name of the origin.',
  );
  const policy = origin.protocolPolicy ?? 'https-only';
  requireProp(
    scope,
    policy === 'https-only' || policy === 'match-viewer',
    `${field}.protocolPolicy`,
    policy,
    'Use "https-only": over HTTP the origin header would travel in clear.',
  );
  const tls = origin.originSslProtocols ?? ['TLSv1.2'];
  requireProp(
    scope,
    tls.length > 0 && tls.every((v) => v === 'TLSv1.2'),
    `${field}.originSslProtocols`,
    tls,
    'Use ["TLSv1.2"]: SSLv3, TLSv1 and TLSv1.1 are broken.',
  );
  const httpsPort = origin.httpsPort ?? 443;
  requireIntegerInRange(scope, `${field}.httpsPort`, httpsPort, 1, 65535);
  const readTimeout = origin.readTimeoutSeconds ?? 30;
  requireIntegerInRange(scope, `${field}.readTimeoutSeconds`, readTimeout, 1, 180);
  const header = origin.originHeader ?? ({} as OriginHeader);
  const name = header.name ?? DEFAULT_ORIGIN_HEADER_NAME;
  requireProp(
    scope,
    HEADER_NAME.test(name) && !FORBIDDEN_HEADERS.has(name.toLowerCase()) && !/^x-(amz|edge)-/i.test(name),
    `${field}.originHeader.name`,
    name,
    'Use letters, digits and hyphens, not a header CloudFront refuses to add (Host, Cookie, X-Amz-*, X-Edge-*, ...).',
  );
  // The value itself never goes into the message: a literal here is a leaked secret already.
  requireProp(
    scope,
    typeof header.value === 'string' && Token.isUnresolved(header.value),
    `${field}.originHeader.value`,
    header.value === undefined ? undefined : '<literal, not shown>',
    'Pass a Terraform reference to a Secrets Manager value (data source secret_string or a sensitive variable), never a literal.',
  );
  return {
    originId: id,
    domainName: origin.domainName,
    customOriginConfig: {
      httpPort: 80,
      httpsPort,
      originProtocolPolicy: policy,
      originSslProtocols: [...tls],
      originReadTimeout: readTimeout,
    },
    // CloudFront stores custom headers in the distribution config, so this value is in Terraform state (no
    // write-only attribute exists); keep state encrypted and rotate the secret through Secrets Manager.
    customHeader: [{ name, value: header.value }],
  };
}

/** Validates behaviour options for `origin` and renders the fields shared by default and ordered behaviours. */
export function renderBehavior(
  scope: IConstruct,
  field: string,
  originId: string,
  origin: DistributionOrigin | undefined,
  options: BehaviorOptions,
): Omit<CloudfrontDistributionOrderedCacheBehavior, 'pathPattern'> {
  requireProp(
    scope,
    origin !== undefined,
    `${field}.originId`,
    originId,
    'Use the key of one of the origins given in props.origins.',
  );
  const s3 = origin!.kind === 's3';
  const methods = options.allowedMethods ?? (s3 ? 'GET_HEAD' : 'ALL');
  requireOneOf(scope, `${field}.allowedMethods`, methods, ['GET_HEAD', 'GET_HEAD_OPTIONS', 'ALL'] as AllowedMethods[]);
  return {
    targetOriginId: originId,
    viewerProtocolPolicy: 'redirect-to-https',
    allowedMethods: METHODS[methods],
    cachedMethods: ['GET', 'HEAD'],
    compress: true,
    cachePolicyId:
      options.cachePolicyId ?? (s3 ? ManagedCachePolicy.CACHING_OPTIMIZED : ManagedCachePolicy.CACHING_DISABLED),
    originRequestPolicyId:
      options.originRequestPolicyId ?? (s3 ? undefined : ManagedOriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER),
    responseHeadersPolicyId: options.responseHeadersPolicyId,
  };
}
