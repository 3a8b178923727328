import { AnnotationMetadataEntryType } from 'cdktf';
import { inNamedTest } from '@tts-ecs/testing';
import { DB_SECRET, KEY, PARAM, SECRET_KEY, TG, Resources, synthEverything } from './fixture';

type Json = Record<string, unknown>;
interface Statement {
  Sid?: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Json;
}

const everything = synthEverything();
/** The resource of `type` at `path` (in a `describe` body: read in a named test, see `inNamedTest`). */
const byPath = (type: string, path: string): Json =>
  inNamedTest(`finds the ${type} at ${path}`, () => {
    // Testing.synth drops metadata; logical ids are the path below the stack joined by "_" plus a hash.
    // (consecutive repeated segments collapse: Cluster/Cluster -> Cluster).
    const id = path
      .split('/')
      .slice(1)
      .filter((seg, i, a) => seg !== a[i - 1])
      .join('_');
    const found = Object.entries(everything.resources[type] ?? {}).find(
      ([key]) => key.replace(/_[0-9A-F]{8}$/, '') === id,
    )?.[1];
    if (!found) throw new Error(`no ${type} at ${path}`);
    return found;
  });
const statements = (path: string): Statement[] =>
  JSON.parse(byPath('aws_iam_role_policy', path).policy as string).Statement;
const containers = (path: string): Json[] =>
  JSON.parse(byPath('aws_ecs_task_definition', path).container_definitions as string);
const all = (r: Resources, type: string): Json[] => Object.values(r[type] ?? {});

describe('EcsCluster', () => {
  const cluster = byPath('aws_ecs_cluster', 'compute/Cluster/Cluster');

  it('enables Container Insights and encrypted, logged ECS Exec', () => {
    expect(cluster.setting).toEqual([{ name: 'containerInsights', value: 'enabled' }]);
    expect(cluster.configuration).toEqual({
      execute_command_configuration: {
        kms_key_id: KEY,
        logging: 'OVERRIDE',
        log_configuration: {
          cloud_watch_encryption_enabled: true,
          cloud_watch_log_group_name: '/ecs/acme-prod-eu1/execute-command',
        },
      },
    });
    expect(byPath('aws_cloudwatch_log_group', 'compute/Cluster/ExecLogs/LogGroup')).toMatchObject({
      name: '/ecs/acme-prod-eu1/execute-command',
      kms_key_id: KEY,
      retention_in_days: 365,
    });
  });

  it('registers FARGATE, FARGATE_SPOT and the EC2 provider with a Fargate default strategy', () => {
    expect(byPath('aws_ecs_cluster_capacity_providers', 'compute/Cluster/CapacityProviders')).toMatchObject({
      capacity_providers: ['FARGATE', 'FARGATE_SPOT', 'acme-prod-eu1-ec2'],
      default_capacity_provider_strategy: [{ capacity_provider: 'FARGATE', weight: 1, base: 0 }],
    });
  });
});

