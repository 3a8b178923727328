// Images from a private registry outside ECR: ECS pulls with credentials from Secrets Manager, read by the
// execution role (never the task role), and the container definition carries only the secret's ARN.
import { Testing, TerraformStack } from 'cdktf';
import { ContainerProps, TaskDefinition, TaskDefinitionProps } from '../src';

const env = { accountId: '111111111111', region: 'eu-west-1' };
const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/k';
const CREDENTIALS = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:ghcr-pull-AbCdEf';
const app: ContainerProps = {
  name: 'app',
  image: 'ghcr.io/acme/app:1.2.3',
  repositoryCredentialsSecretArn: CREDENTIALS,
};
const base: TaskDefinitionProps = { environment: env, family: 'f', logKmsKeyArn: KEY, containers: [app] };

function synthTd(props: Partial<TaskDefinitionProps>) {
  const stack = new TerraformStack(Testing.app(), 'test');
  new TaskDefinition(stack, 'Td', { ...base, ...props });
  const resources = JSON.parse(Testing.synth(stack)).resource;
  const td = Object.values(resources.aws_ecs_task_definition)[0] as { container_definitions: string };
  const policies = Object.values(resources.aws_iam_role_policy) as { name: string; policy: string }[];
  const policy = (name: string) => JSON.parse(policies.find((p) => p.name === name)?.policy ?? '{"Statement":[]}');
  return { containers: JSON.parse(td.container_definitions), execution: policy('execution') };
}

describe('repositoryCredentialsSecretArn', () => {
  it('puts the secret ARN in the container definition and lets only the execution role read it', () => {
    const { containers, execution } = synthTd({});
    expect(containers[0].repositoryCredentials).toEqual({ credentialsParameter: CREDENTIALS });
    const read = execution.Statement.find((s: { Sid: string }) => s.Sid === 'ReadSecrets');
    expect(read.Resource).toEqual([CREDENTIALS]);
  });

  it('has no credentials by default', () => {
    // repositoryCredentialsSecretArn @default none
    const { containers, execution } = synthTd({ containers: [{ name: 'app', image: 'nginx:1.27' }] });
    expect(containers[0]).not.toHaveProperty('repositoryCredentials');
    expect(execution.Statement.map((s: { Sid: string }) => s.Sid)).not.toContain('ReadSecrets');
  });

  it('rejects anything but a Secrets Manager secret ARN', () => {
    expect(() => synthTd({ containers: [{ ...app, repositoryCredentialsSecretArn: 'ghcr-pull' }] })).toThrow(
      /test\/Td.*invalid containers\[0\]\.repositoryCredentialsSecretArn "ghcr-pull"\. Give the ARN of a Secrets Manager secret/,
    );
  });
});
