import { Annotations, Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { remembered, requireIntegerInRange, requireOneOf, requireProp } from '@tts-ecs/core';
import { ContainerSecret } from './secret';

/** A port the container listens on. In awsvpc mode the host port always equals the container port. */
export interface PortMapping {
  /** Port inside the task (1-65535). */
  readonly containerPort: number;
  /** @default 'tcp' */
  readonly protocol?: 'tcp' | 'udp';
  /** Name for Service Connect and readability (lower-case letters, digits, '-'). @default no name */
  readonly name?: string;
}

/** Docker health check run inside the container; ECS replaces unhealthy tasks. */
export interface ContainerHealthCheck {
  /** `['CMD', 'bin', 'arg']` or `['CMD-SHELL', 'curl -f http://localhost/ || exit 1']`. */
  readonly command: string[];
  /** @default 30 (5-300) */
  readonly intervalSeconds?: number;
  /** @default 5 (2-60) */
  readonly timeoutSeconds?: number;
  /** @default 3 (1-10) */
  readonly retries?: number;
  /** Grace period after start during which failures do not count. @default 0 (0-300) */
  readonly startPeriodSeconds?: number;
}

/** Mount of a task volume (see `efsVolumes` and `scratchVolumes` of the task definition). */
export interface ContainerMountPoint {
  /** Name of a volume declared on the task definition. */
  readonly sourceVolume: string;
  /** Absolute path in the container. */
  readonly containerPath: string;
  /** @default false */
  readonly readOnly?: boolean;
}

/** Startup ordering between containers of one task. */
export interface ContainerDependency {
  readonly containerName: string;
  /** @default 'START' */
  readonly condition?: 'START' | 'COMPLETE' | 'SUCCESS' | 'HEALTHY';
}

export interface ContainerProps {
  /** Container name, unique in the task (letters, digits, '-', '_'). */
  readonly name: string;
  /** Image reference; pin an exact tag or digest. ECR images (`<account>.dkr.ecr.<region>.amazonaws.com/<repo>`) get pull rights on that repository. */
  readonly image: string;
  /** @default the image's CMD */
  readonly command?: string[];
  /** @default the image's ENTRYPOINT */
  readonly entryPoint?: string[];
  /** @default no ports */
  readonly portMappings?: PortMapping[];
  /**
   * Plain environment variables. Names that look secret (containing PASSWORD, PASSWD, SECRET, TOKEN, CREDENTIAL, or a
   * KEY / KEYS / APIKEY word) are rejected: put such values in `secrets`. Values are visible to anyone who can describe the task definition.
   * Empty values are rejected: ECS drops such variables from the task definition (so the container never sees them,
   * and Terraform plans a change forever: hashicorp/terraform-provider-aws#39533); pass an empty setting another way,
   * e.g. as a command-line flag.
   * @default none
   */
  readonly environment?: Record<string, string>;
  /**
   * Environment names that look secret but are not (e.g. `CACHE_KEY_PREFIX`); each must also be in `environment`.
   * @default none
   */
  readonly allowedSecretLookingEnvironment?: string[];
  /** Variables ECS fills from Secrets Manager or SSM at task start. @default none */
  readonly secrets?: Record<string, ContainerSecret>;
  /**
   * Secrets Manager secret (ARN) with `{"username": ..., "password": ...}` for pulling the image from a private
   * registry outside ECR (Docker Hub, GHCR). The execution role may read exactly this secret; give the key of a
   * customer-managed secret key in the task's `secretsKmsKeyArns`.
   * @default none (public images, or ECR through the execution role)
   */
  readonly repositoryCredentialsSecretArn?: string;
  /** @default the image's HEALTHCHECK, if any */
  readonly healthCheck?: ContainerHealthCheck;
  /**
   * User (and group) to run as: `uid`, `uid:gid` or a name from the image.
   * The default is the unprivileged `nobody` user, which works for most stateless images; images whose entrypoint needs root to
   * drop privileges itself (or that own files under a specific uid) set `runAsImageUser` or an explicit user.
   * @default '65534:65534'
   */
  readonly user?: string;
  /** Use the USER declared by the image instead of `user` (which may be root). @default false */
  readonly runAsImageUser?: boolean;
  /**
   * Why `user` must be root, for a container that cannot work otherwise (e.g. a short init container that chowns a
   * volume). Given, synth prints no root warning; the reason stays next to the code for reviewers.
   * @default none: running as root prints a warning at synth
   */
  readonly rootReason?: string;
  /** Mount the root file system read-only. @default true */
  readonly readonlyRootFilesystem?: boolean;
  /**
   * Absolute paths that stay writable under a read-only root (e.g. `/tmp`), each backed by an empty task-local volume
   * (what the image holds at that path is hidden).
   * @default none
   */
  readonly writablePaths?: string[];
  /** Mounts of task volumes (`efsVolumes` or `scratchVolumes` of the task definition). @default none */
  readonly mountPoints?: ContainerMountPoint[];
  /** The task stops when an essential container stops. @default true */
  readonly essential?: boolean;
  /** CPU units reserved for this container within the task. @default share of the task's CPU */
  readonly cpu?: number;
  /** Hard memory limit (MiB); the container is killed above it. @default the task's memory */
  readonly memory?: number;
  /** Soft memory reservation (MiB). @default none */
  readonly memoryReservation?: number;
  /** Seconds between SIGTERM and SIGKILL on stop (2-120). @default 30 */
  readonly stopTimeoutSeconds?: number;
  /** Run an init process (tini) as PID 1 so signals are forwarded and zombies reaped; ECS Exec also relies on it. @default true */
  readonly initProcessEnabled?: boolean;
  /** @default none */
  readonly dependsOn?: ContainerDependency[];
  /** Working directory. @default the image's WORKDIR */
  readonly workingDirectory?: string;
}

/** What the task definition needs to render a container. */
export interface ContainerContext {
  readonly logGroupName: string;
  readonly region: string;
  readonly volumeNames: readonly string[];
}

/** Rendered container plus the task-local volumes it asked for. */
export interface RenderedContainer {
  readonly definition: Record<string, unknown>;
  readonly scratchVolumes: string[];
}

/** Name of the task-local volume behind `writablePaths[index]` of a container. */
export function writablePathVolumeName(containerName: string, index: number): string {
  return `${containerName}-scratch-${index}`;
}

const SECRET_SUBSTRINGS = ['PASSWORD', 'PASSWD', 'SECRET', 'TOKEN', 'CREDENTIAL'];
const SECRET_WORDS = ['KEY', 'KEYS', 'APIKEY', 'PRIVATEKEY', 'PWD'];

/** Whether an environment variable name suggests a secret value. */
export const looksSecret: (name: string) => boolean = remembered((name: string) => {
  // A deployment names the same variables in many task definitions (every cluster's): each name is judged once.
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/);
  const upper = name.toUpperCase();
  return SECRET_SUBSTRINGS.some((s) => upper.includes(s)) || words.some((w) => SECRET_WORDS.includes(w));
});

