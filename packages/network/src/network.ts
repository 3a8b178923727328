import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { AwsEnvironment, requireOneOf, requireProp, requireEnvironment } from '@tts-ecs/core';
import { planSubnets, SubnetPlan, SUPPORTED_AZ_COUNTS } from '@tts-ecs/core';
import { FlowLogsOptions, VpcFlowLogs } from './flow-logs';
import { InterfaceEndpoints } from './endpoints';
import { requireName } from './names';

export interface NetworkProps {
  /** Prefix for Name tags and resource names, e.g. `acme-prod-eu1`. */
  readonly name: string;
  /** Account and region of the VPC. */
  readonly environment: AwsEnvironment;
  /**
   * IPv4 CIDR of the VPC, /16 to /23 (see `planSubnets` for the layout). Must not overlap the CIDR of any network you
   * will peer or route with (other clusters, on-premises).
   */
  readonly cidr: string;
  /**
   * Availability Zones, 2 or 3, each in `environment.region` (e.g. `eu-west-1a`). Given explicitly (no data source) so
   * plans are deterministic. AZ i gets subnet slot i: append AZs, never reorder, or subnets are replaced.
   */
  readonly availabilityZones: string[];
  /**
   * `per-az`: one NAT gateway per AZ, so an AZ outage does not cut the other AZs' egress.
   * `single`: one NAT gateway for all AZs — cheaper, for non-production.
   * Private route tables exist per AZ in both modes, so switching mode only re-points routes.
   * @default 'per-az'
   */
  readonly natMode?: 'per-az' | 'single';
  /**
   * Flow log settings. Flow logs are always on.
   * @default all traffic, 365 days, a dedicated KMS key
   */
  readonly flowLogs?: FlowLogsOptions;
  /**
   * Interface VPC endpoints to create in the private subnets, by service short name, e.g.
   * `['ecr.api', 'ecr.dkr', 'secretsmanager', 'ssm', 'ssmmessages', 'ec2messages', 'logs']`. Each costs per hour per AZ
   * plus per GB; they keep AWS API traffic off the NAT gateways. The S3 gateway endpoint is always created (free).
   * @default none
   */
  readonly interfaceEndpoints?: string[];
  /**
   * Create the isolated data subnets (databases, caches, file systems; no route to the internet). When false their
   * address ranges stay reserved, so turning them on later renumbers nothing.
   * @default true
   */
  readonly dataSubnets?: boolean;
}

/**
 * A VPC across 2-3 AZs with public, private (egress through NAT) and isolated data subnets, flow logs to a
 * KMS-encrypted log group, the default security group stripped of all rules, an S3 gateway endpoint and optional
 * interface endpoints. Public subnets do not give instances public IPs unless asked.
 */
export class Network extends Construct {
  /** VPC id. */
  readonly vpcId: string;
  /** VPC CIDR, as given. */
  readonly cidr: string;
  /** AZs, in the order given; index i of every subnet list is in AZ i. */
  readonly availabilityZones: string[];
  /** The CIDRs of every tier. */
  readonly subnetPlan: SubnetPlan;
  /** Public subnet ids, one per AZ. */
  readonly publicSubnetIds: string[];
  /** Private subnet ids, one per AZ. */
  readonly privateSubnetIds: string[];
  /** Isolated data subnet ids, one per AZ (empty when `dataSubnets` is false). */
  readonly dataSubnetIds: string[];
  /** Route table of the public subnets. */
  readonly publicRouteTableId: string;
  /** Route tables of the private subnets, one per AZ. */
  readonly privateRouteTableIds: string[];
  /** Route table of the data subnets (no default route), if created. */
  readonly dataRouteTableId?: string;
  /** NAT gateway ids (one per AZ, or one). */
  readonly natGatewayIds: string[];
  /** Public IPs of the NAT gateways: the addresses outbound traffic comes from. */
  readonly natPublicIps: string[];
  /** Flow log group name. */
  readonly flowLogGroupName: string;
  /** Flow log group ARN. */
  readonly flowLogGroupArn: string;
  /** KMS key of the flow log group. */
  readonly flowLogsKmsKeyArn: string;
  /** S3 gateway endpoint id. */
  readonly s3EndpointId: string;
  /** Security group of the interface endpoints, when any were requested. */
  readonly endpointSecurityGroupId?: string;
  /** The VPC resource, for escape hatches. */
  readonly vpc: Vpc;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    requireEnvironment(this, props.environment);
    const { region } = props.environment;
    requireName(this, props.name);
    const azs = props.availabilityZones ?? [];
    requireProp(
      this,
      Array.isArray(azs) && SUPPORTED_AZ_COUNTS.includes(azs.length),
      'availabilityZones',
      azs,
      `Give 2 or 3 Availability Zones of ${region}, e.g. ["${region}a", "${region}b", "${region}c"].`,
    );
    for (const az of azs) {
      requireProp(
        this,
        typeof az === 'string' && az.startsWith(region) && az.length > region.length,
        'availabilityZones',
        az,
        `Every AZ must be in the network's region ${region}, e.g. "${region}a".`,
      );
    }
    const repeated = azs.filter((az, i) => azs.indexOf(az) !== i);
    requireProp(
      this,
      repeated.length === 0,
      'availabilityZones',
      azs,
      `List each AZ once (repeated: ${repeated.join(', ')}).`,
    );
    requireProp(
      this,
      !Token.isUnresolved(props.cidr),
      'cidr',
      props.cidr,
      'Give a literal CIDR: subnets are planned at synth.',
    );
    let plan: SubnetPlan;
    try {
      plan = planSubnets(props.cidr, azs.length);
    } catch (e) {
      requireProp(this, false, 'cidr', props.cidr, (e as Error).message);
      throw e;
    }
    const natMode = props.natMode ?? 'per-az';
    requireOneOf(this, 'natMode', natMode, ['per-az', 'single']);

