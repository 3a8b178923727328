import { parseArgs } from '../../src/args';
import { PlanSummary } from '@tts-ecs/terraform';
import { resumeCommandFor, ROLLOUT_FLAGS } from '../../src/rollout/commands';
import { isLockError, parseLockInfo } from '../../src/rollout/locks';
import { ApplyOrder, OrderedStack, selectOrdered } from '../../src/rollout/order-source';
import { changeLines } from '../../src/rollout/plan-store';
import { gridProgress } from '../../src/rollout/progress';
import { blockedRemovals, formatBlocked } from '../../src/rollout/safety';
import { outcomeOf } from '../../src/rollout/types';
import { planWaves } from '../../src/rollout/waves';

function stack(
  cluster: string,
  layer: string,
  role: 'primary' | 'secondary' = cluster === 'eu1' ? 'primary' : 'secondary',
): OrderedStack {
  const name = `acme-prod-${cluster}-${layer}`;
  return {
    name,
    app: role,
    cluster,
    role,
    layer: layer as OrderedStack['layer'],
    dir: `${role}/stacks/${name}`,
    stateKey: `prod/${cluster}/${layer}.tfstate`,
    dependsOn: [],
    wave: 0,
  };
}
const clusters = ['eu1', 'us1', 'ap1', 'sa1', 'af1'];
const order: ApplyOrder = {
  version: 1,
  stacks: clusters.flatMap((c) => ['network', 'data', 'compute'].map((l) => stack(c, l))),
  waves: [],
};

describe('planWaves', () => {
  const labels = (waveSize?: number, canary?: string) =>
    planWaves(order.stacks, { waveSize, canary }).map(
      (w) => `${w.label}: ${w.clusters.map((c) => c.cluster).join(',')}`,
    );

  it('primary alone, then the first secondary as canary, then one cluster per wave by default', () => {
    expect(labels()).toEqual(['primary: eu1', 'canary: us1', 'wave 1: ap1', 'wave 2: sa1', 'wave 3: af1']);
  });

  it('groups the secondaries after the canary by --wave-size, the last wave taking the rest', () => {
    expect(labels(2)).toEqual(['primary: eu1', 'canary: us1', 'wave 1: ap1,sa1', 'wave 2: af1']);
  });

  it('takes the canary named by --canary', () => {
    expect(labels(3, 'sa1')).toEqual(['primary: eu1', 'canary: sa1', 'wave 1: us1,ap1,af1']);
  });

  it("keeps each cluster's stacks in apply order", () => {
    expect(planWaves(order.stacks)[0].clusters[0].stacks.map((s) => s.layer)).toEqual(['network', 'data', 'compute']);
  });

  it('has no primary wave when the primary is not selected', () => {
    expect(planWaves(order.stacks.filter((s) => s.cluster !== 'eu1')).map((w) => w.label)[0]).toBe('canary');
  });

  it('rejects a canary that is not a selected secondary, and a wave size below 1', () => {
    expect(() => planWaves(order.stacks, { canary: 'eu1' })).toThrow(
      '--canary eu1 is not a selected secondary cluster. Selected secondaries: us1, ap1, sa1, af1.',
    );
    expect(() => planWaves(order.stacks, { waveSize: 0 })).toThrow('--wave-size must be a whole number >= 1, got 0.');
  });
});

describe('selectOrdered', () => {
  it('filters by clusters and layers, keeping apply order', () => {
    expect(selectOrdered(order, { clusters: ['us1', 'eu1'], layers: ['compute'] }).map((s) => s.name)).toEqual([
      'acme-prod-eu1-compute',
      'acme-prod-us1-compute',
    ]);
  });

  it('rejects unknown names with the known ones, so a typo never selects nothing', () => {
    expect(() => selectOrdered(order, { clusters: ['us2'] })).toThrow(
      'unknown cluster "us2" (did you mean "us1"?). Known: eu1, us1, ap1, sa1, af1.',
    );
    expect(() => selectOrdered(order, { layers: ['dta'] })).toThrow(
      'unknown layer "dta" (did you mean "data"?). Known: network, secrets',
    );
    expect(() => selectOrdered(order, { clusters: ['zz9', 'eu2'] })).toThrow(
      'unknown clusters "zz9", "eu2" (did you mean "eu1"?). Known:',
    );
  });

  it('rejects a selection matching no stack', () => {
    expect(() => selectOrdered(order, { layers: ['secrets'] })).toThrow('matches no stack');
  });
});

