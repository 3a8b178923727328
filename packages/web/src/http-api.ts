import { Construct } from 'constructs';
import { Apigatewayv2Api } from '@cdktf/provider-aws/lib/apigatewayv2-api';
import { Apigatewayv2ApiMapping } from '@cdktf/provider-aws/lib/apigatewayv2-api-mapping';
import { Apigatewayv2DomainName } from '@cdktf/provider-aws/lib/apigatewayv2-domain-name';
import { Apigatewayv2Integration } from '@cdktf/provider-aws/lib/apigatewayv2-integration';
import { Apigatewayv2Route } from '@cdktf/provider-aws/lib/apigatewayv2-route';
import { Apigatewayv2Stage } from '@cdktf/provider-aws/lib/apigatewayv2-stage';
import { Apigatewayv2VpcLink } from '@cdktf/provider-aws/lib/apigatewayv2-vpc-link';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import {
  AwsEnvironment,
  ConnectableSecurityGroup,
  Connections,
  EncryptedLogGroup,
  EncryptionKey,
  IConnectable,
  requireEnvironment,
  requireProp,
} from '@tts-ecs/core';
import {
  HTTP_API_ACCESS_LOG_FORMAT,
  HttpApiCors,
  HttpApiDomain,
  HttpApiIntegration,
  requireCors,
  requireDomain,
  requireListenerArn,
  requireRouteKeys,
  requireServerName,
  requireThrottling,
} from './http-api-options';
import { requireName } from '@tts-ecs/network';

export interface HttpApiProps {
  /** Name of the API, also the prefix of the VPC link, its security group and the log group: 1-32 letters, digits and hyphens. */
  readonly name: string;
  /** Account and region of the API (the listener and certificate must be there too). */
  readonly environment: AwsEnvironment;
  /** VPC of the load balancer. */
  readonly vpcId: string;
  /** Private subnets (at least two, in different AZs) where the VPC link places its network interfaces. */
  readonly subnetIds: string[];
  /** The internal load balancer listener every route is proxied to (HTTP_PROXY through the VPC link). */
  readonly integration: HttpApiIntegration;
  /**
   * Route keys besides `$default`, e.g. `GET /devices/{id}`, all proxied to the same listener. Useful to see
   * per-route metrics and throttle per route later; `$default` already catches everything.
   * @default none (only `$default`)
   */
  readonly routes?: string[];
  /**
   * Requests a client may burst to above the steady rate, stage-wide. Must be above 0.
   * @default 100
   */
  readonly throttlingBurstLimit?: number;
  /**
   * Steady-state requests per second, stage-wide. Must be above 0.
   * @default 50
   */
  readonly throttlingRateLimit?: number;
  /**
   * ARN of the KMS key for the access log group. Its policy must admit `logs.<region>.amazonaws.com`
   * (an `EncryptionKey` with `allowCloudWatchLogs: true` does).
   * @default a new `EncryptionKey` for this API's logs, with rotation and prevent_destroy
   */
  readonly logKmsKeyArn?: string;
  /**
   * Days to keep access logs; one of the values CloudWatch accepts.
   * @default 365
   */
  readonly logRetentionInDays?: number;
  /**
   * Custom domain (regional endpoint, TLS 1.2, IPv4 and IPv6) mapped to the stage.
   * @default none (clients use the execute-api endpoint)
   */
  readonly domain?: HttpApiDomain;
  /**
   * With a custom domain, keep the `execute-api` endpoint reachable too. Off, clients can only come through the
   * domain, so nobody bypasses what is attached to it. Ignored without a custom domain.
   * @default false
   */
  readonly keepDefaultEndpoint?: boolean;
  /**
   * Cross-origin resource sharing, for browser clients on other origins.
   * @default none (no CORS headers: browsers refuse cross-origin calls)
   */
  readonly cors?: HttpApiCors;
}

