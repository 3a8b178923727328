import { Construct } from 'constructs';
import { EcsService, EcsServiceServiceConnectConfiguration } from '@cdktf/provider-aws/lib/ecs-service';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy';
import { ServiceDiscoveryService } from '@cdktf/provider-aws/lib/service-discovery-service';
import {
  Connections,
  partitionOf,
  PolicyStatement,
  Port,
  requireIntegerInRange,
  requireNonEmpty,
  requireProp,
} from '@tts-ecs/core';
import { WorkloadSecurityGroup } from './security-group';
import {
  CapacityProviderStrategyItem,
  ExecuteCommandAccess,
  IEcsCluster,
  LoadBalancerTarget,
  ServiceAutoScaling,
  ServiceConnectOptions,
  ServiceDiscoveryOptions,
} from './service-options';
import { TaskDefinition, TaskDefinitionProps } from './task-definition';

export interface ContainerServiceProps extends TaskDefinitionProps {
  /** Cluster to run in. */
  readonly cluster: IEcsCluster;
  /** @default the family */
  readonly serviceName?: string;
  /** VPC of the subnets (for the service's security group). */
  readonly vpcId: string;
  /** Subnets for task ENIs; private subnets: tasks never get public IPs. */
  readonly subnetIds: string[];
  /** Security groups added next to the service's own. @default none */
  readonly securityGroupIds?: string[];
  /**
   * The port clients reach the service on, so they can write `service.connections.allowDefaultPortFrom(client)` or
   * `client.connections.allowToDefaultPort(service)`.
   * @default none (give the port on each allowFrom)
   */
  readonly defaultPort?: Port;
  /** Tasks to run; at least 2 so one AZ or task failure keeps the service up. @default 2 (1 when singleton) */
  readonly desiredCount?: number;
  /**
   * The workload must never run more than one task (e.g. it holds a lock or consumes a stream alone): desiredCount must
   * be at most 1, and deployments stop the old task before starting the new one (min 0 %, max 100 %), accepting a short outage.
   * @default false
   */
  readonly singleton?: boolean;
  /** @default 100 (0 when singleton) */
  readonly minimumHealthyPercent?: number;
  /** @default 200 (100 when singleton) */
  readonly maximumPercent?: number;
  /** @default launch type FARGATE (or EC2 for EC2-compatible task definitions) */
  readonly capacityProviderStrategy?: CapacityProviderStrategyItem[];
  /** Allow `aws ecs execute-command` into the tasks, encrypted and logged. @default disabled */
  readonly executeCommand?: ExecuteCommandAccess;
  /** @default fixed desiredCount */
  readonly autoScaling?: ServiceAutoScaling;
  /** @default not registered in Cloud Map */
  readonly serviceDiscovery?: ServiceDiscoveryOptions;
  /** Join an ECS Service Connect namespace, as a client and optionally publishing named ports. @default not joined */
  readonly serviceConnect?: ServiceConnectOptions;
  /** Target groups (target type `ip`) to register container ports in. @default none */
  readonly loadBalancers?: LoadBalancerTarget[];
  /** Seconds load balancer health checks are ignored after a task starts. @default 60 when load balanced */
  readonly healthCheckGracePeriodSeconds?: number;
  /**
   * Let CI own the running image: Terraform ignores changes to the service's task_definition, so a CI deploy
   * (new revision + update-service) causes no drift and the next apply does not roll it back.
   * Tradeoff: Terraform changes to the task definition (environment, secrets, size) register a new revision but do not
   * reach the service until CI deploys again (CI should derive its revision from the family's latest one).
   * @default false
   */
  readonly ignoreImageChanges?: boolean;
  /**
   * Make `terraform apply` wait until the deployment is steady, so a rollout that the circuit breaker rolls back fails
   * the apply (and stops a multi-cluster rollout) instead of passing silently.
   * @default true
   */
  readonly waitForSteadyState?: boolean;
}

/**
 * An ECS service in awsvpc mode with its task definition, roles, log group and security group: circuit breaker with
 * rollback, no public IPs, optional auto scaling, Cloud Map registration and load balancer targets.
 */
