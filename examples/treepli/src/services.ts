import { Construct } from 'constructs';
import { EncryptionKey } from '@tts-ecs/core';
import {
  ContainerSecret,
  ContainerService,
  EcrRepository,
  EcsCluster,
  GithubDeployRole,
  GithubOidcProvider,
  ServiceAutoScaling,
} from '@tts-ecs/compute';
import { PostgresInstance, SecureBucket } from '@tts-ecs/data';
import { Network } from '@tts-ecs/network';
import { GithubRepository, config } from './config';
import { MEDIA_PREFIX } from './data';

/** Ports the containers listen on. */
export const FRONTEND_PORT = 3000;
export const BACKEND_PORT = 8080;

export interface TreepliServices {
  readonly cluster: EcsCluster;
  readonly frontend: ContainerService;
  readonly backend: ContainerService;
  readonly repositories: { readonly frontend: EcrRepository; readonly backend: EcrRepository };
  readonly deployRoles: { readonly frontend: GithubDeployRole; readonly backend: GithubDeployRole };
}

export interface ServiceInputs {
  readonly network: Network;
  readonly database: PostgresInstance;
  readonly media: SecureBucket;
  /** Target group ARNs the services register in (created by the load balancers). */
  readonly frontendTargetGroupArn: string;
  readonly backendTargetGroupArn: string;
}

const autoScaling: ServiceAutoScaling = {
  minCapacity: 2,
  maxCapacity: 8,
  cpuTargetPercent: 60,
  memoryTargetPercent: 75,
};

/**
 * One ECS cluster on one Auto Scaling group of Graviton instances, the Next.js frontend and the Go backend on it, an
 * ECR repository per service and a GitHub deploy role per repository that may push there and roll out that service.
 */
export function buildServices(scope: Construct, inputs: ServiceInputs): TreepliServices {
  const { environment } = config;
  const { network, database, media } = inputs;
  const key = new EncryptionKey(scope, 'ClusterKey', {
    environment,
    description: `${config.name}: ECS Exec sessions and container logs`,
    alias: `${config.name}-ecs`,
    allowCloudWatchLogs: true,
  });
  const clusterName = config.name;
  const ec2Provider = `${clusterName}-ec2`;
  const cluster = new EcsCluster(scope, 'Cluster', {
    environment,
    clusterName,
    kmsKeyArn: key.arn,
    ec2Capacity: {
      instanceType: config.capacity.instanceType,
      vpcId: network.vpcId,
      subnetIds: network.privateSubnetIds,
      minSize: config.capacity.minSize,
      maxSize: config.capacity.maxSize,
    },
    defaultCapacityProviderStrategy: [{ capacityProvider: ec2Provider }],
  });

  const repositories = {
    frontend: new EcrRepository(scope, 'FrontendRepository', { environment, name: `${config.name}/frontend` }),
    backend: new EcrRepository(scope, 'BackendRepository', { environment, name: `${config.name}/backend` }),
  };
  const common = {
    environment,
    cluster,
    vpcId: network.vpcId,
    subnetIds: network.privateSubnetIds,
    compatibility: 'EC2' as const,
    cpuArchitecture: 'ARM64' as const,
    cpu: 512,
    memory: 1024,
    logKmsKeyArn: key.arn,
    capacityProviderStrategy: [{ capacityProvider: cluster.ec2CapacityProviderName ?? ec2Provider }],
    autoScaling,
    // CI owns the running image: Terraform ignores the service's task_definition (desired_count is ignored too,
    // because of autoScaling), so a pipeline deploy leaves no drift for the next plan.
    ignoreImageChanges: true,
  };

  const frontend = new ContainerService(scope, 'Frontend', {
    ...common,
    family: `${config.name}-frontend`,
    ecrRepositoryArns: [repositories.frontend.repositoryArn],
    containers: [
      {
        name: 'frontend',
        image: `${repositories.frontend.repositoryUrl}:${config.initialImageTags.frontend}`,
        portMappings: [{ containerPort: FRONTEND_PORT, name: 'http' }],
        environment: {
          PORT: String(FRONTEND_PORT),
          HOSTNAME: '0.0.0.0',
          NODE_ENV: 'production',
          NEXT_PUBLIC_API_URL: `https://${config.apiDomain}/`,
          NEXT_PUBLIC_MEDIA_URL: `https://${config.wwwDomain}/${MEDIA_PREFIX}`,
        },
        // Next.js writes its image and fetch caches; the root file system stays read-only.
        writablePaths: ['/tmp', '/app/.next/cache'],
      },
    ],
    loadBalancers: [
      { targetGroupArn: inputs.frontendTargetGroupArn, containerName: 'frontend', containerPort: FRONTEND_PORT },
    ],
  });

  const backend = new ContainerService(scope, 'Backend', {
    ...common,
    family: `${config.name}-backend`,
    ecrRepositoryArns: [repositories.backend.repositoryArn],
    secretsKmsKeyArns: [database.kmsKeyArn],
    containers: [
      {
        name: 'backend',
        image: `${repositories.backend.repositoryUrl}:${config.initialImageTags.backend}`,
        portMappings: [{ containerPort: BACKEND_PORT, name: 'http' }],
        environment: {
          LISTEN_ADDR: `:${BACKEND_PORT}`,
          DB_HOST: database.endpoint,
          DB_PORT: String(database.port),
          DB_NAME: database.databaseName,
          DB_SSLMODE: 'require',
          MEDIA_BUCKET: media.bucketName,
          MEDIA_PREFIX,
          MEDIA_BASE_URL: `https://${config.wwwDomain}/${MEDIA_PREFIX}`,
        },
        // The master credentials RDS keeps in Secrets Manager (JSON username/password), read by ECS at task start.
        secrets: {
          DB_USER: ContainerSecret.fromSecretsManager(database.masterUserSecretArn, { jsonKey: 'username' }),
          DB_PASSWORD: ContainerSecret.fromSecretsManager(database.masterUserSecretArn, { jsonKey: 'password' }),
        },
      },
    ],
    loadBalancers: [
      { targetGroupArn: inputs.backendTargetGroupArn, containerName: 'backend', containerPort: BACKEND_PORT },
    ],
  });
  // The backend stores uploads under media/ (read and write, with the bucket key); only it reaches the database.
  backend.grantTaskRole(media.readWriteStatements(MEDIA_PREFIX));
  database.allowFrom(backend);

  const github = new GithubOidcProvider(scope, 'GithubOidc', {});
  const deployRole = (id: string, repo: GithubRepository, ecr: EcrRepository, service: ContainerService) => {
    const role = new GithubDeployRole(scope, id, {
      providerArn: github.arn,
      repository: repo.repository,
      branch: repo.branch,
      roleName: `${service.serviceName}-github-deploy`,
    });
    role.grantPush(ecr);
    role.grantDeploy(service);
    return role;
  };
  const deployRoles = {
    frontend: deployRole('FrontendDeploy', config.github.frontend, repositories.frontend, frontend),
    backend: deployRole('BackendDeploy', config.github.backend, repositories.backend, backend),
  };
  return { cluster, frontend, backend, repositories, deployRoles };
}
