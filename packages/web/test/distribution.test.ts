import { TerraformProvider, TerraformStack, TerraformVariable } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { all, inNamedTest, only, synth } from '@tts-ecs/testing';
import { Distribution, DistributionProps, HttpOrigin, ManagedCachePolicy, ManagedOriginRequestPolicy } from '../src';
import { Certificate, CLOUDFRONT_HOSTED_ZONE_ID, DnsAlias } from '@tts-ecs/network';

const CERT = 'arn:aws:acm:us-east-1:111111111111:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789';
const WAF = 'arn:aws:wafv2:us-east-1:111111111111:global/webacl/acme-cdn/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';
const zone = 'Z0123456789ABCDEFGHIJ';
const s3Origin = {
  kind: 's3' as const,
  bucketRegionalDomainName: 'acme-assets.s3.eu-west-1.amazonaws.com',
  bucketArn: 'arn:aws:s3:::acme-assets',
};
const secret = (s: TerraformStack) =>
  new TerraformVariable(s, 'origin_secret', { type: 'string', sensitive: true }).stringValue;
/** An ALB origin and an S3 origin, default behaviour on the ALB, with a certificate. */
const full = (s: TerraformStack): DistributionProps => ({
  comment: 'acme cdn',
  origins: {
    api: { kind: 'http', domainName: 'origin.example.com', originHeader: { value: secret(s) } },
    assets: s3Origin,
  },
  defaultBehavior: { originId: 'api' },
  aliases: ['cdn.example.com', '*.cdn.example.com'],
  certificateArn: CERT,
});
type Behavior = Record<string, unknown>;

