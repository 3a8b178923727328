import { TimescaleHost, TimescaleHostProps } from '../src';
import { inNamedTest, only, synth } from '@tts-ecs/testing';
import { timescaleBase } from './timescale-fixture';

const base = timescaleBase;

describe('TimescaleHost defaults', () => {
  const resources = synth((stack) => {
    new TimescaleHost(stack, 'Tsdb', base);
  });
  const instance = inNamedTest('finds the aws_instance', () => only(resources, 'aws_instance'));
  const volume = inNamedTest('finds the aws_ebs_volume', () => only(resources, 'aws_ebs_volume'));

  it('runs in the private subnet with IMDSv2 only, no public IP and an SSM instance profile', () => {
    expect(instance).toMatchObject({
      subnet_id: 'subnet-a',
      instance_type: 'm7g.large',
      associate_public_ip_address: false,
      metadata_options: { http_tokens: 'required', http_endpoint: 'enabled', http_put_response_hop_limit: 1 },
    });
    expect(instance.key_name).toBeUndefined();
    expect(only(resources, 'aws_iam_role_policy_attachment').policy_arn).toBe(
      'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    );
  });

  it('resolves the AMI from SSM through a launch template and ignores AMI drift', () => {
    expect(only(resources, 'aws_launch_template').image_id).toBe(
      'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
    );
    expect(instance.ami).toBeUndefined();
    expect(instance.lifecycle).toEqual({ ignore_changes: ['ami'] });
  });

  it('encrypts the gp3 root and data volumes with a customer key', () => {
    expect(instance.root_block_device).toMatchObject({ volume_type: 'gp3', encrypted: true, volume_size: 20 });
    expect(volume).toMatchObject({ type: 'gp3', size: 100, encrypted: true, availability_zone: 'eu-west-1a' });
    expect(volume.kms_key_id).toMatch(/aws_kms_key\..*\.arn/);
  });

  it('keeps the data volume on destroy and attaches it', () => {
    expect(volume.lifecycle).toEqual({ prevent_destroy: true, ignore_changes: ['snapshot_id'] });
    expect(only(resources, 'aws_volume_attachment')).toMatchObject({
      device_name: '/dev/sdf',
      stop_instance_before_detaching: true,
    });
  });

  it('admits 5432 from the given group only and allows HTTPS out', () => {
    expect(only(resources, 'aws_vpc_security_group_ingress_rule')).toMatchObject({
      from_port: 5432,
      to_port: 5432,
      referenced_security_group_id: 'sg-0123456789abcdef0',
    });
    expect(only(resources, 'aws_vpc_security_group_ingress_rule').cidr_ipv4).toBeUndefined();
    const egress = Object.values(resources.aws_vpc_security_group_egress_rule ?? {}) as Array<Record<string, unknown>>;
    expect(egress.map((r) => [r.ip_protocol, r.from_port, r.to_port, r.cidr_ipv4]).sort()).toEqual([
      ['tcp', 443, 443, '0.0.0.0/0'],
    ]);
  });

  it('installs nothing without bootstrap', () => {
    expect(instance.user_data).toBeUndefined();
    expect(instance.private_ip).toBeUndefined();
    expect(resources.aws_cloudwatch_metric_alarm).toBeUndefined();
    expect(resources.aws_iam_role_policy).toBeUndefined();
  });
});

describe('TimescaleHost from a snapshot', () => {
  const resources = synth((stack) => {
    new TimescaleHost(stack, 'Tsdb', {
      ...base,
      dataVolumeSizeGiB: undefined,
      snapshotId: 'snap-0123456789abcdef0',
      architecture: 'x86_64',
      instanceType: 'm7i.large',
    });
  });

  it('creates the data volume from the snapshot and uses the x86_64 AMI', () => {
    expect(only(resources, 'aws_ebs_volume')).toMatchObject({ snapshot_id: 'snap-0123456789abcdef0' });
    expect(only(resources, 'aws_ebs_volume').size).toBeUndefined();
    expect(only(resources, 'aws_launch_template').image_id).toMatch(/al2023-ami-kernel-default-x86_64$/);
  });
});

describe('TimescaleHost validation', () => {
  const make = (props: Partial<TimescaleHostProps>) => () =>
    synth((s) => new TimescaleHost(s, 'T', { ...base, ...props }));

  it('requires exactly one of size and snapshot', () => {
    const fix = 'Give exactly one of dataVolumeSizeGiB (new empty volume) and snapshotId (restore).';
    expect(make({ snapshotId: 'snap-1' })).toThrow(`test/T: invalid dataVolumeSizeGiB 100. ${fix}`);
    expect(make({ dataVolumeSizeGiB: undefined })).toThrow(`test/T: invalid dataVolumeSizeGiB undefined. ${fix}`);
  });

  it('rejects an instance type of the other architecture and a zone of another region', () => {
    expect(make({ instanceType: 'm7i.large' })).toThrow(
      'test/T: invalid instanceType "m7i.large". The instance type does not run arm64 AMIs',
    );
    expect(make({ availabilityZone: 'us-east-1a' })).toThrow(
      'test/T: invalid availabilityZone "us-east-1a". Give the zone of subnetId in eu-west-1',
    );
  });
});
