import { Construct } from 'constructs';
import { Fn, TerraformIterator, TerraformProvider, Token } from 'cdktf';
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { requireProp } from '@tts-ecs/core';
import { isDomainName } from './names';

const ZONE_ID = /^[A-Z0-9]{1,32}$/;
const ZONE_ID_FIX = 'Give the hosted zone id alone, e.g. "Z0123456789ABCDEFGHIJ" (without "/hostedzone/").';

export interface CertificateProps {
  /** Domain of the certificate, e.g. `eu1.iot.example.com`; lower case, at most 64 characters (ACM limit). */
  readonly domainName: string;
  /** Public hosted zone (id) that holds `domainName`; the DNS validation records are written there. */
  readonly hostedZoneId: string;
  /**
   * Also cover `*.<domainName>` (multi-tenant deployments serve `<tenant>.<domainName>`).
   * @default false
   */
  readonly includeWildcard?: boolean;
  /**
   * More names on the certificate, all in the same hosted zone.
   * @default none
   */
  readonly subjectAlternativeNames?: string[];
  /**
   * AWS provider of the region the certificate is issued in. CloudFront only uses ACM certificates from us-east-1:
   * pass an AWS provider aliased to us-east-1 for a certificate used by a `Distribution`. The validation records go
   * through the default provider (Route 53 is global).
   * @default the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * An ACM certificate validated through DNS in a Route 53 zone. One validation record per distinct name: `*.x` and
 * `x` share a record, so it is written once. Records are addressed by name (no for_each over values unknown at plan),
 * and `allow_overwrite` is on because ACM gives the same record to every certificate of a name in an account — another
 * region's certificate for the same name, or a replaced certificate, would otherwise fail on "record already exists".
 * {@link certificateArn} is known only once validation succeeded, so listeners using it wait for a usable certificate.
 */
export class Certificate extends Construct {
  /** ARN of the validated certificate (use this one in listeners). */
  readonly certificateArn: string;
  /** Every name on the certificate. */
  readonly names: string[];
  /** The certificate resource, for escape hatches. */
  readonly resource: AcmCertificate;

  constructor(scope: Construct, id: string, props: CertificateProps) {
    super(scope, id);
    requireProp(
      this,
      isDomainName(props.domainName) && props.domainName.length <= 64,
      'domainName',
      props.domainName,
      'Use a lower-case DNS name without wildcard or trailing dot, at most 64 characters (longer names go in subjectAlternativeNames); set includeWildcard for *.name.',
    );
    requireHostedZoneId(this, props.hostedZoneId);
    const extra = props.subjectAlternativeNames ?? [];
    for (const name of extra) {
      requireProp(
        this,
        isDomainName(name, true),
        'subjectAlternativeNames',
        name,
        'Use lower-case DNS names; a wildcard only as the first label ("*.example.com").',
      );
    }
    const sans = [...(props.includeWildcard ? [`*.${props.domainName}`] : []), ...extra].filter(
      (n, i, all) => n !== props.domainName && all.indexOf(n) === i,
    );
    this.names = [props.domainName, ...sans];

    this.resource = new AcmCertificate(this, 'Certificate', {
      provider: props.provider,
      domainName: props.domainName,
      subjectAlternativeNames: sans.length > 0 ? sans : undefined,
      validationMethod: 'DNS',
      options: { certificateTransparencyLoggingPreference: 'ENABLED' },
      tags: { Name: props.domainName },
      // Listeners hold the certificate: the new one must exist before the old one can go.
      lifecycle: { createBeforeDestroy: true },
    });

    const options = TerraformIterator.fromComplexList(this.resource.domainValidationOptions, 'domain_name');
    const seen = new Set<string>();
    const records = this.names.flatMap((name) => {
      const base = name.replace(/^\*\./, '');
      if (seen.has(base)) return [];
      seen.add(base);
      const field = (attribute: string) =>
        Token.asString(Fn.one(options.forExpressionForList(`val.${attribute} if val.domain_name == "${name}"`)));
      return [
        new Route53Record(this, `Validation-${base}`, {
          zoneId: props.hostedZoneId,
          name: field('resource_record_name'),
          type: field('resource_record_type'),
          records: [field('resource_record_value')],
          ttl: 300,
          allowOverwrite: true,
        }),
      ];
    });

    const validation = new AcmCertificateValidation(this, 'Validation', {
      provider: props.provider,
      certificateArn: this.resource.arn,
      validationRecordFqdns: records.map((r) => r.fqdn),
    });
    this.certificateArn = validation.certificateArn;
  }
}

/**
 * Hosted zone id of every CloudFront distribution's domain name, for alias records (fixed by AWS: "Specify
 * Z2FDTNDATAQYW2", Route 53 API reference, AliasTarget HostedZoneId).
 */
export const CLOUDFRONT_HOSTED_ZONE_ID = 'Z2FDTNDATAQYW2';

/** Where alias records point: a load balancer's or CloudFront distribution's DNS name and hosted zone id. */
export interface AliasTarget {
  /** DNS name of the target, e.g. `NetworkLoadBalancer.dnsName` or `Distribution.domainName`. */
  readonly dnsName: string;
  /**
   * Hosted zone id of the target (not of your zone), e.g. `NetworkLoadBalancer.zoneId`, or
   * {@link CLOUDFRONT_HOSTED_ZONE_ID} for a CloudFront distribution.
   */
  readonly hostedZoneId: string;
  /**
   * The target also answers on IPv6 (e.g. a CloudFront distribution with IPv6 on): AAAA alias records are added next
   * to the A records.
   * @default false
   */
  readonly ipv6?: boolean;
}

export interface DnsAliasProps {
  /** Public hosted zone (id) that holds `domainName`. */
  readonly hostedZoneId: string;
  /** Name of the record, e.g. `eu1.iot.example.com`. */
  readonly domainName: string;
  /**
   * Also point `*.<domainName>` at the target.
   * @default false
   */
  readonly includeWildcard?: boolean;
  /** The target. */
  readonly target: AliasTarget;
  /**
   * Answer only while the target has healthy targets, so Route 53 failover and health-based routing work.
   * Route 53 refuses `true` for CloudFront targets, so it is rejected there.
   * @default true, false for a CloudFront target
   */
  readonly evaluateTargetHealth?: boolean;
}

/**
 * Route 53 alias A records (apex and optional wildcard; AAAA too when the target has `ipv6`) to a load balancer or a
 * CloudFront distribution. An existing record with the same name is not overwritten: Terraform fails instead, so a
 * record someone else manages is never taken over silently.
 */
export class DnsAlias extends Construct {
  /** Fully qualified names of the records. */
  readonly fqdns: string[];

