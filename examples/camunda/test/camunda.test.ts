import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { all, inNamedTest, Resources } from '@tts-ecs/testing';
import { buildApp, STACK } from '../src/app';
import { config, PORTS } from '../src/config';

type Json = Record<string, unknown>;
type Statement = { Effect?: string; Action: string | string[]; Resource: string | string[]; Condition?: Json };

const stack = inNamedTest('synthesizes the camunda example', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'camunda-example-'));
  buildApp(out).synth();
  return JSON.parse(fs.readFileSync(path.join(out, 'stacks', STACK, 'cdk.tf.json'), 'utf8')) as Json;
});
const r = inNamedTest('reads the resources', () => stack.resource as Resources);

/** The resource of `type` whose logical id starts with `prefix` (the construct path joined by "_"). */
function one(type: string, prefix: string): Json {
  const found = Object.entries(r[type] ?? {}).filter(([k]) => k.startsWith(prefix));
  if (found.length !== 1) throw new Error(`expected one ${type} ${prefix}*, found ${found.length}`);
  return found[0][1];
}
/** `${type.<id>.<attr>}` of the resource of `type` whose logical id starts with `prefix`. */
function ref(type: string, prefix: string, attr = 'id'): string {
  const key = Object.keys(r[type] ?? {}).find((k) => k.startsWith(prefix));
  if (!key) throw new Error(`no ${type} ${prefix}*`);
  return `\${${type}.${key}.${attr}}`;
}
const sg = (prefix: string) => ref('aws_security_group', prefix);
const ingress = () => all(r, 'aws_vpc_security_group_ingress_rule');
const ingressTo = (group: string) =>
  ingress()
    .filter((rule) => rule.security_group_id === group)
    .map((rule) => ({
      from: rule.from_port,
      to: rule.to_port,
      peer: rule.cidr_ipv4 ?? rule.cidr_ipv6 ?? rule.referenced_security_group_id ?? rule.prefix_list_id,
    }));
const statements = (policy: Json): Statement[] => JSON.parse(policy.policy as string).Statement;
const containers = (prefix: string): Json[] =>
  JSON.parse(one('aws_ecs_task_definition', prefix).container_definitions as string);
const env = (c: Json) =>
  Object.fromEntries((c.environment as { name: string; value: string }[]).map((e) => [e.name, e.value]));