/**
 * An API Gateway HTTP API in front of an internal load balancer: every request goes through a VPC link (its own
 * security group, no egress until allowed through {@link connections}) to one listener. The `$default` stage
 * deploys automatically, throttles, and writes JSON access logs to a KMS-encrypted log group. With a custom domain
 * the `execute-api` endpoint is switched off by default. There is no authorizer: the backend authenticates.
 *
 * ```ts
 * const api = new HttpApi(this, 'Api', { name: 'acme', environment, vpcId, subnetIds, integration: { listenerArn } });
 * api.connections.allowTo(alb, Port.tcp(443));
 * ```
 */
export class HttpApi extends Construct implements IConnectable {
  /** API id. */
  readonly apiId: string;
  /** The `execute-api` endpoint, `https://<id>.execute-api.<region>.amazonaws.com` (disabled with a custom domain). */
  readonly apiEndpoint: string;
  /** Execution ARN, the prefix of the ARNs in `execute-api:Invoke` policies. */
  readonly executionArn: string;
  /** Name of the stage, `$default`. */
  readonly stageName: string;
  /** Where clients call the API: `https://<domain>/` with a custom domain, the stage's invoke URL otherwise. */
  readonly url: string;
  /** The VPC link's security group: allow it to the load balancer (`api.connections.allowTo(alb, Port.tcp(443))`). */
  readonly connections: Connections;
  /** Access log group name. */
  readonly logGroupName: string;
  /** Access log group ARN. */
  readonly logGroupArn: string;
  /** ARN of the KMS key that encrypts the access logs. */
  readonly logKmsKeyArn: string;
  /** VPC link id. */
  readonly vpcLinkId: string;
  /**
   * Alias target of the custom domain (for records in zones this construct does not manage).
   * Undefined without a custom domain.
   */
  readonly domainTarget?: { readonly dnsName: string; readonly hostedZoneId: string };
  /** The API resource, for escape hatches. */
  readonly resource: Apigatewayv2Api;
  /** The stage resource, for escape hatches. */
  readonly stage: Apigatewayv2Stage;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    requireName(this, props.name);
    requireEnvironment(this, props.environment);
    requireProp(
      this,
      Array.isArray(props.subnetIds) && props.subnetIds.length >= 2,
      'subnetIds',
      props.subnetIds,
      'Give at least two private subnets in different AZs for the VPC link.',
    );
    requireProp(
      this,
      typeof props.integration?.listenerArn === 'string',
      'integration',
      props.integration,
      'Give { listenerArn } of an internal ALB listener.',
    );
    requireListenerArn(this, props.integration.listenerArn, props.environment);
    requireServerName(this, props.integration.tlsServerNameToVerify);
    const routes = props.routes ?? [];
    requireRouteKeys(this, routes);
    const burst = props.throttlingBurstLimit ?? 100;
    const rate = props.throttlingRateLimit ?? 50;
    requireThrottling(this, burst, rate);
    if (props.domain) requireDomain(this, props.domain, props.environment);
    if (props.cors) requireCors(this, props.cors);

    const group = new ConnectableSecurityGroup(this, 'VpcLinkSecurityGroup', {
      vpcId: props.vpcId,
      name: `${props.name}-api-vpc-link`,
      description: `VPC link of HTTP API ${props.name}: egress only where allowed`,
      allowAllOutbound: false,
    });
    this.connections = group.connections;
    const vpcLink = new Apigatewayv2VpcLink(this, 'VpcLink', {
      name: props.name,
      subnetIds: props.subnetIds,
      securityGroupIds: [group.securityGroupId],
      tags: { Name: props.name },
    });
    this.vpcLinkId = vpcLink.id;

    const cors = props.cors;
    this.resource = new Apigatewayv2Api(this, 'Api', {
      name: props.name,
      protocolType: 'HTTP',
      description: `HTTP API ${props.name}, proxied to an internal load balancer`,
      disableExecuteApiEndpoint: props.domain !== undefined && !(props.keepDefaultEndpoint ?? false),
      corsConfiguration: cors && {
        allowOrigins: cors.allowOrigins,
        allowMethods: cors.allowMethods,
        allowHeaders: cors.allowHeaders,
        exposeHeaders: cors.exposeHeaders,
        allowCredentials: cors.allowCredentials ?? false,
        maxAge: cors.maxAge,
      },
      tags: { Name: props.name },
    });
    this.apiId = this.resource.id;
    this.apiEndpoint = this.resource.apiEndpoint;
    this.executionArn = this.resource.executionArn;

