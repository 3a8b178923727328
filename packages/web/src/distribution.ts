import { Construct } from 'constructs';
import { Token } from 'cdktf';
import {
  CloudfrontDistribution,
  CloudfrontDistributionOrderedCacheBehavior,
} from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control';
import { PolicyStatement, requireOneOf, requireProp } from '@tts-ecs/core';
import { AliasTarget, CLOUDFRONT_HOSTED_ZONE_ID } from '@tts-ecs/network';
import { isDomainName } from '@tts-ecs/network';
import {
  BehaviorOptions,
  DefaultBehaviorOptions,
  DistributionOrigin,
  renderBehavior,
  renderOrigin,
  requireOriginId,
} from './distribution-origins';

export { DEFAULT_ORIGIN_HEADER_NAME, ManagedCachePolicy, ManagedOriginRequestPolicy } from './distribution-origins';
export type {
  AllowedMethods,
  BehaviorOptions,
  DefaultBehaviorOptions,
  DistributionOrigin,
  HttpOrigin,
  OriginHeader,
  S3Origin,
} from './distribution-origins';

/** Viewer TLS security policies accepted: TLS 1.2 with modern ciphers or newer (CloudFront "Supported protocols and ciphers between viewers and CloudFront"). */
export type ViewerSecurityPolicy = 'TLSv1.2_2021' | 'TLSv1.2_2025' | 'TLSv1.3_2025';

export interface DistributionProps {
  /**
   * Description shown in the CloudFront console, at most 128 characters.
   * @default the construct path (cut to 128 characters)
   */
  readonly comment?: string;
  /** Origins by id (1-64 letters, digits, `_`, `-`); behaviours name them by this id. */
  readonly origins: Record<string, DistributionOrigin>;
  /** Behaviour for requests no path pattern of {@link Distribution.addBehavior} matches. */
  readonly defaultBehavior: DefaultBehaviorOptions;
  /**
   * Domain names viewers use (lower case; `*.name` allowed). Each must be covered by `certificateArn`; point them at
   * {@link Distribution.aliasTarget} with a `DnsAlias`.
   * @default none: only the `*.cloudfront.net` name
   */
  readonly aliases?: string[];
  /**
   * ARN of an ACM certificate in us-east-1 (CloudFront only reads certificates there) covering every alias: create it
   * with `Certificate` and a us-east-1 `provider`. Required with `aliases`.
   * @default none: the `*.cloudfront.net` certificate, which CloudFront serves with its own TLSv1 policy
   */
  readonly certificateArn?: string;
  /**
   * Oldest TLS policy viewers may use; only with `certificateArn`. Older policies (TLS 1.0 / 1.1, weak ciphers) are
   * rejected.
   * @default 'TLSv1.2_2021'
   */
  readonly minimumProtocolVersion?: ViewerSecurityPolicy;
  /**
   * Highest HTTP version offered to viewers.
   * @default 'http2and3'
   */
  readonly httpVersion?: 'http1.1' | 'http2' | 'http2and3' | 'http3';
  /**
   * Edge locations used: `PriceClass_100` is North America, Europe and Israel (cheapest).
   * @default 'PriceClass_100'
   */
  readonly priceClass?: 'PriceClass_100' | 'PriceClass_200' | 'PriceClass_All';
  /**
   * ARN of a WAFv2 web ACL with scope `CLOUDFRONT` (created in us-east-1, ARN `arn:aws:wafv2:us-east-1:<account>:global/webacl/...`).
   * WAF Classic ids are not accepted.
   * @default no web ACL
   */
  readonly webAclArn?: string;
  /**
   * Standard (legacy) access logs to an S3 bucket, by domain name (`<bucket>.s3.amazonaws.com`). CloudFront grants
   * itself access through ACLs, so the bucket needs ACLs enabled (object ownership `BucketOwnerPreferred`, not
   * `BucketOwnerEnforced` as `SecureBucket` sets), and a KMS-encrypted bucket's key must admit
   * `delivery.logs.amazonaws.com`. The prefix has no leading `/`.
   * @default no access logs
   */
  readonly logging?: { readonly bucketDomainName: string; readonly prefix?: string };
  /**
   * Serve only (`allow`) or never (`deny`) viewers in these countries (ISO 3166-1 alpha-2 codes, upper case).
   * @default no geo restriction
   */
  readonly geoRestriction?: { readonly type: 'allow' | 'deny'; readonly countries: string[] };
  /**
   * Object returned for `/`, e.g. `index.html` (no leading `/`).
   * @default none: `/` goes to the origin as is
   */
  readonly defaultRootObject?: string;
}

const ACM_US_EAST_1 = /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[A-Za-z0-9-]+$/;
const WAFV2_GLOBAL = /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[^/]+\/[^/]+$/;
const LOG_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\.s3(\.[a-z0-9-]+)?\.amazonaws\.com(\.cn)?$/;

