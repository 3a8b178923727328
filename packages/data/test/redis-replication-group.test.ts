import { TerraformStack, TerraformVariable } from 'cdktf';
import { RedisReplicationGroup, RedisReplicationGroupProps } from '../src';
import { env, inNamedTest, only, synth } from '@tts-ecs/testing';

const base = {
  environment: env,
  replicationGroupId: 'acme-prod-general',
  vpcId: 'vpc-0123456789abcdef0',
  subnetIds: ['subnet-a', 'subnet-b'],
};
const token = (stack: TerraformStack) =>
  new TerraformVariable(stack, 'redis_auth', { type: 'string', sensitive: true }).stringValue;

describe('RedisReplicationGroup defaults', () => {
  let redis!: RedisReplicationGroup;
  const resources = synth((stack) => {
    redis = new RedisReplicationGroup(stack, 'Redis', {
      ...base,
      authToken: token(stack),
      allowedSecurityGroupIds: ['sg-0123456789abcdef0'],
    });
  });
  const group = inNamedTest('finds the aws_elasticache_replication_group', () =>
    only(resources, 'aws_elasticache_replication_group'),
  );

  it('runs Redis OSS 7.1 on cache.t4g.medium with a primary and two replicas across AZs', () => {
    expect(group).toMatchObject({
      engine: 'redis',
      engine_version: '7.1',
      node_type: 'cache.t4g.medium',
      cluster_mode: 'disabled',
      num_cache_clusters: 3,
      multi_az_enabled: true,
      automatic_failover_enabled: true,
      port: 6379,
    });
  });

  it('requires TLS with the AUTH token and encrypts at rest with a customer key', () => {
    expect(group).toMatchObject({
      transit_encryption_enabled: true,
      transit_encryption_mode: 'required',
      auth_token: '${var.redis_auth}',
      at_rest_encryption_enabled: 'true',
    });
    expect(group.kms_key_id).toMatch(/aws_kms_key\..*\.arn/);
  });

  it('keeps 7 days of snapshots, snapshots on deletion and refuses terraform destroy', () => {
    expect(group).toMatchObject({
      snapshot_retention_limit: 7,
      snapshot_window: '03:00-04:00',
      final_snapshot_identifier: 'acme-prod-general-final',
    });
    expect(group.lifecycle).toEqual({ prevent_destroy: true, ignore_changes: ['snapshot_name', 'snapshot_arns'] });
  });

  it('delivers the slow log to an encrypted log group with retention', () => {
    const logGroup = only(resources, 'aws_cloudwatch_log_group');
    expect(logGroup).toMatchObject({
      name: '/aws/elasticache/acme-prod-general/slow-log',
      retention_in_days: 365,
      kms_key_id: group.kms_key_id,
    });
    expect(group.log_delivery_configuration).toEqual([
      {
        destination: expect.stringMatching(/aws_cloudwatch_log_group\..*\.name/),
        destination_type: 'cloudwatch-logs',
        log_format: 'json',
        log_type: 'slow-log',
      },
    ]);
  });

  it('uses a redis7 parameter group and admits 6379 only from the given group', () => {
    expect(only(resources, 'aws_elasticache_parameter_group').family).toBe('redis7');
    expect(only(resources, 'aws_vpc_security_group_ingress_rule')).toMatchObject({
      referenced_security_group_id: 'sg-0123456789abcdef0',
      from_port: 6379,
      to_port: 6379,
    });
    expect(redis.port).toBe(6379);
    expect(redis.tls).toBe(true);
  });
});

describe('RedisReplicationGroup restored from a snapshot', () => {
  const resources = synth((stack) => {
    new RedisReplicationGroup(stack, 'Redis', {
      ...base,
      authToken: token(stack),
      snapshotName: 'acme-general-2024',
      engineVersion: '6.2',
      kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/k',
    });
  });

  it('passes the snapshot name and the 6.x parameter family', () => {
    expect(only(resources, 'aws_elasticache_replication_group')).toMatchObject({
      snapshot_name: 'acme-general-2024',
      kms_key_id: 'arn:aws:kms:eu-west-1:111111111111:key/k',
    });
    expect(only(resources, 'aws_elasticache_parameter_group').family).toBe('redis6.x');
    expect(resources.aws_kms_key).toBeUndefined();
  });
});

describe('RedisReplicationGroup validation', () => {
  const make =
    (props: Partial<RedisReplicationGroupProps>, withToken = true) =>
    () =>
      synth(
        (s) =>
          new RedisReplicationGroup(s, 'Redis', { ...base, ...(withToken ? { authToken: token(s) } : {}), ...props }),
      );

  it('rejects Multi-AZ without replicas', () => {
    expect(make({ replicasPerNodeGroup: 0 })).toThrow(
      'test/Redis: invalid multiAz true. Multi-AZ failover needs at least one replica: set replicasPerNodeGroup >= 1, or multiAz: false for a single node.',
    );
    expect(make({ replicasPerNodeGroup: 0, multiAz: false })).not.toThrow();
  });

  it('requires an AUTH token token with TLS, and rejects literals', () => {
    expect(make({}, false)).toThrow('test/Redis: invalid authToken undefined. Pass a token');
    expect(make({ authToken: 'literal-token-1234567' }, false)).toThrow(
      'test/Redis: invalid authToken "<literal value hidden>".',
    );
  });

  it('rejects an AUTH token without TLS', () => {
    expect(make({ transitEncryption: false })).toThrow(
      'test/Redis: invalid authToken "<hidden>". An AUTH token is only sent over TLS',
    );
  });

  it('rejects snapshot retention 0 unless no backups are accepted', () => {
    expect(make({ snapshotRetentionDays: 0 })).toThrow(
      'test/Redis: invalid snapshotRetentionDays 0. Keep at least 1 day of snapshots, or set acceptNoBackups: true if the data can be lost.',
    );
    expect(make({ snapshotRetentionDays: 0, acceptNoBackups: true })).not.toThrow();
  });

  it('rejects both snapshot sources, old engines, bad ids and more than 5 replicas', () => {
    expect(make({ snapshotName: 'a', snapshotArns: ['arn:aws:s3:::b/c.rdb'] })).toThrow(
      'test/Redis: invalid snapshotName "a". Restore from either snapshotName or snapshotArns, not both.',
    );
    expect(make({ engineVersion: '5.0.6' })).toThrow(
      'test/Redis: invalid engineVersion "5.0.6". Use a Redis OSS major.minor version of 6.2 or later',
    );
    expect(make({ replicationGroupId: 'Acme_general' })).toThrow(
      'test/Redis: invalid replicationGroupId "Acme_general".',
    );
    expect(make({ replicasPerNodeGroup: 6 })).toThrow(
      'test/Redis: invalid replicasPerNodeGroup 6. Use a whole number from 0 to 5.',
    );
  });
});
