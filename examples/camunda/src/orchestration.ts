import { Construct } from 'constructs';
import { Port } from '@tts-ecs/core';
import { EphemeralSecretValue, FileSystem, Secret, SecureBucket } from '@tts-ecs/data';
import { ContainerSecret, ContainerService, LoadBalancerTarget } from '@tts-ecs/compute';
import { CamundaConfig, HEALTH, PORTS } from './config';
import { Database } from './database';
import { Foundation } from './foundation';

/** Service Connect names (ref: OC ecs.tf service_connect_configuration): clients use `<name>:<port>`. */
export const SERVICE_CONNECT = {
  grpc: 'orchestration-cluster-grpc',
  internal: 'orchestration-cluster-sc',
  rest: 'orchestration-cluster-rest',
} as const;

const CONTAINER = 'orchestration-cluster';
const DATA_DIR = '/usr/local/camunda/data';

export interface OrchestrationProps {
  readonly config: CamundaConfig;
  readonly base: Foundation;
  readonly database: Database;
  /** Target groups the brokers register in (ALB 8080, NLB 26500). */
  readonly targetGroupArns: { readonly rest: string; readonly grpc: string };
}

/**
 * The orchestration cluster (Zeebe brokers with the embedded gateway, web apps and REST API) the reference's way: one
 * Fargate service of 3 interchangeable tasks (ref: OC ecs.tf, `task_desired_count` 3). A task learns which broker it
 * is by leasing a node id in the S3 bucket (CAMUNDA_CLUSTER_NODEIDPROVIDER_*), so every task mounts the same EFS
 * access point.
 */
export class Orchestration extends Construct {
  readonly service: ContainerService;
  readonly nodeIdBucket: SecureBucket;
  readonly backupBucket: SecureBucket;
  readonly fileSystem: FileSystem;
  readonly adminPassword: Secret;
  readonly connectorsPassword: Secret;

  constructor(scope: Construct, id: string, props: OrchestrationProps) {
    super(scope, id);
    const { config, base, database } = props;
    const { environment, network } = base;

    // Leases change every few seconds: versions would only pile up (ref: OC s3.tf, versioning off).
    this.nodeIdBucket = new SecureBucket(this, 'NodeIdBucket', {
      environment,
      bucketName: config.buckets.nodeId,
      versioned: false,
    });
    // ref: SR s3.tf backup bucket, CAMUNDA_DATA_BACKUP_* in SR camunda.tf.
    this.backupBucket = new SecureBucket(this, 'BackupBucket', { environment, bucketName: config.buckets.backup });

    // ref: OC efs.tf: encrypted, elastic throughput, access point uid/gid 1000 at /usr/local/camunda/data.
    this.fileSystem = new FileSystem(this, 'Data', {
      environment,
      name: `${config.prefix}-orchestration-data`,
      vpcId: network.vpcId,
      subnetIds: network.dataSubnetIds,
      throughputMode: 'elastic',
      accessPoint: { path: DATA_DIR, uid: 1000, gid: 1000, permissions: '750' },
    });

    // ref: SR secrets.tf: generated passwords of the initial admin and connectors users, in Secrets Manager (CMK).
    const password = (name: string, what: string) =>
      new Secret(this, `${name}Password`, {
        environment,
        name: `${config.prefix}/orchestration/${what}-password`,
        description: `Password of the initial Camunda ${what} user`,
        kmsKeyArn: base.secretsKey.arn,
        value: new EphemeralSecretValue(this, `${name}PasswordValue`, { kind: 'password', length: 32 }).value,
      });
    this.adminPassword = password('Admin', 'admin');
    this.connectorsPassword = password('Connectors', 'connectors');

    const lb = (targetGroupArn: string, containerPort: number): LoadBalancerTarget => ({
      targetGroupArn,
      containerName: CONTAINER,
      containerPort,
    });
    this.service = new ContainerService(this, 'Service', {
      environment,
      cluster: base.cluster,
      family: `${config.prefix}-orchestration-cluster`,
      vpcId: network.vpcId,
      subnetIds: network.privateSubnetIds,
      // ref: OC variables.tf task_cpu 4096, task_memory 8192; ecs.tf deployment 66-100 % (keep quorum, never 4 brokers)
      cpu: 4096,
      memory: 8192,
      desiredCount: 3,
      minimumHealthyPercent: 66,
      maximumPercent: 100,
      healthCheckGracePeriodSeconds: 900, // ref: OC variables.tf service_health_check_grace_period_seconds
      // The first start waits for the db-seed task (README): do not block the apply on it.
      waitForSteadyState: false,
      logKmsKeyArn: base.logsKey.arn,
      logRetentionInDays: config.logRetentionDays,
      secretsKmsKeyArns: [base.secretsKey.arn],
      efsVolumes: [
        {
          name: 'camunda-volume',
          fileSystemId: this.fileSystem.fileSystemId,
          accessPointId: this.fileSystem.accessPointId,
        },
      ],
      loadBalancers: [lb(props.targetGroupArns.rest, PORTS.rest), lb(props.targetGroupArns.grpc, PORTS.grpc)],
      serviceConnect: {
        namespaceArn: base.serviceConnectNamespaceArn,
        services: [
          { portName: 'grpc', dnsName: SERVICE_CONNECT.grpc },
          { portName: 'internal-api', dnsName: SERVICE_CONNECT.internal },
          { portName: 'rest', dnsName: SERVICE_CONNECT.rest },
        ],
      },
      containers: [
        {
          name: CONTAINER,
          image: config.images.orchestration,
          // The image's own non-root user; the access point writes every file as uid/gid 1000 anyway.
          runAsImageUser: true,
          // Camunda writes below its install directory at runtime (as in the reference).
          readonlyRootFilesystem: false,
          portMappings: [
            { containerPort: PORTS.grpc, name: 'grpc' },
            { containerPort: PORTS.command },
            { containerPort: PORTS.internal, name: 'internal-api' },
            { containerPort: PORTS.management, name: 'management' },
            { containerPort: PORTS.rest, name: 'rest' },
          ],
          mountPoints: [{ sourceVolume: 'camunda-volume', containerPath: DATA_DIR }],
          environment: this.environmentVariables(config, database),
          secrets: {
            CAMUNDA_SECURITY_INITIALIZATION_USERS_0_PASSWORD: ContainerSecret.fromSecretsManager(
              this.adminPassword.arn,
            ),
            CAMUNDA_SECURITY_INITIALIZATION_USERS_1_PASSWORD: ContainerSecret.fromSecretsManager(
              this.connectorsPassword.arn,
            ),
          },
          // ref: OC templates/orchestration-cluster.json.tpl healthCheck (start period: variables.tf, 300 s)
          healthCheck: {
            command: [
              'CMD-SHELL',
              `wget --spider --quiet http://localhost:${PORTS.management}${HEALTH.liveness} || exit 1`,
            ],
            intervalSeconds: 30,
            timeoutSeconds: 5,
            retries: 3,
            startPeriodSeconds: 300,
          },
          stopTimeoutSeconds: 30,
        },
      ],
    });
    // Services only start once the database can take connections.
    this.service.resource.dependsOn = database.db.instances.map(
      (i) => `${i.terraformResourceType}.${i.friendlyUniqueId}`,
    );

    // Exactly what the node-id leases, backups, IAM database login need (EFS mount is granted by the task definition).
    this.service.grantTaskRole([
      ...this.nodeIdBucket.readWriteStatements(),
      ...this.backupBucket.readWriteStatements(),
      ...database.db.connectStatements(config.database.iamUser),
    ]);

    // Brokers talk to each other (command API, membership/Raft) and the embedded gateways to every broker.
    this.service.connections.allowFrom(this.service, Port.tcpRange(PORTS.command, PORTS.internal), 'Broker to broker');
    this.service.connections.allowFrom(this.service, Port.tcp(PORTS.grpc), 'Gateway gRPC within the cluster');
    this.fileSystem.allowFrom(this.service, 'NFS from the orchestration cluster');
    database.db.allowFrom(this.service, 'PostgreSQL from the orchestration cluster');
  }

