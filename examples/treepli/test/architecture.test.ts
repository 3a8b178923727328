import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Resources, all, byPath, inNamedTest, only } from '@tts-ecs/testing';
import { STACK_NAME, buildApp } from '../src/app';
import { config } from '../src/config';

type Json = Record<string, unknown>;
type Statement = { Sid?: string; Effect: string; Principal?: Json; Action: string | string[]; Resource: unknown };

interface Stack {
  readonly resource: Resources;
  readonly variable: Record<string, Json>;
  readonly data?: Json;
  readonly provider: Record<string, Json[]>;
}

// Synthesized once for the whole file; a construct error fails the test "synthesizes the app".
const stack = inNamedTest('synthesizes the app', (): Stack => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'treepli-'));
  buildApp(out).synth();
  return JSON.parse(fs.readFileSync(path.join(out, 'stacks', STACK_NAME, 'cdk.tf.json'), 'utf8'));
});
const r = (): Resources => stack.resource;

/** The logical id of the single resource of `type` at `pathEnd`, for `${type.id.attr}` references. */
function ref(type: string, pathEnd: string, attribute: string): string {
  const id = pathEnd.replace(/\//g, '_');
  const keys = Object.keys(r()[type] ?? {}).filter((k) => k.startsWith(`${id}_`));
  if (keys.length !== 1) throw new Error(`expected one ${type} at ${pathEnd}, found ${keys.join(', ') || 'none'}`);
  return `\${${type}.${keys[0]}.${attribute}}`;
}
const statementsOf = (policy: unknown): Statement[] => JSON.parse(policy as string).Statement;
const ingressOf = (groupRef: string) =>
  all(r(), 'aws_vpc_security_group_ingress_rule').filter((rule) => rule.security_group_id === groupRef);
const secret = `\${var.${config.originSecretVariable}}`;
const mediaArn = `arn:aws:s3:::${config.name}-media-${config.environment.accountId}`;

describe('treepli: frontend behind CloudFront', () => {
  it('the public ALB admits 443 only from the CloudFront origin-facing prefix list, nothing on 80', () => {
    const lb = byPath(r(), 'aws_lb', 'WebAlb/LoadBalancer');
    expect(lb.internal).toBe(false);
    expect(ingressOf(ref('aws_security_group', 'WebAlb/SecurityGroup', 'id'))).toEqual([
      expect.objectContaining({
        from_port: 443,
        to_port: 443,
        ip_protocol: 'tcp',
        prefix_list_id: config.cloudFrontPrefixListId,
      }),
    ]);
    const listeners = all(r(), 'aws_lb_listener').filter(
      (l) => l.load_balancer_arn === ref('aws_lb', 'WebAlb/LoadBalancer', 'arn'),
    );
    expect(listeners.map((l) => l.port)).toEqual([443]);
  });

  it('the public ALB answers 403 unless the request carries the secret origin header', () => {
    const https = byPath(r(), 'aws_lb_listener', 'WebAlb/Https');
    expect(https.default_action).toEqual([
      expect.objectContaining({
        type: 'fixed-response',
        fixed_response: expect.objectContaining({ status_code: '403' }),
      }),
    ]);
    const rule = byPath(r(), 'aws_lb_listener_rule', 'WebAlb/Route-Web');
    expect(rule.condition).toContainEqual({
      http_header: { http_header_name: 'X-Origin-Verify', values: [secret] },
    });
    expect(rule.action).toEqual([
      { type: 'forward', target_group_arn: ref('aws_lb_target_group', 'WebAlb/TargetGroup-Web', 'arn') },
    ]);
  });

  it('the origin secret is a required sensitive variable, never a literal', () => {
    const variable = stack.variable[config.originSecretVariable];
    expect(variable).toEqual(expect.objectContaining({ sensitive: true, nullable: false, type: 'string' }));
    expect(variable).not.toHaveProperty('default');
  });

  it('CloudFront sends the secret header to the ALB over HTTPS only and serves /media/* from the bucket', () => {
    const cdn = only(r(), 'aws_cloudfront_distribution');
    const origins = cdn.origin as Json[];
    expect(origins).toContainEqual(
      expect.objectContaining({
        origin_id: 'web',
        domain_name: config.originDomain,
        custom_header: [{ name: 'X-Origin-Verify', value: secret }],
        custom_origin_config: expect.objectContaining({ origin_protocol_policy: 'https-only' }),
      }),
    );
    expect(origins).toContainEqual({
      origin_id: 'media',
      domain_name: ref('aws_s3_bucket', 'Media/Bucket', 'bucket_regional_domain_name'),
      origin_access_control_id: ref('aws_cloudfront_origin_access_control', 'Cdn/OriginAccessControl', 'id'),
    });
    expect(cdn.ordered_cache_behavior).toEqual([
      expect.objectContaining({ path_pattern: '/media/*', target_origin_id: 'media' }),
    ]);
    expect((cdn.default_cache_behavior as Json).target_origin_id).toBe('web');
  });

  it('CloudFront serves www with a certificate issued in us-east-1', () => {
    const cdn = only(r(), 'aws_cloudfront_distribution');
    expect(cdn.aliases).toEqual([config.wwwDomain]);
    expect((cdn.viewer_certificate as Json).acm_certificate_arn).toBe(
      ref('aws_acm_certificate_validation', 'CdnCertificate/Validation', 'certificate_arn'),
    );
    expect(byPath(r(), 'aws_acm_certificate', 'CdnCertificate').provider).toBe('aws.us_east_1');
    expect(stack.provider.aws).toContainEqual(expect.objectContaining({ alias: 'us_east_1', region: 'us-east-1' }));
  });
});

describe('treepli: media bucket', () => {
  it('only this distribution reads media/ through CloudFront', () => {
    const policy = statementsOf(byPath(r(), 'aws_s3_bucket_policy', 'Media/Policy').policy);
    const read = policy.filter((s) => JSON.stringify(s.Principal ?? {}).includes('cloudfront.amazonaws.com'));
    expect(read).toEqual([
      expect.objectContaining({
        Action: 's3:GetObject',
        Resource: `${mediaArn}/media/*`,
        Condition: { StringEquals: { 'AWS:SourceArn': ref('aws_cloudfront_distribution', 'Cdn/Distribution', 'arn') } },
      }),
    ]);
  });

  it('the backend task role may write media/ and nothing else of the bucket', () => {
    const policy = statementsOf(byPath(r(), 'aws_iam_role_policy', 'Backend/Task/TaskPolicy').policy);
    const objects = policy.find((s) => [s.Action].flat().includes('s3:PutObject'));
    expect(objects?.Resource).toBe(`${mediaArn}/media/*`);
    expect(all(r(), 'aws_iam_role_policy').filter((p) => /s3:PutObject/.test(p.policy as string))).toHaveLength(1);
  });

  it('every bucket blocks public access; media is KMS-encrypted, the ALB log bucket SSE-S3 (ALBs need it)', () => {
    const blocks = all(r(), 'aws_s3_bucket_public_access_block');
    expect(blocks).toHaveLength(all(r(), 'aws_s3_bucket').length);
    for (const b of blocks)
      expect(b).toEqual(
        expect.objectContaining({
          block_public_acls: true,
          block_public_policy: true,
          ignore_public_acls: true,
          restrict_public_buckets: true,
        }),
      );
    const sse = (pathEnd: string) =>
      (byPath(r(), 'aws_s3_bucket_server_side_encryption_configuration', pathEnd).rule as Json[])[0]
        .apply_server_side_encryption_by_default as Json;
    expect(sse('Media/Encryption').sse_algorithm).toBe('aws:kms');
    expect(sse('AlbLogs/Encryption').sse_algorithm).toBe('AES256');
    expect(byPath(r(), 'aws_lb', 'WebAlb/LoadBalancer').access_logs).toEqual(
      expect.objectContaining({ bucket: ref('aws_s3_bucket', 'AlbLogs/Bucket', 'bucket'), enabled: true }),
    );
  });
});

describe('treepli: backend behind API Gateway', () => {
  it('the internal ALB admits only the VPC link of the HTTP API', () => {
    expect(byPath(r(), 'aws_lb', 'ApiAlb/LoadBalancer').internal).toBe(true);
    expect(ingressOf(ref('aws_security_group', 'ApiAlb/SecurityGroup', 'id'))).toEqual([
      expect.objectContaining({
        from_port: 443,
        referenced_security_group_id: ref('aws_security_group', 'HttpApi/VpcLinkSecurityGroup', 'id'),
      }),
    ]);
  });

  it('the API proxies to the internal HTTPS listener through the VPC link, verifying its certificate, rate-limited', () => {
    const integration = only(r(), 'aws_apigatewayv2_integration');
    expect(integration).toEqual(
      expect.objectContaining({
        integration_uri: ref('aws_lb_listener', 'ApiAlb/Https', 'arn'),
        connection_type: 'VPC_LINK',
        connection_id: ref('aws_apigatewayv2_vpc_link', 'HttpApi/VpcLink', 'id'),
        tls_config: { server_name_to_verify: config.internalApiDomain },
      }),
    );
    expect(only(r(), 'aws_apigatewayv2_stage').default_route_settings).toEqual({
      throttling_burst_limit: 200,
      throttling_rate_limit: 100,
    });
    expect(only(r(), 'aws_apigatewayv2_api').disable_execute_api_endpoint).toBe(true);
    expect(only(r(), 'aws_apigatewayv2_domain_name').domain_name).toBe(config.apiDomain);
  });

  it('the database admits only the backend, is Multi-AZ, encrypted, private, with an RDS-managed password', () => {
    expect(ingressOf(ref('aws_security_group', 'Database/SecurityGroup', 'id'))).toEqual([
      expect.objectContaining({
        from_port: 5432,
        to_port: 5432,
        referenced_security_group_id: ref('aws_security_group', 'Backend/SecurityGroup', 'id'),
      }),
    ]);
    expect(only(r(), 'aws_db_instance')).toEqual(
      expect.objectContaining({
        multi_az: true,
        publicly_accessible: false,
        storage_encrypted: true,
        manage_master_user_password: true,
      }),
    );
  });

  it('the backend reads the database credentials from the RDS-managed secret, not from its environment', () => {
    const [container] = JSON.parse(
      byPath(r(), 'aws_ecs_task_definition', 'Backend/Task/TaskDefinition').container_definitions as string,
    );
    const secretArn = ref('aws_db_instance', 'Database/Instance', 'master_user_secret[0].secret_arn');
    expect(container.secrets).toEqual([
      { name: 'DB_PASSWORD', valueFrom: `${secretArn}:password::` },
      { name: 'DB_USER', valueFrom: `${secretArn}:username::` },
    ]);
    expect(container.environment).toContainEqual({
      name: 'DB_HOST',
      value: ref('aws_db_instance', 'Database/Instance', 'address'),
    });
  });
});

describe('treepli: services on shared EC2 capacity', () => {
  it('one Auto Scaling group backs the cluster, and both services run on its capacity provider', () => {
    const provider = only(r(), 'aws_ecs_capacity_provider');
    expect((provider.auto_scaling_group_provider as Json).auto_scaling_group_arn).toBe(
      ref('aws_autoscaling_group', 'Cluster/Ec2/Group', 'arn'),
    );
    expect(only(r(), 'aws_ecs_cluster_capacity_providers').capacity_providers).toContain(provider.name);
    const services = all(r(), 'aws_ecs_service');
    expect(services).toHaveLength(2);
    for (const s of services)
      expect(s.capacity_provider_strategy).toEqual([{ capacity_provider: provider.name, weight: 1, base: 0 }]);
    for (const td of all(r(), 'aws_ecs_task_definition')) {
      expect(td.requires_compatibilities).toEqual(['EC2']);
      expect(td.runtime_platform).toEqual({ operating_system_family: 'LINUX', cpu_architecture: 'ARM64' });
    }
  });

  it('CI owns the image: services ignore task_definition (and desired_count, which auto scaling owns)', () => {
    for (const s of all(r(), 'aws_ecs_service'))
      expect((s.lifecycle as Json).ignore_changes).toEqual(['task_definition', 'desired_count']);
    const targets = all(r(), 'aws_appautoscaling_target');
    expect(targets.map((t) => [t.min_capacity, t.max_capacity])).toEqual([
      [2, 8],
      [2, 8],
    ]);
    expect(all(r(), 'aws_appautoscaling_policy')).toHaveLength(4);
  });

  it.each([
    ['Frontend', 'frontend'],
    ['Backend', 'backend'],
  ])('the %s deploy role trusts main of its repository, pushes its image and rolls out its service only', (id, key) => {
    const repo = config.github[key as 'frontend' | 'backend'];
    const role = byPath(r(), 'aws_iam_role', `${id}Deploy/Role`);
    const trust = JSON.parse(role.assume_role_policy as string).Statement[0];
    expect(trust.Condition.StringEquals['token.actions.githubusercontent.com:sub']).toBe(
      `repo:${repo.repository}:ref:refs/heads/${repo.branch}`,
    );
    // The policy holds Terraform expressions with quotes (split(":", ...)), so it is matched as text.
    const policy = byPath(r(), 'aws_iam_role_policy', `${id}Deploy/Policy`).policy as string;
    expect(policy).toContain(ref('aws_ecr_repository', `${id}Repository`, 'arn'));
    expect(policy).toContain(
      `"Resource":"${ref('aws_ecs_service', `${id}/Service`, 'id')}","Condition":{"ArnEquals":{"ecs:cluster":"${ref('aws_ecs_cluster', 'Cluster', 'arn')}"}}`,
    );
  });
});

describe('treepli: DNS, alarms and offline planning', () => {
  it('www points at CloudFront, api at the API domain, origin at the public ALB', () => {
    const records = all(r(), 'aws_route53_record').filter((rec) => rec.alias !== undefined);
    const target = (name: string, type: string) => records.find((rec) => rec.name === name && rec.type === type)?.alias;
    expect(target(config.wwwDomain, 'AAAA')).toEqual(expect.objectContaining({ zone_id: 'Z2FDTNDATAQYW2' }));
    expect(target(config.apiDomain, 'A')).toEqual(
      expect.objectContaining({
        name: ref(
          'aws_apigatewayv2_domain_name',
          'HttpApi/DomainName',
          'domain_name_configuration[0].target_domain_name',
        ),
      }),
    );
    expect(target(config.originDomain, 'A')).toEqual(
      expect.objectContaining({ name: ref('aws_lb', 'WebAlb/LoadBalancer', 'dns_name') }),
    );
    for (const rec of all(r(), 'aws_route53_record')) expect(rec.zone_id).toBe(config.hostedZoneId);
  });

  it('every alarm notifies the one alarm topic; both ALBs, the API and the database have alarms', () => {
    const topic = ref('aws_sns_topic', 'Alarms/Topic', 'arn');
    const alarms = all(r(), 'aws_cloudwatch_metric_alarm');
    for (const a of alarms) expect(a.alarm_actions).toEqual([topic]);
    const namespaces = JSON.stringify(alarms);
    for (const ns of ['AWS/ApplicationELB', 'AWS/ApiGateway', 'AWS/RDS']) expect(namespaces).toContain(ns);
    const lbs = new Set(
      alarms
        .map((a) => JSON.stringify(a))
        .filter((a) => a.includes('ApplicationELB'))
        .map((a) => /aws_lb\.(\w+)\.arn_suffix/.exec(a)?.[1]),
    );
    expect(lbs.size).toBe(2);
  });

  it('needs no AWS call to plan: no data sources', () => {
    expect(stack.data).toBeUndefined();
  });
});