describe('Distribution with an ALB origin, an S3 origin and path behaviours', () => {
  let cdn!: Distribution;
  const r = synth((s) => {
    cdn = new Distribution(s, 'Cdn', {
      ...full(s),
      webAclArn: WAF,
      logging: { bucketDomainName: 'acme-cdn-logs.s3.amazonaws.com', prefix: 'cdn/' },
      geoRestriction: { type: 'deny', countries: ['KP', 'IR'] },
      defaultRootObject: 'index.html',
    });
    cdn.addBehavior('/static/*', 'assets');
    cdn.addBehavior('/upload/*', 'assets', { allowedMethods: 'GET_HEAD_OPTIONS', cachePolicyId: 'my-policy' });
    new DnsAlias(s, 'Alias', { hostedZoneId: zone, domainName: 'cdn.example.com', target: cdn.aliasTarget });
  });
  const dist = inNamedTest('finds the aws_cloudfront_distribution', () => only(r, 'aws_cloudfront_distribution'));
  const origin = (id: string) => (dist.origin as Behavior[]).find((o) => o.origin_id === id)!;

  it('redirects viewers to HTTPS and sends everything else to the ALB uncached, with viewer headers except Host', () => {
    expect(dist.default_cache_behavior).toEqual({
      target_origin_id: 'api',
      viewer_protocol_policy: 'redirect-to-https',
      allowed_methods: ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'],
      cached_methods: ['GET', 'HEAD'],
      compress: true,
      cache_policy_id: ManagedCachePolicy.CACHING_DISABLED,
      origin_request_policy_id: ManagedOriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    });
  });

  it('reaches the ALB over HTTPS with TLS 1.2 only, adding the origin header from the sensitive variable', () => {
    expect(origin('api')).toEqual({
      origin_id: 'api',
      domain_name: 'origin.example.com',
      custom_origin_config: {
        http_port: 80,
        https_port: 443,
        origin_protocol_policy: 'https-only',
        origin_ssl_protocols: ['TLSv1.2'],
        origin_read_timeout: 30,
      },
      custom_header: [{ name: 'X-Origin-Verify', value: '${var.origin_secret}' }],
    });
  });

  it('reads S3 through one origin access control that always signs with SigV4', () => {
    expect(only(r, 'aws_cloudfront_origin_access_control')).toMatchObject({
      origin_access_control_origin_type: 's3',
      signing_behavior: 'always',
      signing_protocol: 'sigv4',
      name: expect.stringMatching(/^oac-[0-9a-f]{42}$/),
    });
    expect(origin('assets')).toEqual({
      origin_id: 'assets',
      domain_name: 'acme-assets.s3.eu-west-1.amazonaws.com',
      origin_access_control_id: expect.stringMatching(/^\$\{aws_cloudfront_origin_access_control\..*\.id\}$/),
    });
    expect(cdn.originAccessControl).toBeDefined();
  });

  it('serves the path patterns from S3 in the order added, cached with CachingOptimized unless told otherwise', () => {
    const ordered = dist.ordered_cache_behavior as Behavior[];
    expect(ordered.map((b) => b.path_pattern)).toEqual(['/static/*', '/upload/*']);
    expect(ordered[0]).toEqual({
      path_pattern: '/static/*',
      target_origin_id: 'assets',
      viewer_protocol_policy: 'redirect-to-https',
      allowed_methods: ['GET', 'HEAD'],
      cached_methods: ['GET', 'HEAD'],
      compress: true,
      cache_policy_id: ManagedCachePolicy.CACHING_OPTIMIZED,
    });
    expect(ordered[1]).toMatchObject({
      allowed_methods: ['GET', 'HEAD', 'OPTIONS'],
      cache_policy_id: 'my-policy',
      viewer_protocol_policy: 'redirect-to-https',
    });
  });

  it('serves the aliases with the us-east-1 certificate over SNI and TLSv1.2_2021', () => {
    expect(dist.aliases).toEqual(['cdn.example.com', '*.cdn.example.com']);
    expect(dist.viewer_certificate).toEqual({
      acm_certificate_arn: CERT,
      ssl_support_method: 'sni-only',
      minimum_protocol_version: 'TLSv1.2_2021',
    });
  });

  it('attaches the web ACL, standard logs without cookies, the geo restriction and the root object', () => {
    expect(dist).toMatchObject({
      web_acl_id: WAF,
      logging_config: { bucket: 'acme-cdn-logs.s3.amazonaws.com', prefix: 'cdn/', include_cookies: false },
      restrictions: { geo_restriction: { restriction_type: 'blacklist', locations: ['KP', 'IR'] } },
      default_root_object: 'index.html',
      comment: 'acme cdn',
    });
  });

  it('points A and AAAA alias records at the distribution without target health', () => {
    const records = all(r, 'aws_route53_record');
    expect(records.map((x) => x.type).sort()).toEqual(['A', 'AAAA']);
    for (const record of records) {
      expect(record).toMatchObject({
        name: 'cdn.example.com',
        alias: {
          name: expect.stringMatching(/aws_cloudfront_distribution\..*\.domain_name/),
          zone_id: 'Z2FDTNDATAQYW2',
          evaluate_target_health: false,
        },
      });
    }
  });

  it('exposes its id, ARN, domain name and the fixed CloudFront hosted zone', () => {
    expect(cdn.distributionId).toMatch(/^\$\{TfToken/);
    expect(cdn.distributionArn).toMatch(/^\$\{TfToken/);
    expect(cdn.domainName).toMatch(/^\$\{TfToken/);
    expect(cdn.hostedZoneId).toBe(CLOUDFRONT_HOSTED_ZONE_ID);
    expect(cdn.aliasTarget).toEqual({ dnsName: cdn.domainName, hostedZoneId: 'Z2FDTNDATAQYW2', ipv6: true });
  });

  it('gives the bucket policy statement that admits only this distribution', () => {
    expect(cdn.s3OriginReadStatement('assets', 'public/')).toEqual({
      Sid: 'CloudFrontReadassets',
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::acme-assets/public/*',
      Condition: { StringEquals: { 'AWS:SourceArn': cdn.distributionArn } },
    });
  });
});

describe('Distribution defaults with an S3 origin only', () => {
  const r = synth(
    (s) => new Distribution(s, 'Cdn', { origins: { site: s3Origin }, defaultBehavior: { originId: 'site' } }),
  );
  const dist = inNamedTest('finds the aws_cloudfront_distribution', () => only(r, 'aws_cloudfront_distribution'));

  it('is enabled, dual-stack, deleted with the construct and waited for', () => {
    expect(dist).toMatchObject({
      enabled: true,
      is_ipv6_enabled: true,
      retain_on_delete: false,
      wait_for_deployment: true,
    });
  });

  it('applies the documented defaults', () => {
    // comment @default the construct path
    expect(dist.comment).toBe('test/Cdn');
    // httpVersion @default 'http2and3'
    expect(dist.http_version).toBe('http2and3');
    // priceClass @default 'PriceClass_100'
    expect(dist.price_class).toBe('PriceClass_100');
    // aliases @default none
    expect(dist).not.toHaveProperty('aliases');
    // certificateArn @default none: the *.cloudfront.net certificate (its policy is CloudFront's own)
    expect(dist.viewer_certificate).toEqual({ cloudfront_default_certificate: true });
    // webAclArn @default no web ACL
    expect(dist).not.toHaveProperty('web_acl_id');
    // logging @default no access logs
    expect(dist).not.toHaveProperty('logging_config');
    // geoRestriction @default no geo restriction
    expect(dist.restrictions).toEqual({ geo_restriction: { restriction_type: 'none' } });
    // defaultRootObject @default none
    expect(dist).not.toHaveProperty('default_root_object');
  });

  it('serves S3 with GET and HEAD, CachingOptimized, no origin request or response headers policy', () => {
    const behavior = dist.default_cache_behavior as Behavior;
    // allowedMethods @default 'GET_HEAD' for an S3 origin
    expect(behavior.allowed_methods).toEqual(['GET', 'HEAD']);
    // cachePolicyId @default CachingOptimized for an S3 origin
    expect(behavior.cache_policy_id).toBe('658327ea-f89d-4fab-a63d-7e88639e58f6');
    // originRequestPolicyId @default none for an S3 origin
    expect(behavior).not.toHaveProperty('origin_request_policy_id');
    // responseHeadersPolicyId @default none
    expect(behavior).not.toHaveProperty('response_headers_policy_id');
  });
});

describe('Distribution defaults with an HTTP origin and a certificate', () => {
  const r = synth((s) => {
    const props = full(s);
    new Distribution(s, 'Cdn', { ...props, origins: { api: props.origins.api } });
  });
  const dist = inNamedTest('finds the aws_cloudfront_distribution', () => only(r, 'aws_cloudfront_distribution'));
  const api = () => (dist.origin as Behavior[])[0];

  it('applies the documented defaults of the viewer side and the HTTP origin', () => {
    // minimumProtocolVersion @default 'TLSv1.2_2021'
    expect((dist.viewer_certificate as Behavior).minimum_protocol_version).toBe('TLSv1.2_2021');
    const config = api().custom_origin_config as Behavior;
    // protocolPolicy @default 'https-only'
    expect(config.origin_protocol_policy).toBe('https-only');
    // originSslProtocols @default ['TLSv1.2']
    expect(config.origin_ssl_protocols).toEqual(['TLSv1.2']);
    // httpsPort @default 443
    expect(config.https_port).toBe(443);
    // readTimeoutSeconds @default 30
    expect(config.origin_read_timeout).toBe(30);
    // originHeader.name @default 'X-Origin-Verify'
    expect(api().custom_header).toEqual([{ name: 'X-Origin-Verify', value: '${var.origin_secret}' }]);
  });

  it('serves the HTTP origin with every method, CachingDisabled and AllViewerExceptHostHeader', () => {
    const behavior = dist.default_cache_behavior as Behavior;
    // allowedMethods @default 'ALL' for an HTTP origin
    expect(behavior.allowed_methods).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
    // cachePolicyId @default CachingDisabled for an HTTP origin
    expect(behavior.cache_policy_id).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
    // originRequestPolicyId @default AllViewerExceptHostHeader for an HTTP origin
    expect(behavior.origin_request_policy_id).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac');
  });

  it('creates no origin access control without an S3 origin', () => {
    expect(r.aws_cloudfront_origin_access_control).toBeUndefined();
  });
});

describe('Certificate in us-east-1 and DnsAlias defaults for CloudFront', () => {
  const r = synth((s) => {
    new AwsProvider(s, 'aws', { region: 'eu-west-1' });
    const us: TerraformProvider = new AwsProvider(s, 'us', { region: 'us-east-1', alias: 'us' });
    new Certificate(s, 'Cert', { domainName: 'cdn.example.com', hostedZoneId: zone, provider: us });
    new Certificate(s, 'Regional', { domainName: 'api.example.com', hostedZoneId: zone });
    new DnsAlias(s, 'Alias', {
      hostedZoneId: zone,
      domainName: 'lb.example.com',
      target: { dnsName: 'x.cloudfront.net', hostedZoneId: CLOUDFRONT_HOSTED_ZONE_ID },
    });
  });
  const certs = () => all(r, 'aws_acm_certificate');

  it('issues and validates the certificate through the given provider, the records through the default one', () => {
    expect(certs()[0].provider).toBe('aws.us');
    const validations = all(r, 'aws_acm_certificate_validation');
    expect(validations.map((v) => v.provider)).toEqual(['aws.us', undefined]);
    for (const record of all(r, 'aws_route53_record')) expect(record.provider).toBeUndefined();
  });

  it('uses the default provider without one', () => {
    // provider @default the stack's default AWS provider
    expect(certs()[1].provider).toBeUndefined();
  });

  it('writes A records only and skips target health for a CloudFront target', () => {
    const aliases = all(r, 'aws_route53_record').filter((x) => x.alias);
    // target.ipv6 @default false
    expect(aliases.map((a) => a.type)).toEqual(['A']);
    // evaluateTargetHealth @default false for a CloudFront target
    expect(aliases[0].alias).toMatchObject({ zone_id: 'Z2FDTNDATAQYW2', evaluate_target_health: false });
  });
});

describe('Distribution rejections', () => {
  const build =
    (change: (p: DistributionProps) => Partial<DistributionProps>, extra?: (d: Distribution) => void) => () =>
      synth((s) => {
        const base = full(s);
        const d = new Distribution(s, 'Cdn', { ...base, ...change(base) });
        extra?.(d);
      });
  const headerValue = (p: DistributionProps) => (p.origins.api as HttpOrigin).originHeader.value;
  const api = (p: DistributionProps, change: object) => ({
    origins: { ...p.origins, api: { ...p.origins.api, ...change } as DistributionProps['origins'][string] },
  });

  it('rejects a literal origin header value without printing it', () => {
    let message = '';
    try {
      build((p) => api(p, { originHeader: { value: 'hunter2-secret' } }))();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(
      /^test\/Cdn: invalid origins\.api\.originHeader\.value "<literal, not shown>"\. .*Secrets Manager/,
    );
    expect(message).not.toContain('hunter2');
  });

  it('rejects origin header names CloudFront refuses to add', () => {
    expect(build((p) => api(p, { originHeader: { name: 'Host', value: headerValue(p) } }))).toThrow(
      /test\/Cdn: invalid origins\.api\.originHeader\.name "Host"/,
    );
    expect(build((p) => api(p, { originHeader: { name: 'X-Amz-Secret', value: headerValue(p) } }))).toThrow(
      /test\/Cdn: invalid origins\.api\.originHeader\.name "X-Amz-Secret"/,
    );
  });

  it('rejects plain HTTP and old TLS towards the origin', () => {
    expect(build((p) => api(p, { protocolPolicy: 'http-only' }))).toThrow(
      /test\/Cdn: invalid origins\.api\.protocolPolicy "http-only"\. Use "https-only"/,
    );
    expect(build((p) => api(p, { originSslProtocols: ['TLSv1.1', 'TLSv1.2'] }))).toThrow(
      /test\/Cdn: invalid origins\.api\.originSslProtocols \["TLSv1\.1","TLSv1\.2"\]/,
    );
  });

  it('rejects an origin port or read timeout out of range', () => {
    expect(build((p) => api(p, { httpsPort: 0 }))).toThrow(/test\/Cdn: invalid origins\.api\.httpsPort 0/);
    expect(build((p) => api(p, { readTimeoutSeconds: 181 }))).toThrow(
      /test\/Cdn: invalid origins\.api\.readTimeoutSeconds 181/,
    );
  });

  it('rejects bad origin ids and S3 origin names', () => {
    expect(build((p) => ({ origins: { 'my origin': p.origins.assets } }))).toThrow(
      /test\/Cdn: invalid origins "my origin"/,
    );
    expect(build(() => ({ origins: {} }))).toThrow(/test\/Cdn: invalid origins \{\}/);
    expect(
      build((p) => ({
        origins: { ...p.origins, assets: { ...s3Origin, bucketRegionalDomainName: 'acme-assets.s3.amazonaws.com' } },
      })),
    ).toThrow(/test\/Cdn: invalid origins\.assets\.bucketRegionalDomainName "acme-assets\.s3\.amazonaws\.com"/);
    expect(build((p) => ({ origins: { ...p.origins, assets: { ...s3Origin, bucketArn: 'acme-assets' } } }))).toThrow(
      /test\/Cdn: invalid origins\.assets\.bucketArn "acme-assets"/,
    );
  });

  it('rejects a default behaviour on an unknown origin and bad methods', () => {
    expect(build(() => ({ defaultBehavior: { originId: 'nope' } }))).toThrow(
      /test\/Cdn: invalid defaultBehavior\.originId "nope"\. Use the key of one of the origins/,
    );
    expect(build(() => ({ defaultBehavior: { originId: 'api', allowedMethods: 'POST' as never } }))).toThrow(
      /test\/Cdn: invalid defaultBehavior\.allowedMethods "POST"/,
    );
  });

  it('rejects aliases without a certificate, a certificate without aliases, and one outside us-east-1', () => {
    expect(build(() => ({ certificateArn: undefined }))).toThrow(
      /test\/Cdn: invalid certificateArn undefined\. Aliases need a certificate/,
    );
    expect(build(() => ({ aliases: undefined }))).toThrow(
      /test\/Cdn: invalid certificateArn ".*"\. A certificate is only used with aliases/,
    );
    const regional = CERT.replace('us-east-1', 'eu-west-1');
    expect(build(() => ({ certificateArn: regional }))).toThrow(
      new RegExp(`test/Cdn: invalid certificateArn "${regional}"\\. CloudFront reads ACM certificates from us-east-1`),
    );
  });

  it('rejects bad or repeated aliases', () => {
    expect(build(() => ({ aliases: ['CDN.example.com'] }))).toThrow(/test\/Cdn: invalid aliases "CDN\.example\.com"/);
    expect(build(() => ({ aliases: ['a.example.com', 'a.example.com'] }))).toThrow(
      /test\/Cdn: invalid aliases \["a\.example\.com","a\.example\.com"\]\. List each domain name once/,
    );
  });

  it('rejects TLS policies older than TLSv1.2_2021, and one without a certificate', () => {
    expect(build(() => ({ minimumProtocolVersion: 'TLSv1.2_2019' as never }))).toThrow(
      /test\/Cdn: invalid minimumProtocolVersion "TLSv1\.2_2019"/,
    );
    expect(
      build(() => ({ aliases: undefined, certificateArn: undefined, minimumProtocolVersion: 'TLSv1.2_2021' })),
    ).toThrow(/test\/Cdn: invalid minimumProtocolVersion "TLSv1\.2_2021"\. The \*\.cloudfront\.net certificate/);
  });

  it('rejects unknown HTTP versions, price classes and a too long comment', () => {
    expect(build(() => ({ httpVersion: 'http4' as never }))).toThrow(/test\/Cdn: invalid httpVersion "http4"/);
    expect(build(() => ({ priceClass: 'PriceClass_50' as never }))).toThrow(
      /test\/Cdn: invalid priceClass "PriceClass_50"/,
    );
    expect(build(() => ({ comment: 'x'.repeat(129) }))).toThrow(/test\/Cdn: invalid comment "x{129}"/);
  });

  it('rejects a regional or WAF Classic web ACL', () => {
    const regional = WAF.replace('global', 'regional');
    expect(build(() => ({ webAclArn: regional }))).toThrow(
      new RegExp(`test/Cdn: invalid webAclArn "${regional}"\\. Give the ARN of a WAFv2 web ACL with scope CLOUDFRONT`),
    );
    expect(build(() => ({ webAclArn: 'a1b2c3d4-5678-90ab-cdef' }))).toThrow(/test\/Cdn: invalid webAclArn "a1b2c3d4/);
  });

  it('rejects a log bucket given by name and a prefix with a leading slash', () => {
    expect(build(() => ({ logging: { bucketDomainName: 'acme-logs' } }))).toThrow(
      /test\/Cdn: invalid logging\.bucketDomainName "acme-logs"/,
    );
    expect(build(() => ({ logging: { bucketDomainName: 'acme-logs.s3.amazonaws.com', prefix: '/cdn' } }))).toThrow(
      /test\/Cdn: invalid logging\.prefix "\/cdn"/,
    );
  });

  it('rejects lower-case or empty country lists and a root object with a slash', () => {
    expect(build(() => ({ geoRestriction: { type: 'allow', countries: ['nl'] } }))).toThrow(
      /test\/Cdn: invalid geoRestriction\.countries \["nl"\]/,
    );
    expect(build(() => ({ geoRestriction: { type: 'allow', countries: [] } }))).toThrow(
      /test\/Cdn: invalid geoRestriction\.countries \[\]/,
    );
    expect(build(() => ({ defaultRootObject: '/index.html' }))).toThrow(
      /test\/Cdn: invalid defaultRootObject "\/index\.html"/,
    );
  });

  it('rejects behaviours on unknown origins, for "*", or for a pattern twice', () => {
    expect(
      build(
        () => ({}),
        (d) => d.addBehavior('/x/*', 'nope'),
      ),
    ).toThrow(/test\/Cdn: invalid addBehavior\(\/x\/\*\)\.originId "nope"/);
    expect(
      build(
        () => ({}),
        (d) => d.addBehavior('*', 'assets'),
      ),
    ).toThrow(/test\/Cdn: invalid addBehavior\.pathPattern "\*"/);
    expect(
      build(
        () => ({}),
        (d) => {
          d.addBehavior('/x/*', 'assets');
          d.addBehavior('/x/*', 'api');
        },
      ),
    ).toThrow(/test\/Cdn: invalid addBehavior\.pathPattern "\/x\/\*"\. Each path pattern may have one behaviour/);
  });

  it('gives S3 read statements for S3 origins only', () => {
    expect(
      build(
        () => ({}),
        (d) => d.s3OriginReadStatement('api'),
      ),
    ).toThrow(/test\/Cdn: invalid s3OriginReadStatement\.originId "api"/);
  });

  it('rejects target health on a CloudFront alias', () => {
    expect(() =>
      synth(
        (s) =>
          new DnsAlias(s, 'Alias', {
            hostedZoneId: zone,
            domainName: 'cdn.example.com',
            target: { dnsName: 'x.cloudfront.net', hostedZoneId: CLOUDFRONT_HOSTED_ZONE_ID },
            evaluateTargetHealth: true,
          }),
      ),
    ).toThrow(/test\/Alias: invalid evaluateTargetHealth true\. Route 53 cannot evaluate the health of a CloudFront/);
  });
});
