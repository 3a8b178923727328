import { Network, NetworkProps } from '../src';
import { all, byPath, env, synth } from '@tts-ecs/testing';

const base: NetworkProps = {
  name: 'acme-prod-eu1',
  environment: env,
  cidr: '10.0.0.0/16',
  availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
};

describe('Network with defaults (3 AZs, NAT per AZ) and interface endpoints', () => {
  let network!: Network;
  const r = synth((s) => {
    network = new Network(s, 'Net', { ...base, interfaceEndpoints: ['ecr.api', 'secretsmanager'] });
  });
  const subnets = () => all(r, 'aws_subnet');
  const tier = (t: string) => subnets().filter((s) => (s.tags as Record<string, string>).Tier === t);

  it('enables DNS support and hostnames on the VPC', () => {
    expect(all(r, 'aws_vpc')[0]).toMatchObject({
      cidr_block: '10.0.0.0/16',
      enable_dns_support: true,
      enable_dns_hostnames: true,
    });
  });

  it('creates one subnet of each tier per AZ with the planned CIDRs', () => {
    for (const t of ['public', 'private', 'data'])
      expect(tier(t).map((s) => s.availability_zone)).toEqual(base.availabilityZones);
    expect(tier('private').map((s) => s.cidr_block)).toEqual(['10.0.0.0/18', '10.0.64.0/18', '10.0.128.0/18']);
    expect(byPath(r, 'aws_subnet', 'Public-eu-west-1b')).toMatchObject({
      cidr_block: '10.0.200.0/21',
      map_public_ip_on_launch: false,
    });
    expect(byPath(r, 'aws_subnet', 'Data-eu-west-1c').cidr_block).toBe('10.0.240.0/21');
    expect(network.publicSubnetIds).toHaveLength(3);
    expect(network.dataSubnetIds).toHaveLength(3);
    expect(network.availabilityZones).toEqual(base.availabilityZones);
  });

  it('gives every AZ its own NAT gateway with an Elastic IP, and each private route table its own NAT', () => {
    expect(all(r, 'aws_nat_gateway')).toHaveLength(3);
    expect(all(r, 'aws_eip')).toHaveLength(3);
    expect(network.natPublicIps).toHaveLength(3);
    const routes = all(r, 'aws_route').filter((x) => x.nat_gateway_id);
    expect(new Set(routes.map((x) => x.nat_gateway_id)).size).toBe(3);
    expect(byPath(r, 'aws_nat_gateway', 'Nat-eu-west-1a').depends_on).toEqual([
      expect.stringMatching(/^aws_internet_gateway\./),
    ]);
  });

  it('routes public subnets to the internet gateway and gives data subnets no default route', () => {
    const igwRoute = all(r, 'aws_route').filter((x) => x.gateway_id);
    expect(igwRoute).toHaveLength(1);
    expect(igwRoute[0].route_table_id).toMatch(/aws_route_table\.Net_PublicRouteTable/);
    const dataTable = all(r, 'aws_route_table').find(
      (t) => (t.tags as Record<string, string>).Name === 'acme-prod-eu1-data',
    );
    expect(dataTable).toBeDefined();
    expect(dataTable!.route).toBeUndefined();
    expect(all(r, 'aws_route').some((x) => String(x.route_table_id).includes('DataRouteTable'))).toBe(false);
  });

  it('strips every rule from the default security group', () => {
    const sg = all(r, 'aws_default_security_group')[0];
    expect(sg.vpc_id).toMatch(/aws_vpc\./);
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
  });

  it('sends all traffic to a KMS-encrypted log group kept 365 days, through a role scoped to that group', () => {
    expect(all(r, 'aws_flow_log')[0]).toMatchObject({
      traffic_type: 'ALL',
      log_destination_type: 'cloud-watch-logs',
      max_aggregation_interval: 600,
    });
    const group = all(r, 'aws_cloudwatch_log_group')[0];
    expect(group).toMatchObject({ name: '/vpc/acme-prod-eu1/flow-logs', retention_in_days: 365 });
    expect(group.kms_key_id).toMatch(/aws_kms_key\.Net_FlowLogs_Key.*\.arn/);
    expect(all(r, 'aws_kms_key')[0].lifecycle).toEqual({ prevent_destroy: true });
    const policy = JSON.parse(all(r, 'aws_iam_role_policy')[0].policy as string);
    expect(policy.Statement[0].Resource).toEqual([
      expect.stringMatching(/^\$\{aws_cloudwatch_log_group\..*\.arn\}$/),
      expect.stringMatching(/^\$\{aws_cloudwatch_log_group\..*\.arn\}:\*$/),
    ]);
    const trust = JSON.parse(byPath(r, 'aws_iam_role', 'FlowLogs/Role').assume_role_policy as string);
    expect(trust.Statement[0].Condition.ArnLike['aws:SourceArn']).toBe(
      'arn:aws:ec2:eu-west-1:111111111111:vpc-flow-log/*',
    );
  });

  it('puts the S3 gateway endpoint on the private and data route tables', () => {
    const s3 = byPath(r, 'aws_vpc_endpoint', 'S3Endpoint');
    expect(s3).toMatchObject({ service_name: 'com.amazonaws.eu-west-1.s3', vpc_endpoint_type: 'Gateway' });
    expect(s3.route_table_ids).toHaveLength(4);
    expect((s3.route_table_ids as string[]).some((id) => id.includes('DataRouteTable'))).toBe(true);
  });

  it('creates interface endpoints with private DNS behind a group that admits HTTPS from the VPC only', () => {
    const ecr = byPath(r, 'aws_vpc_endpoint', 'Endpoint_ecr_api');
    expect(ecr).toMatchObject({
      service_name: 'com.amazonaws.eu-west-1.ecr.api',
      vpc_endpoint_type: 'Interface',
      private_dns_enabled: true,
    });
    expect(ecr.subnet_ids).toHaveLength(3);
    const rules = all(r, 'aws_vpc_security_group_ingress_rule');
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ from_port: 443, to_port: 443, ip_protocol: 'tcp', cidr_ipv4: '10.0.0.0/16' });
    expect(network.endpointSecurityGroupId).toBeDefined();
  });
});

