import { FileSystem, FileSystemProps } from '../src';
import { env, inNamedTest, only, synth } from '@tts-ecs/testing';

const base: FileSystemProps = {
  environment: env,
  name: 'acme-prod-eu1-prometheus',
  vpcId: 'vpc-0123456789abcdef0',
  subnetIds: ['subnet-a', 'subnet-b'],
  allowedSecurityGroupIds: ['sg-0123456789abcdef0'],
  accessPoint: { path: '/prometheus', uid: 65534, gid: 65534 },
};

describe('FileSystem defaults', () => {
  let fs!: FileSystem;
  const resources = synth((stack) => {
    fs = new FileSystem(stack, 'Fs', base);
  });
  const efs = inNamedTest('finds the aws_efs_file_system', () => only(resources, 'aws_efs_file_system'));
  const policy = inNamedTest('reads the file system policy', () =>
    JSON.parse(only(resources, 'aws_efs_file_system_policy').policy as string),
  );

  it('is KMS-encrypted, general purpose, elastic, tiered to IA after 30 days and protected from destroy', () => {
    expect(efs).toMatchObject({
      encrypted: true,
      performance_mode: 'generalPurpose',
      throughput_mode: 'elastic',
      creation_token: 'acme-prod-eu1-prometheus',
      lifecycle_policy: [
        { transition_to_ia: 'AFTER_30_DAYS' },
        { transition_to_primary_storage_class: 'AFTER_1_ACCESS' },
      ],
      lifecycle: { prevent_destroy: true },
    });
    expect(efs.kms_key_id).toMatch(/aws_kms_key\..*\.arn/);
  });

  it('is backed up', () => {
    expect(only(resources, 'aws_efs_backup_policy').backup_policy).toEqual({ status: 'ENABLED' });
  });

  it('has a mount target per subnet behind a security group admitting 2049 from the given group only', () => {
    expect(Object.values(resources.aws_efs_mount_target).map((m) => m.subnet_id)).toEqual(['subnet-a', 'subnet-b']);
    expect(only(resources, 'aws_vpc_security_group_ingress_rule')).toMatchObject({
      from_port: 2049,
      to_port: 2049,
      referenced_security_group_id: 'sg-0123456789abcdef0',
    });
  });

  it('has an access point with a fixed POSIX identity and a created root directory', () => {
    expect(only(resources, 'aws_efs_access_point')).toMatchObject({
      posix_user: { uid: 65534, gid: 65534 },
      root_directory: {
        path: '/prometheus',
        creation_info: { owner_uid: 65534, owner_gid: 65534, permissions: '750' },
      },
    });
  });

  it('denies access without TLS', () => {
    expect(policy.Statement[0]).toMatchObject({
      Effect: 'Deny',
      Action: '*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    expect(policy.Statement[1].Action).not.toContain('elasticfilesystem:ClientRootAccess');
  });

  it('grants IAM mounts through the access point only', () => {
    expect(fs.mountStatements(true)[0]).toMatchObject({
      Action: ['elasticfilesystem:ClientMount'],
      Condition: { StringEquals: { 'elasticfilesystem:AccessPointArn': fs.accessPointArn } },
    });
  });
});

describe('FileSystem validation', () => {
  const make = (props: Partial<FileSystemProps>) => () => synth((s) => new FileSystem(s, 'Fs', { ...base, ...props }));

  it('rejects the root as access point path, root uid and bad permissions', () => {
    expect(make({ accessPoint: { path: '/', uid: 1, gid: 1 } })).toThrow(
      'test/Fs: invalid accessPoint.path "/". Give an absolute directory below the root',
    );
    expect(make({ accessPoint: { path: '/p', uid: 0, gid: 1 } })).toThrow(
      'test/Fs: invalid accessPoint.uid 0. Use a whole number from 1 to 4294967295.',
    );
    expect(make({ accessPoint: { path: '/p', uid: 1, gid: 1, permissions: '999' } })).toThrow(
      'test/Fs: invalid accessPoint.permissions "999".',
    );
  });

  it('rejects provisioned-style throughput modes and missing subnets', () => {
    expect(make({ throughputMode: 'provisioned' as never })).toThrow(
      'test/Fs: invalid throughputMode "provisioned". Use one of: "elastic", "bursting".',
    );
    expect(make({ subnetIds: [] })).toThrow(
      'test/Fs: invalid subnetIds []. Give one private subnet per Availability Zone.',
    );
  });
});
