import { exitCodeOf, formatReport, StackVerifyResult, toJsonReport, VerifyResult } from '../src';

const ok = (stack: string, toAdd: number, seconds: number): StackVerifyResult => ({
  app: 'primary',
  stack,
  validate: 'ok',
  plan: 'ok',
  toAdd,
  seconds,
  stepSeconds: {},
});
const result = (stacks: StackVerifyResult[]): VerifyResult => ({
  ok: stacks.every((s) => s.validate !== 'fail' && s.plan !== 'fail'),
  stacks,
  seconds: 42.25,
  mirror: '/opt/tf-plugins',
  pluginCacheDir: '/repo/.tts-ecs/plugin-cache',
  cacheWarmup: { seconds: 0.4, cold: false },
});

describe('formatReport', () => {
  const failing = result([
    ok('acme-prod-eu1-network', 57, 12.34),
    {
      app: 'primary',
      stack: 'acme-prod-eu1-secrets',
      validate: 'skipped',
      plan: 'skipped',
      reason: 'provider registry.terraform.io/hashicorp/random not installable offline',
      seconds: 0,
      stepSeconds: {},
    },
    {
      app: 'secondary',
      stack: 'acme-prod-us1-compute',
      validate: 'ok',
      plan: 'fail',
      seconds: 8,
      stepSeconds: {},
      error: 'Error: Invalid count argument\nsecond line',
    },
  ]);
  const text = formatReport(failing);
  const lines = text.split('\n');

  it('prints one aligned row per stack under the header', () => {
    expect(lines[0]).toBe('stack                            validate  plan     to add  seconds');
    expect(lines[2]).toBe('primary/acme-prod-eu1-network    ok        ok           57     12.3');
    expect(lines[3]).toBe('primary/acme-prod-eu1-secrets    skipped   skipped       -      0.0');
  });

  it('says why a stack was skipped and shows the error of a failed one, indented', () => {
    expect(text).toContain(
      'primary/acme-prod-eu1-secrets skipped: provider registry.terraform.io/hashicorp/random not installable offline',
    );
    expect(text).toContain(
      'secondary/acme-prod-us1-compute FAILED\n    Error: Invalid count argument\n    second line',
    );
  });

  it('ends with a summary line counting passed, skipped and failed stacks', () => {
    expect(lines[lines.length - 1]).toBe(
      '3 stacks: 1 validated and planned, 1 skipped, 1 failed (42.3 s; provider mirror /opt/tf-plugins).',
    );
  });

  it('fails the process on a failed stack, and on a skipped one unless skipped stacks are allowed', () => {
    expect(exitCodeOf(failing)).toBe(1);
    expect(exitCodeOf(failing, { allowSkipped: true })).toBe(1);
    const skippedOnly = result([ok('a', 1, 1), failing.stacks[1]]);
    expect(exitCodeOf(skippedOnly)).toBe(1);
    expect(exitCodeOf(skippedOnly, { allowSkipped: true })).toBe(0);
    expect(exitCodeOf(result([ok('a', 1, 1)]))).toBe(0);
  });

  it('says that skipped stacks were not verified', () => {
    expect(lines).toContain('Not verified: 1 stack was skipped, which is not passed (exit 1 unless --allow-skipped).');
  });

  it('points to the work dir when it was kept', () => {
    expect(formatReport({ ...failing, workDir: '/tmp/w' })).toContain(
      '\nWork dir kept (stack copies, overrides, test files): /tmp/w',
    );
    expect(text).not.toContain('Work dir kept');
  });

  it('has a JSON shape with counts and per-stack results', () => {
    expect(toJsonReport(failing)).toMatchObject({
      ok: false,
      counts: { total: 3, passed: 1, skipped: 1, failed: 1 },
      mirror: '/opt/tf-plugins',
    });
    expect(JSON.parse(JSON.stringify(toJsonReport(failing))).stacks[2]).toMatchObject({
      stack: 'acme-prod-us1-compute',
      plan: 'fail',
    });
  });
});