describe('Network with a single NAT gateway, no data subnets and a given key', () => {
  let network!: Network;
  const r = synth((s) => {
    network = new Network(s, 'Net', {
      ...base,
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      natMode: 'single',
      dataSubnets: false,
      flowLogs: { kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/abc', retentionInDays: 90, trafficType: 'REJECT' },
    });
  });

  it('has one NAT gateway that both private route tables use', () => {
    expect(all(r, 'aws_nat_gateway')).toHaveLength(1);
    expect(all(r, 'aws_eip')).toHaveLength(1);
    const routes = all(r, 'aws_route').filter((x) => x.nat_gateway_id);
    expect(routes).toHaveLength(2);
    expect(new Set(routes.map((x) => x.nat_gateway_id)).size).toBe(1);
  });

  it('creates no data subnets and no interface endpoints', () => {
    expect(all(r, 'aws_subnet')).toHaveLength(4);
    expect(network.dataSubnetIds).toEqual([]);
    expect(network.dataRouteTableId).toBeUndefined();
    expect(all(r, 'aws_vpc_endpoint')).toHaveLength(1);
  });

  it('uses the given key and settings instead of creating a key', () => {
    expect(r.aws_kms_key).toBeUndefined();
    expect(all(r, 'aws_cloudwatch_log_group')[0]).toMatchObject({
      kms_key_id: 'arn:aws:kms:eu-west-1:111111111111:key/abc',
      retention_in_days: 90,
    });
    expect(all(r, 'aws_flow_log')[0].traffic_type).toBe('REJECT');
  });
});

describe('Network validation', () => {
  const build = (props: Partial<NetworkProps>) => () => synth((s) => new Network(s, 'Net', { ...base, ...props }));

  it('rejects a name that would make invalid resource names', () => {
    expect(build({ name: 'acme_prod' })).toThrow(
      'test/Net: invalid name "acme_prod". Use 1-32 letters, digits and hyphens, starting with a letter.',
    );
  });

  it('rejects one AZ, four AZs, AZs of another region and repeated AZs', () => {
    expect(build({ availabilityZones: ['eu-west-1a'] })).toThrow(
      'test/Net: invalid availabilityZones ["eu-west-1a"]. Give 2 or 3 Availability Zones of eu-west-1, e.g. ["eu-west-1a", "eu-west-1b", "eu-west-1c"].',
    );
    expect(build({ availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c', 'eu-west-1d'] })).toThrow(
      /invalid availabilityZones/,
    );
    expect(build({ availabilityZones: ['eu-west-1a', 'us-east-1b'] })).toThrow(
      'test/Net: invalid availabilityZones "us-east-1b". Every AZ must be in the network\'s region eu-west-1, e.g. "eu-west-1a".',
    );
    expect(build({ availabilityZones: ['eu-west-1a', 'eu-west-1a'] })).toThrow(
      'List each AZ once (repeated: eu-west-1a).',
    );
  });

  it("rejects a CIDR that is too small, malformed or has host bits, with the planner's explanation", () => {
    expect(build({ cidr: '10.0.0.0/24' })).toThrow(
      'test/Net: invalid cidr "10.0.0.0/24". A /24 VPC is too small for 3 AZs',
    );
    expect(build({ cidr: '10.0.0.0' })).toThrow(
      'test/Net: invalid cidr "10.0.0.0". "10.0.0.0" is not an IPv4 CIDR block',
    );
    expect(build({ cidr: '10.0.1.0/16' })).toThrow('the network address of that block is "10.0.0.0/16"');
  });

  it('rejects an unknown NAT mode', () => {
    expect(build({ natMode: 'none' as 'single' })).toThrow(
      'test/Net: invalid natMode "none". Use one of: "per-az", "single".',
    );
  });

  it('rejects malformed and repeated interface endpoint names', () => {
    expect(build({ interfaceEndpoints: ['ECR API'] })).toThrow(
      'test/Net/InterfaceEndpoints: invalid interfaceEndpoints "ECR API". Give service short names',
    );
    expect(build({ interfaceEndpoints: ['ssm', 'ssm'] })).toThrow(
      'test/Net/InterfaceEndpoints: invalid interfaceEndpoints ["ssm"]. List each service once.',
    );
  });

  it('rejects flow log settings CloudWatch and EC2 do not accept', () => {
    expect(build({ flowLogs: { trafficType: 'SOME' as 'ALL' } })).toThrow(
      'test/Net/FlowLogs: invalid flowLogs.trafficType "SOME". Use one of: "ALL", "ACCEPT", "REJECT".',
    );
    expect(build({ flowLogs: { retentionInDays: 400 + 1 } })).toThrow(
      'test/Net/FlowLogs/LogGroup: invalid retentionInDays 401.',
    );
    expect(build({ flowLogs: { maxAggregationInterval: 30 as 60 } })).toThrow(
      'invalid flowLogs.maxAggregationInterval 30. Use one of: 60, 600.',
    );
  });
});
