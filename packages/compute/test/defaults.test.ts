// Every documented `@default` of the compute constructs that no other test pins: each construct is built once (one
// synth) with its required props only, and each default has an assertion naming the prop, so changing a default fails
// here. Defaults of nested options (port mappings, health checks, EFS volumes, auto scaling, ...) are read from
// siblings in the same synth that give the option with its required fields only.
// Already pinned elsewhere: EcsAccountSettings and ContainerSecret.fromSecretsManager options (everything.test.ts).
import { TerraformStack, Testing } from 'cdktf';
import { Resources, byPath, env, inNamedTest, only, synth } from '@tts-ecs/testing';
import {
  ContainerProps,
  ContainerService,
  ContainerServiceProps,
  Ec2Capacity,
  EcsCluster,
  ScheduledTask,
  TaskDefinition,
} from '../src';

type Json = Record<string, unknown>;
type Statement = { Sid?: string; Action: string | string[]; Resource: string | string[]; Condition?: Json };

const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/k';
const IMAGE = '111111111111.dkr.ecr.eu-west-1.amazonaws.com/app/api:1.2.3';
const cluster = { clusterName: 'c', clusterArn: 'arn:aws:ecs:eu-west-1:111111111111:cluster/c' };
const subnetIds = ['subnet-a', 'subnet-b'];
/** Keys of the resources of `type` whose construct path starts with `prefix` (e.g. `Plain_`). */
const keysOf = (r: Resources, type: string, prefix: string) =>
  Object.keys(r[type] ?? {}).filter((k) => k.startsWith(prefix));
const statements = (policy: Json): Statement[] => JSON.parse(policy.policy as string).Statement;

describe('EcsCluster defaults', () => {
  const r = synth((s) => new EcsCluster(s, 'Cluster', { environment: env, clusterName: 'acme', kmsKeyArn: KEY }));
  const providers = inNamedTest('finds the aws_ecs_cluster_capacity_providers', () =>
    only(r, 'aws_ecs_cluster_capacity_providers'),
  );

  it('enables Container Insights', () => {
    // containerInsights @default 'enabled'
    expect(only(r, 'aws_ecs_cluster').setting).toEqual([{ name: 'containerInsights', value: 'enabled' }]);
  });

  it('registers FARGATE only, without Spot or EC2 capacity', () => {
    // fargateSpot @default false; ec2Capacity @default Fargate only
    expect(providers.capacity_providers).toEqual(['FARGATE']);
    expect(r.aws_autoscaling_group).toBeUndefined();
    expect(r.aws_ecs_capacity_provider).toBeUndefined();
  });

  it('places tasks on FARGATE with weight 1', () => {
    // defaultCapacityProviderStrategy @default 'FARGATE' with weight 1 (CapacityProviderStrategyItem: base @default 0)
    expect(providers.default_capacity_provider_strategy).toEqual([
      { capacity_provider: 'FARGATE', weight: 1, base: 0 },
    ]);
  });

  it('keeps the ECS Exec audit log 365 days', () => {
    // executeCommandLogRetentionInDays @default 365
    expect(only(r, 'aws_cloudwatch_log_group').retention_in_days).toBe(365);
  });
});

