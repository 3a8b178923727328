/**
 * Everything to replace before deploying this example. Placeholders only: nothing here needs an AWS call at synth.
 *
 * Values taken from the reference are marked `ref:` with the file they come from, in
 * camunda/camunda-deployment-references at commit e33e88a6dd8fb953f11e09da060d24b141dd410e:
 * - OC  = aws/modules/ecs/fargate/orchestration-cluster/
 * - CON = aws/modules/ecs/fargate/connectors/
 * - SR  = aws/containers/ecs-single-region-fargate/terraform/cluster/
 */
export const REFERENCE_COMMIT = 'e33e88a6dd8fb953f11e09da060d24b141dd410e';

export interface CamundaConfig {
  /** Prefix of every name. */
  readonly prefix: string;
  readonly accountId: string;
  readonly region: string;
  /** Three AZs of the region, in a fixed order (append, never reorder). */
  readonly availabilityZones: string[];
  readonly vpcCidr: string;
  /** Terraform state bucket (the verify harness replaces the backend). */
  readonly stateBucket: string;
  /** Public web apps and REST API (ALB) and Zeebe gRPC gateway (NLB) host names, in the hosted zone. */
  readonly webDomain: string;
  readonly grpcDomain: string;
  readonly hostedZoneId: string;
  /** ACM certificate (same region) covering webDomain and grpcDomain. */
  readonly certificateArn: string;
  /** Who may open the gRPC gateway (NLB 26500). Never 0.0.0.0/0 in production. */
  readonly grpcClientCidrs: string[];
  /** Globally unique bucket names. */
  readonly buckets: { readonly nodeId: string; readonly backup: string; readonly lbLogs: string };
  readonly images: { readonly orchestration: string; readonly connectors: string; readonly dbSeed: string };
  /** Initial Camunda users (passwords are generated into Secrets Manager). */
  readonly adminEmail: string;
  readonly connectorsEmail: string;
  readonly database: { readonly name: string; readonly iamUser: string; readonly engineVersion: string };
  readonly logRetentionDays: number;
}

export const config: CamundaConfig = {
  prefix: 'camunda-prod',
  accountId: '111111111111',
  region: 'eu-west-1',
  availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  // ref: SR variables.tf `cidr_blocks` default 10.190.0.0/16
  vpcCidr: '10.190.0.0/16',
  stateBucket: 'camunda-prod-terraform-state-111111111111',
  webDomain: 'camunda.example.com',
  grpcDomain: 'zeebe.camunda.example.com',
  hostedZoneId: 'Z0123456789EXAMPLE',
  certificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/00000000-0000-0000-0000-000000000000',
  grpcClientCidrs: ['198.51.100.0/24'],
  buckets: {
    nodeId: 'camunda-prod-node-id-111111111111',
    backup: 'camunda-prod-backup-111111111111',
    lbLogs: 'camunda-prod-lb-logs-111111111111',
  },
  images: {
    // ref: OC variables.tf `image` default (an 8.10 alpha at that commit: pin the stable 8.x release you run)
    orchestration: 'camunda/camunda:8.10.0-alpha3',
    // ref: CON variables.tf `image` default
    connectors: 'camunda/connectors-bundle:8.10.0-alpha3',
    // ref: SR postgres_seed.tf container image of the db-seed task
    dbSeed: 'public.ecr.aws/docker/library/postgres:17-alpine',
  },
  // ref: SR camunda.tf CAMUNDA_SECURITY_INITIALIZATION_USERS_{0,1}_EMAIL
  adminEmail: 'admin@example.com',
  connectorsEmail: 'connectors@example.com',
  // ref: SR variables.tf `db_name` "camunda", `db_seed_iam_usernames` ["camunda"]; SR postgres.tf engine_version 18.4
  database: { name: 'camunda', iamUser: 'camunda', engineVersion: '18.4' },
  logRetentionDays: 365,
};

/** Ports of the orchestration cluster container. ref: OC templates/orchestration-cluster.json.tpl portMappings */
export const PORTS = {
  /** Zeebe gateway gRPC (port mapping name "grpc"). */
  grpc: 26500,
  /** Broker command API (unnamed mapping). */
  command: 26501,
  /** Cluster membership and Raft ("internal-api"). */
  internal: 26502,
  /** Management: actuator health and metrics ("management"). */
  management: 9600,
  /** REST API and web apps ("rest"); also the connectors' HTTP port (ref: CON templates/connectors.json.tpl). */
  rest: 8080,
} as const;

/** Health endpoints. ref: OC lb.tf `health_check.path`, OC template healthCheck; CON lb.tf health_check.path */
export const HEALTH = {
  readiness: '/actuator/health/readiness',
  liveness: '/actuator/health/liveness',
  connectorsReadiness: '/connectors/actuator/health/readiness',
} as const;
