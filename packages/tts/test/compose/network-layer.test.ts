import { Json, exampleConfig, resources, stackNamed, synthAll } from './helpers';

describe('network layer of the example deployment', () => {
  const config = exampleConfig();
  const stacks = synthAll(config);
  const primary = stackNamed(stacks, 'acme-prod-eu1-network');
  const us1 = stackNamed(stacks, 'acme-prod-us1-network');
  // The primary's resource of a type built under Network/<id>/ (logical ids start with the construct path).
  const byPath = (type: string, id: string): Json => {
    const found = Object.entries((primary.resource[type] ?? {}) as Record<string, Json>)
      .filter(([logicalId]) => logicalId.startsWith(`Network_${id}_`))
      .map(([, r]) => r);
    if (found.length !== 1) throw new Error(`expected one ${type} under Network/${id}, found ${found.length}`);
    return found[0];
  };

  it('creates one network stack per cluster, named <prefix>-<environment>-<cluster>-network', () => {
    expect(
      Object.keys(stacks)
        .filter((name) => name.endsWith('-network'))
        .sort(),
    ).toEqual(['acme-prod-ap1-network', 'acme-prod-eu1-network', 'acme-prod-us1-network']);
  });

  it('keeps state in the S3 backend, encrypted, with native locking, under <environment>/<cluster>/<layer>.tfstate', () => {
    expect(primary.terraform.backend.s3).toEqual({
      bucket: 'acme-tts-ecs-state',
      key: 'prod/eu1/network.tfstate',
      region: 'eu-west-1',
      encrypt: true,
      use_lockfile: true,
    });
    expect(primary.terraform.required_version).toBe('>= 1.10');
  });

  it('pins each provider to the cluster account and region and tags everything', () => {
    const [provider] = us1.provider.aws;
    expect(provider.region).toBe('us-east-1');
    expect(provider.allowed_account_ids).toEqual(['111111111111']);
    expect(provider.default_tags[0].tags).toEqual({
      Deployment: 'acme',
      Environment: 'prod',
      Cluster: 'us1',
      Layer: 'network',
      ManagedBy: 'tts-ecs',
    });
  });

  it('builds public, private and data subnets in every configured zone', () => {
    const subnets = resources(primary, 'aws_subnet');
    expect(subnets).toHaveLength(9);
    expect(new Set(subnets.map((s) => s.availability_zone))).toEqual(
      new Set(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']),
    );
    expect(resources(us1, 'aws_subnet')).toHaveLength(6);
  });

  it('follows the NAT mode: per zone by default, one when the cluster asks for single', () => {
    expect(resources(primary, 'aws_nat_gateway')).toHaveLength(3);
    expect(resources(us1, 'aws_nat_gateway')).toHaveLength(1);
  });

  it('gives the NLB one Elastic IP per zone, deletion protection and KMS-encrypted access logs', () => {
    const [nlb] = resources(primary, 'aws_lb');
    expect(nlb.load_balancer_type).toBe('network');
    expect(nlb.internal).toBe(false);
    expect(nlb.enable_deletion_protection).toBe(true);
    expect(nlb.subnet_mapping).toHaveLength(3);
    expect(nlb.access_logs).toMatchObject({ enabled: true, prefix: 'nlb' });
    const nlbLogs = (type: string) => byPath(type, 'AccessLogs');
    expect(
      nlbLogs('aws_s3_bucket_server_side_encryption_configuration').rule[0].apply_server_side_encryption_by_default
        .sse_algorithm,
    ).toBe('aws:kms');
    expect(nlbLogs('aws_s3_bucket').bucket).toBe('acme-prod-eu1-nlb-logs-111111111111');
  });

  it('keeps a per-cluster SSE-S3 bucket for the S3 access logs of its buckets, not logged itself, 365 days', () => {
    const logs = byPath('aws_s3_bucket', 'ServerAccessLogs');
    expect(logs).toMatchObject({ bucket: 'acme-prod-eu1-s3-logs-111111111111', lifecycle: { prevent_destroy: true } });
    expect(byPath('aws_s3_bucket_server_side_encryption_configuration', 'ServerAccessLogs').rule[0]).toEqual({
      apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' },
    });
    expect(byPath('aws_s3_bucket_lifecycle_configuration', 'ServerAccessLogs').rule[0].expiration).toEqual([
      { days: 365 },
    ]);
    const admit = JSON.parse(byPath('aws_s3_bucket_policy', 'ServerAccessLogs').policy).Statement.find(
      (st: Json) => st.Principal?.Service === 'logging.s3.amazonaws.com',
    );
    // Only this cluster's buckets (named <prefix>-<environment>-<cluster>-<purpose>-<account>) of this account.
    expect(admit.Condition).toEqual({
      ArnLike: { 'aws:SourceArn': ['arn:aws:s3:::acme-prod-eu1-*-111111111111'] },
      StringEquals: { 'aws:SourceAccount': '111111111111' },
    });
    expect(resources(primary, 'aws_s3_bucket_logging')).toEqual([]);
  });

  it('sends flow logs to an encrypted log group with retention', () => {
    const [group] = resources(primary, 'aws_cloudwatch_log_group');
    expect(group.kms_key_id).toBeDefined();
    expect(group.retention_in_days).toBe(365);
    expect(resources(primary, 'aws_flow_log')).toHaveLength(1);
  });

  it('issues a certificate for the cluster domain and points the domain at the NLB', () => {
    expect(resources(primary, 'aws_acm_certificate')[0].domain_name).toBe('lns.example.com');
    expect(resources(us1, 'aws_acm_certificate')[0].domain_name).toBe('us1.lns.example.com');
    const [alias] = resources(primary, 'aws_route53_record').filter((r) => r.alias);
    expect(alias).toMatchObject({ name: 'lns.example.com', type: 'A', zone_id: 'Z0123456789EXAMPLE' });
    expect(alias.alias.evaluate_target_health).toBe(true);
  });

  it('adds the bastion only when the feature is on', () => {
    expect(resources(primary, 'aws_instance')).toHaveLength(1);
    const without = synthAll(exampleConfig((c) => (c.features = { bastion: false })));
    expect(resources(without['acme-prod-eu1-network'], 'aws_instance')).toHaveLength(0);
  });
});

describe('multi-tenant deployment', () => {
  const stacks = synthAll(exampleConfig((c) => (c.multiTenant = true)));
  const primary = stackNamed(stacks, 'acme-prod-eu1-network');

  it('adds the wildcard name to the certificate and a wildcard DNS record', () => {
    expect(resources(primary, 'aws_acm_certificate')[0].subject_alternative_names).toEqual(['*.lns.example.com']);
    const names = resources(primary, 'aws_route53_record')
      .filter((r) => r.alias)
      .map((r) => r.name);
    expect(names.sort()).toEqual(['*.lns.example.com', 'lns.example.com']);
  });
});
