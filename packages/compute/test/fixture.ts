import { App, TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  ContainerSecret,
  ContainerService,
  EcsAccountSettings,
  EcsCluster,
  ScheduledTask,
  TaskDefinition,
} from '../src';
import { Peer, Port } from '@tts-ecs/core';
import { Resources, env, inNamedTest } from '@tts-ecs/testing';

export { env };
export type { Resources };

export const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555';
export const SECRET_KEY = 'arn:aws:kms:eu-west-1:111111111111:key/99999999-2222-3333-4444-555555555555';
export const DB_SECRET = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:app/db-AbCdEf';
export const PARAM = 'arn:aws:ssm:eu-west-1:111111111111:parameter/app/host';
export const IMAGE = '111111111111.dkr.ecr.eu-west-1.amazonaws.com/app/api:1.2.3';
export const TG = 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/api/0123456789abcdef';
export const subnets = ['subnet-aaa', 'subnet-bbb'];

/** One stack using every construct of the package; shared by the tests and by terraform validate. */
export function buildEverything(app: App): TerraformStack {
  const stack = new TerraformStack(app, 'compute');
  new AwsProvider(stack, 'aws', { region: env.region, allowedAccountIds: [env.accountId] });
  new EcsAccountSettings(stack, 'AccountSettings');
  const cluster = new EcsCluster(stack, 'Cluster', {
    environment: env,
    clusterName: 'acme-prod-eu1',
    kmsKeyArn: KEY,
    fargateSpot: true,
    ec2Capacity: { instanceType: 't3.large', vpcId: 'vpc-1', subnetIds: subnets, maxSize: 3 },
  });
  const api = new ContainerService(stack, 'Api', {
    environment: env,
    cluster,
    family: 'acme-prod-eu1-api',
    vpcId: 'vpc-1',
    subnetIds: subnets,
    securityGroupIds: ['sg-extra'],
    cpu: 512,
    memory: 2048,
    logKmsKeyArn: KEY,
    secretsKmsKeyArns: [SECRET_KEY],
    executeCommand: cluster.executeCommand,
    containers: [
      {
        name: 'api',
        image: IMAGE,
        command: ['serve'],
        portMappings: [
          { containerPort: 8080, name: 'http' },
          { containerPort: 1700, protocol: 'udp' },
        ],
        environment: { LOG_LEVEL: 'info', CACHE_KEY_PREFIX: 'api' },
        allowedSecretLookingEnvironment: ['CACHE_KEY_PREFIX'],
        secrets: {
          DB_PASSWORD: ContainerSecret.fromSecretsManager(DB_SECRET, { jsonKey: 'password' }),
          DB_URL: ContainerSecret.fromSecretsManager(DB_SECRET),
          APP_HOST: ContainerSecret.fromSsmParameter(PARAM),
        },
        healthCheck: { command: ['CMD', '/app/healthcheck'] },
        writablePaths: ['/tmp'],
      },
    ],
    autoScaling: { minCapacity: 2, maxCapacity: 6, cpuTargetPercent: 60, memoryTargetPercent: 75 },
    serviceDiscovery: { namespaceId: 'ns-123' },
    loadBalancers: [{ targetGroupArn: TG, containerName: 'api', containerPort: 8080 }],
    ignoreImageChanges: true,
  });
  api.connections.allowFrom(Peer.securityGroupId('sg-0123456789abcdef0', 'the NLB'), Port.tcp(8080));
  api.connections.allowFrom(Peer.anyIpv4(), Port.udp(1700));
  api.connections.allowFrom(Peer.anyIpv6(), Port.udp(1700));
  api.addToTaskRolePolicy({ Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-config/*' });

  const ops = new TaskDefinition(stack, 'Ops', {
    environment: env,
    family: 'acme-prod-eu1-ops',
    logKmsKeyArn: KEY,
    containers: [{ name: 'ops', image: 'docker.io/library/alpine:3.20', command: ['true'] }],
    efsVolumes: [{ name: 'data', fileSystemId: 'fs-123', accessPointId: 'fsap-456' }],
  });
  new ScheduledTask(stack, 'Renew', {
    environment: env,
    scheduleName: 'acme-prod-eu1-renew',
    scheduleExpression: 'rate(14 days)',
    cluster,
    taskDefinition: ops,
    vpcId: 'vpc-1',
    subnetIds: subnets,
  });
  new ContainerService(stack, 'Worker', {
    environment: env,
    cluster,
    family: 'acme-prod-eu1-worker',
    vpcId: 'vpc-1',
    subnetIds: subnets,
    logKmsKeyArn: KEY,
    compatibility: 'EC2',
    singleton: true,
    capacityProviderStrategy: [{ capacityProvider: cluster.ec2CapacityProviderName! }],
    containers: [{ name: 'worker', image: IMAGE, runAsImageUser: true }],
  });
  return stack;
}

export function synthEverything(): { resources: Resources; stack: TerraformStack } {
  return inNamedTest('synthesizes every compute construct', () => {
    const stack = buildEverything(Testing.app());
    return { resources: JSON.parse(Testing.synth(stack)).resource, stack };
  });
}
