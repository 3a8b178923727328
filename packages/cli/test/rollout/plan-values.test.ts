import { formatValueDifferences, planValues, REMOVED, UNKNOWN, valueDifferences } from '../../src/rollout/plan-values';

// `terraform show -json` plans with one resource change each, as the rollout gets them.
interface Change {
  address?: string;
  actions?: string[];
  before?: unknown;
  after?: unknown;
  after_unknown?: unknown;
  before_sensitive?: unknown;
  after_sensitive?: unknown;
}
const plan = (...changes: Change[]): unknown => ({
  format_version: '1.2',
  resource_changes: changes.map(({ address = 'aws_ecs_service.tts', actions = ['update'], ...change }) => ({
    address,
    mode: 'managed',
    type: address.split('.')[0],
    name: address.split('.')[1],
    change: { actions, after_unknown: {}, before_sensitive: {}, after_sensitive: {}, ...change },
  })),
});
const container = (image: string): string =>
  JSON.stringify([{ name: 'tts', image, essential: true, environment: [{ name: 'TTN_LW_LOG_LEVEL', value: 'info' }] }]);
const taskDefinition = (image: string, extra: Change = {}): Change => ({
  address: 'aws_ecs_task_definition.tts',
  actions: ['delete', 'create'],
  before: { family: 'tts', cpu: '1024', container_definitions: container('tts:3.33.1'), arn: 'arn:td:1' },
  after: { family: 'tts', cpu: '1024', container_definitions: container(image) },
  after_unknown: { arn: true },
  ...extra,
});
const service = (desiredCount: number, extra: Change = {}): Change => ({
  before: { name: 'tts', desired_count: 2, task_definition: 'arn:td:1' },
  after: { name: 'tts', desired_count: desiredCount },
  after_unknown: { task_definition: true },
  ...extra,
});
const SALT = 'test-salt';
/** The differences between a reviewed and a fresh plan, as the rollout computes them. */
const compare = (reviewed: unknown, fresh: unknown) =>
  valueDifferences(planValues(reviewed, SALT), planValues(fresh, SALT));

describe('planValues', () => {
  it('keeps the paths a change sets, descending into JSON strings (container definitions), with unknowns marked', () => {
    expect(planValues(plan(taskDefinition('tts:3.34.0'), service(3)), SALT)).toEqual({
      'aws_ecs_task_definition.tts': { 'container_definitions[0].image': '"tts:3.34.0"', arn: UNKNOWN },
      'aws_ecs_service.tts': { desired_count: '3', task_definition: UNKNOWN },
    });
  });

  it('keeps every value of a create, nothing of a delete, and leaves out no-ops and reads', () => {
    const values = planValues(
      plan(
        { address: 'aws_iam_role.new', actions: ['create'], before: null, after: { name: 'r', tags: {} } },
        { address: 'aws_iam_role.old', actions: ['delete'], before: { name: 'o' }, after: null },
        { address: 'aws_iam_role.same', actions: ['no-op'], before: { name: 's' }, after: { name: 's' } },
      ),
      SALT,
    );
    expect(values).toEqual({ 'aws_iam_role.new': { name: '"r"', tags: '{}' }, 'aws_iam_role.old': {} });
  });

  it('marks list elements and map keys the change drops, and quotes keys that are not identifiers', () => {
    const values = planValues(
      plan({
        before: { ports: [80, 443], tags: { 'team name': 'a', old: 'x' } },
        after: { ports: [80], tags: { 'team name': 'b' } },
      }),
      SALT,
    );
    expect(values['aws_ecs_service.tts']).toEqual({
      'ports[1]': REMOVED,
      'tags.old': REMOVED,
      'tags["team name"]': '"b"',
    });
  });

  it('stores a salted hash for sensitive values, never the value', () => {
    const values = planValues(
      plan({
        before: { secret: 'hunter1', env: { DB_PASSWORD: 'pw-old' } },
        after: { secret: 'hunter2', env: { DB_PASSWORD: 'pw-new' } },
        after_sensitive: { secret: true, env: true },
        before_sensitive: { secret: true, env: true },
      }),
      SALT,
    );
    const text = JSON.stringify(values);
    expect(text).not.toContain('hunter');
    expect(text).not.toContain('pw-');
    expect(text).not.toContain('DB_PASSWORD');
    expect(values['aws_ecs_service.tts'].secret).toMatch(/^\(sensitive hmac-sha256:[0-9a-f]{64}\)$/);
    const again = (salt: string) =>
      planValues(plan({ before: {}, after: { secret: 'hunter2' }, after_sensitive: { secret: true } }), salt);
    expect(again(SALT)).toEqual(again(SALT));
    expect(again('another salt')).not.toEqual(again(SALT));
  });
});

