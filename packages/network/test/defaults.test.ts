// Every documented `@default` of the network constructs that no other test pins: each construct is built once with its
// required props only, and each default has an assertion naming the prop, so changing a default fails here.
// Already pinned elsewhere: Certificate (dns.test.ts), NetworkLoadBalancer and allowIngress (load-balancer.test.ts),
// Network (network.test.ts).
import { all, env, inNamedTest, only, synth } from '@tts-ecs/testing';
import { Bastion, DnsAlias, VpcFlowLogs } from '../src';

describe('Bastion defaults', () => {
  const r = synth(
    (s) =>
      new Bastion(s, 'Bastion', {
        name: 'acme-prod-eu1',
        environment: env,
        vpcId: 'vpc-1',
        vpcCidr: '10.0.0.0/16',
        subnetId: 'subnet-pub',
      }),
  );
  const template = inNamedTest('finds the aws_launch_template', () => only(r, 'aws_launch_template'));
  const ebs = () => (template.block_device_mappings as { ebs: Record<string, unknown> }[])[0].ebs;

  it('runs a t4g.nano on the arm64 image', () => {
    // instanceType @default 't4g.nano'
    expect(template.instance_type).toBe('t4g.nano');
    expect(template.image_id).toMatch(/al2023-ami-kernel-default-arm64$/);
  });

  it('has an 8 GiB root volume encrypted with the default EBS key', () => {
    // rootVolumeSizeGiB @default 8
    expect(ebs().volume_size).toBe(8);
    // volumeKmsKeyArn @default the account's default EBS key (aws/ebs): encrypted, no key named
    expect(ebs().encrypted).toBe('true');
    expect(ebs()).not.toHaveProperty('kms_key_id');
  });

  it('admits no SSH and has no key pair', () => {
    // sshAllowedCidrs @default none: no ingress
    expect(r.aws_vpc_security_group_ingress_rule).toBeUndefined();
    // keyName @default none
    expect(template).not.toHaveProperty('key_name');
  });

  it('gets a public IPv4 address', () => {
    // associatePublicIpAddress @default true
    expect(only(r, 'aws_instance').associate_public_ip_address).toBe(true);
  });
});

describe('DnsAlias defaults', () => {
  const r = synth(
    (s) =>
      new DnsAlias(s, 'Alias', {
        hostedZoneId: 'Z0123456789ABCDEFGHIJ',
        domainName: 'eu1.example.com',
        target: { dnsName: 'nlb.example', hostedZoneId: 'Z2IFOLAFXWLO4F' },
      }),
  );

  it('points the apex only, evaluating target health', () => {
    const records = all(r, 'aws_route53_record');
    // includeWildcard @default false
    expect(records.map((x) => x.name)).toEqual(['eu1.example.com']);
    // evaluateTargetHealth @default true
    expect(records[0].alias).toMatchObject({ evaluate_target_health: true });
  });
});

describe('VpcFlowLogs defaults', () => {
  const r = synth((s) => new VpcFlowLogs(s, 'FlowLogs', { name: 'acme-prod-eu1', environment: env, vpcId: 'vpc-1' }));
  const flowLog = inNamedTest('finds the aws_flow_log', () => only(r, 'aws_flow_log'));

  it('keeps records 365 days', () => {
    // retentionInDays @default 365
    expect(only(r, 'aws_cloudwatch_log_group').retention_in_days).toBe(365);
  });

  it('records all traffic, aggregated over 600 s', () => {
    // trafficType @default 'ALL'
    expect(flowLog.traffic_type).toBe('ALL');
    // maxAggregationInterval @default 600
    expect(flowLog.max_aggregation_interval).toBe(600);
  });

  it('encrypts the log group with a new dedicated key, with rotation and prevent_destroy', () => {
    // kmsKeyArn @default a new EncryptionKey dedicated to the flow logs, with rotation and prevent_destroy
    const key = only(r, 'aws_kms_key');
    expect(key).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
    expect(key.policy).toContain('logs.eu-west-1.amazonaws.com');
    expect(only(r, 'aws_cloudwatch_log_group').kms_key_id).toMatch(/^\$\{aws_kms_key\.FlowLogs_Key_.*\.arn\}$/);
  });
});
