import * as fs from 'fs';
import * as path from 'path';
import {
  diffGoldenPlans,
  formatGoldenDiff,
  goldenPlanOf,
  parseGoldenPlan,
  parseTestOutput,
  planChanges,
  renderGoldenPlan,
  StackVerifyResult,
} from '../src';

/** A real `test_plan` message of `terraform test -json -verbose` (the secrets stack), trimmed to what we read. */
const captured = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'secrets-test-plan.json'), 'utf8')) as {
  type: string;
  test_plan: { resource_changes: unknown[] };
};

const rc = (address: string, actions: string[], mode = 'managed') => ({
  address,
  mode,
  type: address.split('.')[0],
  change: { actions },
});

describe('planChanges', () => {
  it('lists the managed resources of a real test_plan message as sorted `<action> <address>` lines', () => {
    const changes = planChanges(captured.test_plan);
    expect(changes).toHaveLength(captured.test_plan.resource_changes.length);
    expect(changes.slice(0, 2)).toEqual([
      'create aws_kms_alias.Secrets_Key_Alias_53DEE188',
      'create aws_kms_key.Secrets_Key_F79EEF19',
    ]);
    expect(changes).toContain('create aws_secretsmanager_secret.Secrets_DatabaseUri_Secret_A289B313');
  });

  it('sorts by address, names replacements, and leaves out data sources, ephemeral resources and no-ops', () => {
    expect(
      planChanges({
        resource_changes: [
          rc('module.b.aws_db_instance.main[0]', ['delete', 'create']),
          rc('aws_vpc.v', ['update']),
          rc('data.aws_region.r', ['read'], 'data'),
          rc('ephemeral.random_password.p', ['open'], 'ephemeral'),
          rc('aws_iam_role.r', ['no-op']),
          rc('aws_lb.old', ['delete']),
          rc('aws_eip.e', ['create', 'delete']),
          rc('aws_s3_bucket.gone', ['forget']),
        ],
      }),
    ).toEqual([
      'replace aws_eip.e',
      'delete aws_lb.old',
      'forget aws_s3_bucket.gone',
      'update aws_vpc.v',
      'replace module.b.aws_db_instance.main[0]',
    ]);
  });

  it('rejects what is not a plan', () => {
    expect(() => planChanges(null)).toThrow('Not a Terraform JSON plan');
  });
});

describe('parseTestOutput changes', () => {
  it('returns the changes of the test_plan message with the summary', () => {
    const stdout = [
      JSON.stringify({ type: 'version' }),
      JSON.stringify(captured),
      JSON.stringify({ type: 'test_summary', test_summary: { status: 'pass' } }),
    ].join('\n');
    const parsed = parseTestOutput({ args: [], stack: 's', exitCode: 0, stdout, stderr: '', seconds: 1 });
    expect(parsed.ok).toBe(true);
    expect(parsed.summary?.add).toBe(25);
    expect(parsed.changes).toEqual(planChanges(captured.test_plan));
  });
});

const stack = (app: string, name: string, changes: string[]): StackVerifyResult => ({
  app,
  stack: name,
  validate: 'ok',
  plan: 'ok',
  changes,
  seconds: 1,
  stepSeconds: {},
});

describe('golden plan text', () => {
  const plan = goldenPlanOf([
    stack('secondary', 'acme-ap1-network', ['create aws_vpc.v']),
    stack('primary', 'acme-eu1-data', ['create aws_s3_bucket.b', 'create aws_db_instance.d']),
  ]);

  it('groups by stack, sorted by app/stack, lines sorted, with a comment header', () => {
    expect(renderGoldenPlan(plan, ['Golden plan of x.json'])).toBe(
      [
        '# Golden plan of x.json',
        '',
        '## primary/acme-eu1-data',
        'create aws_db_instance.d',
        'create aws_s3_bucket.b',
        '',
        '## secondary/acme-ap1-network',
        'create aws_vpc.v',
        '',
      ].join('\n'),
    );
  });

  it('reads back what it writes, ignoring comments and blank lines', () => {
    expect(parseGoldenPlan(renderGoldenPlan(plan, ['a', 'b']))).toEqual(plan);
  });

  it('refuses a run where a stack did not plan', () => {
    expect(() => goldenPlanOf([{ ...stack('primary', 's', []), plan: 'skipped', changes: undefined }])).toThrow(
      'primary/s has no plan',
    );
  });
});

describe('diffGoldenPlans', () => {
  const golden = parseGoldenPlan(
    [
      '## primary/a',
      'create aws_db_instance.d',
      'create aws_s3_bucket.b',
      '## primary/gone',
      'create aws_sqs_queue.q',
      '## primary/same',
      'create aws_vpc.v',
    ].join('\n'),
  );
  const fresh = parseGoldenPlan(
    [
      '## primary/a',
      'replace aws_db_instance.d',
      'create aws_s3_bucket.b',
      'create aws_s3_bucket.c',
      '## primary/new',
      'create aws_sns_topic.t',
      '## primary/same',
      'create aws_vpc.v',
    ].join('\n'),
  );

  it('is equal for the same plan', () => {
    expect(diffGoldenPlans(golden, golden)).toEqual({ equal: true, added: 0, removed: 0, stacks: [], lines: [] });
  });

  it('shows removed and added lines per stack, in address order, and whole stacks that appear or go', () => {
    const diff = diffGoldenPlans(golden, fresh);
    expect(diff).toMatchObject({
      equal: false,
      added: 3,
      removed: 2,
      stacks: ['primary/a', 'primary/gone', 'primary/new'],
    });
    expect(diff.lines).toEqual([
      '## primary/a: +2 -1',
      '- create aws_db_instance.d',
      '+ replace aws_db_instance.d',
      '+ create aws_s3_bucket.c',
      '## primary/gone (stack removed): +0 -1',
      '- create aws_sqs_queue.q',
      '## primary/new (new stack): +1 -0',
      '+ create aws_sns_topic.t',
    ]);
  });

  it('limits the printed lines and counts the rest', () => {
    const text = formatGoldenDiff(diffGoldenPlans(golden, fresh), 3);
    expect(text.split('\n')).toEqual([
      '## primary/a: +2 -1',
      '- create aws_db_instance.d',
      '+ replace aws_db_instance.d',
      '... 5 more diff lines not shown',
    ]);
  });
});
