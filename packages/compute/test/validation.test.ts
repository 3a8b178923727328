import { TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { Peer, Port } from '@tts-ecs/core';
import {
  ContainerProps,
  ContainerSecret,
  ContainerService,
  ContainerServiceProps,
  EcsCluster,
  FARGATE_TASK_SIZES,
  ScheduledTask,
  TaskDefinition,
  isGravitonInstanceType,
  isValidScheduleExpression,
  looksSecret,
} from '../src';

const env = { accountId: '111111111111', region: 'eu-west-1' };
const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/k';
const container: ContainerProps = { name: 'app', image: 'nginx:1.27', portMappings: [{ containerPort: 8080 }] };
const base: ContainerServiceProps = {
  environment: env,
  cluster: { clusterName: 'c', clusterArn: 'arn:aws:ecs:eu-west-1:111111111111:cluster/c' },
  family: 'app',
  vpcId: 'vpc-1',
  subnetIds: ['subnet-a'],
  logKmsKeyArn: KEY,
  containers: [container],
};

function inStack(build: (scope: Construct) => void): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'test');
  build(stack);
  return stack;
}
const service = (props: Partial<ContainerServiceProps>) => () =>
  inStack((s) => new ContainerService(s, 'Svc', { ...base, ...props }));
const withContainer = (c: Partial<ContainerProps>) => service({ containers: [{ ...container, ...c }] });

describe('Fargate task sizes', () => {
  it('accepts every pair of the AWS table', () => {
    const pairs = Object.entries(FARGATE_TASK_SIZES).flatMap(([cpu, mems]) => mems.map((m) => [Number(cpu), m]));
    expect(pairs).toHaveLength(3 + 4 + 7 + 13 + 23 + 12 + 12);
    for (const [cpu, memory] of pairs) expect(service({ cpu, memory })).not.toThrow();
  });

  it('rejects memory that does not fit the CPU, listing the valid values', () => {
    expect(service({ cpu: 256, memory: 4096 })).toThrow(
      'test/Svc/Task: invalid memory 4096. With cpu 256 Fargate accepts memory (MiB) 512, 1024, 2048.',
    );
    expect(service({ cpu: 8192, memory: 20000 })).toThrow(
      'With cpu 8192 Fargate accepts memory (MiB) 16384, 20480, 24576, 28672, 32768, 36864, 40960, 45056, 49152, 53248, 57344, 61440.',
    );
  });

  it('rejects a CPU value Fargate does not offer', () => {
    expect(service({ cpu: 300, memory: 1024 })).toThrow(
      'test/Svc/Task: invalid cpu 300. Fargate accepts CPU units 256, 512, 1024, 2048, 4096, 8192, 16384.',
    );
  });

  it('does not apply the Fargate table to EC2 task definitions', () => {
    expect(service({ compatibility: 'EC2', cpu: 300, memory: 700 })).not.toThrow();
  });
});

