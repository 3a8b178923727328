import { TerraformStack, Testing } from 'cdktf';
import { byPath, env, inNamedTest, only, synth } from '@tts-ecs/testing';
import {
  ContainerService,
  EcrRepository,
  EcsCluster,
  GithubDeployRole,
  GithubDeployRoleProps,
  GithubOidcProvider,
  IDeployableService,
} from '../src';

type Json = Record<string, unknown>;
type Statement = { Sid?: string; Action: string | string[]; Resource: string | string[]; Condition?: Json };

const PROVIDER = 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com';
const service: IDeployableService = {
  serviceArn: 'arn:aws:ecs:eu-west-1:111111111111:service/acme/api',
  clusterArn: 'arn:aws:ecs:eu-west-1:111111111111:cluster/acme',
  taskDefinitionFamily: 'acme-api',
  executionRoleArn: 'arn:aws:iam::111111111111:role/acme-api-exec',
  taskRoleArn: 'arn:aws:iam::111111111111:role/acme-api-task',
};
const base: GithubDeployRoleProps = {
  providerArn: PROVIDER,
  repository: 'acme/platform',
  branch: 'main',
  roleName: 'acme-deploy',
};
const trustOf = (role: Json) => JSON.parse(role.assume_role_policy as string).Statement;
const statementsOf = (policy: Json): Statement[] => JSON.parse(policy.policy as string).Statement;

function role(props: Partial<GithubDeployRoleProps>) {
  return () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    return new GithubDeployRole(stack, 'Deploy', { ...base, ...props });
  };
}

describe('GithubOidcProvider', () => {
  const r = synth((s) => new GithubOidcProvider(s, 'Github', {}));

  it('trusts the GitHub Actions issuer for STS, without thumbprints or tags', () => {
    const provider = only(r, 'aws_iam_openid_connect_provider');
    expect(provider.url).toBe('https://token.actions.githubusercontent.com');
    expect(provider.client_id_list).toEqual(['sts.amazonaws.com']);
    expect(provider).not.toHaveProperty('thumbprint_list');
    // tags @default none
    expect(provider).not.toHaveProperty('tags');
  });

  it('refers to an existing provider by ARN or by account, without lookups', () => {
    expect(GithubOidcProvider.fromArn(PROVIDER).arn).toBe(PROVIDER);
    expect(GithubOidcProvider.fromAccount(env).arn).toBe(PROVIDER);
    expect(GithubOidcProvider.fromAccount({ accountId: '111111111111', region: 'cn-north-1' }).arn).toBe(
      'arn:aws-cn:iam::111111111111:oidc-provider/token.actions.githubusercontent.com',
    );
  });
});

describe('GithubDeployRole', () => {
  const r = synth((s) => {
    const main = new GithubDeployRole(s, 'Main', base);
    const repository = new EcrRepository(s, 'Repo', { environment: env, name: 'acme/api', kmsKeyArn: 'k' });
    main.grantPush(repository);
    main.grantDeploy(service);
    main.grantDeploy({ ...service, serviceArn: `${service.serviceArn}-worker`, taskDefinitionFamily: 'acme-worker' });
    new GithubDeployRole(s, 'Prod', {
      providerArn: PROVIDER,
      repository: 'acme/platform',
      environment: 'production',
      roleName: 'acme-prod-deploy',
      maxSessionDuration: 7200,
    });
  });
  const main = inNamedTest('finds the main role', () => byPath(r, 'aws_iam_role', 'Main/Role'));
  const prod = inNamedTest('finds the prod role', () => byPath(r, 'aws_iam_role', 'Prod/Role'));
  const statements = inNamedTest('reads the main policy', () =>
    statementsOf(byPath(r, 'aws_iam_role_policy', 'Main/Policy')),
  );
  const sid = (id: string) => statements.find((s) => s.Sid === id);

  it('trusts one repository and branch, matching aud and sub exactly', () => {
    expect(trustOf(main)).toEqual([
      {
        Effect: 'Allow',
        Principal: { Federated: PROVIDER },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': 'repo:acme/platform:ref:refs/heads/main',
          },
        },
      },
    ]);
    expect(main.name).toBe('acme-deploy');
  });

  it('trusts a GitHub environment when given one', () => {
    expect(trustOf(prod)[0].Condition.StringEquals['token.actions.githubusercontent.com:sub']).toBe(
      'repo:acme/platform:environment:production',
    );
    expect(prod.max_session_duration).toBe(7200);
  });

  it('limits sessions to one hour', () => {
    // maxSessionDuration @default 3600
    expect(main.max_session_duration).toBe(3600);
  });

  it('has no permissions until granted', () => {
    expect(Object.keys(r.aws_iam_role_policy)).toEqual([expect.stringMatching(/^Main_Policy_/)]);
  });

  it('may log in to ECR and push to the granted repository only', () => {
    expect(sid('EcrLogin')).toEqual({
      Effect: 'Allow',
      Sid: 'EcrLogin',
      Action: 'ecr:GetAuthorizationToken',
      Resource: '*',
    });
    expect(sid('EcrPushtestRepo')).toMatchObject({
      Resource: expect.stringMatching(/^\$\{aws_ecr_repository\.Repo_Repository_\w+\.arn\}$/),
    });
    expect(sid('EcrPushtestRepo')!.Action).toEqual(expect.arrayContaining(['ecr:PutImage', 'ecr:UploadLayerPart']));
    expect(statements.filter((s) => s.Sid === 'EcrLogin')).toHaveLength(1);
    const repoPolicy = JSON.parse(only(r, 'aws_ecr_repository_policy').policy as string);
    expect(repoPolicy.Statement[0].Principal).toEqual({
      AWS: expect.stringMatching(/aws_iam_role\.Main_Role_.*\.arn/),
    });
  });

  it('registers task definitions on "*" (no resource-level permission) once for all services', () => {
    expect(statements.filter((s) => s.Sid === 'RegisterTaskDefinitions')).toEqual([
      {
        Effect: 'Allow',
        Sid: 'RegisterTaskDefinitions',
        Action: ['ecs:RegisterTaskDefinition', 'ecs:DescribeTaskDefinition'],
        Resource: '*',
      },
    ]);
  });

  it('tags only revisions of the family it registers', () => {
    expect(sid('TagTaskDefinition1')).toEqual({
      Effect: 'Allow',
      Sid: 'TagTaskDefinition1',
      Action: 'ecs:TagResource',
      Resource: 'arn:aws:ecs:eu-west-1:111111111111:task-definition/acme-api:*',
      Condition: { StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } },
    });
    expect(sid('TagTaskDefinition2')!.Resource).toBe(
      'arn:aws:ecs:eu-west-1:111111111111:task-definition/acme-worker:*',
    );
  });

  it('updates and describes only the granted service in its cluster', () => {
    expect(sid('DeployService1')).toEqual({
      Effect: 'Allow',
      Sid: 'DeployService1',
      Action: ['ecs:UpdateService', 'ecs:DescribeServices'],
      Resource: service.serviceArn,
      Condition: { ArnEquals: { 'ecs:cluster': service.clusterArn } },
    });
    expect(sid('DeployService2')!.Resource).toBe(`${service.serviceArn}-worker`);
  });

  it('passes exactly the two task roles, only to ECS tasks', () => {
    expect(sid('PassTaskRoles1')).toEqual({
      Effect: 'Allow',
      Sid: 'PassTaskRoles1',
      Action: 'iam:PassRole',
      Resource: [service.executionRoleArn, service.taskRoleArn],
      Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    });
  });

  it('never grants "*" beyond ECR login and task definition registration', () => {
    const star = statements.filter((s) => s.Resource === '*').map((s) => s.Sid);
    expect(star).toEqual(['EcrLogin', 'RegisterTaskDefinitions']);
  });
});