  /** ref: OC ecs.tf base_environment_variables and SR camunda.tf environment_variables. */
  private environmentVariables(config: CamundaConfig, database: Database): Record<string, string> {
    const db = database.db;
    return {
      SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE: '5s',
      ZEEBE_BROKER_DATA_DIRECTORY: DATA_DIR,
      CAMUNDA_CLUSTER_INITIALCONTACTPOINTS: `${SERVICE_CONNECT.internal}:${PORTS.internal}`,
      CAMUNDA_CLUSTER_SIZE: '3',
      CAMUNDA_CLUSTER_REPLICATIONFACTOR: '3',
      CAMUNDA_CLUSTER_PARTITIONCOUNT: '3',
      CAMUNDA_CLUSTER_NODEIDPROVIDER_TYPE: 's3',
      CAMUNDA_CLUSTER_NODEIDPROVIDER_S3_BUCKETNAME: this.nodeIdBucket.bucketName,
      CAMUNDA_CLUSTER_NODEIDPROVIDER_S3_LEASEDURATION: 'PT15S',
      CAMUNDA_CLUSTER_NODEIDPROVIDER_S3_REGION: config.region,
      CAMUNDA_DATA_SECONDARYSTORAGE_AUTOCONFIGURECAMUNDAEXPORTER: 'false',
      CAMUNDA_DATA_SECONDARYSTORAGE_TYPE: 'rdbms',
      // IAM authentication through the AWS JDBC wrapper; TLS required (the cluster enforces rds.force_ssl).
      CAMUNDA_DATA_SECONDARYSTORAGE_RDBMS_URL: `jdbc:aws-wrapper:postgresql://${db.endpoint}:${db.port}/${config.database.name}?wrapperPlugins=iam&sslmode=require`,
      CAMUNDA_DATA_SECONDARYSTORAGE_RDBMS_USERNAME: config.database.iamUser,
      CAMUNDA_DATA_SECONDARYSTORAGE_RDBMS_AUTODDL: 'true',
      SPRING_DATASOURCE_DRIVER_CLASS_NAME: 'software.amazon.jdbc.Driver',
      CAMUNDA_SECURITY_INITIALIZATION_USERS_0_USERNAME: 'admin',
      CAMUNDA_SECURITY_INITIALIZATION_USERS_0_NAME: 'Admin User',
      CAMUNDA_SECURITY_INITIALIZATION_USERS_0_EMAIL: config.adminEmail,
      CAMUNDA_SECURITY_INITIALIZATION_DEFAULTROLES_ADMIN_USERS_0: 'admin',
      CAMUNDA_SECURITY_INITIALIZATION_USERS_1_USERNAME: 'connectors',
      CAMUNDA_SECURITY_INITIALIZATION_USERS_1_NAME: 'Connectors User',
      CAMUNDA_SECURITY_INITIALIZATION_USERS_1_EMAIL: config.connectorsEmail,
      CAMUNDA_SECURITY_INITIALIZATION_DEFAULTROLES_CONNECTORS_USERS_0: 'connectors',
      CAMUNDA_DATA_BACKUP_STORE: 'S3',
      CAMUNDA_DATA_BACKUP_S3_BUCKETNAME: this.backupBucket.bucketName,
      CAMUNDA_DATA_BACKUP_REPOSITORYNAME: this.backupBucket.bucketName,
    };
  }
}