describe('service rules', () => {
  it('rejects more than one task for a singleton', () => {
    expect(service({ singleton: true, desiredCount: 2 })).toThrow(
      'test/Svc: invalid desiredCount 2. A singleton service runs at most 1 task: use 0 or 1, or drop singleton.',
    );
    expect(service({ singleton: true, maximumPercent: 200 })).toThrow(
      /invalid maximumPercent 200\. A singleton must not start a second task/,
    );
    expect(service({ singleton: true, autoScaling: { minCapacity: 1, maxCapacity: 1, cpuTargetPercent: 50 } })).toThrow(
      /invalid autoScaling .*A singleton service cannot scale/,
    );
  });

  it('rejects load balancer targets that name a missing container or unmapped port', () => {
    expect(service({ loadBalancers: [{ targetGroupArn: 'tg', containerName: 'web', containerPort: 8080 }] })).toThrow(
      'test/Svc: invalid loadBalancers[0].containerName "web". Use one of the task\'s containers: app.',
    );
    expect(service({ loadBalancers: [{ targetGroupArn: 'tg', containerName: 'app', containerPort: 9090 }] })).toThrow(
      'test/Svc: invalid loadBalancers[0].containerPort 9090. Container "app" maps ports 8080; add a portMapping or use one of them.',
    );
  });

  it('rejects a grace period without a load balancer', () => {
    expect(service({ healthCheckGracePeriodSeconds: 30 })).toThrow(
      /invalid healthCheckGracePeriodSeconds 30\. A grace period only applies to load-balanced services/,
    );
  });

  it('rejects auto scaling without a target or with a desired count outside the range', () => {
    expect(service({ autoScaling: { minCapacity: 2, maxCapacity: 4 } })).toThrow(
      /invalid autoScaling .*Give cpuTargetPercent and\/or memoryTargetPercent/,
    );
    expect(service({ desiredCount: 2, autoScaling: { minCapacity: 3, maxCapacity: 4, cpuTargetPercent: 50 } })).toThrow(
      'test/Svc: invalid desiredCount 2. With autoScaling, start within minCapacity 3 and maxCapacity 4.',
    );
    expect(service({ autoScaling: { minCapacity: 1, maxCapacity: 4, cpuTargetPercent: 150 } })).toThrow(
      'test/Svc: invalid autoScaling.cpuTargetPercent 150. Use a whole number from 1 to 100.',
    );
  });

  it('rejects an empty subnet list', () => {
    expect(service({ subnetIds: [] })).toThrow(/test\/Svc: invalid subnetIds \[\]\. Give the private subnets/);
  });

  it('rejects ICMP rules on a service and admin ports from the whole internet', () => {
    expect(() =>
      inStack((s) => new ContainerService(s, 'Svc', base).connections.allowFrom(Peer.anyIpv4(), Port.tcp(22))),
    ).toThrow(/test\/Svc\/SecurityGroup: invalid allowFrom.peer "0.0.0.0\/0". tcp\/22 includes admin port 22/);
    expect(() =>
      inStack((s) =>
        new ContainerService(s, 'Svc', base).connections.allowFrom(Peer.ipv4('10.0.0.0/8'), Port.allTraffic()),
      ),
    ).toThrow(/test\/Svc\/SecurityGroup: invalid port.protocol "-1". Use one of: "tcp", "udp"/);
  });
});

