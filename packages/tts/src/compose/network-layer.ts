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

    this.loadBalancer = new NetworkLoadBalancer(this, 'LoadBalancer', {
      name: resourcePrefix,
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