describe('GithubDeployRole rejects', () => {
  it.each(['acme/*', '*/platform', 'acme/plat?orm', 'acme', 'acme/platform/x'])('the repository %p', (repository) => {
    expect(role({ repository })).toThrow(`test/Deploy: invalid repository ${JSON.stringify(repository)}`);
  });

  it('neither branch nor environment', () => {
    expect(role({ branch: undefined })).toThrow(/test\/Deploy: invalid branch\/environment \{\}\. Give exactly one/);
  });

  it('both branch and environment', () => {
    expect(role({ environment: 'production' })).toThrow(
      /test\/Deploy: invalid branch\/environment \{"branch":"main","environment":"production"\}/,
    );
  });

  it.each(['*', 'release/*', 'ma?n', 'a..b', 'has space'])('the branch %p', (branch) => {
    expect(role({ branch })).toThrow(`test/Deploy: invalid branch ${JSON.stringify(branch)}`);
  });

  it.each(['prod*', 'pro?', 'two words'])('the environment %p', (environment) => {
    expect(role({ branch: undefined, environment })).toThrow(
      `test/Deploy: invalid environment ${JSON.stringify(environment)}`,
    );
  });

  it('a provider ARN that is not the GitHub OIDC provider', () => {
    const providerArn = 'arn:aws:iam::111111111111:oidc-provider/gitlab.com';
    expect(role({ providerArn })).toThrow(`test/Deploy: invalid providerArn "${providerArn}"`);
  });

  it('maxSessionDuration outside 3600-43200', () => {
    expect(role({ maxSessionDuration: 900 })).toThrow(
      /test\/Deploy: invalid maxSessionDuration 900\. Use a whole number from 3600 to 43200/,
    );
  });

  it('an invalid role name', () => {
    expect(role({ roleName: 'has space' })).toThrow(/test\/Deploy: invalid roleName "has space"/);
  });
});

describe('GithubDeployRole.grantDeploy with a ContainerService', () => {
  const r = synth((s) => {
    const cluster = new EcsCluster(s, 'Cluster', { environment: env, clusterName: 'acme', kmsKeyArn: 'k' });
    const api = new ContainerService(s, 'Api', {
      environment: env,
      cluster,
      family: 'acme-api',
      vpcId: 'vpc-1',
      subnetIds: ['subnet-a', 'subnet-b'],
      logKmsKeyArn: 'k',
      containers: [{ name: 'api', image: '111111111111.dkr.ecr.eu-west-1.amazonaws.com/acme/api:1' }],
    });
    expect(api.clusterArn).toBe(cluster.clusterArn);
    new GithubDeployRole(s, 'Deploy', base).grantDeploy(api);
  });

  it('limits UpdateService to the service in the cluster it runs in (ContainerService.clusterArn)', () => {
    // The policy holds Terraform expressions with quotes (split(":", ...)), so it is matched as text, not parsed.
    const policy = byPath(r, 'aws_iam_role_policy', 'Deploy/Policy').policy as string;
    expect(policy).toMatch(
      /"Sid":"DeployService1","Action":\["ecs:UpdateService","ecs:DescribeServices"\],"Resource":"\$\{aws_ecs_service\.Api_Service_\w+\.id\}","Condition":\{"ArnEquals":\{"ecs:cluster":"\$\{aws_ecs_cluster\.Cluster_\w+\.arn\}"\}\}/,
    );
  });
});