export class ContainerService extends Construct {
  readonly serviceName: string;
  /** Service ARN (the `id` of aws_ecs_service). */
  readonly serviceArn: string;
  /** ARN of the cluster the service runs in, so the service fits `GithubDeployRole.grantDeploy`. */
  readonly clusterArn: string;
  readonly taskDefinition: TaskDefinition;
  readonly taskDefinitionArn: string;
  readonly taskDefinitionFamily: string;
  /** The service's own security group (no ingress until opened through {@link connections}). */
  readonly securityGroupId: string;
  /** The service's security group as a peer and a target: `service.connections.allowFrom(lb, Port.tcp(8080))`. */
  readonly connections: Connections;
  readonly executionRoleArn: string;
  readonly executionRoleName: string;
  readonly taskRoleArn: string;
  readonly taskRoleName: string;
  readonly logGroupName: string;
  readonly resource: EcsService;
  private readonly securityGroup: WorkloadSecurityGroup;

  constructor(scope: Construct, id: string, props: ContainerServiceProps) {
    super(scope, id);
    const td = new TaskDefinition(this, 'Task', props);
    this.taskDefinition = td;
    const name = props.serviceName ?? props.family;
    requireProp(
      this,
      /^[a-zA-Z0-9_-]{1,255}$/.test(name),
      'serviceName',
      name,
      'Use 1-255 letters, digits, "-" and "_".',
    );
    requireNonEmpty(this, 'subnetIds', props.subnetIds, 'Give the private subnets the tasks run in.');

    const singleton = props.singleton ?? false;
    const desired = props.desiredCount ?? (singleton ? 1 : 2);
    requireIntegerInRange(this, 'desiredCount', desired, 0, 5000);
    const minPct = props.minimumHealthyPercent ?? (singleton ? 0 : 100);
    const maxPct = props.maximumPercent ?? (singleton ? 100 : 200);
    requireIntegerInRange(this, 'minimumHealthyPercent', minPct, 0, 100);
    requireIntegerInRange(this, 'maximumPercent', maxPct, 100, 400);
    if (singleton) {
      requireProp(
        this,
        desired <= 1,
        'desiredCount',
        desired,
        'A singleton service runs at most 1 task: use 0 or 1, or drop singleton.',
      );
      requireProp(
        this,
        maxPct === 100,
        'maximumPercent',
        maxPct,
        'A singleton must not start a second task during deployments: use 100.',
      );
      requireProp(
        this,
        props.autoScaling === undefined,
        'autoScaling',
        props.autoScaling,
        'A singleton service cannot scale: remove autoScaling.',
      );
    }

    const lbs = props.loadBalancers ?? [];
    lbs.forEach((lb, i) => {
      const ports = td.containerPorts.get(lb.containerName);
      requireProp(
        this,
        ports !== undefined,
        `loadBalancers[${i}].containerName`,
        lb.containerName,
        `Use one of the task's containers: ${[...td.containerPorts.keys()].join(', ')}.`,
      );
      requireProp(
        this,
        ports!.includes(lb.containerPort),
        `loadBalancers[${i}].containerPort`,
        lb.containerPort,
        `Container "${lb.containerName}" maps ports ${ports!.join(', ') || 'none'}; add a portMapping or use one of them.`,
      );
    });
    if (props.healthCheckGracePeriodSeconds !== undefined) {
      requireProp(
        this,
        lbs.length > 0,
        'healthCheckGracePeriodSeconds',
        props.healthCheckGracePeriodSeconds,
        'A grace period only applies to load-balanced services: add loadBalancers or remove it.',
      );
      requireIntegerInRange(this, 'healthCheckGracePeriodSeconds', props.healthCheckGracePeriodSeconds, 0, 2147483647);
    }

    this.securityGroup = new WorkloadSecurityGroup(this, 'SecurityGroup', {
      vpcId: props.vpcId,
      namePrefix: name,
      description: `ECS service ${name}`,
      defaultPort: props.defaultPort,
    });
    this.connections = this.securityGroup.connections;

    if (props.executeCommand) this.grantExecuteCommand(props, props.executeCommand);

    const registry = props.serviceDiscovery && this.discovery(name, props.serviceDiscovery);
    const serviceConnect = props.serviceConnect && this.serviceConnect(props, props.serviceConnect);
    const ignore = [
      ...(props.ignoreImageChanges ? ['task_definition'] : []),
      ...(props.autoScaling ? ['desired_count'] : []),
    ];
    const strategy = props.capacityProviderStrategy;
    if (strategy)
      requireNonEmpty(
        this,
        'capacityProviderStrategy',
        strategy,
        'Give at least one capacity provider, or omit the prop.',
      );

    this.resource = new EcsService(this, 'Service', {
      name,
      cluster: props.cluster.clusterArn,
      taskDefinition: td.arn,
      desiredCount: desired,
      launchType: strategy ? undefined : td.compatibility,
      capacityProviderStrategy: strategy?.map((s) => ({
        capacityProvider: s.capacityProvider,
        weight: s.weight ?? 1,
        base: s.base ?? 0,
      })),
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: minPct,
      deploymentMaximumPercent: maxPct,
      deploymentController: { type: 'ECS' },
      enableExecuteCommand: props.executeCommand !== undefined,
      enableEcsManagedTags: true,
      propagateTags: 'SERVICE',
      networkConfiguration: {
        subnets: props.subnetIds,
        securityGroups: [this.securityGroup.securityGroupId, ...(props.securityGroupIds ?? [])],
        assignPublicIp: false,
      },
      loadBalancer: lbs.length > 0 ? lbs.map((lb) => ({ ...lb })) : undefined,
      healthCheckGracePeriodSeconds: lbs.length > 0 ? (props.healthCheckGracePeriodSeconds ?? 60) : undefined,
      serviceRegistries: registry && { registryArn: registry.arn },
      serviceConnectConfiguration: serviceConnect,
      waitForSteadyState: props.waitForSteadyState ?? true,
      lifecycle: ignore.length > 0 ? { ignoreChanges: ignore } : undefined,
      dependsOn: props.cluster.capacityProviders ? [props.cluster.capacityProviders] : undefined,
    });

    if (props.autoScaling) this.autoScale(props.cluster, name, desired, props.autoScaling);

    this.serviceName = name;
    this.serviceArn = this.resource.id;
    this.clusterArn = props.cluster.clusterArn;
    this.taskDefinitionArn = td.arn;
    this.taskDefinitionFamily = td.family;
    this.securityGroupId = this.securityGroup.securityGroupId;
    this.executionRoleArn = td.executionRoleArn;
    this.executionRoleName = td.executionRoleName;
    this.taskRoleArn = td.taskRoleArn;
    this.taskRoleName = td.taskRoleName;
    this.logGroupName = td.logGroupName;
  }