export function renderContainer(
  scope: IConstruct,
  index: number,
  c: ContainerProps,
  ctx: ContainerContext,
): RenderedContainer {
  const field = (f: string) => `containers[${index}].${f}`;
  requireProp(
    scope,
    /^[a-zA-Z0-9_-]{1,255}$/.test(c.name),
    field('name'),
    c.name,
    'Use 1-255 letters, digits, "-" and "_".',
  );
  requireProp(
    scope,
    c.image.length > 0,
    field('image'),
    c.image,
    'Give an image reference, pinned to a tag or digest.',
  );

  const ports = c.portMappings ?? [];
  ports.forEach((p, i) => {
    requireIntegerInRange(scope, field(`portMappings[${i}].containerPort`), p.containerPort, 1, 65535);
    requireOneOf(scope, field(`portMappings[${i}].protocol`), p.protocol ?? 'tcp', ['tcp', 'udp']);
    if (p.name !== undefined) {
      requireProp(
        scope,
        /^[a-z0-9][a-z0-9-]{0,63}$/.test(p.name),
        field(`portMappings[${i}].name`),
        p.name,
        'Use up to 64 lower-case letters, digits and "-".',
      );
    }
  });

  const env = c.environment ?? {};
  const secrets = c.secrets ?? {};
  const allowed = c.allowedSecretLookingEnvironment ?? [];
  for (const name of allowed) {
    requireProp(
      scope,
      name in env,
      field('allowedSecretLookingEnvironment'),
      name,
      'List only names that are also in environment.',
    );
  }
  for (const name of Object.keys(env)) {
    requireProp(
      scope,
      allowed.includes(name) || !looksSecret(name),
      field('environment'),
      name,
      `The name looks like a secret: pass the value through secrets (ContainerSecret.fromSecretsManager / fromSsmParameter), or list "${name}" in allowedSecretLookingEnvironment if it is not secret.`,
    );
    requireProp(
      scope,
      !(name in secrets),
      field('environment'),
      name,
      'A variable is either in environment or in secrets, not both.',
    );
    requireProp(
      scope,
      env[name] !== '',
      field(`environment.${name}`),
      '',
      'ECS drops variables with empty values (the container would run with its default): omit the variable, or pass the empty setting as a command-line argument.',
    );
  }
  for (const [name, secret] of Object.entries(secrets)) secret.validate(scope, field(`secrets.${name}`));
  const credentials = c.repositoryCredentialsSecretArn;
  if (credentials !== undefined && !Token.isUnresolved(credentials))
    requireProp(
      scope,
      /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/.test(credentials),
      field('repositoryCredentialsSecretArn'),
      credentials,
      'Give the ARN of a Secrets Manager secret holding {"username", "password"} of the registry.',
    );

  const hc = c.healthCheck;
  if (hc) {
    requireProp(
      scope,
      hc.command.length > 1 && ['CMD', 'CMD-SHELL'].includes(hc.command[0]),
      field('healthCheck.command'),
      hc.command,
      'Start with "CMD" (exec form) or "CMD-SHELL" (shell form) followed by the command.',
    );
    requireIntegerInRange(scope, field('healthCheck.intervalSeconds'), hc.intervalSeconds ?? 30, 5, 300);
    requireIntegerInRange(scope, field('healthCheck.timeoutSeconds'), hc.timeoutSeconds ?? 5, 2, 60);
    requireIntegerInRange(scope, field('healthCheck.retries'), hc.retries ?? 3, 1, 10);
    requireIntegerInRange(scope, field('healthCheck.startPeriodSeconds'), hc.startPeriodSeconds ?? 0, 0, 300);
  }
  requireIntegerInRange(scope, field('stopTimeoutSeconds'), c.stopTimeoutSeconds ?? 30, 2, 120);

  const user = c.runAsImageUser ? undefined : (c.user ?? '65534:65534');
  if (c.rootReason !== undefined) {
    requireProp(
      scope,
      c.rootReason.trim().length >= 10 && user !== undefined && /^(root|0)(:|$)/.test(user),
      field('rootReason'),
      c.rootReason,
      'Give rootReason (at least a short sentence) only together with user "0", "0:0" or "root".',
    );
  } else if (user !== undefined && /^(root|0)(:|$)/.test(user)) {
    Annotations.of(scope).addWarning(
      `${field('user')} runs container "${c.name}" as root; prefer an unprivileged uid.`,
    );
  }

  const writable = c.writablePaths ?? [];
  const scratchVolumes = writable.map((_, i) => writablePathVolumeName(c.name, i));
  writable.forEach((p, i) =>
    requireProp(scope, p.startsWith('/'), field(`writablePaths[${i}]`), p, 'Give an absolute path such as "/tmp".'),
  );
  (c.mountPoints ?? []).forEach((m, i) => {
    requireProp(
      scope,
      ctx.volumeNames.includes(m.sourceVolume),
      field(`mountPoints[${i}].sourceVolume`),
      m.sourceVolume,
      `Use a volume declared on the task definition: ${ctx.volumeNames.map((v) => JSON.stringify(v)).join(', ') || 'none are declared (add efsVolumes or scratchVolumes)'}.`,
    );
    requireProp(
      scope,
      m.containerPath.startsWith('/'),
      field(`mountPoints[${i}].containerPath`),
      m.containerPath,
      'Give an absolute path.',
    );
  });

  const definition: Record<string, unknown> = {
    name: c.name,
    image: c.image,
    essential: c.essential ?? true,
    command: c.command,
    entryPoint: c.entryPoint,
    workingDirectory: c.workingDirectory,
    user,
    cpu: c.cpu,
    memory: c.memory,
    memoryReservation: c.memoryReservation,
    stopTimeout: c.stopTimeoutSeconds ?? 30,
    readonlyRootFilesystem: c.readonlyRootFilesystem ?? true,
    portMappings: ports.map((p) => ({
      containerPort: p.containerPort,
      hostPort: p.containerPort,
      protocol: p.protocol ?? 'tcp',
      name: p.name,
    })),
    environment: Object.entries(env)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => ({ name, value })),
    secrets: Object.entries(secrets)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, s]) => ({ name, valueFrom: s.valueFrom })),
    mountPoints: [
      ...writable.map((p, i) => ({ sourceVolume: scratchVolumes[i], containerPath: p, readOnly: false })),
      ...(c.mountPoints ?? []).map((m) => ({
        sourceVolume: m.sourceVolume,
        containerPath: m.containerPath,
        readOnly: m.readOnly ?? false,
      })),
    ],
    repositoryCredentials: c.repositoryCredentialsSecretArn && {
      credentialsParameter: c.repositoryCredentialsSecretArn,
    },
    linuxParameters: { initProcessEnabled: c.initProcessEnabled ?? true },
    healthCheck: hc && {
      command: hc.command,
      interval: hc.intervalSeconds ?? 30,
      timeout: hc.timeoutSeconds ?? 5,
      retries: hc.retries ?? 3,
      startPeriod: hc.startPeriodSeconds ?? 0,
    },
    dependsOn: c.dependsOn?.map((d) => ({ containerName: d.containerName, condition: d.condition ?? 'START' })),
    logConfiguration: {
      logDriver: 'awslogs',
      options: { 'awslogs-group': ctx.logGroupName, 'awslogs-region': ctx.region, 'awslogs-stream-prefix': c.name },
    },
  };
  // Drop unset keys so the JSON matches what ECS returns and Terraform shows no perpetual diff.
  for (const k of Object.keys(definition)) if (definition[k] === undefined) delete definition[k];
  return { definition, scratchVolumes };
}

/** The ECR repository ARN an image lives in, or undefined for other registries and unresolved images. */
export function ecrRepositoryArnOf(image: string, partition: string): string | undefined {
  if (Token.isUnresolved(image)) return undefined;
  const m = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)/.exec(image);
  return m ? `arn:${partition}:ecr:${m[2]}:${m[1]}:repository/${m[3]}` : undefined;
}
