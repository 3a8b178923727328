import { Construct } from 'constructs';
import { Fn, TerraformOutput } from 'cdktf';
import { ContainerSecret, EcsCluster, TaskDefinition, WorkloadSecurityGroup } from '@tts-ecs/compute';
import { ClusterConfig, DeploymentConfig } from '@tts-ecs/config';
import { AwsEnvironment } from '@tts-ecs/core';
import { binaryOf } from '@tts-ecs/tts-catalog';
import type { ComputeLayerInputs } from './inputs';
import { TtsContainerConfig, consoleClientIdOf } from './tts-env';

export interface OpsTaskProps {
  readonly config: DeploymentConfig;
  readonly cluster: ClusterConfig;
  readonly environment: AwsEnvironment;
  readonly resourcePrefix: string;
  readonly domain: string;
  readonly image: string;
  readonly ecsCluster: EcsCluster;
  readonly inputs: ComputeLayerInputs;
  readonly logKmsKeyArn: string;
  readonly secretsKmsKeyArns: string[];
  /** Database, Redis and tenancy configuration of the Identity Server (primary) or the common keys (secondary). */
  readonly tts: TtsContainerConfig;
}

/** Name of the ops container; run-task overrides address it. */
export const OPS_CONTAINER = 'ops';

/**
 * The ops task definition (official template 5-2): the TTS image with the Identity Server's database and Redis
 * configuration, started by hand with `aws ecs run-task` for `is-db migrate`, `create-tenant` (Enterprise),
 * `create-admin-user`, `create-oauth-client` (Console and CLI), `ns-db migrate` and `as-db migrate`. Commands run
 * through `sh -c` so secrets from ECS (e.g. the Console client secret) are expanded inside the task and never appear
 * in the run-task call. The `ops_commands` output holds the exact commands, `ops_first_run_order` their order.
 */
export class OpsTask extends Construct {
  readonly taskDefinition: TaskDefinition;
  readonly securityGroupId: string;
  /** Shell command (as given to `sh -c`) per operation. */
  readonly operations: Record<string, string>;

  constructor(scope: Construct, id: string, props: OpsTaskProps) {
    super(scope, id);
    const bin = binaryOf(props.config.tts.edition);
    const primary = props.cluster.role === 'primary';
    this.operations = primary
      ? identityServerOperations(props)
      : { nsDbMigrate: `exec ${bin} ns-db migrate`, asDbMigrate: `exec ${bin} as-db migrate` };

    const { secrets, environment, flags } = props.tts;
    // Ops commands are shell strings of their own; an empty setting would need a flag on each of them.
    if (flags.length > 0) throw new Error(`The ops task cannot take empty settings (${flags.join(' ')}).`);
    const opsSecrets = { ...secrets };
    if (primary) {
      // create-oauth-client reads the Console secret from the environment, never from the command line.
      const console = props.inputs.secrets.consoleOAuthClientSecretArn;
      Object.assign(opsSecrets, secretEnv('TTN_LW_CONSOLE_OAUTH_CLIENT_SECRET', console, secrets));
    }
    this.taskDefinition = new TaskDefinition(this, 'Task', {
      environment: props.environment,
      family: `${props.resourcePrefix}-ops`,
      cpu: 512,
      memory: 1024,
      logKmsKeyArn: props.logKmsKeyArn,
      secretsKmsKeyArns: props.secretsKmsKeyArns,
      containers: [
        {
          name: OPS_CONTAINER,
          image: props.image,
          entryPoint: ['/bin/sh', '-c'],
          command: [primary ? this.operations.migrate : `${bin} ns-db migrate && exec ${bin} as-db migrate`],
          environment,
          secrets: opsSecrets,
          allowedSecretLookingEnvironment: props.tts.catalogPlain,
          runAsImageUser: true,
          writablePaths: ['/tmp'],
        },
      ],
    });

    const sg = new WorkloadSecurityGroup(this, 'SecurityGroup', {
      vpcId: props.inputs.network.vpcId,
      namePrefix: `${props.resourcePrefix}-ops`,
      description: `TTS ops task of ${props.resourcePrefix} (outbound only)`,
    });
    this.securityGroupId = sg.securityGroupId;

    const network =
      `awsvpcConfiguration={subnets=[${Fn.join(',', props.inputs.network.privateSubnetIds)}],` +
      `securityGroups=[${sg.securityGroupId},${props.inputs.network.tasksSecurityGroupId}],assignPublicIp=DISABLED}`;
    const base =
      `aws ecs run-task --region ${props.cluster.region} --cluster ${props.ecsCluster.clusterName} ` +
      `--task-definition ${this.taskDefinition.family} --launch-type FARGATE --network-configuration "${network}"`;
    const commands: Record<string, string> = {};
    for (const [name, op] of Object.entries(this.operations)) {
      const extraEnv =
        name === 'createAdminUser'
          ? ',"environment":[{"name":"ADMIN_EMAIL","value":"<email>"},{"name":"ADMIN_PASSWORD","value":"<password>"}]'
          : '';
      const override = JSON.stringify({ containerOverrides: [{ name: OPS_CONTAINER, command: [op] }] }).replace(
        /}]}$/,
        `${extraEnv}}]}`,
      );
      commands[name] = `${base} --overrides '${override}'`;
    }
    // A stable name operators can type: `terraform output -json ops_commands`.
    new TerraformOutput(this, 'commands', {
      value: commands,
      description: 'aws ecs run-task commands of the ops task (see docs/layers-compute.md)',
    }).overrideLogicalId('ops_commands');
    new TerraformOutput(this, 'first_run_order', {
      value: Object.keys(this.operations),
      description: 'The order to run ops_commands in on a new deployment (docs/layers-compute.md, first run)',
    }).overrideLogicalId('ops_first_run_order');
  }
}