  /** Adds one statement to the task role (the application's permissions). */
  addToTaskRolePolicy(statement: PolicyStatement): void {
    this.taskDefinition.addToTaskRolePolicy(statement);
  }

  /** Adds statements to the task role. */
  grantTaskRole(statements: PolicyStatement[]): void {
    this.taskDefinition.grantTaskRole(statements);
  }

  private grantExecuteCommand(props: ContainerServiceProps, exec: ExecuteCommandAccess): void {
    const { accountId, region } = props.environment;
    const logs = `arn:${partitionOf(region)}:logs:${region}:${accountId}:log-group`;
    this.grantTaskRole([
      // The SSM session channels have no resource-level permissions: AWS requires "*".
      {
        Sid: 'ExecSessionChannels',
        Action: [
          'ssmmessages:CreateControlChannel',
          'ssmmessages:CreateDataChannel',
          'ssmmessages:OpenControlChannel',
          'ssmmessages:OpenDataChannel',
        ],
        Resource: '*',
      },
      { Sid: 'ExecSessionKey', Action: 'kms:Decrypt', Resource: exec.kmsKeyArn },
      { Sid: 'ExecFindLogGroup', Action: 'logs:DescribeLogGroups', Resource: `${logs}:*` },
      {
        Sid: 'ExecAuditLog',
        Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
        Resource: `${logs}:${exec.logGroupName}:*`,
      },
    ]);
  }