describe('blockedRemovals', () => {
  const summary = (replaced: [string, string][], deleted: [string, string][] = []): PlanSummary => ({
    add: replaced.length,
    change: 0,
    destroy: replaced.length + deleted.length,
    replace: replaced.length,
    forget: 0,
    replaced: replaced.map(([address, type]) => ({ address, type })),
    deleted: deleted.map(([address, type]) => ({ address, type })),
  });
  const s = summary(
    [
      ['aws_rds_cluster.main', 'aws_rds_cluster'],
      ['aws_ecs_service.lns', 'aws_ecs_service'],
    ],
    [
      ['module.x.aws_kms_key.k', 'aws_kms_key'],
      ['aws_security_group.old', 'aws_security_group'],
    ],
  );

  it('blocks replaced and deleted stateful resources only', () => {
    expect(blockedRemovals('st', s, []).map((b) => `${b.action} ${b.address}`)).toEqual([
      'replace aws_rds_cluster.main',
      'delete module.x.aws_kms_key.k',
    ]);
  });

  it('lets through what --allow-destroy names, as <stack>:<address> or <address>', () => {
    expect(blockedRemovals('st', s, ['st:aws_rds_cluster.main', 'module.x.aws_kms_key.k'])).toEqual([]);
    expect(blockedRemovals('st', s, ['other:aws_rds_cluster.main']).map((b) => b.address)).toContain(
      'aws_rds_cluster.main',
    );
  });

  it('says what is lost and gives the exact flag', () => {
    expect(formatBlocked(blockedRemovals('st', s, []))).toContain(
      '--allow-destroy st:aws_rds_cluster.main,st:module.x.aws_kms_key.k',
    );
  });
});

describe('lock errors', () => {
  const stderr = [
    '│ Error: Error acquiring the state lock',
    '│ Lock Info:',
    '│   ID:        1b2c-3d',
    '│   Path:      bucket/prod/eu1/data.tfstate',
    '│   Operation: OperationTypePlan',
    '│   Who:       carol@host',
    '│   Version:   1.11.4',
    '│   Created:   2025-05-01 09:30:00 +0000 UTC',
    '│   Info:      ',
  ].join('\n');

  it('recognises the lock error and reads its Lock Info block', () => {
    expect(isLockError(stderr)).toBe(true);
    expect(isLockError('Error: Invalid reference')).toBe(false);
    expect(parseLockInfo(stderr)).toEqual({
      id: '1b2c-3d',
      path: 'bucket/prod/eu1/data.tfstate',
      operation: 'OperationTypePlan',
      who: 'carol@host',
      created: '2025-05-01 09:30:00 +0000 UTC',
    });
  });
});

describe('changeLines', () => {
  it('lists real changes as sorted "<address> <actions>", leaving out no-ops and data reads', () => {
    const plan = {
      resource_changes: [
        { address: 'b.x', mode: 'managed', change: { actions: ['delete', 'create'] } },
        { address: 'a.y', mode: 'managed', change: { actions: ['update'] } },
        { address: 'c.z', mode: 'managed', change: { actions: ['no-op'] } },
        { address: 'data.d.w', mode: 'data', change: { actions: ['read'] } },
      ],
    };
    expect(changeLines(plan)).toEqual(['a.y update', 'b.x delete+create']);
  });
});

describe('gridProgress', () => {
  it('draws clusters x layers and redraws in place', () => {
    let written = '';
    const grid = gridProgress({ write: (t) => void (written += t), isTTY: true });
    grid({ type: 'wave', index: 0, label: 'primary', clusters: ['eu1'] });
    const [net, data] = [stack('eu1', 'network'), stack('eu1', 'data')];
    grid({ type: 'stack', stack: net, outcome: outcomeOf(net, 'applied') });
    grid({ type: 'stack', stack: data, outcome: outcomeOf(data, 'failed') });
    expect(grid.render()).toMatch(/^cluster\s+network\s+data\neu1\s+✓ applied\s+✗ FAILED\nnow: primary \(eu1\)\n$/);
    expect(written).toContain('\x1b[3A\x1b[J');
  });
});

describe('resumeCommandFor', () => {
  it('keeps folder options and, after a safety stop, adds the flag it asked for', () => {
    const args = parseArgs(['rollout', '--plans', '/work/x/plans', '--wave-size', '2'], ['json', ...ROLLOUT_FLAGS]);
    expect(resumeCommandFor(args, 'allow it with --allow-destroy st:aws_s3_bucket.b', '/work/x')).toBe(
      'tts-ecs rollout --resume --plans plans --allow-destroy st:aws_s3_bucket.b   # only if that removal is intended',
    );
  });
});
