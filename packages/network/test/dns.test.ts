import { Certificate, CertificateProps, DnsAlias, isDomainName } from '../src';
import { TerraformOutput, Testing, TerraformStack } from 'cdktf';
import { all, inNamedTest, synth } from '@tts-ecs/testing';

const zone = 'Z0123456789ABCDEFGHIJ';

describe('Certificate with wildcard and DnsAlias', () => {
  let cert!: Certificate;
  const r = synth((s) => {
    cert = new Certificate(s, 'Cert', {
      domainName: 'eu1.example.com',
      hostedZoneId: zone,
      includeWildcard: true,
      subjectAlternativeNames: ['api.example.com'],
    });
    new DnsAlias(s, 'Alias', {
      domainName: 'eu1.example.com',
      hostedZoneId: zone,
      includeWildcard: true,
      target: { dnsName: 'nlb.example', hostedZoneId: 'Z2IFOLAFXWLO4F' },
    });
  });
  const records = () => all(r, 'aws_route53_record');
  const validationRecords = () => records().filter((x) => x.allow_overwrite === true);

  it('requests a DNS-validated certificate for the domain and its wildcard', () => {
    expect(all(r, 'aws_acm_certificate')[0]).toMatchObject({
      domain_name: 'eu1.example.com',
      subject_alternative_names: ['*.eu1.example.com', 'api.example.com'],
      validation_method: 'DNS',
      lifecycle: { create_before_destroy: true },
    });
    expect(cert.names).toEqual(['eu1.example.com', '*.eu1.example.com', 'api.example.com']);
  });

  it('writes one validation record per distinct name (apex and wildcard share one), allowing overwrite', () => {
    expect(validationRecords()).toHaveLength(2);
    for (const record of validationRecords()) expect(record).toMatchObject({ zone_id: zone, ttl: 300 });
    const validated = validationRecords()
      .map((x) => /val\.domain_name == "([^"]+)"/.exec(x.name as string)?.[1])
      .sort();
    expect(validated).toEqual(['api.example.com', 'eu1.example.com']);
    for (const record of validationRecords()) {
      expect(record.name).toMatch(
        /^\$\{one\(\[.*aws_acm_certificate\..*\.domain_validation_options.*val\.resource_record_name if /,
      );
      expect(record.type).toContain('val.resource_record_type if');
      expect(record.records).toEqual([expect.stringContaining('val.resource_record_value if')]);
    }
  });

  it('waits for validation through the records and exposes the validated ARN', () => {
    const validation = all(r, 'aws_acm_certificate_validation')[0];
    expect(validation.validation_record_fqdns).toHaveLength(2);
    expect(validation.validation_record_fqdns).toEqual([
      expect.stringMatching(/aws_route53_record\..*\.fqdn/),
      expect.stringMatching(/aws_route53_record\..*\.fqdn/),
    ]);
  });

  it('aliases apex and wildcard to the load balancer, evaluating target health', () => {
    const aliases = records().filter((x) => x.alias);
    expect(aliases.map((a) => a.name)).toEqual(['eu1.example.com', '*.eu1.example.com']);
    for (const a of aliases) {
      expect(a).toMatchObject({
        type: 'A',
        zone_id: zone,
        alias: { name: 'nlb.example', zone_id: 'Z2IFOLAFXWLO4F', evaluate_target_health: true },
      });
      expect(a.allow_overwrite).toBeUndefined();
    }
  });
});

describe('Certificate without wildcard', () => {
  const json = inNamedTest('synthesizes the test stack', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    new TerraformOutput(stack, 'arn', {
      value: new Certificate(stack, 'Cert', { domainName: 'example.com', hostedZoneId: zone }).certificateArn,
    });
    return JSON.parse(Testing.synth(stack));
  });

  it('exposes the ARN of the validation, so listeners wait until the certificate is issued', () => {
    expect(json.output.arn.value).toMatch(/^\$\{aws_acm_certificate_validation\..*\.certificate_arn\}$/);
  });

  it('has no alternative names and one validation record', () => {
    expect(all(json.resource, 'aws_acm_certificate')[0].subject_alternative_names).toBeUndefined();
    expect(all(json.resource, 'aws_route53_record')).toHaveLength(1);
  });
});

describe('DNS validation', () => {
  const cert = (props: Partial<CertificateProps>) => () =>
    synth((s) => new Certificate(s, 'Cert', { domainName: 'example.com', hostedZoneId: zone, ...props }));

  it('rejects upper case, wildcards, trailing dots and names over 64 characters', () => {
    const fix = 'Use a lower-case DNS name without wildcard or trailing dot, at most 64 characters';
    expect(cert({ domainName: 'Example.com' })).toThrow(`test/Cert: invalid domainName "Example.com". ${fix}`);
    expect(cert({ domainName: '*.example.com' })).toThrow(
      /invalid domainName "\*\.example\.com"\. .*set includeWildcard for \*\.name/,
    );
    expect(cert({ domainName: 'example.com.' })).toThrow(/invalid domainName "example\.com\."/);
    expect(cert({ domainName: `${'a'.repeat(60)}.example.com` })).toThrow(/longer names go in subjectAlternativeNames/);
  });

  it('rejects a hosted zone id with its path and bad alternative names', () => {
    expect(cert({ hostedZoneId: '/hostedzone/Z123' })).toThrow(
      'test/Cert: invalid hostedZoneId "/hostedzone/Z123". Give the hosted zone id alone',
    );
    expect(cert({ subjectAlternativeNames: ['a.*.example.com'] })).toThrow(
      'test/Cert: invalid subjectAlternativeNames "a.*.example.com".',
    );
  });

  it('rejects an alias without a target or with a bad name', () => {
    expect(() =>
      synth(
        (s) =>
          new DnsAlias(s, 'Alias', {
            domainName: 'x.example.com',
            hostedZoneId: zone,
            target: { dnsName: '', hostedZoneId: '' },
          }),
      ),
    ).toThrow(
      'test/Alias: invalid target {"dnsName":"","hostedZoneId":""}. Give the dnsName and hostedZoneId of the load balancer.',
    );
    expect(() =>
      synth(
        (s) =>
          new DnsAlias(s, 'Alias', {
            domainName: 'x_y.example.com',
            hostedZoneId: zone,
            target: { dnsName: 'a', hostedZoneId: 'Z1' },
          }),
      ),
    ).toThrow('test/Alias: invalid domainName "x_y.example.com".');
  });

  it('knows what a DNS name is', () => {
    expect(isDomainName('a-b.example.co.uk')).toBe(true);
    expect(isDomainName('*.example.com')).toBe(false);
    expect(isDomainName('*.example.com', true)).toBe(true);
    for (const bad of ['example', '-a.example.com', 'a..example.com', 'example.123', `${'a'.repeat(64)}.com`])
      expect(isDomainName(bad)).toBe(false);
  });
});