describe('container rules', () => {
  it('rejects secret-looking environment names and points to secrets', () => {
    expect(withContainer({ environment: { DB_PASSWORD: 'hunter2' } })).toThrow(
      /test\/Svc\/Task: invalid containers\[0\]\.environment "DB_PASSWORD"\. The name looks like a secret: pass the value through secrets/,
    );
    for (const name of [
      'API_TOKEN',
      'clientSecret',
      'STRIPE_API_KEY',
      'apiKey',
      'HTTP_COOKIE_HASH_KEY',
      'AWS_CREDENTIALS',
    ]) {
      expect(looksSecret(name)).toBe(true);
    }
    for (const name of ['LOG_LEVEL', 'MONKEY_MODE', 'KEYCLOAK_URL', 'BYPASS_CACHE'])
      expect(looksSecret(name)).toBe(false);
  });

  it('accepts a secret-looking name only when explicitly allowed, and only if it is in environment', () => {
    expect(
      withContainer({ environment: { CACHE_KEY_PREFIX: 'x' }, allowedSecretLookingEnvironment: ['CACHE_KEY_PREFIX'] }),
    ).not.toThrow();
    expect(withContainer({ allowedSecretLookingEnvironment: ['NOPE'] })).toThrow(
      /invalid containers\[0\]\.allowedSecretLookingEnvironment "NOPE"/,
    );
  });

  it('rejects a variable that is both plain and secret', () => {
    const secret = ContainerSecret.fromSsmParameter('arn:aws:ssm:eu-west-1:111111111111:parameter/x');
    expect(withContainer({ environment: { HOST: 'a' }, secrets: { HOST: secret } })).toThrow(
      'test/Svc/Task: invalid containers[0].environment "HOST". A variable is either in environment or in secrets, not both.',
    );
  });

  it('rejects an empty environment value, which ECS would drop from the task definition', () => {
    expect(withContainer({ environment: { LISTEN_TLS: '' } })).toThrow(
      /invalid containers\[0\]\.environment\.LISTEN_TLS ""\. ECS drops variables with empty values .*command-line argument/,
    );
  });

  it('rejects secret references that are not ARNs of the right service', () => {
    expect(withContainer({ secrets: { X: ContainerSecret.fromSecretsManager('app/db') } })).toThrow(
      /invalid containers\[0\]\.secrets\.X "app\/db"\. Give the full Secrets Manager secret ARN/,
    );
    expect(withContainer({ secrets: { X: ContainerSecret.fromSsmParameter('/app/host') } })).toThrow(
      /invalid containers\[0\]\.secrets\.X "\/app\/host"\. Give the SSM parameter ARN/,
    );
  });

  it('rejects malformed health checks, mounts and writable paths', () => {
    expect(withContainer({ healthCheck: { command: ['curl', 'localhost'] } })).toThrow(
      /invalid containers\[0\]\.healthCheck\.command .*Start with "CMD"/,
    );
    expect(withContainer({ healthCheck: { command: ['CMD', 'x'], intervalSeconds: 1 } })).toThrow(
      'invalid containers[0].healthCheck.intervalSeconds 1. Use a whole number from 5 to 300.',
    );
    expect(withContainer({ writablePaths: ['tmp'] })).toThrow(
      /invalid containers\[0\]\.writablePaths\[0\] "tmp"\. Give an absolute path/,
    );
    expect(withContainer({ mountPoints: [{ sourceVolume: 'data', containerPath: '/data' }] })).toThrow(
      /invalid containers\[0\]\.mountPoints\[0\]\.sourceVolume "data"\. Use a volume declared on the task definition: none are declared/,
    );
  });

  it('rejects duplicate container names and bad port mappings', () => {
    expect(service({ containers: [container, container] })).toThrow(
      'test/Svc/Task: invalid containers "app". Give each container a unique name.',
    );
    expect(withContainer({ portMappings: [{ containerPort: 0 }] })).toThrow(
      'invalid containers[0].portMappings[0].containerPort 0. Use a whole number from 1 to 65535.',
    );
  });

  it('warns when a container runs as root', () => {
    const stack = inStack(
      (s) =>
        new TaskDefinition(s, 'Td', {
          environment: env,
          family: 'f',
          logKmsKeyArn: KEY,
          containers: [{ ...container, user: 'root' }],
        }),
    );
    const warnings = stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => m.data));
    expect(warnings).toEqual(['containers[0].user runs container "app" as root; prefer an unprivileged uid.']);
  });

  it('prints no root warning for a container whose rootReason says why, and refuses a reason without root', () => {
    const build = (extra: object) => (s: Construct) =>
      new TaskDefinition(s, 'Td', {
        environment: env,
        family: 'f',
        logKmsKeyArn: KEY,
        containers: [{ ...container, ...extra }],
      });
    const stack = inStack(build({ user: '0:0', rootReason: 'chowns a task-local volume, then exits' }));
    const warnings = stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === '@cdktf/warn'));
    expect(warnings).toEqual([]);
    expect(() => inStack(build({ rootReason: 'chowns a task-local volume, then exits' }))).toThrow(
      'test/Td: invalid containers[0].rootReason "chowns a task-local volume, then exits". Give rootReason (at least a short sentence) only together with user "0", "0:0" or "root".',
    );
  });
});

