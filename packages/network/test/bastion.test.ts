import { Bastion, BastionProps, isArmInstanceType } from '../src';
import { all, env, inNamedTest, synth } from '@tts-ecs/testing';

const base: BastionProps = {
  name: 'acme-prod-eu1',
  environment: env,
  vpcId: 'vpc-1',
  vpcCidr: '10.0.0.0/16',
  subnetId: 'subnet-pub',
};

describe('Bastion with defaults', () => {
  const r = synth((s) => new Bastion(s, 'Bastion', base));
  const template = inNamedTest('finds the launch template', () => all(r, 'aws_launch_template')[0]);

  it('requires IMDSv2 with a hop limit of 1', () => {
    expect(template.metadata_options).toMatchObject({
      http_endpoint: 'enabled',
      http_tokens: 'required',
      http_put_response_hop_limit: 1,
    });
  });

  it('boots Amazon Linux 2023 for its architecture, resolved from SSM at launch', () => {
    expect(template).toMatchObject({
      image_id: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
      instance_type: 't4g.nano',
    });
    const instance = all(r, 'aws_instance')[0];
    expect(instance.ami).toBeUndefined(); // an ami here would force a replacement on every plan
    expect(instance.launch_template).toMatchObject({ id: expect.stringMatching(/aws_launch_template\./) });
  });

  it('encrypts a gp3 root volume', () => {
    expect((template.block_device_mappings as Record<string, unknown>[])[0]).toMatchObject({
      device_name: '/dev/xvda',
      ebs: { volume_type: 'gp3', encrypted: 'true', volume_size: 8 },
    });
  });

  it('gets Session Manager through AmazonSSMManagedInstanceCore', () => {
    expect(all(r, 'aws_iam_role_policy_attachment')[0].policy_arn).toBe(
      'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    );
    expect(template.iam_instance_profile).toMatchObject({ arn: expect.stringMatching(/aws_iam_instance_profile\./) });
  });

  it('opens no port and leaves only HTTPS and the VPC as egress', () => {
    expect(r.aws_vpc_security_group_ingress_rule).toBeUndefined();
    const egress = all(r, 'aws_vpc_security_group_egress_rule').map(
      (e) => `${e.ip_protocol}:${e.from_port ?? '*'}:${e.cidr_ipv4}`,
    );
    expect(egress.sort()).toEqual(['-1:*:10.0.0.0/16', 'tcp:443:0.0.0.0/0']);
  });
});

describe('Bastion with SSH from listed ranges', () => {
  const r = synth(
    (s) =>
      new Bastion(s, 'Bastion', {
        ...base,
        instanceType: 't3.micro',
        sshAllowedCidrs: ['203.0.113.0/24', '2001:db8::/32'],
        volumeKmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/k',
      }),
  );

  it('admits SSH from those ranges only', () => {
    const rules = all(r, 'aws_vpc_security_group_ingress_rule');
    expect(rules).toHaveLength(2);
    expect(rules[0]).toMatchObject({ from_port: 22, to_port: 22, ip_protocol: 'tcp', cidr_ipv4: '203.0.113.0/24' });
    expect(rules[1]).toMatchObject({ cidr_ipv6: '2001:db8::/32' });
  });

  it('picks the x86_64 image for an Intel type and uses the given volume key', () => {
    const template = all(r, 'aws_launch_template')[0];
    expect(template.image_id).toBe('resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64');
    expect((template.block_device_mappings as { ebs: { kms_key_id: string } }[])[0].ebs.kms_key_id).toBe(
      'arn:aws:kms:eu-west-1:111111111111:key/k',
    );
  });
});

describe('Bastion validation', () => {
  const make = (props: Partial<BastionProps>) => () => synth((s) => new Bastion(s, 'Bastion', { ...base, ...props }));

  it('rejects SSH from the whole internet, IPv4 or IPv6', () => {
    const fix =
      "SSH must not be open to the whole internet: list your operators' CIDRs, or use Session Manager and leave sshAllowedCidrs empty.";
    expect(make({ sshAllowedCidrs: ['0.0.0.0/0'] })).toThrow(
      `test/Bastion: invalid sshAllowedCidrs "0.0.0.0/0". ${fix}`,
    );
    expect(make({ sshAllowedCidrs: ['::/0'] })).toThrow(`test/Bastion: invalid sshAllowedCidrs "::/0". ${fix}`);
  });

  it('rejects malformed CIDRs, instance types, volume sizes and names', () => {
    expect(make({ sshAllowedCidrs: ['my office'] })).toThrow(
      'test/Bastion: invalid sshAllowedCidrs "my office". Use IPv4 or IPv6 CIDRs',
    );
    expect(make({ instanceType: 'small' })).toThrow(
      'test/Bastion: invalid instanceType "small". Use an EC2 instance type such as "t4g.nano".',
    );
    expect(make({ rootVolumeSizeGiB: 4 })).toThrow(
      'test/Bastion: invalid rootVolumeSizeGiB 4. Use a whole number from 8 to 16384.',
    );
    expect(make({ name: '-x' })).toThrow('test/Bastion: invalid name "-x".');
  });
});

it('tells Graviton instance types from others', () => {
  for (const t of ['t4g.nano', 'm7g.large', 'c6gn.xlarge', 'a1.medium', 'g5g.xlarge', 'im4gn.large'])
    expect(isArmInstanceType(t)).toBe(true);
  for (const t of ['t3.micro', 'm7i.large', 'g4dn.xlarge', 'c5.large', 'mac2.metal'])
    expect(isArmInstanceType(t)).toBe(false);
});