  constructor(scope: Construct, id: string, props: DnsAliasProps) {
    super(scope, id);
    requireProp(
      this,
      isDomainName(props.domainName),
      'domainName',
      props.domainName,
      'Use a lower-case DNS name without wildcard or trailing dot; set includeWildcard for *.name.',
    );
    requireHostedZoneId(this, props.hostedZoneId);
    requireProp(
      this,
      Boolean(props.target?.dnsName) && Boolean(props.target?.hostedZoneId),
      'target',
      props.target,
      'Give the dnsName and hostedZoneId of the load balancer.',
    );
    const cloudFront = props.target.hostedZoneId === CLOUDFRONT_HOSTED_ZONE_ID;
    requireProp(
      this,
      !(cloudFront && props.evaluateTargetHealth === true),
      'evaluateTargetHealth',
      props.evaluateTargetHealth,
      'Route 53 cannot evaluate the health of a CloudFront distribution: leave evaluateTargetHealth unset or false.',
    );
    const names = [props.domainName, ...(props.includeWildcard ? [`*.${props.domainName}`] : [])];
    const types = props.target.ipv6 ? ['A', 'AAAA'] : ['A'];
    // Ids of the A records stay 'Apex' / 'Wildcard' so existing records keep their addresses; one fqdn per name.
    this.fqdns = names.map(
      (name) =>
        types.map(
          (type) =>
            new Route53Record(this, `${name.startsWith('*.') ? 'Wildcard' : 'Apex'}${type === 'A' ? '' : type}`, {
              zoneId: props.hostedZoneId,
              name,
              type,
              alias: {
                name: props.target.dnsName,
                zoneId: props.target.hostedZoneId,
                evaluateTargetHealth: props.evaluateTargetHealth ?? !cloudFront,
              },
            }),
        )[0].fqdn,
    );
  }
}

function requireHostedZoneId(scope: Construct, zoneId: string): void {
  if (Token.isUnresolved(zoneId)) return;
  requireProp(scope, typeof zoneId === 'string' && ZONE_ID.test(zoneId), 'hostedZoneId', zoneId, ZONE_ID_FIX);
}