describe('EcsCluster rules', () => {
  const cluster = (props: object) => () =>
    inStack((s) => new EcsCluster(s, 'C', { environment: env, clusterName: 'acme', kmsKeyArn: KEY, ...props }));

  it('rejects a default strategy naming an unregistered provider', () => {
    expect(cluster({ defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT' }] })).toThrow(
      'test/C: invalid defaultCapacityProviderStrategy[0].capacityProvider "FARGATE_SPOT". Use a provider registered on this cluster: FARGATE.',
    );
  });

  it('rejects EC2 capacity that cannot work', () => {
    const ec2 = { instanceType: 'm6i.large', vpcId: 'vpc-1', subnetIds: ['subnet-a'] };
    expect(cluster({ ec2Capacity: { ...ec2, rootVolumeSizeGiB: 8 } })).toThrow(
      'test/C/Ec2: invalid rootVolumeSizeGiB 8. Use a whole number from 30 to 16384.',
    );
    expect(cluster({ ec2Capacity: { ...ec2, minSize: 3, maxSize: 2 } })).toThrow(
      'test/C/Ec2: invalid maxSize 2. Use a whole number from 3 to 1000.',
    );
    expect(cluster({ ec2Capacity: { ...ec2, instanceType: 'large' } })).toThrow(
      /test\/C\/Ec2: invalid instanceType "large"/,
    );
    expect(cluster({ clusterName: 'ecs-main', ec2Capacity: ec2 })).toThrow(
      /invalid clusterName "ecs-main"\. ECS capacity provider names may not start with "aws", "ecs" or "fargate"/,
    );
  });

  it('rejects an unknown Container Insights level', () => {
    expect(cluster({ containerInsights: 'disabled' })).toThrow(
      'test/C: invalid containerInsights "disabled". Use one of: "enabled", "enhanced".',
    );
  });

  it('picks the arm64 AMI for Graviton types', () => {
    const stack = inStack(
      (s) =>
        new EcsCluster(s, 'C', {
          environment: env,
          clusterName: 'acme',
          kmsKeyArn: KEY,
          containerInsights: 'enhanced',
          ec2Capacity: { instanceType: 'm7g.large', vpcId: 'vpc-1', subnetIds: ['subnet-a'] },
        }),
    );
    const json = JSON.parse(Testing.synth(stack));
    expect(Object.values(json.resource.aws_launch_template as Record<string, { image_id: string }>)[0].image_id).toBe(
      'resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id',
    );
    expect(Object.values(json.resource.aws_ecs_cluster as Record<string, { setting: unknown }>)[0].setting).toEqual([
      { name: 'containerInsights', value: 'enhanced' },
    ]);
    for (const t of ['m7g.large', 'c6gn.xlarge', 't4g.small', 'r8gd.2xlarge', 'im4gn.large', 'g5g.xlarge'])
      expect(isGravitonInstanceType(t)).toBe(true);
    for (const t of ['m6i.large', 'g5.xlarge', 'g4dn.xlarge', 't3.micro', 'c7i-flex.large'])
      expect(isGravitonInstanceType(t)).toBe(false);
  });
});

describe('ScheduledTask rules', () => {
  const scheduled =
    (expr: string, compatibility: 'FARGATE' | 'EC2' = 'FARGATE') =>
    () =>
      inStack((s) => {
        const td = new TaskDefinition(s, 'Td', {
          environment: env,
          family: 'ops',
          logKmsKeyArn: KEY,
          containers: [container],
          compatibility,
        });
        new ScheduledTask(s, 'Sched', {
          environment: env,
          scheduleName: 'ops',
          scheduleExpression: expr,
          cluster: base.cluster,
          taskDefinition: td,
          vpcId: 'vpc-1',
          subnetIds: ['subnet-a'],
        });
      });

  it('accepts rate() and 6-field cron() expressions', () => {
    for (const e of ['rate(1 day)', 'rate(14 days)', 'rate(5 minutes)', 'cron(0 3 ? * MON *)'])
      expect(isValidScheduleExpression(e)).toBe(true);
    expect(scheduled('cron(0 3 1 * ? *)')).not.toThrow();
  });

  it('rejects other expressions with an example of each form', () => {
    for (const e of ['rate(1 days)', 'rate(2 day)', 'rate(0 hours)', 'cron(0 3 * * *)', 'every day', 'rate(1 week)'])
      expect(isValidScheduleExpression(e)).toBe(false);
    expect(scheduled('cron(0 3 * * *)')).toThrow(
      /test\/Sched: invalid scheduleExpression "cron\(0 3 \* \* \*\)"\. Use "rate\(<n> <unit>\)".*"cron\(0 3 \? \* MON \*\)"/,
    );
  });

  it('rejects EC2-only task definitions', () => {
    expect(scheduled('rate(1 day)', 'EC2')).toThrow(
      'test/Sched: invalid taskDefinition "ops". Scheduled tasks run on Fargate: use a task definition with compatibility FARGATE.',
    );
  });
});
