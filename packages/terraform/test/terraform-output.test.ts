import { lockFileFor, parseLockFile, parseTestOutput, parseValidateOutput, serializer, TerraformResult } from '../src';

const result = (stdout: string, exitCode = 0): TerraformResult => ({
  args: [],
  stack: 's',
  exitCode,
  stdout,
  stderr: '',
  seconds: 1,
});
const diagnostic = {
  severity: 'error',
  summary: 'Unsupported argument',
  detail: 'An argument named "foo" is not expected here.',
  range: { filename: 'cdk.tf.json', start: { line: 12 } },
  snippet: { context: 'resource.aws_s3_bucket.b' },
};

describe('parseValidateOutput', () => {
  it('accepts a valid configuration', () => {
    expect(parseValidateOutput(result('{"valid":true,"error_count":0,"diagnostics":[]}'))).toEqual({ ok: true });
  });

  it('turns error diagnostics into one line each, with file, line and block', () => {
    expect(
      parseValidateOutput(
        result(JSON.stringify({ valid: false, diagnostics: [diagnostic, { ...diagnostic, severity: 'warning' }] }), 1),
      ),
    ).toEqual({
      ok: false,
      error:
        'Error: Unsupported argument (cdk.tf.json:12, resource.aws_s3_bucket.b): An argument named "foo" is not expected here.',
    });
  });
});

describe('parseTestOutput', () => {
  const lines = (...messages: object[]): string => messages.map((m) => JSON.stringify(m)).join('\n');
  const plan = {
    resource_changes: [{ address: 'aws_vpc.v', type: 'aws_vpc', mode: 'managed', change: { actions: ['create'] } }],
  };

  it('takes the counts from the test_plan message of a passing run', () => {
    const parsed = parseTestOutput(
      result(
        lines(
          { type: 'version' },
          { type: 'test_plan', test_plan: plan },
          { type: 'test_summary', test_summary: { status: 'pass' } },
        ),
      ),
    );
    expect(parsed).toMatchObject({ ok: true, summary: { add: 1, destroy: 0 } });
  });

  it('reports the diagnostics of a failing run', () => {
    const parsed = parseTestOutput(
      result(
        lines(
          {
            type: 'diagnostic',
            diagnostic: { ...diagnostic, summary: 'Invalid count argument', detail: undefined, address: 'aws_eip.nat' },
          },
          { type: 'test_summary', test_summary: { status: 'error' } },
        ),
        1,
      ),
    );
    expect(parsed).toEqual({
      ok: false,
      error: 'Error: Invalid count argument (cdk.tf.json:12, resource.aws_s3_bucket.b, aws_eip.nat)',
    });
  });

  it('does not pass a run that reported no plan', () => {
    expect(parseTestOutput(result(lines({ type: 'test_summary', test_summary: { status: 'pass' } })))).toEqual({
      ok: false,
      error: 'terraform test passed but reported no plan',
    });
  });
});

describe('plugin cache lock entries', () => {
  const lock = `# This file is maintained automatically by "terraform init".

provider "registry.terraform.io/hashicorp/aws" {
  version     = "5.100.0"
  constraints = "5.100.0"
  hashes = [
    "h1:edXOJWE4ORX8Fm+dpVpICzMZJat4AX0VRCAy/xkcOc0=",
  ]
}

provider "registry.terraform.io/hashicorp/null" {
  version = "3.2.4"
  hashes = [
    "h1:x",
  ]
}
`;
  const blocks = parseLockFile(lock);
  const locks = new Map([
    ['registry.terraform.io/hashicorp/aws@5.100.0', blocks.get('registry.terraform.io/hashicorp/aws') ?? ''],
  ]);

  it('splits a lock file into provider blocks', () => {
    expect([...blocks.keys()]).toEqual(['registry.terraform.io/hashicorp/aws', 'registry.terraform.io/hashicorp/null']);
    expect(blocks.get('registry.terraform.io/hashicorp/null')).toBe(
      'provider "registry.terraform.io/hashicorp/null" {\n  version = "3.2.4"\n  hashes = [\n    "h1:x",\n  ]\n}',
    );
  });

  it('builds a stack lock file from the warm-up entries, or none when one is missing', () => {
    expect(lockFileFor([{ source: 'registry.terraform.io/hashicorp/aws', version: '5.100.0' }], locks)).toContain(
      'h1:edXOJWE4ORX8Fm+dpVpICzMZJat4AX0VRCAy/xkcOc0=',
    );
    expect(lockFileFor([{ source: 'registry.terraform.io/hashicorp/aws', version: '5.99.0' }], locks)).toBeUndefined();
  });

  it('serializes tasks, also after one fails', async () => {
    const serial = serializer();
    const order: string[] = [];
    const task =
      (name: string, ms: number, fail = false) =>
      () =>
        new Promise<string>((resolve, reject) =>
          setTimeout(() => (order.push(name), fail ? reject(new Error(name)) : resolve(name)), ms),
        );
    const all = Promise.allSettled([serial(task('a', 30, true)), serial(task('b', 1)), serial(task('c', 10))]);
    expect((await all).map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(order).toEqual(['a', 'b', 'c']);
  });
});