    this.cidr = props.cidr;
    this.availabilityZones = [...azs];
    this.subnetPlan = plan;
    const name = props.name;
    const suffix = (az: string) => az.slice(region.length); // "a", or "-lax-1a" for Local Zones

    this.vpc = new Vpc(this, 'Vpc', {
      cidrBlock: props.cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true, // private DNS of interface endpoints needs both
      tags: { Name: name },
    });
    this.vpcId = this.vpc.id;

    // Adopting the default security group removes all its rules: nothing can fall back to it.
    new DefaultSecurityGroup(this, 'DefaultSecurityGroup', {
      vpcId: this.vpc.id,
      tags: { Name: `${name}-default-unused` },
    });

    const igw = new InternetGateway(this, 'InternetGateway', { vpcId: this.vpc.id, tags: { Name: name } });
    const publicTable = new RouteTable(this, 'PublicRouteTable', {
      vpcId: this.vpc.id,
      tags: { Name: `${name}-public` },
    });
    new Route(this, 'PublicDefaultRoute', {
      routeTableId: publicTable.id,
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: igw.id,
    });
    this.publicRouteTableId = publicTable.id;

    const publicSubnets = azs.map((az, i) => {
      const subnet = new Subnet(this, `Public-${az}`, {
        vpcId: this.vpc.id,
        availabilityZone: az,
        cidrBlock: plan.public[i],
        mapPublicIpOnLaunch: false, // public addresses only where asked for (NAT EIPs, NLB EIPs)
        tags: { Name: `${name}-public-${suffix(az)}`, Tier: 'public' },
      });
      new RouteTableAssociation(this, `PublicAssociation-${az}`, { subnetId: subnet.id, routeTableId: publicTable.id });
      return subnet;
    });
    this.publicSubnetIds = publicSubnets.map((s) => s.id);

    const natAzs = natMode === 'per-az' ? azs : azs.slice(0, 1);
    const nats = natAzs.map((az, i) => {
      const eip = new Eip(this, `NatEip-${az}`, { domain: 'vpc', tags: { Name: `${name}-nat-${suffix(az)}` } });
      return new NatGateway(this, `Nat-${az}`, {
        allocationId: eip.allocationId,
        subnetId: publicSubnets[i].id,
        connectivityType: 'public',
        tags: { Name: `${name}-nat-${suffix(az)}` },
        dependsOn: [igw],
      });
    });
    this.natGatewayIds = nats.map((n) => n.id);
    this.natPublicIps = nats.map((n) => n.publicIp);

    const privateTables = azs.map((az, i) => {
      const table = new RouteTable(this, `PrivateRouteTable-${az}`, {
        vpcId: this.vpc.id,
        tags: { Name: `${name}-private-${suffix(az)}` },
      });
      new Route(this, `PrivateDefaultRoute-${az}`, {
        routeTableId: table.id,
        destinationCidrBlock: '0.0.0.0/0',
        natGatewayId: this.natGatewayIds[natMode === 'per-az' ? i : 0],
      });
      return table;
    });
    this.privateRouteTableIds = privateTables.map((t) => t.id);
    this.privateSubnetIds = azs.map((az, i) => {
      const subnet = new Subnet(this, `Private-${az}`, {
        vpcId: this.vpc.id,
        availabilityZone: az,
        cidrBlock: plan.private[i],
        tags: { Name: `${name}-private-${suffix(az)}`, Tier: 'private' },
      });
      new RouteTableAssociation(this, `PrivateAssociation-${az}`, {
        subnetId: subnet.id,
        routeTableId: privateTables[i].id,
      });
      return subnet.id;
    });

    const gatewayTables = [...this.privateRouteTableIds];
    this.dataSubnetIds = [];
    if (props.dataSubnets ?? true) {
      // Only the local route: data stores can neither reach nor be reached from the internet.
      const dataTable = new RouteTable(this, 'DataRouteTable', { vpcId: this.vpc.id, tags: { Name: `${name}-data` } });
      this.dataRouteTableId = dataTable.id;
      gatewayTables.push(dataTable.id);
      this.dataSubnetIds = azs.map((az, i) => {
        const subnet = new Subnet(this, `Data-${az}`, {
          vpcId: this.vpc.id,
          availabilityZone: az,
          cidrBlock: plan.data[i],
          tags: { Name: `${name}-data-${suffix(az)}`, Tier: 'data' },
        });
        new RouteTableAssociation(this, `DataAssociation-${az}`, { subnetId: subnet.id, routeTableId: dataTable.id });
        return subnet.id;
      });
    }

    this.s3EndpointId = new VpcEndpoint(this, 'S3Endpoint', {
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: gatewayTables,
      tags: { Name: `${name}-s3` },
    }).id;

    if (props.interfaceEndpoints && props.interfaceEndpoints.length > 0) {
      this.endpointSecurityGroupId = new InterfaceEndpoints(this, 'InterfaceEndpoints', {
        name,
        region,
        vpcId: this.vpc.id,
        vpcCidr: props.cidr,
        subnetIds: this.privateSubnetIds,
        services: props.interfaceEndpoints,
      }).securityGroupId;
    }

    const flowLogs = new VpcFlowLogs(this, 'FlowLogs', {
      ...props.flowLogs,
      name,
      environment: props.environment,
      vpcId: this.vpc.id,
    });
    this.flowLogGroupName = flowLogs.logGroupName;
    this.flowLogGroupArn = flowLogs.logGroupArn;
    this.flowLogsKmsKeyArn = flowLogs.kmsKeyArn;
  }
}
