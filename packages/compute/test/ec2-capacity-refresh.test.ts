import { TerraformStack, Testing } from 'cdktf';
import { byPath, env, synth } from '@tts-ecs/testing';
import { Ec2Capacity, Ec2CapacityProps, EcsCluster } from '../src';

const base: Ec2CapacityProps = {
  environment: env,
  clusterName: 'acme',
  instanceType: 'm6i.large',
  vpcId: 'vpc-1',
  subnetIds: ['subnet-a', 'subnet-b'],
};

function capacity(props: Partial<Ec2CapacityProps>) {
  return () => new Ec2Capacity(new TerraformStack(Testing.app(), 'test'), 'Ec2', { ...base, ...props });
}

describe('Ec2Capacity instance refresh and lifetime', () => {
  const r = synth((s) => {
    new Ec2Capacity(s, 'Plain', base);
    new Ec2Capacity(s, 'Tuned', {
      ...base,
      clusterName: 'tuned',
      instanceRefresh: { minHealthyPercentage: 50 },
      maxInstanceLifetimeDays: 14,
    });
    new Ec2Capacity(s, 'Off', { ...base, clusterName: 'off', instanceRefresh: false });
    new EcsCluster(s, 'Cluster', {
      environment: env,
      clusterName: 'viacluster',
      kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/k',
      ec2Capacity: { ...base, maxInstanceLifetimeDays: 30 },
    });
  });
  const group = (path: string) => byPath(r, 'aws_autoscaling_group', path);

  it('rolls instances onto a new launch template, keeping 90 % in service', () => {
    // instanceRefresh @default { minHealthyPercentage: 90 }
    expect(group('Plain/Group').instance_refresh).toEqual({
      strategy: 'Rolling',
      preferences: { min_healthy_percentage: 90, scale_in_protected_instances: 'Refresh', skip_matching: true },
    });
  });

  it('starts the refresh from launch template changes only: the group follows the latest template version', () => {
    expect(group('Plain/Group').instance_refresh).not.toHaveProperty('triggers');
    expect(group('Plain/Group').launch_template).toEqual({
      id: expect.stringMatching(/^\$\{aws_launch_template\.Plain_LaunchTemplate_\w+\.id\}$/),
      version: expect.stringMatching(/^\$\{aws_launch_template\.Plain_LaunchTemplate_\w+\.latest_version\}$/),
    });
  });

  it('replaces scale-in protected instances instead of waiting for them', () => {
    // ECS managed termination protection protects every busy instance; "Wait" would fail the refresh.
    expect(group('Plain/Group').protect_from_scale_in).toBe(true);
    expect(group('Plain/Group').instance_refresh).toMatchObject({
      preferences: { scale_in_protected_instances: 'Refresh' },
    });
  });

  it('keeps instances without a lifetime limit', () => {
    // maxInstanceLifetimeDays @default none
    expect(group('Plain/Group')).not.toHaveProperty('max_instance_lifetime');
  });

  it('takes a custom healthy percentage and converts the lifetime to seconds', () => {
    expect(group('Tuned/Group').instance_refresh).toMatchObject({ preferences: { min_healthy_percentage: 50 } });
    expect(group('Tuned/Group').max_instance_lifetime).toBe(14 * 86400);
  });

  it('can turn the refresh off', () => {
    expect(group('Off/Group')).not.toHaveProperty('instance_refresh');
  });

  it('passes both options through EcsCluster ec2Capacity', () => {
    expect(group('Cluster/Ec2/Group').max_instance_lifetime).toBe(30 * 86400);
    expect(group('Cluster/Ec2/Group').instance_refresh).toMatchObject({ strategy: 'Rolling' });
  });
});

describe('Ec2Capacity rejects', () => {
  it.each([0, 366, 1.5])('maxInstanceLifetimeDays %p (AWS takes 1 to 365 days)', (days) => {
    expect(capacity({ maxInstanceLifetimeDays: days })).toThrow(
      `test/Ec2: invalid maxInstanceLifetimeDays ${days}. Use a whole number from 1 to 365.`,
    );
  });

  it('a healthy percentage above 100', () => {
    expect(capacity({ instanceRefresh: { minHealthyPercentage: 101 } })).toThrow(
      'test/Ec2: invalid instanceRefresh.minHealthyPercentage 101. Use a whole number from 0 to 100.',
    );
  });
});
