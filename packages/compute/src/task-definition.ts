import { Annotations, Lazy, Token } from 'cdktf';
import { Construct } from 'constructs';
import { EcsTaskDefinition, EcsTaskDefinitionVolume } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import {
  AwsEnvironment,
  EncryptedLogGroup,
  partitionOf,
  requireNonEmpty,
  requireOneOf,
  requireProp,
  PolicyStatement,
  assumeRolePolicy,
  policyDocument,
  requireEnvironment,
} from '@tts-ecs/core';
import { ContainerProps, ecrRepositoryArnOf, renderContainer, writablePathVolumeName } from './container';
import { requireFargateSize } from './fargate';
import { rolePrefix } from './iam';

/** An EFS file system mounted into the task, always with TLS in transit and IAM authorization. */
export interface EfsVolume {
  /** Volume name containers refer to in `mountPoints`. */
  readonly name: string;
  readonly fileSystemId: string;
  /** Access point enforcing the POSIX user and root directory. @default none (mount `rootDirectory`) */
  readonly accessPointId?: string;
  /** Only without an access point. @default '/' */
  readonly rootDirectory?: string;
  /** Grant the task role ClientMount only (no ClientWrite). @default false */
  readonly readOnly?: boolean;
}

export interface TaskDefinitionProps {
  /** Account and region: used to build the ARNs in the roles' policies. */
  readonly environment: AwsEnvironment;
  /** Task definition family (letters, digits, '-', '_'; at most 255). Revisions share it. */
  readonly family: string;
  /** At least one container. */
  readonly containers: ContainerProps[];
  /**
   * Task CPU units. On Fargate it must pair with `memory` per the Fargate size table.
   * @default 256
   */
  readonly cpu?: number;
  /** Task memory (MiB). @default 512 */
  readonly memory?: number;
  /** Where tasks run. EC2 tasks use awsvpc networking like Fargate ones. @default 'FARGATE' */
  readonly compatibility?: 'FARGATE' | 'EC2';
  /** CPU architecture (Graviton is ARM64). @default 'X86_64' */
  readonly cpuArchitecture?: 'X86_64' | 'ARM64';
  /** KMS key that encrypts the task's log group; its policy must admit CloudWatch Logs. */
  readonly logKmsKeyArn: string;
  /** @default 365 */
  readonly logRetentionInDays?: number;
  /** @default `/ecs/<family>` */
  readonly logGroupName?: string;
  /** KMS keys protecting the referenced secrets/parameters; the execution role may kms:Decrypt with them. @default none */
  readonly secretsKmsKeyArns?: string[];
  /**
   * ECR repositories the execution role may pull from, in addition to those parsed from the container images
   * (needed when an image is a Terraform reference that cannot be parsed at synth).
   * @default the repositories of ECR images
   */
  readonly ecrRepositoryArns?: string[];
  /** @default none */
  readonly efsVolumes?: EfsVolume[];
  /**
   * Names of task-local volumes (bind mounts without a host path, on the task's ephemeral storage) that containers mount
   * through `mountPoints`, e.g. to share files between containers of the task. Each is empty when the task starts and is
   * deleted when the task stops. On Fargate a new volume is owned by root with mode 0755 (unless the image declares a
   * `VOLUME` at the mount path), so a non-root container can write it only after, say, a non-essential root container
   * that it depends on (condition `SUCCESS`) has changed the owner. For a path only one container writes,
   * `writablePaths` of the container is simpler.
   * @default none
   */
  readonly scratchVolumes?: string[];
}

/** Attributes other constructs need to run a task definition. */
export interface ITaskDefinition {
  readonly arn: string;
  readonly family: string;
  readonly executionRoleArn: string;
  readonly taskRoleArn: string;
  readonly compatibility: 'FARGATE' | 'EC2';
}

/**
 * An ECS task definition (awsvpc) with its own encrypted log group, an execution role limited to pulling the images,
 * writing to that log group and reading exactly the referenced secrets, and a task role that is empty until you grant it something.
 */
export class TaskDefinition extends Construct implements ITaskDefinition {
  /** ARN including the revision. */
  readonly arn: string;
  readonly family: string;
  readonly compatibility: 'FARGATE' | 'EC2';
  readonly executionRoleArn: string;
  readonly executionRoleName: string;
  readonly taskRoleArn: string;
  readonly taskRoleName: string;
  readonly logGroupName: string;
  readonly logGroupArn: string;
  readonly resource: EcsTaskDefinition;
  /** Container name -> port mappings, for load balancer validation. */
  readonly containerPorts: ReadonlyMap<string, readonly number[]>;

