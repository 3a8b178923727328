import { Construct } from 'constructs';
import { SecureBucket } from '@tts-ecs/data';
import { clusterDomain } from '@tts-ecs/config';
import { LayerStack } from '@tts-ecs/stacks';
import { Bastion, Certificate, DnsAlias, Network, NetworkLoadBalancer } from '@tts-ecs/network';
import { WorkloadSecurityGroup } from '@tts-ecs/compute';

/** What the network layer hands to the layers after it. */
export interface NetworkLayerOutputs {
  readonly network: Network;
  readonly loadBalancer: NetworkLoadBalancer;
  /** Domain this cluster serves. */
  readonly domain: string;
  /** ACM certificate of the domain (and `*.domain` when multi-tenant), issued and validated through DNS. */
  readonly certificate: Certificate;
}

/**
 * Network layer of one cluster (official templates 1-1, 1-2 and the manual DNS/ACM step): VPC with public, private
 * and isolated data subnets over the configured zones, NAT, flow logs, the internet-facing NLB with one Elastic IP per
 * zone and its access-log bucket, the optional bastion, and the certificate and DNS records of the cluster domain.
 */
export class NetworkLayer extends Construct implements NetworkLayerOutputs {
  readonly network: Network;
  readonly loadBalancer: NetworkLoadBalancer;
  readonly domain: string;
  readonly accessLogs: SecureBucket;
  /**
   * `<resourcePrefix>-s3-logs-<account>`: S3 server access logs of the cluster's buckets (the data layer's), under
   * `<bucket name>/`. SSE-S3 (S3 cannot deliver these logs to SSE-KMS buckets), not itself logged, objects expire
   * after 365 days.
   */
  readonly serverAccessLogs: SecureBucket;
  readonly certificate: Certificate;
  readonly dnsAlias: DnsAlias;
  readonly bastion?: Bastion;
  /**
   * Id of the security group every TTS task attaches (`<resourcePrefix>-tasks-*`: no ingress, all egress). Data
   * services (Aurora, Redis, EFS, TimescaleDB) admit it; it lives here so `data` need not depend on `compute`.
   */
  readonly tasksSecurityGroupId: string;

  constructor(stack: LayerStack, id: string) {
    super(stack, id);
    const { config, cluster, environment, resourcePrefix } = stack;
    this.domain = clusterDomain(config, cluster);

    this.network = new Network(this, 'Network', {
      name: resourcePrefix,
      environment,
      cidr: cluster.vpcCidr,
      availabilityZones: cluster.availabilityZones,
      natMode: cluster.natMode,
    });

    this.tasksSecurityGroupId = new WorkloadSecurityGroup(this, 'TasksSecurityGroup', {
      vpcId: this.network.vpcId,
      namePrefix: `${resourcePrefix}-tasks`,
      description: `TTS tasks of ${resourcePrefix}: admitted by the data services`,
    }).securityGroupId;

    // The NLB writes its access logs at creation, so the bucket lives in this layer, not in `data`.
    this.accessLogs = new SecureBucket(this, 'AccessLogs', {
      environment,
      bucketName: `${resourcePrefix}-nlb-logs-${cluster.accountId}`,
    });
    this.accessLogs.allowLogDelivery({ prefix: 'nlb' });
    // Created before the data layer, which names it as the target of its buckets' access logs.
    this.serverAccessLogs = new SecureBucket(this, 'ServerAccessLogs', {
      environment,
      bucketName: `${resourcePrefix}-s3-logs-${cluster.accountId}`,
      encryption: 's3-managed',
      expirationDays: 365,
      noncurrentVersionExpirationDays: 30,
    });
    this.serverAccessLogs.allowServerAccessLogs([`${resourcePrefix}-*-${cluster.accountId}`]);

    this.loadBalancer = new NetworkLoadBalancer(this, 'LoadBalancer', {
      name: resourcePrefix,
      scheme: 'internet-facing',
      vpcId: this.network.vpcId,
      vpcCidr: this.network.cidr,
      subnetIds: this.network.publicSubnetIds,
      accessLogsBucket: this.accessLogs.bucketName,
      accessLogsPrefix: 'nlb',
    });

    const hostedZoneId = cluster.hostedZoneId ?? config.hostedZoneId;
    this.certificate = new Certificate(this, 'Certificate', {
      domainName: this.domain,
      hostedZoneId,
      includeWildcard: config.multiTenant,
    });
    this.dnsAlias = new DnsAlias(this, 'DnsAlias', {
      hostedZoneId,
      domainName: this.domain,
      includeWildcard: config.multiTenant,
      target: { dnsName: this.loadBalancer.dnsName, hostedZoneId: this.loadBalancer.zoneId },
    });

    if (config.features.bastion) {
      this.bastion = new Bastion(this, 'Bastion', {
        name: `${resourcePrefix}-bastion`,
        environment,
        vpcId: this.network.vpcId,
        vpcCidr: this.network.cidr,
        subnetId: this.network.publicSubnetIds[0],
      });
    }
  }
}
