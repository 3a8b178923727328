import { Construct } from 'constructs';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { requireProp } from '@tts-ecs/core';
import { requireName } from './names';

export interface InterfaceEndpointsProps {
  /** Prefix for names and Name tags. */
  readonly name: string;
  /** Region of the VPC; builds `com.amazonaws.<region>.<service>`. */
  readonly region: string;
  /** VPC of the endpoints. */
  readonly vpcId: string;
  /** CIDR of the VPC: the only source allowed to reach the endpoints (HTTPS). */
  readonly vpcCidr: string;
  /** Subnets that get an endpoint network interface (one per AZ; each costs money per hour). */
  readonly subnetIds: string[];
  /**
   * Service short names such as `ecr.api`, `ecr.dkr`, `secretsmanager`, `ssm`, `ssmmessages`, `ec2messages`, `logs`,
   * or full service names (`com.amazonaws.<region>.<service>`, needed for services named differently in China).
   */
  readonly services: string[];
}

const SERVICE_PATTERN = /^[a-z0-9-]+(\.[a-z0-9-]+)*$/;

/**
 * Interface VPC endpoints with private DNS, so tasks reach AWS APIs without NAT. They share one security group that
 * admits HTTPS from the VPC CIDR only and has no egress rule (endpoints answer, they never initiate).
 */
export class InterfaceEndpoints extends Construct {
  /** Security group of the endpoint network interfaces. */
  readonly securityGroupId: string;
  /** Endpoint id by the service as given in `services`. */
  readonly endpointIds: Record<string, string> = {};

  constructor(scope: Construct, id: string, props: InterfaceEndpointsProps) {
    super(scope, id);
    requireName(this, props.name);
    for (const service of props.services) {
      requireProp(
        this,
        typeof service === 'string' && SERVICE_PATTERN.test(service),
        'interfaceEndpoints',
        service,
        'Give service short names such as "ecr.api" or "secretsmanager" (lower case, dot separated).',
      );
    }
    const duplicates = props.services.filter((s, i) => props.services.indexOf(s) !== i);
    requireProp(this, duplicates.length === 0, 'interfaceEndpoints', duplicates, 'List each service once.');

    const group = new SecurityGroup(this, 'SecurityGroup', {
      name: `${props.name}-endpoints`,
      description: `Interface VPC endpoints of ${props.name}: HTTPS from the VPC only`,
      vpcId: props.vpcId,
      tags: { Name: `${props.name}-endpoints` },
    });
    new VpcSecurityGroupIngressRule(this, 'HttpsFromVpc', {
      securityGroupId: group.id,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: props.vpcCidr,
      description: 'HTTPS from the VPC',
    });
    this.securityGroupId = group.id;

    for (const service of props.services) {
      const full = service.startsWith('com.amazonaws.') || service.startsWith('cn.com.amazonaws.');
      const endpoint = new VpcEndpoint(this, `Endpoint_${service.replace(/[^a-z0-9]/g, '_')}`, {
        vpcId: props.vpcId,
        serviceName: full ? service : `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: 'Interface',
        privateDnsEnabled: true,
        subnetIds: props.subnetIds,
        securityGroupIds: [group.id],
        tags: { Name: `${props.name}-${service}` },
      });
      this.endpointIds[service] = endpoint.id;
    }
  }
}
