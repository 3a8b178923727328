import { Port, Peer, ConnectableSecurityGroup } from '../src';
import { awsStack, describeWithTerraform, expectVerified, verifyOffline } from '@tts-ecs/testing';
import { VerifyResult } from '@tts-ecs/terraform';

describeWithTerraform('ConnectableSecurityGroup against the AWS provider', () => {
  let result: VerifyResult;
  beforeAll(async () => {
    result = await verifyOffline((app) => {
      const stack = awsStack(app, 'connections');
      const web = new ConnectableSecurityGroup(stack, 'Web', { vpcId: 'vpc-1', name: 'web', description: 'web' });
      const db = new ConnectableSecurityGroup(stack, 'Db', {
        vpcId: 'vpc-1',
        name: 'db',
        description: 'db',
        defaultPort: Port.tcp(5432),
      });
      web.connections.allowFrom(Peer.anyIpv4(), Port.tcp(443));
      web.connections.allowFrom(Peer.prefixList('pl-3b927c52', 'cloudfront'), Port.tcp(443));
      web.connections.allowToDefaultPort(db);
    });
  }, 300_000);

  it('validates and plans', () => expectVerified(result));
});
