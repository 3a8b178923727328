import { TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { ConnectableSecurityGroup, Port } from '@tts-ecs/core';
import { all, byPath, env, inNamedTest, only, synth, synthStack } from '@tts-ecs/testing';
import { HTTP_API_ACCESS_LOG_FORMAT, HttpApi, HttpApiProps } from '../src';

const listenerArn =
  'arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/x/0123456789abcdef/0123456789abcdef';
const certificateArn = 'arn:aws:acm:eu-west-1:111111111111:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
const zone = 'Z0123456789ABCDEFGHIJ';

const base: HttpApiProps = {
  name: 'acme-api',
  environment: env,
  vpcId: 'vpc-1',
  subnetIds: ['subnet-a', 'subnet-b'],
  integration: { listenerArn },
};

describe('HttpApi defaults', () => {
  let api!: HttpApi;
  const st = synthStack((s) => {
    api = new HttpApi(s, 'Api', base);
    new TerraformOutput(s, 'url', { value: api.url });
    new TerraformOutput(s, 'stage', { value: api.stageName });
  });
  const resource = inNamedTest('finds the aws_apigatewayv2_api', () => only(st.resource, 'aws_apigatewayv2_api'));
  const stage = inNamedTest('finds the aws_apigatewayv2_stage', () => only(st.resource, 'aws_apigatewayv2_stage'));

  it('is an HTTP API with the execute-api endpoint on and no CORS', () => {
    expect(resource).toMatchObject({ name: 'acme-api', protocol_type: 'HTTP', disable_execute_api_endpoint: false });
    // cors @default none
    expect(resource).not.toHaveProperty('cors_configuration');
  });

  it('proxies every method to the listener through the VPC link with payload format 1.0', () => {
    const integration = only(st.resource, 'aws_apigatewayv2_integration');
    expect(integration).toMatchObject({
      integration_type: 'HTTP_PROXY',
      integration_method: 'ANY',
      integration_uri: listenerArn,
      connection_type: 'VPC_LINK',
      payload_format_version: '1.0',
    });
    expect(integration.connection_id).toMatch(/aws_apigatewayv2_vpc_link\..*\.id/);
    // integration.tlsServerNameToVerify @default none
    expect(integration).not.toHaveProperty('tls_config');
  });

  it('has only the $default route, to the integration', () => {
    // routes @default none (only $default)
    const routes = all(st.resource, 'aws_apigatewayv2_route');
    expect(routes).toHaveLength(1);
    expect(routes[0].route_key).toBe('$default');
    expect(routes[0].target).toMatch(/^integrations\/\$\{aws_apigatewayv2_integration\..*\.id\}$/);
  });

  it('auto-deploys the $default stage, throttled at burst 100 and 50 requests per second', () => {
    expect(stage).toMatchObject({ name: '$default', auto_deploy: true });
    // throttlingBurstLimit @default 100
    // throttlingRateLimit @default 50
    expect(stage.default_route_settings).toMatchObject({ throttling_burst_limit: 100, throttling_rate_limit: 50 });
  });

  it('writes JSON access logs with the request fields to the log group', () => {
    const settings = stage.access_log_settings as { destination_arn: string; format: string };
    expect(settings.destination_arn).toMatch(/aws_cloudwatch_log_group\..*\.arn/);
    expect(Object.keys(JSON.parse(settings.format))).toEqual([
      'requestId',
      'ip',
      'requestTime',
      'httpMethod',
      'routeKey',
      'status',
      'protocol',
      'responseLength',
      'integrationErrorMessage',
    ]);
    expect(settings.format).toBe(HTTP_API_ACCESS_LOG_FORMAT);
    expect(JSON.parse(settings.format).ip).toBe('$context.identity.sourceIp');
  });

  it('keeps access logs 365 days, encrypted with a new rotating key CloudWatch Logs may use', () => {
    const group = only(st.resource, 'aws_cloudwatch_log_group');
    // logRetentionInDays @default 365
    expect(group).toMatchObject({ name: '/apigateway/acme-api/access-logs', retention_in_days: 365 });
    // logKmsKeyArn @default a new EncryptionKey for this API's logs
    const key = only(st.resource, 'aws_kms_key');
    expect(group.kms_key_id).toMatch(/aws_kms_key\..*\.arn/);
    expect(key).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
    expect(key.policy).toContain('logs.eu-west-1.amazonaws.com');
  });

  it('puts the VPC link in the subnets with its own security group that sends nothing until allowed', () => {
    const link = only(st.resource, 'aws_apigatewayv2_vpc_link');
    expect(link).toMatchObject({ name: 'acme-api', subnet_ids: ['subnet-a', 'subnet-b'] });
    expect(link.security_group_ids).toEqual([expect.stringMatching(/aws_security_group\..*\.id/)]);
    expect(only(st.resource, 'aws_security_group')).toMatchObject({ name: 'acme-api-api-vpc-link', vpc_id: 'vpc-1' });
    expect(st.resource.aws_vpc_security_group_egress_rule).toBeUndefined();
    expect(st.resource.aws_vpc_security_group_ingress_rule).toBeUndefined();
  });

  it('has no custom domain and serves on the stage invoke URL', () => {
    // domain @default none
    expect(st.resource.aws_apigatewayv2_domain_name).toBeUndefined();
    expect(st.resource.aws_route53_record).toBeUndefined();
    expect(st.output.url.value).toMatch(/aws_apigatewayv2_stage\..*\.invoke_url/);
    expect(api.domainTarget).toBeUndefined();
    expect(st.output.stage.value).toMatch(/aws_apigatewayv2_stage\..*\.name/);
  });
});

describe('HttpApi with a custom domain, routes, CORS, TLS to the listener and wiring', () => {
  let api!: HttpApi;
  const r = synth((s) => {
    const alb = new ConnectableSecurityGroup(s, 'Alb', { vpcId: 'vpc-1', name: 'alb', description: 'alb' });
    api = new HttpApi(s, 'Api', {
      ...base,
      integration: { listenerArn, tlsServerNameToVerify: 'api.internal.example.com' },
      routes: ['GET /devices/{id}', 'ANY /api/{proxy+}'],
      throttlingBurstLimit: 20,
      throttlingRateLimit: 2.5,
      logKmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/abc',
      logRetentionInDays: 30,
      domain: { domainName: 'api.example.com', certificateArn, hostedZoneId: zone },
      cors: { allowOrigins: ['https://console.example.com'], allowMethods: ['GET', 'POST'], allowCredentials: true },
    });
    api.connections.allowTo(alb, Port.tcp(443));
  });

  it('turns the execute-api endpoint off', () => {
    // keepDefaultEndpoint @default false
    expect(only(r, 'aws_apigatewayv2_api').disable_execute_api_endpoint).toBe(true);
  });

  it('creates a regional, dual-stack TLS 1.2 domain mapped to the stage', () => {
    expect(only(r, 'aws_apigatewayv2_domain_name')).toMatchObject({
      domain_name: 'api.example.com',
      domain_name_configuration: {
        certificate_arn: certificateArn,
        endpoint_type: 'REGIONAL',
        security_policy: 'TLS_1_2',
        ip_address_type: 'dualstack',
      },
    });
    const mapping = only(r, 'aws_apigatewayv2_api_mapping');
    expect(mapping.domain_name).toMatch(/aws_apigatewayv2_domain_name\..*\.id/);
    expect(mapping.stage).toMatch(/aws_apigatewayv2_stage\..*\.id/);
    expect(api.url).toBe('https://api.example.com/');
  });

  it('writes A and AAAA aliases to the domain target', () => {
    const records = all(r, 'aws_route53_record');
    expect(records.map((x) => x.type).sort()).toEqual(['A', 'AAAA']);
    for (const record of records) {
      expect(record).toMatchObject({ zone_id: zone, name: 'api.example.com' });
      const alias = record.alias as Record<string, unknown>;
      expect(alias.name).toMatch(/domain_name_configuration\[0\]\.target_domain_name/);
      expect(alias.zone_id).toMatch(/domain_name_configuration\[0\]\.hosted_zone_id/);
      expect(alias.evaluate_target_health).toBe(false);
    }
  });

  it('adds the extra routes to the same integration', () => {
    const routes = all(r, 'aws_apigatewayv2_route');
    expect(routes.map((x) => x.route_key).sort()).toEqual(['$default', 'ANY /api/{proxy+}', 'GET /devices/{id}']);
    expect(new Set(routes.map((x) => x.target)).size).toBe(1);
  });

  it('verifies the listener certificate name', () => {
    expect(only(r, 'aws_apigatewayv2_integration').tls_config).toEqual({
      server_name_to_verify: 'api.internal.example.com',
    });
  });

  it('uses the given throttling, key and retention and creates no key', () => {
    expect(only(r, 'aws_apigatewayv2_stage').default_route_settings).toMatchObject({
      throttling_burst_limit: 20,
      throttling_rate_limit: 2.5,
    });
    expect(only(r, 'aws_cloudwatch_log_group')).toMatchObject({
      kms_key_id: 'arn:aws:kms:eu-west-1:111111111111:key/abc',
      retention_in_days: 30,
    });
    expect(r.aws_kms_key).toBeUndefined();
  });

  it('answers CORS for the listed origin with credentials', () => {
    expect(only(r, 'aws_apigatewayv2_api').cors_configuration).toEqual({
      allow_origins: ['https://console.example.com'],
      allow_methods: ['GET', 'POST'],
      allow_credentials: true,
    });
  });

  it('allowTo writes egress on the VPC link group and ingress on the load balancer group', () => {
    const egress = byPath(r, 'aws_vpc_security_group_egress_rule', 'Api/VpcLinkSecurityGroup/Egress-tcp443-test_Alb');
    expect(egress).toMatchObject({ ip_protocol: 'tcp', from_port: 443, to_port: 443 });
    expect(egress.referenced_security_group_id).toMatch(/aws_security_group\.Alb_.*\.id/);
    const ingress = byPath(
      r,
      'aws_vpc_security_group_ingress_rule',
      'Alb/Ingress-tcp443-test_Api_VpcLinkSecurityGroup',
    );
    expect(ingress.referenced_security_group_id).toMatch(/aws_security_group\.Api_VpcLinkSecurityGroup_.*\.id/);
  });
});

describe('HttpApi with a custom domain, no zone, default endpoint kept, CORS origins only', () => {
  let api!: HttpApi;
  const st = synthStack((s) => {
    api = new HttpApi(s, 'Api', {
      ...base,
      domain: { domainName: 'api.example.com', certificateArn },
      keepDefaultEndpoint: true,
      cors: { allowOrigins: ['https://console.example.com'] },
    });
    new TerraformOutput(s, 'target', { value: api.domainTarget?.dnsName });
  });

  it('keeps execute-api, writes no records and exposes the alias target', () => {
    expect(only(st.resource, 'aws_apigatewayv2_api').disable_execute_api_endpoint).toBe(false);
    // domain.hostedZoneId @default no DNS records
    expect(st.resource.aws_route53_record).toBeUndefined();
    expect(st.output.target.value).toMatch(/target_domain_name/);
  });

  it('answers CORS for the origin only, without credentials', () => {
    // cors.allowMethods @default none
    // cors.allowHeaders @default none
    // cors.exposeHeaders @default none
    // cors.maxAge @default none
    // cors.allowCredentials @default false
    expect(only(st.resource, 'aws_apigatewayv2_api').cors_configuration).toEqual({
      allow_origins: ['https://console.example.com'],
      allow_credentials: false,
    });
  });
});

describe('HttpApi rejects', () => {
  const build = (props: Partial<HttpApiProps>) => () =>
    new HttpApi(new TerraformStack(Testing.app(), 'test'), 'Api', { ...base, ...props });

  it.each<[string, Partial<HttpApiProps>, RegExp]>([
    ['a bad name', { name: 'bad name' }, /test\/Api: invalid name "bad name"/],
    ['one subnet', { subnetIds: ['subnet-a'] }, /test\/Api: invalid subnetIds \["subnet-a"\]\. Give at least two/],
    [
      'a target group ARN as listener',
      { integration: { listenerArn: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/x/0123' } },
      /test\/Api: invalid integration\.listenerArn "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup\/x\/0123"/,
    ],
    [
      'a listener in another region',
      { integration: { listenerArn: listenerArn.replace('eu-west-1', 'us-east-1') } },
      /test\/Api: invalid integration\.listenerArn ".*us-east-1.*"\. Use one in the API's region eu-west-1/,
    ],
    [
      'a listener in another account',
      { integration: { listenerArn: listenerArn.replace('111111111111', '222222222222') } },
      /test\/Api: invalid integration\.listenerArn ".*222222222222.*"\. Use one in the API's account 111111111111/,
    ],
    [
      'a bad TLS server name',
      { integration: { listenerArn, tlsServerNameToVerify: 'https://x' } },
      /test\/Api: invalid integration\.tlsServerNameToVerify "https:\/\/x"/,
    ],
    ['$default among routes', { routes: ['$default'] }, /test\/Api: invalid routes "\$default"\. Leave out/],
    ['a route without method', { routes: ['/devices'] }, /test\/Api: invalid routes "\/devices"\. Use "METHOD \/path"/],
    ['a route with a double slash', { routes: ['GET //x'] }, /test\/Api: invalid routes "GET \/\/x"/],
    ['a repeated route', { routes: ['GET /a', 'GET /a'] }, /test\/Api: invalid routes "GET \/a"\. List each/],
    ['a zero burst limit', { throttlingBurstLimit: 0 }, /test\/Api: invalid throttlingBurstLimit 0\./],
    ['a fractional burst limit', { throttlingBurstLimit: 1.5 }, /test\/Api: invalid throttlingBurstLimit 1\.5\./],
    ['a negative rate limit', { throttlingRateLimit: -1 }, /test\/Api: invalid throttlingRateLimit -1\./],
    ['a zero rate limit', { throttlingRateLimit: 0 }, /test\/Api: invalid throttlingRateLimit 0\./],
    ['a bad retention', { logRetentionInDays: 42 }, /test\/Api\/AccessLogs: invalid retentionInDays 42/],
    [
      'a bad domain name',
      { domain: { domainName: 'API.example.com', certificateArn } },
      /test\/Api: invalid domain\.domainName "API\.example\.com"/,
    ],
    [
      'a us-east-1 certificate',
      { domain: { domainName: 'api.example.com', certificateArn: certificateArn.replace('eu-west-1', 'us-east-1') } },
      /test\/Api: invalid domain\.certificateArn ".*us-east-1.*"\. Use one in the API's region eu-west-1/,
    ],
    [
      'a certificate that is not an ACM ARN',
      { domain: { domainName: 'api.example.com', certificateArn: 'cert' } },
      /test\/Api: invalid domain\.certificateArn "cert"/,
    ],
    [
      'a hosted zone path',
      { domain: { domainName: 'api.example.com', certificateArn, hostedZoneId: `/hostedzone/${zone}` } },
      /test\/Api: invalid domain\.hostedZoneId "\/hostedzone\/Z0123456789ABCDEFGHIJ"/,
    ],
    ['CORS without origins', { cors: { allowOrigins: [] } }, /test\/Api: invalid cors\.allowOrigins \[\]/],
    [
      'an origin with a path',
      { cors: { allowOrigins: ['https://x.example.com/'] } },
      /test\/Api: invalid cors\.allowOrigins "https:\/\/x\.example\.com\/"/,
    ],
    [
      'the * origin with credentials',
      { cors: { allowOrigins: ['*'], allowCredentials: true } },
      /test\/Api: invalid cors\.allowOrigins "\*"\. With allowCredentials/,
    ],
    [
      'a bad CORS method',
      { cors: { allowOrigins: ['*'], allowMethods: ['FETCH'] } },
      /invalid cors\.allowMethods "FETCH"/,
    ],
    [
      'a CORS max age over a day',
      { cors: { allowOrigins: ['*'], maxAge: 86401 } },
      /test\/Api: invalid cors\.maxAge 86401/,
    ],
  ])('%s', (_label, props, message) => {
    expect(build(props)).toThrow(message);
  });

  it('accepts the * origin without credentials and "GET /"', () => {
    expect(build({ cors: { allowOrigins: ['*'] }, routes: ['GET /'] })).not.toThrow();
  });
});
