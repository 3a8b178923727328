import { Construct } from 'constructs';
import { TerraformProvider } from 'cdktf';
import { Certificate, Network } from '@tts-ecs/network';
import { config } from './config';

/** The VPC and the two ACM certificates (regional for the load balancers and the API, us-east-1 for CloudFront). */
export interface TreepliNetwork {
  readonly network: Network;
  /** `treepli.example.com` and `*.treepli.example.com` in the stack's region: origin, api and api-internal. */
  readonly regionalCertificate: Certificate;
  /** `www.treepli.example.com` in us-east-1, the only region CloudFront reads certificates from. */
  readonly cdnCertificate: Certificate;
}

export function buildNetwork(scope: Construct, usEast1: TerraformProvider): TreepliNetwork {
  const network = new Network(scope, 'Network', {
    name: config.name,
    environment: config.environment,
    cidr: config.vpcCidr,
    availabilityZones: config.availabilityZones,
  });
  const regionalCertificate = new Certificate(scope, 'RegionalCertificate', {
    domainName: config.domain,
    hostedZoneId: config.hostedZoneId,
    includeWildcard: true,
  });
  const cdnCertificate = new Certificate(scope, 'CdnCertificate', {
    domainName: config.wwwDomain,
    hostedZoneId: config.hostedZoneId,
    provider: usEast1,
  });
  return { network, regionalCertificate, cdnCertificate };
}