describe('Ec2Capacity defaults', () => {
  const r = synth(
    (s) =>
      new Ec2Capacity(s, 'Ec2', {
        environment: env,
        clusterName: 'acme',
        instanceType: 'm6i.large',
        vpcId: 'vpc-1',
        subnetIds,
      }),
  );
  const group = inNamedTest('finds the aws_autoscaling_group', () => only(r, 'aws_autoscaling_group'));
  const template = inNamedTest('finds the aws_launch_template', () => only(r, 'aws_launch_template'));

  it('runs 1 to 4 instances and starts with the minimum', () => {
    // minSize @default 1
    expect(group.min_size).toBe(1);
    // maxSize @default 4
    expect(group.max_size).toBe(4);
    // desiredCapacity @default minSize
    expect(group.desired_capacity).toBe(1);
  });

  it('aims managed scaling at 100 % utilization', () => {
    // targetCapacityPercent @default 100
    expect(only(r, 'aws_ecs_capacity_provider').auto_scaling_group_provider).toMatchObject({
      managed_scaling: { target_capacity: 100 },
    });
  });

  it('has a 30 GiB root volume encrypted with the AWS managed EBS key', () => {
    const [mapping] = template.block_device_mappings as { ebs: Json }[];
    // rootVolumeSizeGiB @default 30
    expect(mapping.ebs.volume_size).toBe(30);
    // ebsKmsKeyArn @default the account's AWS managed EBS key (volumes are always encrypted)
    expect(mapping.ebs.encrypted).toBe('true');
    expect(mapping.ebs).not.toHaveProperty('kms_key_id');
  });

  it('keeps instance metadata one hop away', () => {
    // metadataHopLimit @default 1
    expect(template.metadata_options).toMatchObject({ http_put_response_hop_limit: 1 });
  });

  it('uses its own security group only', () => {
    // securityGroupIds @default none
    expect(template.vpc_security_group_ids).toEqual([expect.stringMatching(/^\$\{aws_security_group\.Ec2_/)]);
  });

  it('writes only the built-in ecs.config lines', () => {
    // extraEcsConfig @default none
    const names = [...String(template.user_data).matchAll(/\\n([A-Z_]+)=/g)].map((m) => m[1]);
    expect(names).toEqual([
      'ECS_CLUSTER',
      'ECS_ENABLE_TASK_IAM_ROLE',
      'ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST',
      'ECS_AWSVPC_BLOCK_IMDS',
      'ECS_ENABLE_CONTAINER_METADATA',
      'ECS_CONTAINER_INSTANCE_PROPAGATE_TAGS_FROM',
    ]);
  });
});

describe('TaskDefinition and container defaults', () => {
  let asRoot!: TaskDefinition;
  const r = synth((s) => {
    // Required props only.
    new TaskDefinition(s, 'Minimal', {
      environment: env,
      family: 'minimal',
      logKmsKeyArn: KEY,
      containers: [{ name: 'app', image: IMAGE }],
    });
    // Nested options given with their required fields only.
    new TaskDefinition(s, 'Nested', {
      environment: env,
      family: 'nested',
      logKmsKeyArn: KEY,
      containers: [
        {
          name: 'app',
          image: IMAGE,
          portMappings: [{ containerPort: 8080 }],
          healthCheck: { command: ['CMD', '/app/healthcheck'] },
          dependsOn: [{ containerName: 'init' }],
          mountPoints: [{ sourceVolume: 'data', containerPath: '/data' }],
        },
        { name: 'init', image: IMAGE, essential: false },
      ],
      efsVolumes: [{ name: 'data', fileSystemId: 'fs-1' }],
    });
    // A root container without rootReason, to read the warning default.
    asRoot = new TaskDefinition(s, 'AsRoot', {
      environment: env,
      family: 'asroot',
      logKmsKeyArn: KEY,
      containers: [{ name: 'app', image: IMAGE, user: '0' }],
    });
  });
  const td = inNamedTest('finds the minimal task definition', () =>
    byPath(r, 'aws_ecs_task_definition', 'Minimal/TaskDefinition'),
  );
  const container = inNamedTest('reads the minimal container', () => JSON.parse(td.container_definitions as string)[0]);
  const nested = inNamedTest('finds the nested task definition', () =>
    byPath(r, 'aws_ecs_task_definition', 'Nested/TaskDefinition'),
  );
  const nestedApp = inNamedTest('reads the nested app container', () =>
    JSON.parse(nested.container_definitions as string).find((c: Json) => c.name === 'app'),
  );

  describe('TaskDefinitionProps', () => {
    it('runs 256 CPU units and 512 MiB on Fargate, x86_64', () => {
      // cpu @default 256
      expect(td.cpu).toBe('256');
      // memory @default 512
      expect(td.memory).toBe('512');
      // compatibility @default 'FARGATE'
      expect(td.requires_compatibilities).toEqual(['FARGATE']);
      // cpuArchitecture @default 'X86_64'
      expect(td.runtime_platform).toEqual({ operating_system_family: 'LINUX', cpu_architecture: 'X86_64' });
    });

    it('logs to /ecs/<family>, kept 365 days', () => {
      const group = byPath(r, 'aws_cloudwatch_log_group', 'Minimal/Logs/LogGroup');
      // logRetentionInDays @default 365
      expect(group.retention_in_days).toBe(365);
      // logGroupName @default `/ecs/<family>`
      expect(group.name).toBe('/ecs/minimal');
    });

    it('lets the execution role pull the ECR image and decrypt nothing', () => {
      const s = statements(byPath(r, 'aws_iam_role_policy', 'Minimal/ExecutionPolicy'));
      // secretsKmsKeyArns @default none
      expect(s.map((x) => x.Sid)).toEqual(['WriteOwnLogGroup', 'EcrLogin', 'EcrPull']);
      // ecrRepositoryArns @default the repositories of ECR images
      expect(s.find((x) => x.Sid === 'EcrPull')!.Resource).toEqual([
        'arn:aws:ecr:eu-west-1:111111111111:repository/app/api',
      ]);
    });

    it('declares no volume', () => {
      // efsVolumes @default none; scratchVolumes @default none
      expect(td).not.toHaveProperty('volume');
    });
  });

  describe('ContainerProps', () => {
    it('keeps the image CMD, ENTRYPOINT and WORKDIR', () => {
      // command @default the image's CMD
      expect(container).not.toHaveProperty('command');
      // entryPoint @default the image's ENTRYPOINT
      expect(container).not.toHaveProperty('entryPoint');
      // workingDirectory @default the image's WORKDIR
      expect(container).not.toHaveProperty('workingDirectory');
    });

    it('maps no port, sets no variable or secret and no health check', () => {
      // portMappings @default no ports
      expect(container.portMappings).toEqual([]);
      // environment @default none
      expect(container.environment).toEqual([]);
      // secrets @default none
      expect(container.secrets).toEqual([]);
      // healthCheck @default the image's HEALTHCHECK, if any
      expect(container).not.toHaveProperty('healthCheck');
    });

    it('rejects secret-looking environment names', () => {
      // allowedSecretLookingEnvironment @default none: no synthesized effect; it only admits listed names
      expect(
        () =>
          new TaskDefinition(new TerraformStack(Testing.app(), 'secretlooking'), 'Td', {
            environment: env,
            family: 'f',
            logKmsKeyArn: KEY,
            containers: [{ name: 'app', image: IMAGE, environment: { CACHE_KEY_PREFIX: 'x' } }],
          }),
      ).toThrow('invalid containers[0].environment "CACHE_KEY_PREFIX". The name looks like a secret');
    });

    it('runs as nobody on a read-only root file system, with no writable path or mount', () => {
      // user @default '65534:65534'; runAsImageUser @default false
      expect(container.user).toBe('65534:65534');
      // readonlyRootFilesystem @default true
      expect(container.readonlyRootFilesystem).toBe(true);
      // writablePaths @default none; mountPoints @default none
      expect(container.mountPoints).toEqual([]);
    });

    it('warns at synth when a container runs as root', () => {
      // rootReason @default none: running as root prints a warning at synth
      const warnings = asRoot.node
        .findAll()
        .flatMap((c) => c.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => m.data));
      expect(warnings).toEqual(['containers[0].user runs container "app" as root; prefer an unprivileged uid.']);
    });

    it('is essential, shares the task CPU and memory, and stops after 30 s', () => {
      // essential @default true
      expect(container.essential).toBe(true);
      // cpu @default share of the task's CPU
      expect(container).not.toHaveProperty('cpu');
      // memory @default the task's memory
      expect(container).not.toHaveProperty('memory');
      // memoryReservation @default none
      expect(container).not.toHaveProperty('memoryReservation');
      // stopTimeoutSeconds @default 30
      expect(container.stopTimeout).toBe(30);
    });

    it('runs an init process and waits for no other container', () => {
      // initProcessEnabled @default true
      expect(container.linuxParameters).toEqual({ initProcessEnabled: true });
      // dependsOn @default none
      expect(container).not.toHaveProperty('dependsOn');
    });
  });

  describe('nested container options', () => {
    it('maps TCP ports without a name', () => {
      // PortMapping.protocol @default 'tcp'; PortMapping.name @default no name
      expect(nestedApp.portMappings).toEqual([{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }]);
    });

    it('checks health every 30 s, 5 s timeout, 3 retries, no start period', () => {
      expect(nestedApp.healthCheck).toEqual({
        command: ['CMD', '/app/healthcheck'],
        interval: 30, // intervalSeconds @default 30
        timeout: 5, // timeoutSeconds @default 5
        retries: 3, // retries @default 3
        startPeriod: 0, // startPeriodSeconds @default 0
      });
    });

    it('waits for dependencies to start', () => {
      // ContainerDependency.condition @default 'START'
      expect(nestedApp.dependsOn).toEqual([{ containerName: 'init', condition: 'START' }]);
    });

    it('mounts volumes read-write', () => {
      // ContainerMountPoint.readOnly @default false
      expect(nestedApp.mountPoints).toEqual([{ sourceVolume: 'data', containerPath: '/data', readOnly: false }]);
    });
  });

  describe('EfsVolume', () => {
    it('mounts the file system root through no access point', () => {
      expect(nested.volume).toEqual([
        {
          name: 'data',
          efs_volume_configuration: {
            file_system_id: 'fs-1',
            transit_encryption: 'ENABLED',
            // rootDirectory @default '/'
            root_directory: '/',
            // accessPointId @default none (mount `rootDirectory`)
            authorization_config: { iam: 'ENABLED' },
          },
        },
      ]);
    });

    it('grants mount and write, not limited to an access point', () => {
      const [grant] = statements(byPath(r, 'aws_iam_role_policy', 'Nested/TaskPolicy'));
      // readOnly @default false
      expect(grant.Action).toEqual(['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite']);
      // accessPointId @default none
      expect(grant).not.toHaveProperty('Condition');
    });
  });
});

