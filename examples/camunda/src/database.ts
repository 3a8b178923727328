import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { ConnectableSecurityGroup, Peer, Port } from '@tts-ecs/core';
import { AuroraPostgres } from '@tts-ecs/data';
import { ContainerSecret, TaskDefinition } from '@tts-ecs/compute';
import { CamundaConfig } from './config';
import { Foundation } from './foundation';

/**
 * Creates the IAM-authenticated PostgreSQL role (ref: SR postgres_seed.tf, the db-seed task's SQL): log in with the
 * RDS-managed master password (injected by ECS from its secret, never in the task definition), then create the role
 * with LOGIN, grant rds_iam, the database and the public schema. Idempotent. Plain `$VAR` only: Terraform would read
 * `${...}` in the container definition as an interpolation.
 */
const SEED_SCRIPT = String.raw`set -eu
psql -v ON_ERROR_STOP=1 \
  -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '$IAM_DB_USER') THEN CREATE ROLE \"$IAM_DB_USER\" WITH LOGIN; END IF; END \$\$;" \
  -c "GRANT rds_iam TO \"$IAM_DB_USER\";" \
  -c "GRANT ALL PRIVILEGES ON DATABASE \"$PGDATABASE\" TO \"$IAM_DB_USER\";" \
  -c "GRANT USAGE, CREATE ON SCHEMA public TO \"$IAM_DB_USER\";"
echo "IAM database user $IAM_DB_USER is ready."`;

/** Aurora PostgreSQL with IAM database authentication, and the one-off task that creates the IAM database user. */
export class Database extends Construct {
  readonly db: AuroraPostgres;
  readonly seedTask: TaskDefinition;
  readonly seedSecurityGroup: ConnectableSecurityGroup;
  /** `aws ecs run-task ...` that creates the IAM database user once. */
  readonly seedCommand: string;

  constructor(scope: Construct, id: string, config: CamundaConfig, base: Foundation) {
    super(scope, id);
    const { environment, network } = base;
    this.db = new AuroraPostgres(this, 'Aurora', {
      environment,
      clusterIdentifier: `${config.prefix}-camunda`,
      vpcId: network.vpcId,
      subnetIds: network.dataSubnetIds,
      databaseName: config.database.name,
      // The master password is generated, kept and rotatable by RDS; applications use IAM tokens.
      credentials: { rdsManaged: true },
      engineVersion: config.database.engineVersion,
      iamDatabaseAuthentication: true,
      logRetentionDays: config.logRetentionDays,
    });

    this.seedSecurityGroup = new ConnectableSecurityGroup(this, 'SeedSecurityGroup', {
      vpcId: network.vpcId,
      name: `${config.prefix}-db-seed`,
      description: 'One-off task creating the IAM database user',
    });
    this.db.allowFrom(this.seedSecurityGroup, 'PostgreSQL from the db-seed task');
    // Image pull (public.ecr.aws), Secrets Manager and CloudWatch Logs, through the NAT gateways.
    this.seedSecurityGroup.connections.allowTo(Peer.anyIpv4(), Port.tcp(443), 'HTTPS to AWS APIs and the registry');

    const masterPassword = ContainerSecret.fromSecretsManager(this.db.masterUserSecretArn!, { jsonKey: 'password' });
    // ref: SR postgres_seed.tf: 256 CPU units, 512 MiB.
    this.seedTask = new TaskDefinition(this, 'Seed', {
      environment,
      family: `${config.prefix}-db-seed`,
      cpu: 256,
      memory: 512,
      logKmsKeyArn: base.logsKey.arn,
      logRetentionInDays: config.logRetentionDays,
      secretsKmsKeyArns: [this.db.kmsKeyArn],
      containers: [
        {
          name: 'db-seed',
          image: config.images.dbSeed,
          entryPoint: ['/bin/sh', '-c'],
          command: [SEED_SCRIPT],
          environment: {
            PGHOST: this.db.endpoint,
            PGPORT: String(this.db.port),
            PGDATABASE: config.database.name,
            PGUSER: this.db.masterUsername,
            PGSSLMODE: 'require',
            IAM_DB_USER: config.database.iamUser,
          },
          secrets: { PGPASSWORD: masterPassword },
        },
      ],
    });

    const network_ = [
      `awsvpcConfiguration={subnets=[${network.privateSubnetIds.join(',')}]`,
      `securityGroups=[${this.seedSecurityGroup.securityGroupId}]`,
      'assignPublicIp=DISABLED}',
    ].join(',');
    this.seedCommand =
      `aws ecs run-task --region ${config.region} --cluster ${base.cluster.clusterArn} --launch-type FARGATE ` +
      `--task-definition ${this.seedTask.arn} --network-configuration '${network_}'`;
    new TerraformOutput(this, 'db_seed_command', {
      staticId: true,
      value: this.seedCommand,
      description: 'Run once after the first apply: creates the IAM database user the services log in as.',
    });
  }
}
