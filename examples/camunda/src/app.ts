import { App, S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Port } from '@tts-ecs/core';
import { CamundaConfig, config as defaultConfig, PORTS, REFERENCE_COMMIT } from './config';
import { Connectors } from './connectors';
import { Database } from './database';
import { Foundation } from './foundation';
import { Ingress } from './ingress';
import { Orchestration } from './orchestration';

/** The one stack: fewer stacks verify faster, and ephemeral passwords stay in the stack that uses them. */
export const STACK = 'camunda';

export function buildApp(outdir: string, config: CamundaConfig = defaultConfig): App {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, STACK);
  new AwsProvider(stack, 'aws', {
    region: config.region,
    allowedAccountIds: [config.accountId],
    defaultTags: [
      {
        tags: {
          Project: config.prefix,
          ManagedBy: 'terraform',
          Reference: `camunda-deployment-references@${REFERENCE_COMMIT.slice(0, 12)}`,
        },
      },
    ],
  });
  new S3Backend(stack, {
    bucket: config.stateBucket,
    key: `${config.prefix}/${STACK}.tfstate`,
    region: config.region,
    encrypt: true,
  });

  const base = new Foundation(stack, 'Foundation', config);
  const ingress = new Ingress(stack, 'Ingress', config, base);
  const database = new Database(stack, 'Database', config, base);
  const orchestration = new Orchestration(stack, 'Orchestration', {
    config,
    base,
    database,
    targetGroupArns: { rest: ingress.restTargets.arn, grpc: ingress.grpcTargets.arn },
  });
  const connectors = new Connectors(stack, 'Connectors', config, base, orchestration, ingress.connectorsTargets.arn);

  // Load balancers reach the tasks on the traffic ports and the management port (health checks) only.
  const oc = orchestration.service;
  ingress.alb.allowToTargets(oc, Port.tcp(PORTS.rest), 'Web apps and REST API');
  ingress.alb.allowToTargets(oc, Port.tcp(PORTS.management), 'Readiness checks');
  ingress.alb.allowToTargets(connectors.service, Port.tcp(PORTS.rest), 'Connectors');
  oc.connections.allowFrom(ingress.nlb, Port.tcp(PORTS.grpc), 'Zeebe gRPC from the NLB');
  oc.connections.allowFrom(ingress.nlb, Port.tcp(PORTS.management), 'Readiness checks from the NLB');

  const output = (id: string, value: string, description: string) =>
    new TerraformOutput(stack, id, { staticId: true, value, description });
  output('web_url', `https://${config.webDomain}`, 'Web apps (Operate, Tasklist, Admin) and REST API (/v2)');
  output('grpc_address', `${config.grpcDomain}:${PORTS.grpc}`, 'Zeebe gateway gRPC (TLS)');
  output('admin_password_secret_arn', orchestration.adminPassword.arn, 'Password of the initial admin user');
  output(
    'force_new_deployment_command',
    [oc, connectors.service]
      .map(
        (s) =>
          `aws ecs update-service --region ${config.region} --cluster ${base.cluster.clusterName} --service ${s.serviceName} --force-new-deployment`,
      )
      .join(' && '),
    'Run after the db-seed task: restarts both services now that the database user exists.',
  );
  return app;
}