/**
 * A CloudFront distribution: viewers always redirected to HTTPS, TLS 1.2+ with a certificate, IPv6, HTTP/2 and 3,
 * compression, and per-origin defaults (S3 through an origin access control with CachingOptimized; HTTP origins with
 * CachingDisabled, AllViewerExceptHostHeader, HTTPS + TLS 1.2 only, and a secret origin header the origin must check).
 * Deleting the construct deletes the distribution (`retain_on_delete` false) and applies wait until it is deployed.
 * S3 buckets must admit the distribution: `SecureBucket.grantCloudFrontRead(distributionArn)` or
 * {@link Distribution.s3OriginReadStatement}.
 */
export class Distribution extends Construct {
  /** Distribution id, e.g. for cache invalidations. */
  readonly distributionId: string;
  /** Distribution ARN (`arn:aws:cloudfront::<account>:distribution/<id>`), the `AWS:SourceArn` of origin requests. */
  readonly distributionArn: string;
  /** The `*.cloudfront.net` domain name. */
  readonly domainName: string;
  /** Hosted zone id of every CloudFront domain name (for alias records). */
  readonly hostedZoneId: string = CLOUDFRONT_HOSTED_ZONE_ID;
  /** Target for `DnsAlias` (A and AAAA records, no target health). */
  readonly aliasTarget: AliasTarget;
  /** The distribution resource, for escape hatches. */
  readonly resource: CloudfrontDistribution;
  /** The origin access control of the S3 origins, when there is one. */
  readonly originAccessControl?: CloudfrontOriginAccessControl;

  private readonly origins: Record<string, DistributionOrigin>;
  private readonly behaviors: CloudfrontDistributionOrderedCacheBehavior[] = [];