describe('valueDifferences (the rollout check of a fresh plan against the reviewed one)', () => {
  it('refuses the same addresses and actions with other values, naming the attribute paths', () => {
    const reviewed = plan(taskDefinition('tts:3.34.0'), service(3));
    const fresh = plan(taskDefinition('tts:3.35.0'), service(4));
    expect(compare(reviewed, fresh)).toEqual([
      { address: 'aws_ecs_service.tts', path: 'desired_count', reviewed: '3', now: '4' },
      {
        address: 'aws_ecs_task_definition.tts',
        path: 'container_definitions[0].image',
        reviewed: '"tts:3.34.0"',
        now: '"tts:3.35.0"',
      },
    ]);
  });

  it('reads as stack, address, path, reviewed and fresh value', () => {
    const diffs = compare(
      plan(taskDefinition('tts:3.34.0'), service(3)),
      plan(taskDefinition('tts:3.35.0'), service(3)),
    );
    expect(formatValueDifferences('acme-prod-eu1-compute', '2025-05-01T09:30:00.000Z', diffs)).toBe(
      'the fresh plan of acme-prod-eu1-compute sets values the reviewed plan (2025-05-01T09:30:00.000Z) did not show:\n' +
        '  aws_ecs_task_definition.tts\n' +
        '    container_definitions[0].image: reviewed "tts:3.34.0", now "tts:3.35.0"\n' +
        'Review them with `tts-ecs plan --stacks acme-prod-eu1-compute`, then resume.',
    );
  });

  it('refuses a path the fresh plan sets that the reviewed plan left unchanged', () => {
    const fresh = service(2, { after: { name: 'tts-renamed', desired_count: 2 } });
    expect(compare(plan(service(2)), plan(fresh))).toEqual([
      { address: 'aws_ecs_service.tts', path: 'name', reviewed: '(not changed)', now: '"tts-renamed"' },
    ]);
  });

  it('never prints sensitive values: a changed secret shows as (sensitive) on both sides', () => {
    const withSecret = (secret: string): Change =>
      service(3, {
        before: { name: 'tts', desired_count: 2, task_definition: 'arn:td:1', secret: 'hunter1' },
        after: { name: 'tts', desired_count: 3, secret },
        before_sensitive: { secret: true },
        after_sensitive: { secret: true },
      });
    const diffs = compare(plan(withSecret('hunter2')), plan(withSecret('hunter3')));
    expect(diffs.map((d) => d.path)).toEqual(['secret']);
    const message = formatValueDifferences('st', 'then', diffs);
    expect(message).toContain('    secret: reviewed (sensitive), now (sensitive) (a different value)\n');
    expect(message).not.toMatch(/hunter|hmac|[0-9a-f]{64}/);
    expect(compare(plan(withSecret('hunter2')), plan(withSecret('hunter2')))).toEqual([]);
  });

  it('never prints a value that is sensitive in one plan only', () => {
    const reviewed = plan(service(3, { after: { name: 'tts', desired_count: 3, token: 'tok-1' } }));
    const fresh = plan(
      service(3, { after: { name: 'tts', desired_count: 3, token: 'tok-2' }, after_sensitive: { token: true } }),
    );
    const message = formatValueDifferences('st', 'then', compare(reviewed, fresh));
    expect(message).toContain('token: reviewed "tok-1", now (sensitive)');
    expect(message).not.toContain('tok-2');
  });

  it('accepts identical values in another key order (in the JSON and inside JSON strings) and change order', () => {
    const reviewed = plan(taskDefinition('tts:3.34.0'), service(3, { after: { name: 'tts', desired_count: 3 } }));
    const reordered = taskDefinition('tts:3.34.0', {
      after: {
        container_definitions: JSON.stringify([
          {
            environment: [{ value: 'info', name: 'TTN_LW_LOG_LEVEL' }],
            essential: true,
            image: 'tts:3.34.0',
            name: 'tts',
          },
        ]),
        cpu: '1024',
        family: 'tts',
      },
    });
    const fresh = plan(service(3, { after: { desired_count: 3, name: 'tts' } }), reordered);
    expect(compare(reviewed, fresh)).toEqual([]);
  });

  it('compares values known after apply as unknown, not as null', () => {
    const unknownCount = service(3, {
      after: { name: 'tts' },
      after_unknown: { task_definition: true, desired_count: true },
    });
    const nullCount = service(3, { after: { name: 'tts', desired_count: null } });
    expect(compare(plan(unknownCount), plan(service(3)))).toEqual([
      { address: 'aws_ecs_service.tts', path: 'desired_count', reviewed: UNKNOWN, now: '3' },
    ]);
    expect(compare(plan(unknownCount), plan(nullCount))).toEqual([
      { address: 'aws_ecs_service.tts', path: 'desired_count', reviewed: UNKNOWN, now: 'null' },
    ]);
    expect(compare(plan(service(3)), plan(service(3)))).toEqual([]);
    // In a list, terraform writes an unknown element as null in `after`: the marker decides.
    const subnets = (unknown: boolean): Change =>
      service(2, {
        before: { name: 'tts', desired_count: 2, subnets: ['a'] },
        after: { name: 'tts', desired_count: 2, subnets: ['a', null] },
        after_unknown: { subnets: [false, unknown] },
      });
    expect(compare(plan(subnets(true)), plan(subnets(false)))).toEqual([
      { address: 'aws_ecs_service.tts', path: 'subnets[1]', reviewed: UNKNOWN, now: 'null' },
    ]);
  });

  it('ignores no-op and read changes, and addresses only one plan changes (the change lines catch those)', () => {
    const noop = (name: string): Change => ({
      address: 'aws_iam_role.x',
      actions: ['no-op'],
      before: { name },
      after: { name: `${name}-other` },
    });
    const read = (id: string): Change => ({ address: 'data.aws_caller_identity.me', actions: ['read'], after: { id } });
    expect(compare(plan(service(3), noop('a'), read('1')), plan(service(3), noop('b'), read('2')))).toEqual([]);
    expect(compare(plan(service(3)), plan(service(3), { address: 'aws_iam_role.new', actions: ['create'] }))).toEqual(
      [],
    );
  });
});
