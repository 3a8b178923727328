import { EcrRepository, Ec2Capacity, GithubDeployRole, GithubOidcProvider } from '../src';
import { awsStack, describeWithTerraform, env, expectVerified, verifyOffline } from '@tts-ecs/testing';
import { VerifyResult } from '@tts-ecs/terraform';

// CI access end to end: an image repository, the account's GitHub OIDC provider, a deploy role that may push there
// and roll out one service, plus EC2 capacity with instance refresh, against the real AWS provider schema.
describeWithTerraform('CI access (ECR, GitHub OIDC, deploy role, instance refresh) against the AWS provider', () => {
  let result: VerifyResult;
  beforeAll(async () => {
    result = await verifyOffline((app) => {
      const stack = awsStack(app, 'ci-access');
      const repository = new EcrRepository(stack, 'Repo', { environment: env, name: 'acme/api' });
      repository.grantPull(`arn:aws:iam::${env.accountId}:role/acme-api-exec`);
      const github = new GithubOidcProvider(stack, 'Github', { tags: { Purpose: 'ci' } });
      const deploy = new GithubDeployRole(stack, 'Deploy', {
        providerArn: github.arn,
        repository: 'acme/platform',
        environment: 'production',
        roleName: 'acme-prod-deploy',
      });
      deploy.grantPush(repository);
      deploy.grantDeploy({
        serviceArn: `arn:aws:ecs:${env.region}:${env.accountId}:service/acme/api`,
        clusterArn: `arn:aws:ecs:${env.region}:${env.accountId}:cluster/acme`,
        taskDefinitionFamily: 'acme-api',
        executionRoleArn: `arn:aws:iam::${env.accountId}:role/acme-api-exec`,
        taskRoleArn: `arn:aws:iam::${env.accountId}:role/acme-api-task`,
      });
      new Ec2Capacity(stack, 'Ec2', {
        environment: env,
        clusterName: 'acme',
        instanceType: 'm7g.large',
        vpcId: 'vpc-1',
        subnetIds: ['subnet-a', 'subnet-b'],
        maxInstanceLifetimeDays: 30,
      });
    });
  }, 300_000);

  it('validates and plans', () => expectVerified(result));
});
