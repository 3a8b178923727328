import { TerraformOutput } from 'cdktf';
import { ConnectableSecurityGroup, Peer } from '@tts-ecs/core';
import { awsStack, describeWithTerraform, env, expectVerified, verifyOffline } from '@tts-ecs/testing';
import { VerifyResult } from '@tts-ecs/terraform';
import { PostgresInstance } from '../src';

// A PostgresInstance with its defaults (new key, monitoring role, log groups) next to one with IAM authentication,
// a given key and monitoring off, wired to an application security group, through `terraform validate` and an
// offline plan against the real AWS provider.
describeWithTerraform('PostgresInstance against the AWS provider', () => {
  let result: VerifyResult;
  beforeAll(async () => {
    result = await verifyOffline((app) => {
      const stack = awsStack(app, 'postgres-instance');
      const vpcId = 'vpc-0123456789abcdef0';
      const subnetIds = ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'];
      const service = new ConnectableSecurityGroup(stack, 'Service', { vpcId, name: 'app', description: 'app' });
      const db = new PostgresInstance(stack, 'Db', {
        environment: env,
        identifier: 'acme-prod-db',
        vpcId,
        subnetIds,
        databaseName: 'app',
      });
      db.allowFrom(service);
      db.allowFrom(Peer.securityGroupId('sg-0123456789abcdef0', 'bastion'));
      const reporting = new PostgresInstance(stack, 'Reporting', {
        environment: env,
        identifier: 'acme-prod-reporting',
        vpcId,
        subnetIds,
        databaseName: 'reporting',
        kmsKeyArn: `arn:aws:kms:${env.region}:${env.accountId}:key/0123abcd-0123-4567-89ab-0123456789ab`,
        iamDatabaseAuthentication: true,
        multiAz: false,
        monitoringInterval: 0,
        engineVersion: '17.4',
        preventDestroy: false,
        deletionProtection: false,
      });
      service.connections.allowToDefaultPort(reporting);
      reporting.grantConnect('app-task', 'app');
      new TerraformOutput(stack, 'endpoint', { value: db.endpoint });
      new TerraformOutput(stack, 'secret', { value: db.masterUserSecretArn });
    });
  }, 300_000);

  it('validates and plans', () => expectVerified(result));
});