describe('network exposure', () => {
  it('admits the whole internet only on the public ALB, on 443 and 80 (redirect)', () => {
    const open = ingress().filter((rule) => rule.cidr_ipv4 === '0.0.0.0/0' || rule.cidr_ipv6 === '::/0');
    expect(open.map((rule) => [rule.security_group_id, rule.from_port]).sort()).toEqual(
      [
        [sg('Ingress_Alb_SecurityGroup'), 443],
        [sg('Ingress_Alb_SecurityGroup'), 80],
      ].sort(),
    );
  });

  it('redirects port 80 to HTTPS and serves HTTPS with the configured certificate and a TLS 1.2+ policy', () => {
    const listeners = all(r, 'aws_lb_listener');
    const http = listeners.find((l) => l.port === 80)!;
    expect(http.default_action).toEqual([
      expect.objectContaining({
        type: 'redirect',
        redirect: expect.objectContaining({ protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' }),
      }),
    ]);
    const https = listeners.find((l) => l.protocol === 'HTTPS')!;
    expect(https.certificate_arn).toBe(config.certificateArn);
    expect(https.ssl_policy).toBe('ELBSecurityPolicy-TLS13-1-2-2021-06');
  });

  it('opens the gRPC NLB on 26500 to the configured client CIDRs only', () => {
    expect(ingressTo(sg('Ingress_Nlb_SecurityGroup'))).toEqual(
      config.grpcClientCidrs.map((cidr) => ({ from: PORTS.grpc, to: PORTS.grpc, peer: cidr })),
    );
  });

  it('terminates TLS for gRPC at the NLB (ALPN HTTP2Preferred) and checks readiness over HTTP on 9600', () => {
    const listener = all(r, 'aws_lb_listener').find((l) => l.protocol === 'TLS')!;
    expect(listener).toMatchObject({
      port: PORTS.grpc,
      alpn_policy: 'HTTP2Preferred',
      certificate_arn: config.certificateArn,
      load_balancer_arn: ref('aws_lb', 'Ingress_Nlb', 'arn'),
    });
    expect(listener.default_action).toEqual([
      { type: 'forward', target_group_arn: ref('aws_lb_target_group', 'Ingress_GrpcTargets', 'arn') },
    ]);
    expect(one('aws_lb_target_group', 'Ingress_GrpcTargets')).toMatchObject({
      port: PORTS.grpc,
      protocol: 'TCP',
      target_type: 'ip',
      preserve_client_ip: 'false',
      health_check: expect.objectContaining({ protocol: 'HTTP', port: '9600', path: '/actuator/health/readiness' }),
    });
  });

  it('lets the brokers be reached only by each other, the connectors and the load balancers', () => {
    const oc = sg('Orchestration_Service_SecurityGroup');
    const alb = sg('Ingress_Alb_SecurityGroup');
    const nlb = sg('Ingress_Nlb_SecurityGroup');
    const con = sg('Connectors_Service_SecurityGroup');
    expect(ingressTo(oc)).toEqual(
      expect.arrayContaining([
        { from: 26501, to: 26502, peer: oc },
        { from: 26500, to: 26500, peer: oc },
        { from: 8080, to: 8080, peer: con },
        { from: 26500, to: 26500, peer: con },
        { from: 8080, to: 8080, peer: alb },
        { from: 9600, to: 9600, peer: alb },
        { from: 26500, to: 26500, peer: nlb },
        { from: 9600, to: 9600, peer: nlb },
      ]),
    );
    expect(ingressTo(oc)).toHaveLength(8);
    expect(ingressTo(con)).toEqual([{ from: 8080, to: 8080, peer: alb }]);
  });

  it('admits PostgreSQL only from the brokers and the db-seed task, NFS only from the brokers', () => {
    const oc = sg('Orchestration_Service_SecurityGroup');
    expect(ingressTo(sg('Database_Aurora_SecurityGroup'))).toEqual(
      expect.arrayContaining([
        { from: 5432, to: 5432, peer: oc },
        { from: 5432, to: 5432, peer: sg('Database_SeedSecurityGroup') },
      ]),
    );
    expect(ingressTo(sg('Database_Aurora_SecurityGroup'))).toHaveLength(2);
    expect(ingressTo(sg('Orchestration_Data_SecurityGroup'))).toEqual([{ from: 2049, to: 2049, peer: oc }]);
  });
});

describe('web routing', () => {
  it('sends /connectors* to the connectors (priority 50) and everything else to the orchestration cluster (100)', () => {
    const rules = all(r, 'aws_lb_listener_rule').map((rule) => ({
      priority: rule.priority,
      paths: (rule.condition as Json[]).map((c) => (c.path_pattern as Json).values),
      target: (rule.action as Json[])[0].target_group_arn,
    }));
    expect(rules).toEqual(
      expect.arrayContaining([
        {
          priority: 50,
          paths: [['/connectors*']],
          target: ref('aws_lb_target_group', 'Ingress_Alb_TargetGroup-Connectors', 'arn'),
        },
        {
          priority: 100,
          paths: [['/*']],
          target: ref('aws_lb_target_group', 'Ingress_Alb_TargetGroup-Orchestration', 'arn'),
        },
      ]),
    );
  });

  it('keeps sessions sticky for 12 hours and checks readiness on the management port', () => {
    const oc = one('aws_lb_target_group', 'Ingress_Alb_TargetGroup-Orchestration');
    expect(oc.stickiness).toEqual({ type: 'lb_cookie', enabled: true, cookie_duration: 43200 });
    expect(oc.health_check).toMatchObject({ port: '9600', path: '/actuator/health/readiness' });
    const con = one('aws_lb_target_group', 'Ingress_Alb_TargetGroup-Connectors');
    expect(con.stickiness).toEqual({ type: 'lb_cookie', enabled: true, cookie_duration: 43200 });
    expect(con.health_check).toMatchObject({ path: '/connectors/actuator/health/readiness' });
  });

  it('writes ALB and NLB access logs to the SSE-S3 log bucket', () => {
    const lbs = all(r, 'aws_lb');
    const bucket = ref('aws_s3_bucket', 'Foundation_LoadBalancerLogs', 'bucket');
    expect(lbs.map((lb) => lb.access_logs)).toEqual([
      expect.objectContaining({ bucket, enabled: true }),
      expect.objectContaining({ bucket, enabled: true }),
    ]);
    const sse = one('aws_s3_bucket_server_side_encryption_configuration', 'Foundation_LoadBalancerLogs');
    expect(JSON.stringify(sse.rule)).toContain('AES256');
  });
});

describe('orchestration cluster', () => {
  it('runs 3 brokers as one service, never more than 3 and keeping 2 through deployments', () => {
    expect(one('aws_ecs_service', 'Orchestration_Service')).toMatchObject({
      desired_count: 3,
      deployment_maximum_percent: 100,
      deployment_minimum_healthy_percent: 66,
      launch_type: 'FARGATE',
      network_configuration: expect.objectContaining({ assign_public_ip: false }),
    });
  });

  it('publishes gRPC, the cluster API and REST through Service Connect; connectors join as a client', () => {
    const sc = one('aws_ecs_service', 'Orchestration_Service').service_connect_configuration as Json;
    const namespace = ref('aws_service_discovery_http_namespace', 'Foundation_ServiceConnect', 'arn');
    expect(sc.namespace).toBe(namespace);
    expect((sc.service as Json[]).map((s) => [s.port_name, s.client_alias])).toEqual([
      ['grpc', { dns_name: 'orchestration-cluster-grpc', port: 26500 }],
      ['internal-api', { dns_name: 'orchestration-cluster-sc', port: 26502 }],
      ['rest', { dns_name: 'orchestration-cluster-rest', port: 8080 }],
    ]);
    const client = one('aws_ecs_service', 'Connectors_Service').service_connect_configuration as Json;
    expect(client).toMatchObject({ enabled: true, namespace });
    expect(client.service).toBeUndefined();
    const connectorsEnv = env(containers('Connectors_Service')[0]);
    expect(connectorsEnv.CAMUNDA_CLIENT_RESTADDRESS).toBe('http://orchestration-cluster-rest:8080');
    expect(connectorsEnv.CAMUNDA_CLIENT_GRPCADDRESS).toBe('http://orchestration-cluster-grpc:26500');
    expect(env(containers('Orchestration_Service')[0]).CAMUNDA_CLUSTER_INITIALCONTACTPOINTS).toBe(
      'orchestration-cluster-sc:26502',
    );
  });

  it('leases node ids in its own S3 bucket, with exactly that bucket (and the backup bucket) granted', () => {
    const bucket = ref('aws_s3_bucket', 'Orchestration_NodeIdBucket', 'bucket');
    const e = env(containers('Orchestration_Service')[0]);
    expect(e).toMatchObject({
      CAMUNDA_CLUSTER_NODEIDPROVIDER_TYPE: 's3',
      CAMUNDA_CLUSTER_NODEIDPROVIDER_S3_BUCKETNAME: bucket,
      CAMUNDA_CLUSTER_NODEIDPROVIDER_S3_REGION: config.region,
      CAMUNDA_CLUSTER_SIZE: '3',
    });
    const task = statements(one('aws_iam_role_policy', 'Orchestration_Service_Task_TaskPolicy'));
    const s3 = task.filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')));
    const resources = s3.flatMap((s) => [s.Resource].flat()).sort();
    expect(resources).toEqual(
      [
        `arn:aws:s3:::${config.buckets.nodeId}`,
        `arn:aws:s3:::${config.buckets.nodeId}/*`,
        `arn:aws:s3:::${config.buckets.backup}`,
        `arn:aws:s3:::${config.buckets.backup}/*`,
      ].sort(),
    );
    expect(task.flatMap((s) => [s.Resource].flat())).not.toContain('*');
  });

  it('stores broker data on encrypted, elastic EFS through an access point, mounted with TLS and IAM', () => {
    expect(one('aws_efs_file_system', 'Orchestration_Data')).toMatchObject({
      encrypted: true,
      throughput_mode: 'elastic',
    });
    expect(one('aws_efs_access_point', 'Orchestration_Data').posix_user).toEqual({ uid: 1000, gid: 1000 });
    const volume = (one('aws_ecs_task_definition', 'Orchestration_Service').volume as Json[])[0];
    expect(volume.efs_volume_configuration).toMatchObject({
      file_system_id: ref('aws_efs_file_system', 'Orchestration_Data'),
      transit_encryption: 'ENABLED',
      authorization_config: { access_point_id: ref('aws_efs_access_point', 'Orchestration_Data'), iam: 'ENABLED' },
    });
    expect(containers('Orchestration_Service')[0].mountPoints).toEqual([
      { sourceVolume: 'camunda-volume', containerPath: '/usr/local/camunda/data', readOnly: false },
    ]);
  });
});

describe('database', () => {
  it('is Aurora PostgreSQL with IAM authentication, encrypted storage and an RDS-managed master password', () => {
    expect(one('aws_rds_cluster', 'Database_Aurora')).toMatchObject({
      engine: 'aurora-postgresql',
      iam_database_authentication_enabled: true,
      storage_encrypted: true,
      manage_master_user_password: true,
      deletion_protection: true,
    });
  });

  it('lets the brokers log in as the IAM database user only, over TLS', () => {
    const task = statements(one('aws_iam_role_policy', 'Orchestration_Service_Task_TaskPolicy'));
    const connect = task.filter((s) => s.Action === 'rds-db:connect');
    expect(connect).toHaveLength(1);
    expect(connect[0].Resource).toBe(
      `arn:aws:rds-db:${config.region}:${config.accountId}:dbuser:${ref('aws_rds_cluster', 'Database_Aurora', 'cluster_resource_id')}/camunda`,
    );
    const e = env(containers('Orchestration_Service')[0]);
    expect(e.CAMUNDA_DATA_SECONDARYSTORAGE_RDBMS_URL).toMatch(
      /^jdbc:aws-wrapper:postgresql:\/\/.*wrapperPlugins=iam&sslmode=require$/,
    );
    expect(e.CAMUNDA_DATA_SECONDARYSTORAGE_RDBMS_USERNAME).toBe('camunda');
  });

  it('creates the IAM database user with a one-off task whose run-task command is an output', () => {
    const [seed] = containers('Database_Seed');
    expect(seed.secrets).toEqual([
      { name: 'PGPASSWORD', valueFrom: expect.stringMatching(/master_user_secret.*:password::$/) },
    ]);
    expect((seed.command as string[])[0]).toContain('GRANT rds_iam TO');
    const output = (stack.output as Record<string, Json>).db_seed_command.value as string;
    expect(output).toContain('aws ecs run-task');
    expect(output).toContain(ref('aws_ecs_task_definition', 'Database_Seed', 'arn'));
    expect(output).toContain(sg('Database_SeedSecurityGroup'));
  });
});

describe('secrets and encryption', () => {
  it('generates the user passwords into Secrets Manager with a customer key, write-only', () => {
    const key = ref('aws_kms_key', 'Foundation_SecretsKey', 'arn');
    for (const secret of all(r, 'aws_secretsmanager_secret')) expect(secret.kms_key_id).toBe(key);
    for (const version of all(r, 'aws_secretsmanager_secret_version')) {
      expect(version.secret_string).toBeUndefined();
      expect(version.secret_string_wo).toMatch(/^\$\{ephemeral\.aws_secretsmanager_random_password\./);
    }
    const oc = containers('Orchestration_Service')[0];
    expect((oc.secrets as Json[]).map((s) => s.valueFrom)).toEqual([
      ref('aws_secretsmanager_secret', 'Orchestration_AdminPassword', 'arn'),
      ref('aws_secretsmanager_secret', 'Orchestration_ConnectorsPassword', 'arn'),
    ]);
  });

  it('never puts a password in plain environment variables', () => {
    for (const td of all(r, 'aws_ecs_task_definition'))
      for (const c of JSON.parse(td.container_definitions as string) as Json[])
        for (const name of Object.keys(env(c))) expect(name).not.toMatch(/PASSWORD|SECRET|TOKEN/);
  });

  it('blocks public access on every bucket and encrypts the node-id and backup buckets with KMS', () => {
    const blocks = all(r, 'aws_s3_bucket_public_access_block');
    expect(blocks).toHaveLength(3);
    for (const b of blocks)
      expect(b).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
    for (const prefix of ['Orchestration_NodeIdBucket', 'Orchestration_BackupBucket'])
      expect(JSON.stringify(one('aws_s3_bucket_server_side_encryption_configuration', prefix).rule)).toContain(
        'aws:kms',
      );
  });

  it('encrypts every log group with a customer key', () => {
    const groups = all(r, 'aws_cloudwatch_log_group');
    expect(groups.length).toBeGreaterThanOrEqual(5);
    for (const g of groups) expect(g.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
  });

  it('makes no AWS call at synth: no data sources, account pinned on the provider', () => {
    expect(stack.data).toBeUndefined();
    const [provider] = (stack.provider as { aws: Json[] }).aws;
    expect(provider).toMatchObject({ region: config.region, allowed_account_ids: [config.accountId] });
  });
});
