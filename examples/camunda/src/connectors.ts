import { Construct } from 'constructs';
import { Port } from '@tts-ecs/core';
import { ContainerSecret, ContainerService } from '@tts-ecs/compute';
import { CamundaConfig, HEALTH, PORTS } from './config';
import { Foundation } from './foundation';
import { Orchestration, SERVICE_CONNECT } from './orchestration';

const CONTAINER = 'connectors';

/**
 * Camunda Connectors as a Fargate service (ref: CON ecs.tf): a Service Connect client of the orchestration cluster
 * (REST 8080, gRPC 26500), logging in as the `connectors` user, served by the ALB under /connectors.
 */
export class Connectors extends Construct {
  readonly service: ContainerService;

  constructor(
    scope: Construct,
    id: string,
    config: CamundaConfig,
    base: Foundation,
    orchestration: Orchestration,
    targetGroupArn: string,
  ) {
    super(scope, id);
    const { environment, network } = base;
    this.service = new ContainerService(this, 'Service', {
      environment,
      cluster: base.cluster,
      family: `${config.prefix}-connectors`,
      vpcId: network.vpcId,
      subnetIds: network.privateSubnetIds,
      // ref: CON variables.tf task_cpu 2048, task_memory 4096, task_desired_count 1, grace period 300 s
      cpu: 2048,
      memory: 4096,
      desiredCount: 1,
      healthCheckGracePeriodSeconds: 300,
      waitForSteadyState: false,
      logKmsKeyArn: base.logsKey.arn,
      logRetentionInDays: config.logRetentionDays,
      secretsKmsKeyArns: [base.secretsKey.arn],
      loadBalancers: [{ targetGroupArn, containerName: CONTAINER, containerPort: PORTS.rest }],
      // A client only: it publishes nothing (ref: CON ecs.tf service_connect_configuration without services).
      serviceConnect: { namespaceArn: base.serviceConnectNamespaceArn },
      containers: [
        {
          name: CONTAINER,
          image: config.images.connectors,
          runAsImageUser: true,
          readonlyRootFilesystem: false,
          portMappings: [{ containerPort: PORTS.rest, name: 'http' }],
          // ref: CON ecs.tf SERVER_SERVLET_CONTEXT_PATH; SR camunda.tf module "connectors" environment_variables
          environment: {
            SERVER_SERVLET_CONTEXT_PATH: '/connectors',
            CAMUNDA_CLIENT_MODE: 'self-managed',
            CAMUNDA_CLIENT_RESTADDRESS: `http://${SERVICE_CONNECT.rest}:${PORTS.rest}`,
            CAMUNDA_CLIENT_GRPCADDRESS: `http://${SERVICE_CONNECT.grpc}:${PORTS.grpc}`,
            CAMUNDA_CLIENT_AUTH_METHOD: 'basic',
            CAMUNDA_CLIENT_AUTH_USERNAME: 'connectors',
          },
          secrets: {
            CAMUNDA_CLIENT_AUTH_PASSWORD: ContainerSecret.fromSecretsManager(orchestration.connectorsPassword.arn),
          },
          // ref: CON templates/connectors.json.tpl healthCheck
          healthCheck: {
            command: ['CMD-SHELL', `wget -qO- http://localhost:${PORTS.rest}${HEALTH.connectorsReadiness} || exit 1`],
            intervalSeconds: 30,
            timeoutSeconds: 5,
            retries: 3,
            startPeriodSeconds: 120,
          },
          stopTimeoutSeconds: 30,
        },
      ],
    });

    // Through Service Connect the proxy reaches the brokers' task addresses on the container ports.
    const oc = orchestration.service;
    this.service.connections.allowTo(oc, Port.tcp(PORTS.rest), 'Connectors to the REST API');
    this.service.connections.allowTo(oc, Port.tcp(PORTS.grpc), 'Connectors to the gateway gRPC');
  }
}