describe('EC2 capacity', () => {
  const template = byPath('aws_launch_template', 'compute/Cluster/Ec2/LaunchTemplate');
  const group = byPath('aws_autoscaling_group', 'compute/Cluster/Ec2/Group');
  const provider = byPath('aws_ecs_capacity_provider', 'compute/Cluster/Ec2/CapacityProvider');

  it('requires IMDSv2 with a single hop and resolves the x86 ECS AL2023 AMI from SSM', () => {
    expect(template.metadata_options).toEqual({
      http_endpoint: 'enabled',
      http_tokens: 'required',
      http_put_response_hop_limit: 1,
      instance_metadata_tags: 'disabled',
    });
    expect(template.image_id).toBe('resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id');
  });

  it('encrypts a gp3 root volume', () => {
    expect(template.block_device_mappings).toEqual([
      {
        device_name: '/dev/xvda',
        ebs: { volume_size: 30, volume_type: 'gp3', encrypted: 'true', delete_on_termination: 'true' },
      },
    ]);
  });

  it('joins the cluster with task IAM roles and IMDS blocked for awsvpc tasks', () => {
    expect(template.user_data).toContain('ECS_CLUSTER=acme-prod-eu1\\n');
    expect(template.user_data).toContain('ECS_ENABLE_TASK_IAM_ROLE=true');
    expect(template.user_data).toContain('ECS_AWSVPC_BLOCK_IMDS=true');
    expect(template.user_data).toContain('/etc/ecs/ecs.config');
  });

  it('protects instances from scale-in and lets ECS own the desired capacity', () => {
    expect(group).toMatchObject({
      min_size: 1,
      max_size: 3,
      desired_capacity: 1,
      protect_from_scale_in: true,
      vpc_zone_identifier: ['subnet-aaa', 'subnet-bbb'],
    });
    expect(group.tag).toContainEqual({ key: 'AmazonECSManaged', value: 'true', propagate_at_launch: true });
    expect(group.lifecycle).toEqual({ ignore_changes: ['desired_capacity'] });
  });

  it('drains tasks before termination with managed scaling and termination protection', () => {
    expect(provider.auto_scaling_group_provider).toMatchObject({
      managed_draining: 'ENABLED',
      managed_termination_protection: 'ENABLED',
      managed_scaling: { status: 'ENABLED', target_capacity: 100 },
    });
  });

  it('gives instances SSM and the ECS instance policy', () => {
    const arns = all(everything.resources, 'aws_iam_role_policy_attachment').map((a) => a.policy_arn);
    expect(arns).toEqual(
      expect.arrayContaining([
        'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
        'arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role',
      ]),
    );
  });

  it('warns that t3 has no ENI trunking', () => {
    const warnings = everything.stack.node
      .findAll()
      .flatMap((c) =>
        c.node.metadata
          .filter((m) => m.type === AnnotationMetadataEntryType.WARN)
          .map((m) => `${c.node.path}: ${m.data}`),
      );
    expect(warnings).toEqual([
      expect.stringMatching(/^compute\/Cluster\/Ec2: Instance type t3\.large does not support ENI trunking/),
    ]);
  });
});

describe('EcsAccountSettings', () => {
  it('enables the four per-region settings', () => {
    const settings = all(everything.resources, 'aws_ecs_account_setting_default').map((s) => `${s.name}=${s.value}`);
    expect(settings.sort()).toEqual([
      'awsvpcTrunking=enabled',
      'containerInstanceLongArnFormat=enabled',
      'serviceLongArnFormat=enabled',
      'taskLongArnFormat=enabled',
    ]);
  });
});

