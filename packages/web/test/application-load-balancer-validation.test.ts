import { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { only, synth } from '@tts-ecs/testing';
import {
  AlbRouteOptions,
  AlbTargetGroupOptions,
  ApplicationLoadBalancer,
  ApplicationLoadBalancerProps,
  targetGroupName,
} from '../src';

const CERT = 'arn:aws:acm:eu-west-1:111111111111:certificate/0a1b2c3d-1111-2222-3333-444455556666';
const base: ApplicationLoadBalancerProps = {
  name: 'acme-prod-web',
  vpcId: 'vpc-123',
  subnetIds: ['subnet-a', 'subnet-b'],
  internetFacing: true,
  certificateArn: CERT,
  accessLogs: { bucket: 'acme-prod-logs', prefix: 'alb/web' },
};
const PL = 'pl-4fa04526';

describe('ApplicationLoadBalancer validation', () => {
  const make = (props: Partial<ApplicationLoadBalancerProps>) => () =>
    synth((s) => new ApplicationLoadBalancer(s, 'Alb', { ...base, ...props }));
  const group = (options: Partial<AlbTargetGroupOptions>) => () =>
    synth((s) => new ApplicationLoadBalancer(s, 'Alb', base).addTargetGroup('Api', { port: 8080, ...options }));
  const route =
    (options: Partial<AlbRouteOptions>, restricted = false) =>
    () =>
      synth((s) => {
        const alb = new ApplicationLoadBalancer(s, 'Alb', base);
        const tg = alb.addTargetGroup('Api', { port: 8080 });
        if (restricted) alb.restrictToCloudFront({ cloudFrontPrefixListId: PL, secretValue: secretToken(s) });
        alb.addRoute('Api', { priority: 5, targetGroup: tg, ...options });
      });
  const restrict =
    (options: { headerName?: string; secretValue?: string; id?: string }, props = base) =>
    () =>
      synth((s) =>
        new ApplicationLoadBalancer(s, 'Alb', props).restrictToCloudFront({
          cloudFrontPrefixListId: options.id ?? PL,
          headerName: options.headerName,
          secretValue: options.secretValue ?? secretToken(s),
        }),
      );

  it('rejects names AWS refuses and fewer than two subnets', () => {
    expect(make({ name: 'internal-x' })).toThrow(/test\/Alb: invalid name "internal-x"\. Use 1-32 letters/);
    expect(make({ name: 'bad_' })).toThrow(/test\/Alb: invalid name "bad_"/);
    expect(make({ subnetIds: ['subnet-a'] })).toThrow(
      /test\/Alb: invalid subnetIds \["subnet-a"\]\. Give at least two/,
    );
  });

  it('rejects a certificate that is not an ARN', () => {
    expect(make({ certificateArn: 'my-cert' })).toThrow(/test\/Alb: invalid certificateArn "my-cert"\. Give an ACM/);
    expect(make({ additionalCertificateArns: ['x'] })).toThrow(/test\/Alb: invalid additionalCertificateArns "x"/);
  });

  it('rejects security policies that allow TLS 1.0 or 1.1', () => {
    expect(make({ sslPolicy: 'ELBSecurityPolicy-2016-08' })).toThrow(
      /test\/Alb: invalid sslPolicy "ELBSecurityPolicy-2016-08"\. Use a policy that refuses TLS 1.0 and 1.1/,
    );
    expect(make({ sslPolicy: 'ELBSecurityPolicy-TLS13-1-1-2021-06' })).toThrow(/invalid sslPolicy/);
    expect(make({ sslPolicy: 'ELBSecurityPolicy-TLS13-1-3-2021-06' })).not.toThrow();
  });

  it('rejects an unknown desync mode and an idle timeout out of range', () => {
    expect(make({ desyncMitigationMode: 'off' as never })).toThrow(/test\/Alb: invalid desyncMitigationMode "off"/);
    expect(make({ idleTimeoutSeconds: 0 })).toThrow(
      /test\/Alb: invalid idleTimeoutSeconds 0\. Use a whole number from 1 to 4000/,
    );
  });

  it('requires access logs when internet-facing, and a clean prefix', () => {
    expect(make({ accessLogs: undefined })).toThrow(/test\/Alb: invalid accessLogs undefined\. An internet-facing/);
    expect(make({ accessLogs: undefined, internetFacing: false })).not.toThrow();
    expect(make({ accessLogs: { bucket: 'b', prefix: 'x/AWSLogs' } })).toThrow(
      /test\/Alb: invalid accessLogs\.prefix "x\/AWSLogs"/,
    );
    expect(make({ connectionLogs: { bucket: '' } })).toThrow(/test\/Alb: invalid connectionLogs\.bucket ""/);
  });

  it('rejects target group settings AWS refuses', () => {
    expect(group({ port: 0 })).toThrow(/test\/Alb: invalid addTargetGroup\(Api\)\.port 0/);
    expect(group({ protocol: 'TCP' as never })).toThrow(/test\/Alb: invalid addTargetGroup\(Api\)\.protocol "TCP"/);
    expect(group({ healthCheck: { intervalSeconds: 5, timeoutSeconds: 5 } })).toThrow(
      /test\/Alb: invalid addTargetGroup\(Api\)\.healthCheck\.timeoutSeconds 5\. Use less than the interval/,
    );
    expect(group({ healthCheck: { path: 'health' } })).toThrow(/addTargetGroup\(Api\)\.healthCheck\.path "health"/);
    expect(group({ healthCheck: { matcher: '200-600' } })).toThrow(/healthCheck\.matcher "200-600"/);
    expect(group({ slowStartSeconds: 10 })).toThrow(
      /addTargetGroup\(Api\)\.slowStartSeconds 10\. Use 0 \(off\) or 30-900/,
    );
    expect(group({ deregistrationDelaySeconds: 4000 })).toThrow(/deregistrationDelaySeconds 4000/);
    expect(group({ stickiness: { durationSeconds: 0 } })).toThrow(/stickiness\.durationSeconds 0/);
  });

  it('rejects routes without conditions, over AWS limits, or out of priority range', () => {
    expect(route({})).toThrow(/test\/Alb: invalid addRoute\(Api\)\.conditions .*Give at least one of pathPatterns/);
    expect(route({ pathPatterns: ['/a', '/b', '/c', '/d'] })).toThrow(
      /test\/Alb: invalid addRoute\(Api\)\.pathPatterns \["\/a","\/b","\/c","\/d"\]\. Give 1-3 values/,
    );
    expect(route({ pathPatterns: ['/a', '/b', '/c'], hostHeaders: ['a.b', 'c.d', 'e.f'] })).toThrow(
      /test\/Alb: invalid addRoute\(Api\)\.conditions 6\. A rule holds at most 5/,
    );
    expect(route({ pathPatterns: ['api'] })).toThrow(/addRoute\(Api\)\.pathPatterns "api"\. Start the path with "\/"/);
    expect(route({ pathPatterns: ['/a'], priority: 50001 })).toThrow(
      /test\/Alb: invalid addRoute\(Api\)\.priority 50001/,
    );
    expect(route({ httpHeader: { name: 'bad name', values: ['x'] } })).toThrow(
      /addRoute\(Api\)\.httpHeader\.name "bad name"/,
    );
  });

  it('counts the CloudFront header against the 5 values of a rule', () => {
    expect(route({ pathPatterns: ['/a', '/b'], hostHeaders: ['a.b', 'c.d'] }, true)).not.toThrow();
    expect(route({ pathPatterns: ['/a', '/b', '/c'], hostHeaders: ['a.b', 'c.d'] }, true)).toThrow(
      /test\/Alb: invalid addRoute\(Api\)\.conditions 6\. .*X-Origin-Verify header of restrictToCloudFront/,
    );
  });

  it('rejects a priority another route has, naming both routes', () => {
    const twice = () =>
      synth((s) => {
        const alb = new ApplicationLoadBalancer(s, 'Alb', base);
        const tg = alb.addTargetGroup('Api', { port: 8080 });
        alb.addRoute('First', { priority: 7, targetGroup: tg, pathPatterns: ['/a'] });
        alb.addRoute('Second', { priority: 7, targetGroup: tg, pathPatterns: ['/b'] });
      });
    expect(twice).toThrow(/test\/Alb: invalid addRoute\(Second\)\.priority 7\. Route "First" has priority 7 already/);
  });

  it('refuses a literal CloudFront secret without printing it', () => {
    expect(restrict({ secretValue: 'hunter2' })).toThrow(
      /test\/Alb: invalid restrictToCloudFront\.secretValue "<a literal string>"\. Pass the secret as a token/,
    );
    expect(restrict({ secretValue: 'hunter2' })).not.toThrow(/hunter2/);
  });

  it('refuses CloudFront restriction on internal load balancers, twice, or with a bad header or prefix list', () => {
    expect(restrict({}, { ...base, internetFacing: false })).toThrow(
      /test\/Alb: invalid restrictToCloudFront "internal"\. CloudFront reaches an internal load balancer/,
    );
    expect(restrict({ headerName: 'X Bad' })).toThrow(/test\/Alb: invalid restrictToCloudFront\.headerName "X Bad"/);
    expect(restrict({ id: 'cloudfront' })).toThrow(
      /test\/Alb: invalid restrictToCloudFront\.cloudFrontPrefixListId "cloudfront"\. Give the id/,
    );
    const twice = () =>
      synth((s) => {
        const alb = new ApplicationLoadBalancer(s, 'Alb', base);
        alb.restrictToCloudFront({ cloudFrontPrefixListId: PL, secretValue: secretToken(s) });
        alb.restrictToCloudFront({ cloudFrontPrefixListId: PL, secretValue: secretToken(s, 'other') });
      });
    expect(twice).toThrow(/test\/Alb: invalid restrictToCloudFront .*It was called already/);
  });

  it('lets unresolved tokens through unchecked', () => {
    const tokens = () =>
      synth((s) => {
        const v = (name: string) => new TerraformVariable(s, name, { type: 'string' }).stringValue;
        const alb = new ApplicationLoadBalancer(s, 'Alb', {
          ...base,
          subnetIds: new TerraformVariable(s, 'subnets', { type: 'list(string)' }).listValue,
          certificateArn: v('cert'),
          sslPolicy: v('policy'),
        });
        alb.addTargetGroup('Api', { port: 8080, healthCheck: { path: v('path') } });
      });
    expect(tokens).not.toThrow();
  });
});

describe('targetGroupName', () => {
  it('stays within 32 characters and changes with the replacing attributes', () => {
    const long = targetGroupName('a'.repeat(32), 'test/Alb', 'VeryLongTargetGroupId', [8080, 'HTTP', 'ip']);
    expect(long.length).toBeLessThanOrEqual(32);
    expect(long).toMatch(/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/);
    expect(targetGroupName('lb', 'test/Alb', 'Api', [8080, 'HTTP', 'ip'])).not.toBe(
      targetGroupName('lb', 'test/Alb', 'Api', [8081, 'HTTP', 'ip']),
    );
    expect(targetGroupName('lb', 'test/Alb', 'Api', [8080, 'HTTP', 'ip'])).toBe(
      targetGroupName('lb', 'test/Alb', 'Api', [8080, 'HTTP', 'ip']),
    );
  });

  it('gives a port change a new name through addTargetGroup', () => {
    const name = (port: number) =>
      only(
        synth((s) => new ApplicationLoadBalancer(s, 'Alb', base).addTargetGroup('Api', { port })),
        'aws_lb_target_group',
      ).name;
    expect(name(8080)).not.toBe(name(9090));
  });
});

/** A sensitive variable standing for a Secrets Manager value. */
function secretToken(scope: Construct, name = 'origin_secret'): string {
  return new TerraformVariable(scope, name, { type: 'string', sensitive: true }).stringValue;
}