  private readonly environment: AwsEnvironment;
  private readonly taskRole: IamRole;
  private readonly taskStatements: PolicyStatement[] = [];
  private taskPolicy?: IamRolePolicy;

  constructor(scope: Construct, id: string, props: TaskDefinitionProps) {
    super(scope, id);
    requireEnvironment(this, props.environment);
    this.environment = props.environment;
    const { accountId, region } = props.environment;
    const partition = partitionOf(region);
    requireProp(
      this,
      /^[a-zA-Z0-9_-]{1,255}$/.test(props.family),
      'family',
      props.family,
      'Use 1-255 letters, digits, "-" and "_".',
    );
    requireNonEmpty(this, 'containers', props.containers, 'Give at least one container.');
    this.compatibility = props.compatibility ?? 'FARGATE';
    requireOneOf(this, 'compatibility', this.compatibility, ['FARGATE', 'EC2'] as const);
    const cpuArchitecture = props.cpuArchitecture ?? 'X86_64';
    requireOneOf(this, 'cpuArchitecture', cpuArchitecture, ['X86_64', 'ARM64'] as const);
    const cpu = props.cpu ?? 256;
    const memory = props.memory ?? 512;
    if (this.compatibility === 'FARGATE') requireFargateSize(this, cpu, memory);
    const names = props.containers.map((c) => c.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    requireProp(this, dup === undefined, 'containers', dup, 'Give each container a unique name.');

    this.family = props.family;
    const logGroupName = props.logGroupName ?? `/ecs/${props.family}`;
    const logGroup = new EncryptedLogGroup(this, 'Logs', {
      name: logGroupName,
      kmsKeyArn: props.logKmsKeyArn,
      retentionInDays: props.logRetentionInDays,
    });
    this.logGroupName = logGroupName;
    this.logGroupArn = logGroup.arn;

    const efs = props.efsVolumes ?? [];
    const scratch = props.scratchVolumes ?? [];
    this.validateScratchVolumes(props.containers, efs, scratch);
    const volumeNames = [...efs.map((v) => v.name), ...scratch];
    const rendered = props.containers.map((c, i) => renderContainer(this, i, c, { logGroupName, region, volumeNames }));
    this.containerPorts = new Map(
      props.containers.map((c) => [c.name, (c.portMappings ?? []).map((p) => p.containerPort)]),
    );

    // Execution role: used by the ECS agent before the app starts (pull, logs, secrets). Never by the app.
    const repoArns = new Set(props.ecrRepositoryArns ?? []);
    for (const c of props.containers) {
      const arn = ecrRepositoryArnOf(c.image, partition);
      if (arn) repoArns.add(arn);
      else if (Token.isUnresolved(c.image) && !props.ecrRepositoryArns) {
        Annotations.of(this).addWarning(
          `Image of container "${c.name}" is a Terraform reference; if it is in ECR, pass ecrRepositoryArns so the execution role may pull it.`,
        );
      }
    }
    const secrets = props.containers.flatMap((c) => Object.values(c.secrets ?? {}));
    const registryCredentials = props.containers.flatMap((c) => c.repositoryCredentialsSecretArn ?? []);
    const smArns = [
      ...new Set([...secrets.filter((s) => s.source === 'secretsmanager').map((s) => s.arn), ...registryCredentials]),
    ];
    const ssmArns = [...new Set(secrets.filter((s) => s.source === 'ssm').map((s) => s.arn))];
    const execStatements: PolicyStatement[] = [
      {
        Sid: 'WriteOwnLogGroup',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `arn:${partition}:logs:${region}:${accountId}:log-group:${logGroupName}:log-stream:*`,
      },
    ];
    if (repoArns.size > 0) {
      // GetAuthorizationToken has no resource-level permissions: AWS requires "*".
      execStatements.push({ Sid: 'EcrLogin', Action: 'ecr:GetAuthorizationToken', Resource: '*' });
      execStatements.push({
        Sid: 'EcrPull',
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
        Resource: [...repoArns],
      });
    }
    if (smArns.length > 0)
      execStatements.push({ Sid: 'ReadSecrets', Action: 'secretsmanager:GetSecretValue', Resource: smArns });
    if (ssmArns.length > 0)
      execStatements.push({ Sid: 'ReadParameters', Action: 'ssm:GetParameters', Resource: ssmArns });
    if (props.secretsKmsKeyArns && props.secretsKmsKeyArns.length > 0) {
      execStatements.push({ Sid: 'DecryptSecrets', Action: 'kms:Decrypt', Resource: props.secretsKmsKeyArns });
    }
    const trust = assumeRolePolicy('ecs-tasks.amazonaws.com', accountId);
    const executionRole = new IamRole(this, 'ExecutionRole', {
      namePrefix: rolePrefix(props.family, '-exec-'),
      description: `ECS execution role of ${props.family} (image pull, logs, secrets)`,
      assumeRolePolicy: trust,
    });
    new IamRolePolicy(this, 'ExecutionPolicy', {
      role: executionRole.id,
      name: 'execution',
      policy: policyDocument(execStatements),
    });
    this.executionRoleArn = executionRole.arn;
    this.executionRoleName = executionRole.name;

    this.taskRole = new IamRole(this, 'TaskRole', {
      namePrefix: rolePrefix(props.family, '-task-'),
      description: `ECS task role of ${props.family} (the application's own permissions)`,
      assumeRolePolicy: trust,
    });
    this.taskRoleArn = this.taskRole.arn;
    this.taskRoleName = this.taskRole.name;

    const volumes: EcsTaskDefinitionVolume[] = [
      ...rendered.flatMap((r) => r.scratchVolumes.map((name) => ({ name }))),
      ...efs.map((v) => this.efsVolume(v, partition)),
      ...scratch.map((name) => ({ name })),
    ];
    this.resource = new EcsTaskDefinition(this, 'TaskDefinition', {
      family: props.family,
      containerDefinitions: JSON.stringify(rendered.map((r) => r.definition)),
      cpu: String(cpu),
      memory: String(memory),
      networkMode: 'awsvpc',
      requiresCompatibilities: [this.compatibility],
      runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture },
      executionRoleArn: executionRole.arn,
      taskRoleArn: this.taskRole.arn,
      volume: volumes.length > 0 ? volumes : undefined,
    });
    this.arn = this.resource.arn;
  }