describe('ContainerService defaults', () => {
  const container: ContainerProps = { name: 'app', image: IMAGE, portMappings: [{ containerPort: 8080 }] };
  const base: ContainerServiceProps = {
    environment: env,
    cluster,
    family: 'plain',
    vpcId: 'vpc-1',
    subnetIds,
    logKmsKeyArn: KEY,
    containers: [{ name: 'app', image: IMAGE }],
  };
  const r = synth((s) => {
    // Required props only.
    new ContainerService(s, 'Plain', base);
    // One optional prop each, to read the defaults that depend on it.
    new ContainerService(s, 'Singleton', { ...base, family: 'singleton', singleton: true });
    new ContainerService(s, 'OnEc2', { ...base, family: 'onec2', compatibility: 'EC2' });
    new ContainerService(s, 'Balanced', {
      ...base,
      family: 'balanced',
      containers: [container],
      loadBalancers: [{ targetGroupArn: 'tg', containerName: 'app', containerPort: 8080 }],
    });
    new ContainerService(s, 'CpuScaled', {
      ...base,
      family: 'cpuscaled',
      autoScaling: { minCapacity: 1, maxCapacity: 4, cpuTargetPercent: 50 },
    });
    new ContainerService(s, 'MemoryScaled', {
      ...base,
      family: 'memoryscaled',
      autoScaling: { minCapacity: 1, maxCapacity: 4, memoryTargetPercent: 50 },
    });
    new ContainerService(s, 'Discovered', { ...base, family: 'discovered', serviceDiscovery: { namespaceId: 'ns-1' } });
    new ContainerService(s, 'Spot', { ...base, family: 'spot', capacityProviderStrategy: [{ capacityProvider: 'X' }] });
  });
  const service = (path: string) => byPath(r, 'aws_ecs_service', `${path}/Service`);
  const plain = inNamedTest('finds the plain service', () => service('Plain'));

  it('is named after the family', () => {
    // serviceName @default the family
    expect(plain.name).toBe('plain');
  });

  it('uses its own security group only', () => {
    // securityGroupIds @default none
    expect((plain.network_configuration as Json).security_groups).toEqual([
      expect.stringMatching(/^\$\{aws_security_group\.Plain_SecurityGroup_/),
    ]);
  });

  it('runs 2 tasks, deploying at 100/200 %', () => {
    // singleton @default false
    // desiredCount @default 2 (1 when singleton)
    expect(plain.desired_count).toBe(2);
    // minimumHealthyPercent @default 100 (0 when singleton)
    expect(plain.deployment_minimum_healthy_percent).toBe(100);
    // maximumPercent @default 200 (100 when singleton)
    expect(plain.deployment_maximum_percent).toBe(200);
  });

  it('as a singleton, runs 1 task, deploying at 0/100 %', () => {
    expect(service('Singleton')).toMatchObject({
      desired_count: 1, // desiredCount @default 1 when singleton
      deployment_minimum_healthy_percent: 0, // minimumHealthyPercent @default 0 when singleton
      deployment_maximum_percent: 100, // maximumPercent @default 100 when singleton
    });
  });

  it('uses launch type FARGATE, or EC2 for EC2 task definitions, and no capacity provider strategy', () => {
    // capacityProviderStrategy @default launch type FARGATE (or EC2 for EC2-compatible task definitions)
    expect(plain.launch_type).toBe('FARGATE');
    expect(plain).not.toHaveProperty('capacity_provider_strategy');
    expect(service('OnEc2').launch_type).toBe('EC2');
  });

  it('gives capacity providers weight 1 and base 0', () => {
    // CapacityProviderStrategyItem.weight @default 1; CapacityProviderStrategyItem.base @default 0
    expect(service('Spot').capacity_provider_strategy).toEqual([{ capacity_provider: 'X', weight: 1, base: 0 }]);
  });

  it('disables ECS Exec', () => {
    // executeCommand @default disabled
    expect(plain.enable_execute_command).toBe(false);
    expect(keysOf(r, 'aws_iam_role_policy', 'Plain_Task_TaskPolicy')).toEqual([]);
  });

  it('keeps a fixed desired count', () => {
    // autoScaling @default fixed desiredCount
    expect(keysOf(r, 'aws_appautoscaling_target', 'Plain_')).toEqual([]);
    expect(plain).not.toHaveProperty('lifecycle');
  });

  it('scales only on the metrics given, with 300 s scale-in and 60 s scale-out cooldowns', () => {
    // ServiceAutoScaling.memoryTargetPercent @default no memory policy
    expect(keysOf(r, 'aws_appautoscaling_policy', 'CpuScaled_').map((k) => k.replace(/_[0-9A-F]{8}$/, ''))).toEqual([
      'CpuScaled_ScaleCpu',
    ]);
    // ServiceAutoScaling.cpuTargetPercent @default no CPU policy
    expect(keysOf(r, 'aws_appautoscaling_policy', 'MemoryScaled_').map((k) => k.replace(/_[0-9A-F]{8}$/, ''))).toEqual([
      'MemoryScaled_ScaleMemory',
    ]);
    for (const path of ['CpuScaled/ScaleCpu', 'MemoryScaled/ScaleMemory']) {
      expect(byPath(r, 'aws_appautoscaling_policy', path).target_tracking_scaling_policy_configuration).toMatchObject({
        scale_in_cooldown: 300, // ServiceAutoScaling.scaleInCooldownSeconds @default 300
        scale_out_cooldown: 60, // ServiceAutoScaling.scaleOutCooldownSeconds @default 60
      });
    }
  });

  it('is not registered in Cloud Map', () => {
    // serviceDiscovery @default not registered in Cloud Map
    expect(keysOf(r, 'aws_service_discovery_service', 'Plain_')).toEqual([]);
    expect(plain).not.toHaveProperty('service_registries');
  });

  it('registers under the service name with a 10 s TTL when discovery is on', () => {
    expect(byPath(r, 'aws_service_discovery_service', 'Discovered/Discovery')).toMatchObject({
      name: 'discovered', // ServiceDiscoveryOptions.name @default the service name
      dns_config: { dns_records: [{ type: 'A', ttl: 10 }] }, // ServiceDiscoveryOptions.dnsTtlSeconds @default 10
    });
  });

  it('registers in no target group, with no grace period', () => {
    // loadBalancers @default none
    expect(plain).not.toHaveProperty('load_balancer');
    // healthCheckGracePeriodSeconds @default 60 when load balanced (none otherwise)
    expect(plain).not.toHaveProperty('health_check_grace_period_seconds');
    expect(service('Balanced').health_check_grace_period_seconds).toBe(60);
  });

  it('lets Terraform own the task definition and waits for a steady state', () => {
    // ignoreImageChanges @default false
    expect(plain).not.toHaveProperty('lifecycle');
    // waitForSteadyState @default true
    expect(plain.wait_for_steady_state).toBe(true);
  });

  it('depends on nothing but the resources it references', () => {
    // IEcsCluster.capacityProviders @default no extra dependency
    expect(plain).not.toHaveProperty('depends_on');
  });
});

describe('ScheduledTask defaults', () => {
  const r = synth(
    (s) =>
      new ScheduledTask(s, 'Renew', {
        environment: env,
        scheduleName: 'renew',
        scheduleExpression: 'rate(14 days)',
        cluster,
        taskDefinition: {
          arn: 'arn:aws:ecs:eu-west-1:111111111111:task-definition/ops:1',
          family: 'ops',
          executionRoleArn: 'arn:aws:iam::111111111111:role/ops-exec',
          taskRoleArn: 'arn:aws:iam::111111111111:role/ops-task',
          compatibility: 'FARGATE',
        },
        vpcId: 'vpc-1',
        subnetIds,
      }),
  );
  const schedule = inNamedTest('finds the aws_scheduler_schedule', () => only(r, 'aws_scheduler_schedule'));
  const target = () => schedule.target as Json;

  it('reads cron expressions in UTC', () => {
    // timezone @default 'UTC'
    expect(schedule.schedule_expression_timezone).toBe('UTC');
  });

  it('uses the task security group only', () => {
    // securityGroupIds @default none
    expect(target().ecs_parameters).toMatchObject({
      network_configuration: { security_groups: [expect.stringMatching(/^\$\{aws_security_group\.Renew_/)] },
    });
    expect(
      ((target().ecs_parameters as Json).network_configuration as { security_groups: string[] }).security_groups,
    ).toHaveLength(1);
  });

  it('retries a failed RunTask twice', () => {
    // maximumRetryAttempts @default 2
    expect(target().retry_policy).toEqual({ maximum_retry_attempts: 2 });
  });

  it('encrypts target data with an AWS owned key', () => {
    // kmsKeyArn @default AWS owned key
    expect(schedule).not.toHaveProperty('kms_key_arn');
  });

  it('is enabled', () => {
    // enabled @default true
    expect(schedule.state).toBe('ENABLED');
  });
});