  private serviceConnect(
    props: ContainerServiceProps,
    sc: ServiceConnectOptions,
  ): EcsServiceServiceConnectConfiguration {
    requireProp(
      this,
      typeof sc.namespaceArn === 'string' && sc.namespaceArn.length > 0,
      'serviceConnect.namespaceArn',
      sc.namespaceArn,
      'Give the ARN of a Cloud Map namespace (e.g. an aws_service_discovery_http_namespace).',
    );
    const named = new Map(
      props.containers.flatMap((c) =>
        (c.portMappings ?? []).flatMap((p) => (p.name ? [[p.name, p.containerPort]] : [])),
      ),
    );
    const services = (sc.services ?? []).map((s, i) => {
      const f = (field: string) => `serviceConnect.services[${i}].${field}`;
      const containerPort = named.get(s.portName);
      requireProp(
        this,
        containerPort !== undefined,
        f('portName'),
        s.portName,
        `Use the name of a port mapping of the task's containers: ${[...named.keys()].join(', ') || 'none is named'}.`,
      );
      const dnsName = s.dnsName ?? s.portName;
      const port = s.port ?? containerPort!;
      requireIntegerInRange(this, f('port'), port, 1, 65535);
      return { portName: s.portName, discoveryName: s.discoveryName ?? dnsName, clientAlias: { dnsName, port } };
    });
    const { region } = props.environment;
    return {
      enabled: true,
      namespace: sc.namespaceArn,
      service: services.length > 0 ? services : undefined,
      logConfiguration: {
        logDriver: 'awslogs',
        options: {
          'awslogs-group': this.taskDefinition.logGroupName,
          'awslogs-region': region,
          'awslogs-stream-prefix': 'service-connect',
        },
      },
    };
  }

  private discovery(serviceName: string, sd: ServiceDiscoveryOptions): ServiceDiscoveryService {
    const ttl = sd.dnsTtlSeconds ?? 10;
    requireIntegerInRange(this, 'serviceDiscovery.dnsTtlSeconds', ttl, 0, 2147483647);
    return new ServiceDiscoveryService(this, 'Discovery', {
      name: sd.name ?? serviceName,
      dnsConfig: { namespaceId: sd.namespaceId, routingPolicy: 'MULTIVALUE', dnsRecords: [{ type: 'A', ttl }] },
      // ECS reports task health to Cloud Map; unhealthy tasks are deregistered.
      healthCheckCustomConfig: { failureThreshold: 1 },
    });
  }

  private autoScale(
    cluster: { clusterName: string },
    serviceName: string,
    desired: number,
    as: ServiceAutoScaling,
  ): void {
    requireIntegerInRange(this, 'autoScaling.minCapacity', as.minCapacity, 0, 5000);
    requireIntegerInRange(this, 'autoScaling.maxCapacity', as.maxCapacity, Math.max(1, as.minCapacity), 5000);
    requireProp(
      this,
      desired >= as.minCapacity && desired <= as.maxCapacity,
      'desiredCount',
      desired,
      `With autoScaling, start within minCapacity ${as.minCapacity} and maxCapacity ${as.maxCapacity}.`,
    );
    requireProp(
      this,
      as.cpuTargetPercent !== undefined || as.memoryTargetPercent !== undefined,
      'autoScaling',
      as,
      'Give cpuTargetPercent and/or memoryTargetPercent.',
    );
    const target = new AppautoscalingTarget(this, 'ScalingTarget', {
      serviceNamespace: 'ecs',
      scalableDimension: 'ecs:service:DesiredCount',
      resourceId: `service/${cluster.clusterName}/${serviceName}`,
      minCapacity: as.minCapacity,
      maxCapacity: as.maxCapacity,
      dependsOn: [this.resource],
    });
    const policies: Array<[string, number | undefined, string]> = [
      ['Cpu', as.cpuTargetPercent, 'ECSServiceAverageCPUUtilization'],
      ['Memory', as.memoryTargetPercent, 'ECSServiceAverageMemoryUtilization'],
    ];
    for (const [label, value, metric] of policies) {
      if (value === undefined) continue;
      requireIntegerInRange(this, `autoScaling.${label.toLowerCase()}TargetPercent`, value, 1, 100);
      new AppautoscalingPolicy(this, `Scale${label}`, {
        name: `${serviceName}-${label.toLowerCase()}`,
        policyType: 'TargetTrackingScaling',
        serviceNamespace: target.serviceNamespace,
        resourceId: target.resourceId,
        scalableDimension: target.scalableDimension,
        targetTrackingScalingPolicyConfiguration: {
          targetValue: value,
          predefinedMetricSpecification: { predefinedMetricType: metric },
          scaleInCooldown: as.scaleInCooldownSeconds ?? 300,
          scaleOutCooldown: as.scaleOutCooldownSeconds ?? 60,
        },
      });
    }
  }
}