  /** Adds one statement to the task role's inline policy (the application's permissions). */
  addToTaskRolePolicy(statement: PolicyStatement): void {
    this.grantTaskRole([statement]);
  }

  /** Adds statements to the task role's inline policy. */
  grantTaskRole(statements: PolicyStatement[]): void {
    this.taskStatements.push(...statements);
    // Created on first use: an empty policy document is invalid, and an unused role should carry no policy at all.
    this.taskPolicy ??= new IamRolePolicy(this, 'TaskPolicy', {
      role: this.taskRole.id,
      name: 'task',
      policy: Lazy.stringValue({ produce: () => policyDocument(this.taskStatements) }),
    });
  }

  private validateScratchVolumes(containers: ContainerProps[], efs: EfsVolume[], scratch: string[]): void {
    const taken = new Set([
      ...efs.map((v) => v.name),
      ...containers.flatMap((c) => (c.writablePaths ?? []).map((_, i) => writablePathVolumeName(c.name, i))),
    ]);
    scratch.forEach((name, i) => {
      requireProp(
        this,
        typeof name === 'string' && /^[a-zA-Z0-9_-]{1,255}$/.test(name),
        `scratchVolumes[${i}]`,
        name,
        'Use 1-255 letters, digits, "-" and "_".',
      );
      requireProp(
        this,
        !taken.has(name),
        `scratchVolumes[${i}]`,
        name,
        'Give each volume a unique name: efsVolumes, scratchVolumes and the "<container>-scratch-<n>" volumes behind writablePaths share one set of names.',
      );
      taken.add(name);
    });
  }

  private efsVolume(v: EfsVolume, partition: string): EcsTaskDefinitionVolume {
    const { accountId, region } = this.environment;
    const fsArn = `arn:${partition}:elasticfilesystem:${region}:${accountId}:file-system/${v.fileSystemId}`;
    this.addToTaskRolePolicy({
      Action: v.readOnly
        ? ['elasticfilesystem:ClientMount']
        : ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
      Resource: fsArn,
      ...(v.accessPointId && {
        Condition: {
          StringEquals: {
            'elasticfilesystem:AccessPointArn': `arn:${partition}:elasticfilesystem:${region}:${accountId}:access-point/${v.accessPointId}`,
          },
        },
      }),
    });
    return {
      name: v.name,
      efsVolumeConfiguration: {
        fileSystemId: v.fileSystemId,
        transitEncryption: 'ENABLED',
        rootDirectory: v.accessPointId ? undefined : (v.rootDirectory ?? '/'),
        authorizationConfig: { accessPointId: v.accessPointId, iam: 'ENABLED' },
      },
    };
  }
}