  constructor(scope: Construct, id: string, props: DistributionProps) {
    super(scope, id);
    const comment = props.comment ?? this.node.path.slice(0, 128);
    requireProp(this, comment.length <= 128, 'comment', comment, 'Use at most 128 characters.');
    const originIds = Object.keys(props.origins ?? {});
    requireProp(this, originIds.length > 0, 'origins', props.origins, 'Give at least one origin, keyed by its id.');
    this.origins = props.origins;

    // One OAC serves every S3 origin: it holds only the signing settings, not the bucket.
    let oac: CloudfrontOriginAccessControl | undefined;
    const oacId = () => {
      oac ??= new CloudfrontOriginAccessControl(this, 'OriginAccessControl', {
        name: `oac-${this.node.addr}`,
        description: `S3 origins of ${this.node.path}`.slice(0, 256),
        originAccessControlOriginType: 's3',
        signingBehavior: 'always',
        signingProtocol: 'sigv4',
      });
      return oac.id;
    };
    const origin = originIds.map((originId) => renderOrigin(this, originId, props.origins[originId], oacId));
    this.originAccessControl = oac;

    const { originId: defaultOriginId, ...defaultOptions } = props.defaultBehavior ?? ({} as DefaultBehaviorOptions);
    const defaultBehavior = renderBehavior(
      this,
      'defaultBehavior',
      defaultOriginId,
      this.origins[defaultOriginId],
      defaultOptions,
    );

    const aliases = props.aliases ?? [];
    for (const alias of aliases) {
      if (Token.isUnresolved(alias)) continue;
      requireProp(
        this,
        isDomainName(alias, true),
        'aliases',
        alias,
        'Use lower-case DNS names; "*." only as the first label.',
      );
    }
    requireProp(this, new Set(aliases).size === aliases.length, 'aliases', aliases, 'List each domain name once.');
    const cert = props.certificateArn;
    requireProp(
      this,
      aliases.length > 0 === (cert !== undefined),
      'certificateArn',
      cert,
      aliases.length > 0
        ? 'Aliases need a certificate: give the ARN of an ACM certificate in us-east-1 covering them.'
        : 'A certificate is only used with aliases: give the domain names it covers in aliases.',
    );
    if (cert !== undefined && !Token.isUnresolved(cert)) {
      requireProp(
        this,
        ACM_US_EAST_1.test(cert),
        'certificateArn',
        cert,
        'CloudFront reads ACM certificates from us-east-1 only: create the certificate there ("arn:aws:acm:us-east-1:...").',
      );
    }
    const tlsPolicy = props.minimumProtocolVersion ?? 'TLSv1.2_2021';
    requireOneOf(this, 'minimumProtocolVersion', tlsPolicy, [
      'TLSv1.2_2021',
      'TLSv1.2_2025',
      'TLSv1.3_2025',
    ] as ViewerSecurityPolicy[]);
    requireProp(
      this,
      cert !== undefined || props.minimumProtocolVersion === undefined,
      'minimumProtocolVersion',
      props.minimumProtocolVersion,
      'The *.cloudfront.net certificate always uses its own policy: set aliases and certificateArn, or leave minimumProtocolVersion unset.',
    );
    const httpVersion = props.httpVersion ?? 'http2and3';
    requireOneOf(this, 'httpVersion', httpVersion, ['http1.1', 'http2', 'http2and3', 'http3']);
    const priceClass = props.priceClass ?? 'PriceClass_100';
    requireOneOf(this, 'priceClass', priceClass, ['PriceClass_100', 'PriceClass_200', 'PriceClass_All']);
    if (props.webAclArn !== undefined && !Token.isUnresolved(props.webAclArn)) {
      requireProp(
        this,
        WAFV2_GLOBAL.test(props.webAclArn),
        'webAclArn',
        props.webAclArn,
        'Give the ARN of a WAFv2 web ACL with scope CLOUDFRONT, created in us-east-1 ("arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>").',
      );
    }
    if (props.logging) {
      const { bucketDomainName, prefix } = props.logging;
      requireProp(
        this,
        Token.isUnresolved(bucketDomainName) || LOG_BUCKET.test(bucketDomainName ?? ''),
        'logging.bucketDomainName',
        bucketDomainName,
        'Give the bucket domain name, "<bucket>.s3.amazonaws.com" (bucket_domain_name).',
      );
      requireProp(this, !prefix?.startsWith('/'), 'logging.prefix', prefix, 'Leave out the leading "/".');
    }
    const geo = props.geoRestriction;
    if (geo) {
      requireOneOf(this, 'geoRestriction.type', geo.type, ['allow', 'deny']);
      requireProp(
        this,
        Array.isArray(geo.countries) && geo.countries.length > 0 && geo.countries.every((c) => /^[A-Z]{2}$/.test(c)),
        'geoRestriction.countries',
        geo.countries,
        'List ISO 3166-1 alpha-2 country codes in upper case, e.g. ["NL", "DE"].',
      );
    }
    if (props.defaultRootObject !== undefined) {
      requireProp(
        this,
        /^[^/*][^*]*$/.test(props.defaultRootObject),
        'defaultRootObject',
        props.defaultRootObject,
        'Give an object key without leading "/" or "*", e.g. "index.html".',
      );
    }

    this.resource = new CloudfrontDistribution(this, 'Distribution', {
      comment,
      enabled: true,
      isIpv6Enabled: true,
      httpVersion,
      priceClass,
      aliases: aliases.length > 0 ? aliases : undefined,
      defaultRootObject: props.defaultRootObject,
      webAclId: props.webAclArn,
      origin,
      defaultCacheBehavior: defaultBehavior,
      viewerCertificate:
        cert === undefined
          ? { cloudfrontDefaultCertificate: true }
          : { acmCertificateArn: cert, sslSupportMethod: 'sni-only', minimumProtocolVersion: tlsPolicy },
      restrictions: {
        geoRestriction: geo
          ? { restrictionType: geo.type === 'allow' ? 'whitelist' : 'blacklist', locations: geo.countries }
          : { restrictionType: 'none' },
      },
      loggingConfig: props.logging
        ? { bucket: props.logging.bucketDomainName, prefix: props.logging.prefix, includeCookies: false }
        : undefined,
      retainOnDelete: false,
      waitForDeployment: true,
    });
    this.distributionId = this.resource.id;
    this.distributionArn = this.resource.arn;
    this.domainName = this.resource.domainName;
    this.aliasTarget = { dnsName: this.domainName, hostedZoneId: CLOUDFRONT_HOSTED_ZONE_ID, ipv6: true };
  }

  /**
   * Serves requests matching `pathPattern` (e.g. `/static/*`) from origin `originId`. Patterns are matched in the
   * order they are added, before the default behaviour; each pattern may be added once.
   */
  addBehavior(pathPattern: string, originId: string, options: BehaviorOptions = {}): void {
    const field = `addBehavior(${pathPattern})`;
    requireProp(
      this,
      typeof pathPattern === 'string' && pathPattern.length > 0 && pathPattern.length <= 255 && pathPattern !== '*',
      'addBehavior.pathPattern',
      pathPattern,
      'Give a pattern of 1-255 characters such as "/static/*"; "*" is the default behaviour.',
    );
    requireProp(
      this,
      !this.behaviors.some((b) => b.pathPattern === pathPattern),
      'addBehavior.pathPattern',
      pathPattern,
      'Each path pattern may have one behaviour; CloudFront would never reach the second.',
    );
    requireOriginId(this, `${field}.originId`, originId);
    this.behaviors.push({ pathPattern, ...renderBehavior(this, field, originId, this.origins[originId], options) });
    this.resource.putOrderedCacheBehavior([...this.behaviors]);
  }

  /**
   * Bucket policy statement letting this distribution read objects (under `prefix`) of S3 origin `originId`, for
   * buckets other than a `SecureBucket` (which has `grantCloudFrontRead`). Limited to this distribution through
   * `AWS:SourceArn`.
   */
  s3OriginReadStatement(originId: string, prefix = ''): PolicyStatement {
    const origin = this.origins[originId];
    requireProp(
      this,
      origin?.kind === 's3',
      's3OriginReadStatement.originId',
      originId,
      'Name an origin of kind "s3".',
    );
    requireProp(
      this,
      !prefix.includes('*'),
      's3OriginReadStatement.prefix',
      prefix,
      'Give a plain key prefix without wildcards.',
    );
    return {
      Sid: `CloudFrontRead${originId.replace(/[^A-Za-z0-9]/g, '')}`,
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Resource: `${(origin as { bucketArn: string }).bucketArn}/${prefix}*`,
      Condition: { StringEquals: { 'AWS:SourceArn': this.distributionArn } },
    };
  }
}
