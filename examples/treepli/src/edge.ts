import { Construct } from 'constructs';
import { TerraformVariable } from 'cdktf';
import { Port } from '@tts-ecs/core';
import { ContainerService } from '@tts-ecs/compute';
import { SecureBucket } from '@tts-ecs/data';
import { DnsAlias, Network } from '@tts-ecs/network';
import { AlbTargetGroup, ApplicationLoadBalancer, Distribution, HttpApi } from '@tts-ecs/web';
import { config } from './config';
import { ALB_LOG_PREFIX, MEDIA_PREFIX } from './data';
import { TreepliNetwork } from './network';
import { BACKEND_PORT, FRONTEND_PORT } from './services';

export interface TreepliLoadBalancers {
  /** Internet-facing, reachable only from CloudFront with the secret origin header. */
  readonly web: ApplicationLoadBalancer;
  readonly webTargets: AlbTargetGroup;
  /** Internal, reached by API Gateway through its VPC link. */
  readonly api: ApplicationLoadBalancer;
  readonly apiTargets: AlbTargetGroup;
}

/** Both load balancers and their target groups; the services register in the groups (see wireEdge). */
export function buildLoadBalancers(scope: Construct, net: TreepliNetwork, albLogs: SecureBucket): TreepliLoadBalancers {
  const { network, regionalCertificate } = net;
  const web = new ApplicationLoadBalancer(scope, 'WebAlb', {
    name: `${config.name}-web`,
    vpcId: network.vpcId,
    subnetIds: network.publicSubnetIds,
    internetFacing: true,
    certificateArn: regionalCertificate.certificateArn,
    // Only CloudFront connects, always over HTTPS: no port 80 listener.
    redirectHttp: false,
    accessLogs: { bucket: albLogs.bucketName, prefix: ALB_LOG_PREFIX },
  });
  const webTargets = web.addTargetGroup('Web', { port: FRONTEND_PORT, healthCheck: { path: '/api/health' } });

  const api = new ApplicationLoadBalancer(scope, 'ApiAlb', {
    name: `${config.name}-api`,
    vpcId: network.vpcId,
    subnetIds: network.privateSubnetIds,
    certificateArn: regionalCertificate.certificateArn,
    redirectHttp: false,
  });
  const apiTargets = api.addTargetGroup('Api', { port: BACKEND_PORT, healthCheck: { path: '/healthz' } });
  return { web, webTargets, api, apiTargets };
}

export interface TreepliEdge {
  readonly distribution: Distribution;
  readonly httpApi: HttpApi;
  /** The sensitive variable holding the origin secret (TF_VAR_<name>). */
  readonly originSecret: TerraformVariable;
}

export interface EdgeInputs {
  readonly net: TreepliNetwork;
  readonly lbs: TreepliLoadBalancers;
  readonly frontend: ContainerService;
  readonly backend: ContainerService;
  readonly media: SecureBucket;
}

/**
 * Routes and security groups of both load balancers, the CloudFront distribution (frontend + media), the rate-limited
 * HTTP API in front of the internal load balancer, and the www / api / origin DNS names.
 */
export function buildEdge(scope: Construct, inputs: EdgeInputs): TreepliEdge {
  const { net, lbs, frontend, backend, media } = inputs;
  const network: Network = net.network;

  // CloudFront custom headers have no write-only field, so an ephemeral value cannot feed them: the secret comes from
  // your secret store through a sensitive variable (it lands in state, like any CloudFront origin header).
  const originSecret = new TerraformVariable(scope, 'OriginVerifySecret', {
    type: 'string',
    sensitive: true,
    nullable: false,
    description: `Secret value of the X-Origin-Verify header CloudFront sends to ${config.originDomain}; set it from your secret store as TF_VAR_${config.originSecretVariable}.`,
    validation: [
      {
        condition: `\${length(var.${config.originSecretVariable}) >= 24}`,
        errorMessage: `${config.originSecretVariable} must be at least 24 characters (a random secret).`,
      },
    ],
  });
  originSecret.overrideLogicalId(config.originSecretVariable);

  lbs.web.allowToTargets(frontend, Port.tcp(FRONTEND_PORT));
  lbs.web.addRoute('Web', { priority: 10, targetGroup: lbs.webTargets, pathPatterns: ['/*'] });
  lbs.web.restrictToCloudFront({
    cloudFrontPrefixListId: config.cloudFrontPrefixListId,
    secretValue: originSecret.stringValue,
  });
  new DnsAlias(scope, 'OriginAlias', {
    hostedZoneId: config.hostedZoneId,
    domainName: config.originDomain,
    target: lbs.web.aliasTarget,
  });

  lbs.api.allowToTargets(backend, Port.tcp(BACKEND_PORT));
  lbs.api.addRoute('Api', { priority: 10, targetGroup: lbs.apiTargets, pathPatterns: ['/*'] });
  const httpApi = new HttpApi(scope, 'HttpApi', {
    name: config.name,
    environment: config.environment,
    vpcId: network.vpcId,
    subnetIds: network.privateSubnetIds,
    integration: { listenerArn: lbs.api.httpsListenerArn, tlsServerNameToVerify: config.internalApiDomain },
    throttlingBurstLimit: 200,
    throttlingRateLimit: 100,
    domain: { domainName: config.apiDomain, certificateArn: net.regionalCertificate.certificateArn },
  });
  httpApi.connections.allowTo(lbs.api, Port.tcp(443));
  new DnsAlias(scope, 'ApiAlias', {
    hostedZoneId: config.hostedZoneId,
    domainName: config.apiDomain,
    target: { ...httpApi.domainTarget!, ipv6: true },
    evaluateTargetHealth: false,
  });

  const distribution = new Distribution(scope, 'Cdn', {
    comment: `${config.name}: frontend and media`,
    origins: {
      web: { kind: 'http', domainName: config.originDomain, originHeader: { value: originSecret.stringValue } },
      media: { kind: 's3', bucketRegionalDomainName: media.regionalDomainName, bucketArn: media.arn },
    },
    defaultBehavior: { originId: 'web' },
    aliases: [config.wwwDomain],
    certificateArn: net.cdnCertificate.certificateArn,
  });
  distribution.addBehavior(`/${MEDIA_PREFIX}*`, 'media');
  media.grantCloudFrontRead(distribution.distributionArn, MEDIA_PREFIX);
  new DnsAlias(scope, 'WwwAlias', {
    hostedZoneId: config.hostedZoneId,
    domainName: config.wwwDomain,
    target: distribution.aliasTarget,
  });
  return { distribution, httpApi, originSecret };
}