/**
 * The Identity Server's operations in first-run order (ECS database operations guide, Enterprise Docker guide):
 * migrate, create the tenant (Enterprise; it needs one even single-tenant), the admin user, then the Console and CLI
 * OAuth clients. Enterprise commands name the tenant: single-tenant `--tenant-id <default>` with `--owner admin`;
 * multi-tenant clients for every tenant (`--tenant-id NULL`, no owner: owners exist per tenant).
 */
function identityServerOperations(props: OpsTaskProps): Record<string, string> {
  const { config, cluster, domain } = props;
  const bin = `exec ${binaryOf(config.tts.edition)} is-db`;
  const enterprise = config.tts.edition === 'enterprise';
  const tenant = config.tts.defaultTenantId;
  const userTenant = enterprise ? ` --tenant-id ${tenant}` : '';
  const clientTenant = !enterprise
    ? ' --owner admin'
    : config.multiTenant
      ? ' --tenant-id NULL'
      : ` --tenant-id ${tenant} --owner admin`;
  const https = (path: string) => `https://${domain}${path}`;
  return {
    migrate: `${bin} migrate`,
    ...(enterprise ? { createTenant: `${bin} create-tenant --id ${tenant} --name ${tenant}` } : {}),
    createAdminUser: `${bin} create-admin-user${userTenant} --id admin --email "$ADMIN_EMAIL" --password "$ADMIN_PASSWORD"`,
    createConsoleClient:
      `${bin} create-oauth-client${clientTenant} --id ${consoleClientIdOf(cluster)} --name Console ` +
      `--secret "$TTN_LW_CONSOLE_OAUTH_CLIENT_SECRET" ` +
      `--redirect-uri ${https('/console/oauth/callback')} --redirect-uri /console/oauth/callback ` +
      `--logout-redirect-uri ${https('/console')} --logout-redirect-uri /console`,
    createCliClient:
      `${bin} create-oauth-client${clientTenant} --id cli --name "Command Line Interface" --no-secret ` +
      '--redirect-uri local-callback --redirect-uri code',
    nsDbMigrate: `exec ${binaryOf(config.tts.edition)} ns-db migrate`,
    asDbMigrate: `exec ${binaryOf(config.tts.edition)} as-db migrate`,
  };
}

function secretEnv(name: string, arn: string, existing: TtsContainerConfig['secrets']): TtsContainerConfig['secrets'] {
  return existing[name] ? {} : { [name]: ContainerSecret.fromSecretsManager(arn) };
}