describe('ContainerService task definition', () => {
  const td = byPath('aws_ecs_task_definition', 'compute/Api/Task/TaskDefinition');
  const api = inNamedTest('finds the api container', () => containers('compute/Api/Task/TaskDefinition')[0]);

  it('runs on Fargate in awsvpc mode with the requested size', () => {
    expect(td).toMatchObject({
      cpu: '512',
      memory: '2048',
      network_mode: 'awsvpc',
      requires_compatibilities: ['FARGATE'],
    });
  });

  it('keeps secrets out of the environment and references them by ARN (with JSON key)', () => {
    expect(api.environment).toEqual([
      { name: 'CACHE_KEY_PREFIX', value: 'api' },
      { name: 'LOG_LEVEL', value: 'info' },
    ]);
    expect(api.secrets).toEqual([
      { name: 'APP_HOST', valueFrom: PARAM },
      { name: 'DB_PASSWORD', valueFrom: `${DB_SECRET}:password::` },
      { name: 'DB_URL', valueFrom: DB_SECRET },
    ]);
    expect(td.container_definitions).not.toMatch(/"environment":\[[^\]]*DB_/);
  });

  it('runs non-root on a read-only root file system with a writable scratch /tmp', () => {
    expect(api).toMatchObject({ user: '65534:65534', readonlyRootFilesystem: true, essential: true });
    expect(api.mountPoints).toEqual([{ sourceVolume: 'api-scratch-0', containerPath: '/tmp', readOnly: false }]);
    expect(td.volume).toEqual([{ name: 'api-scratch-0' }]);
  });

  it('logs to its own encrypted log group', () => {
    expect(api.logConfiguration).toEqual({
      logDriver: 'awslogs',
      options: {
        'awslogs-group': '/ecs/acme-prod-eu1-api',
        'awslogs-region': 'eu-west-1',
        'awslogs-stream-prefix': 'api',
      },
    });
    expect(byPath('aws_cloudwatch_log_group', 'compute/Api/Task/Logs/LogGroup')).toMatchObject({
      kms_key_id: KEY,
      retention_in_days: 365,
    });
  });

  it('uses distinct execution and task roles', () => {
    expect(td.execution_role_arn).toMatch(/aws_iam_role\.Api_Task_ExecutionRole_.*\.arn/);
    expect(td.task_role_arn).toMatch(/aws_iam_role\.Api_Task_TaskRole_.*\.arn/);
    expect(td.execution_role_arn).not.toBe(td.task_role_arn);
    const trust = JSON.parse(byPath('aws_iam_role', 'compute/Api/Task/TaskRole').assume_role_policy as string);
    expect(trust.Statement[0]).toMatchObject({
      Principal: { Service: 'ecs-tasks.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
    });
  });

  it('scopes the execution role to the image repository, its log group, the referenced secrets and their key', () => {
    const s = statements('compute/Api/Task/ExecutionPolicy');
    expect(s).toEqual([
      {
        Effect: 'Allow',
        Sid: 'WriteOwnLogGroup',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: 'arn:aws:logs:eu-west-1:111111111111:log-group:/ecs/acme-prod-eu1-api:log-stream:*',
      },
      { Effect: 'Allow', Sid: 'EcrLogin', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      {
        Effect: 'Allow',
        Sid: 'EcrPull',
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
        Resource: ['arn:aws:ecr:eu-west-1:111111111111:repository/app/api'],
      },
      { Effect: 'Allow', Sid: 'ReadSecrets', Action: 'secretsmanager:GetSecretValue', Resource: [DB_SECRET] },
      { Effect: 'Allow', Sid: 'ReadParameters', Action: 'ssm:GetParameters', Resource: [PARAM] },
      { Effect: 'Allow', Sid: 'DecryptSecrets', Action: 'kms:Decrypt', Resource: [SECRET_KEY] },
    ]);
  });

  it('grants the task role only what was added, plus ECS Exec when enabled', () => {
    const s = statements('compute/Api/Task/TaskPolicy');
    expect(s.map((x) => x.Sid ?? x.Action)).toEqual([
      'ExecSessionChannels',
      'ExecSessionKey',
      'ExecFindLogGroup',
      'ExecAuditLog',
      's3:GetObject',
    ]);
    expect(s.find((x) => x.Sid === 'ExecSessionKey')!.Resource).toBe(KEY);
    expect(s.find((x) => x.Sid === 'ExecAuditLog')!.Resource).toBe(
      'arn:aws:logs:eu-west-1:111111111111:log-group:/ecs/acme-prod-eu1/execute-command:*',
    );
    // Only the ssmmessages channels (no resource-level permissions) and ecr:GetAuthorizationToken use "*".
    const wildcards = all(everything.resources, 'aws_iam_role_policy').flatMap((p) =>
      (JSON.parse(p.policy as string).Statement as Statement[]).filter((x) => x.Resource === '*').map((x) => x.Sid),
    );
    expect(wildcards.sort()).toEqual(['EcrLogin', 'EcrLogin', 'ExecSessionChannels']);
  });

  it('creates no task policy for a task role nobody granted anything', () => {
    expect(() => byPath('aws_iam_role_policy', 'compute/Worker/Task/TaskPolicy')).toThrow();
  });
});

describe('ContainerService service', () => {
  const svc = byPath('aws_ecs_service', 'compute/Api/Service');

  it('deploys with circuit breaker rollback, 100/200 % and two tasks in private subnets', () => {
    expect(svc).toMatchObject({
      deployment_circuit_breaker: { enable: true, rollback: true },
      deployment_minimum_healthy_percent: 100,
      deployment_maximum_percent: 200,
      desired_count: 2,
      launch_type: 'FARGATE',
      propagate_tags: 'SERVICE',
      wait_for_steady_state: true,
      network_configuration: { assign_public_ip: false, subnets: ['subnet-aaa', 'subnet-bbb'] },
    });
    expect((svc.network_configuration as Json).security_groups).toEqual([
      expect.stringMatching(/aws_security_group\.Api_SecurityGroup/),
      'sg-extra',
    ]);
  });

  it('registers the container port in the target group with a grace period', () => {
    expect(svc.load_balancer).toEqual([{ target_group_arn: TG, container_name: 'api', container_port: 8080 }]);
    expect(svc.health_check_grace_period_seconds).toBe(60);
  });

  it('lets CI own the image and auto scaling own the count', () => {
    expect(svc.lifecycle).toEqual({ ignore_changes: ['task_definition', 'desired_count'] });
  });

  it('scales on CPU and memory targets', () => {
    expect(byPath('aws_appautoscaling_target', 'compute/Api/ScalingTarget')).toMatchObject({
      min_capacity: 2,
      max_capacity: 6,
      scalable_dimension: 'ecs:service:DesiredCount',
      service_namespace: 'ecs',
    });
    expect(byPath('aws_appautoscaling_target', 'compute/Api/ScalingTarget').resource_id).toMatch(
      /^service\/\$\{aws_ecs_cluster\..*\.name\}\/acme-prod-eu1-api$/,
    );
    const cpu = byPath('aws_appautoscaling_policy', 'compute/Api/ScaleCpu')
      .target_tracking_scaling_policy_configuration as Json;
    expect(cpu).toMatchObject({
      target_value: 60,
      predefined_metric_specification: { predefined_metric_type: 'ECSServiceAverageCPUUtilization' },
    });
    const mem = byPath('aws_appautoscaling_policy', 'compute/Api/ScaleMemory')
      .target_tracking_scaling_policy_configuration as Json;
    expect(mem).toMatchObject({
      target_value: 75,
      predefined_metric_specification: { predefined_metric_type: 'ECSServiceAverageMemoryUtilization' },
    });
  });

  it('waits 300 s before scaling in and 60 s before scaling out again (the defaults)', () => {
    for (const policy of ['compute/Api/ScaleCpu', 'compute/Api/ScaleMemory']) {
      expect(byPath('aws_appautoscaling_policy', policy).target_tracking_scaling_policy_configuration).toMatchObject({
        scale_in_cooldown: 300,
        scale_out_cooldown: 60,
      });
    }
  });

  it('registers A records in the Cloud Map namespace', () => {
    expect(byPath('aws_service_discovery_service', 'compute/Api/Discovery')).toMatchObject({
      name: 'acme-prod-eu1-api',
      dns_config: { namespace_id: 'ns-123', routing_policy: 'MULTIVALUE', dns_records: [{ type: 'A', ttl: 10 }] },
    });
    expect((svc.service_registries as Json).registry_arn).toMatch(/aws_service_discovery_service\.Api_Discovery/);
  });

  it('opens no ingress except what connections.allowFrom asked for, and all egress', () => {
    const ingress = all(everything.resources, 'aws_vpc_security_group_ingress_rule').filter((r) =>
      String(r.security_group_id).includes('Api_SecurityGroup'),
    );
    expect(
      ingress.map((r) => [r.referenced_security_group_id ?? r.cidr_ipv4 ?? r.cidr_ipv6, r.ip_protocol, r.from_port]),
    ).toEqual([
      ['sg-0123456789abcdef0', 'tcp', 8080],
      ['0.0.0.0/0', 'udp', 1700],
      ['::/0', 'udp', 1700],
    ]);
    const workerIngress = all(everything.resources, 'aws_vpc_security_group_ingress_rule').filter((r) =>
      String(r.security_group_id).includes('Worker'),
    );
    expect(workerIngress).toEqual([]);
  });

  it('runs a singleton on EC2 capacity without ever starting a second task, after the providers are attached', () => {
    const worker = byPath('aws_ecs_service', 'compute/Worker/Service');
    expect(worker).toMatchObject({
      desired_count: 1,
      deployment_minimum_healthy_percent: 0,
      deployment_maximum_percent: 100,
      enable_execute_command: false,
    });
    expect(worker.launch_type).toBeUndefined();
    expect(worker.capacity_provider_strategy).toEqual([{ capacity_provider: 'acme-prod-eu1-ec2', weight: 1, base: 0 }]);
    expect(worker.depends_on).toEqual([expect.stringMatching(/^aws_ecs_cluster_capacity_providers\./)]);
    expect(byPath('aws_ecs_task_definition', 'compute/Worker/Task/TaskDefinition').requires_compatibilities).toEqual([
      'EC2',
    ]);
    expect(containers('compute/Worker/Task/TaskDefinition')[0].user).toBeUndefined();
  });
});

describe('TaskDefinition without a service', () => {
  const td = byPath('aws_ecs_task_definition', 'compute/Ops/TaskDefinition');

  it('mounts EFS with TLS and IAM, and grants the task role mount/write through the access point only', () => {
    expect(td.volume).toEqual([
      {
        name: 'data',
        efs_volume_configuration: {
          file_system_id: 'fs-123',
          transit_encryption: 'ENABLED',
          authorization_config: { access_point_id: 'fsap-456', iam: 'ENABLED' },
        },
      },
    ]);
    expect(statements('compute/Ops/TaskPolicy')).toEqual([
      {
        Effect: 'Allow',
        Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
        Resource: 'arn:aws:elasticfilesystem:eu-west-1:111111111111:file-system/fs-123',
        Condition: {
          StringEquals: {
            'elasticfilesystem:AccessPointArn':
              'arn:aws:elasticfilesystem:eu-west-1:111111111111:access-point/fsap-456',
          },
        },
      },
    ]);
  });

  it('grants no ECR pull for images outside ECR', () => {
    expect(statements('compute/Ops/ExecutionPolicy').map((s) => s.Sid)).toEqual(['WriteOwnLogGroup']);
  });
});

describe('ScheduledTask', () => {
  const schedule = byPath('aws_scheduler_schedule', 'compute/Renew/Schedule');

  it('runs the task on Fargate in private subnets on the schedule', () => {
    expect(schedule).toMatchObject({
      schedule_expression: 'rate(14 days)',
      schedule_expression_timezone: 'UTC',
      state: 'ENABLED',
      flexible_time_window: { mode: 'OFF' },
    });
    const target = schedule.target as Json;
    expect(target.arn).toMatch(/aws_ecs_cluster\.Cluster_.*\.arn/);
    expect(target.ecs_parameters).toMatchObject({
      launch_type: 'FARGATE',
      task_count: 1,
      task_definition_arn: expect.stringMatching(/aws_ecs_task_definition\.Ops_TaskDefinition_.*\.arn/),
      network_configuration: { assign_public_ip: false, subnets: ['subnet-aaa', 'subnet-bbb'] },
    });
  });

  it("may only run that family in that cluster and pass exactly the task's two roles", () => {
    const [run, tag, pass] = statements('compute/Renew/Policy');
    expect(run).toMatchObject({
      Action: 'ecs:RunTask',
      Resource: 'arn:aws:ecs:eu-west-1:111111111111:task-definition/acme-prod-eu1-ops:*',
      Condition: { ArnEquals: { 'ecs:cluster': expect.stringMatching(/aws_ecs_cluster\.Cluster_.*\.arn/) } },
    });
    expect(tag).toMatchObject({
      Action: 'ecs:TagResource',
      Condition: { StringEquals: { 'ecs:CreateAction': 'RunTask' } },
    });
    expect(pass.Action).toBe('iam:PassRole');
    expect(pass.Resource).toEqual([
      expect.stringMatching(/aws_iam_role\.Ops_ExecutionRole_.*\.arn/),
      expect.stringMatching(/aws_iam_role\.Ops_TaskRole_.*\.arn/),
    ]);
    const trust = JSON.parse(byPath('aws_iam_role', 'compute/Renew/Role').assume_role_policy as string);
    expect(trust.Statement[0].Principal).toEqual({ Service: 'scheduler.amazonaws.com' });
  });
});
