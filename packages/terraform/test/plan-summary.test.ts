import { summarizePlan } from '../src';

const change = (address: string, type: string, actions: string[], mode = 'managed') => ({
  address,
  type,
  mode,
  change: { actions },
});

describe('summarizePlan', () => {
  const plan = {
    format_version: '1.2',
    resource_changes: [
      change('aws_vpc.main', 'aws_vpc', ['create']),
      change('aws_subnet.a[0]', 'aws_subnet', ['create']),
      change('aws_ecs_service.router', 'aws_ecs_service', ['update']),
      change('aws_rds_cluster.main', 'aws_rds_cluster', ['delete', 'create']),
      change('aws_instance.bastion', 'aws_instance', ['create', 'delete']),
      change('module.data.aws_s3_bucket.pictures', 'aws_s3_bucket', ['delete']),
      change('aws_iam_role.old', 'aws_iam_role', ['forget']),
      change('aws_kms_key.logs', 'aws_kms_key', ['no-op']),
      change('data.aws_iam_policy_document.p', 'aws_iam_policy_document', ['read'], 'data'),
    ],
  };
  const summary = summarizePlan(plan);

  it('counts like terraform: a replacement is one add and one destroy', () => {
    expect(summary).toMatchObject({ add: 4, change: 1, destroy: 3, replace: 2, forget: 1 });
  });

  it('lists deleted and replaced resources with their types, so a rollout can stop on stateful ones', () => {
    expect(summary.deleted).toEqual([{ address: 'module.data.aws_s3_bucket.pictures', type: 'aws_s3_bucket' }]);
    expect(summary.replaced).toEqual([
      { address: 'aws_rds_cluster.main', type: 'aws_rds_cluster' },
      { address: 'aws_instance.bastion', type: 'aws_instance' },
    ]);
  });

  it('reads an empty plan as no changes', () => {
    expect(summarizePlan({ format_version: '1.2' })).toMatchObject({
      add: 0,
      change: 0,
      destroy: 0,
      replace: 0,
      deleted: [],
      replaced: [],
    });
  });

  it('rejects what is not a plan', () => {
    expect(() => summarizePlan(null)).toThrow('Not a Terraform JSON plan: expected an object, got null.');
  });
});