    const tls = props.integration.tlsServerNameToVerify;
    const integration = new Apigatewayv2Integration(this, 'Integration', {
      apiId: this.apiId,
      description: 'Every route, to the internal load balancer listener',
      integrationType: 'HTTP_PROXY',
      integrationMethod: 'ANY',
      integrationUri: props.integration.listenerArn,
      connectionType: 'VPC_LINK',
      connectionId: vpcLink.id,
      // HTTP_PROXY integrations support payload format 1.0 only.
      payloadFormatVersion: '1.0',
      tlsConfig: tls === undefined ? undefined : { serverNameToVerify: tls },
    });
    const target = `integrations/${integration.id}`;
    new Apigatewayv2Route(this, 'DefaultRoute', { apiId: this.apiId, routeKey: '$default', target });
    // Ids derive from the route key, so adding or removing one route never renames the others.
    for (const routeKey of routes)
      new Apigatewayv2Route(this, `Route ${routeKey}`, { apiId: this.apiId, routeKey, target });

    this.logKmsKeyArn =
      props.logKmsKeyArn ??
      new EncryptionKey(this, 'LogKey', {
        environment: props.environment,
        description: `Access logs of HTTP API ${props.name}`,
        alias: `${props.name}-api-logs`,
        allowCloudWatchLogs: true,
      }).arn;
    const logs = new EncryptedLogGroup(this, 'AccessLogs', {
      name: `/apigateway/${props.name}/access-logs`,
      kmsKeyArn: this.logKmsKeyArn,
      retentionInDays: props.logRetentionInDays,
    });
    this.logGroupName = logs.name;
    this.logGroupArn = logs.arn;

    this.stage = new Apigatewayv2Stage(this, 'Stage', {
      apiId: this.apiId,
      name: '$default',
      autoDeploy: true,
      defaultRouteSettings: { throttlingBurstLimit: burst, throttlingRateLimit: rate },
      accessLogSettings: { destinationArn: logs.arn, format: HTTP_API_ACCESS_LOG_FORMAT },
      tags: { Name: props.name },
    });
    this.stageName = this.stage.name;

    if (props.domain) {
      this.domainTarget = this.addDomain(props.domain);
      this.url = `https://${props.domain.domainName}/`;
    } else {
      this.url = this.stage.invokeUrl;
    }
  }

  /** The domain name, its mapping to the stage and, given a zone, the alias records. */
  private addDomain(domain: HttpApiDomain): { dnsName: string; hostedZoneId: string } {
    const resource = new Apigatewayv2DomainName(this, 'DomainName', {
      domainName: domain.domainName,
      domainNameConfiguration: {
        certificateArn: domain.certificateArn,
        endpointType: 'REGIONAL',
        securityPolicy: 'TLS_1_2',
        // IPv4 and IPv6, so the AAAA alias resolves:
        // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-custom-domain-names-ip-address-type.html
        ipAddressType: 'dualstack',
      },
      tags: { Name: domain.domainName },
    });
    new Apigatewayv2ApiMapping(this, 'ApiMapping', {
      apiId: this.apiId,
      domainName: resource.id,
      stage: this.stage.id,
    });
    const target = {
      dnsName: resource.domainNameConfiguration.targetDomainName,
      hostedZoneId: resource.domainNameConfiguration.hostedZoneId,
    };
    if (domain.hostedZoneId !== undefined) {
      for (const type of ['A', 'AAAA']) {
        new Route53Record(this, `Alias${type}`, {
          zoneId: domain.hostedZoneId,
          name: domain.domainName,
          type,
          // No load balancer targets behind an API Gateway domain whose health the record could inherit.
          alias: { name: target.dnsName, zoneId: target.hostedZoneId, evaluateTargetHealth: false },
        });
      }
    }
    return target;
  }
}
