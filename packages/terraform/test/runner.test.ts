import { lockTimeoutArgs, requireSuccess, runPool, runTerraform, tail, TerraformError, terraformEnv } from '../src';

// A stand-in for terraform: node running a script, so the runner is tested without terraform installed.
const fake = (script: string): string[] => ['-e', script];

describe('runTerraform', () => {
  const options = { cwd: process.cwd(), terraformBin: process.execPath, stack: 'acme-prod-eu1-network' };

  it('captures stdout, stderr, exit code and time', async () => {
    const result = await runTerraform(
      fake('process.stdout.write("out"); process.stderr.write("err"); process.exit(3)'),
      options,
    );
    expect(result).toMatchObject({ stdout: 'out', stderr: 'err', exitCode: 3, stack: 'acme-prod-eu1-network' });
    expect(result.seconds).toBeGreaterThan(0);
  });

  it('fails with the stack, the command and the last lines of stderr', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\\n');
    const result = await runTerraform(fake(`console.error("${lines}"); process.exit(1)`), options);
    expect(() => requireSuccess(result)).toThrow(TerraformError);
    const message = (() => {
      try {
        requireSuccess(result);
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toMatch(/^acme-prod-eu1-network: `terraform -e .*` failed \(exit 1\) after \d+\.\d s:\nline 15\n/);
    expect(message.endsWith('line 29')).toBe(true);
    expect(message).not.toContain('line 14\n');
  });

  it('kills a command that exceeds its time limit', async () => {
    const result = await runTerraform(fake('setTimeout(() => {}, 60000)'), { ...options, timeoutMs: 200 });
    expect(result.exitCode).toBe(-1);
    expect(result.stderr).toContain('killed after 200 ms (timeout)');
  });

  it('reports a missing executable as a failed result, not a crash', async () => {
    const result = await runTerraform(['version'], { ...options, terraformBin: '/nonexistent/terraform' });
    expect(result.exitCode).toBe(-1);
    expect(result.stderr).toContain('ENOENT');
    expect(result.stderr).toContain('(is terraform on PATH? or set TTS_ECS_TERRAFORM)');
  });
});

describe('terraformEnv', () => {
  const env = terraformEnv(
    '/work/terraform.tfrc',
    { AWS_ACCESS_KEY_ID: 'mock' },
    {
      PATH: '/bin',
      TF_WORKSPACE: 'prod',
      TF_CLI_ARGS_plan: '-destroy',
      TF_PLUGIN_CACHE_DIR: '/elsewhere',
      TF_CLI_CONFIG_FILE: '/root/.terraformrc',
    },
  );

  it('uses our CLI config and drops user settings that would change workspace, arguments or cache', () => {
    expect(env).toEqual({
      PATH: '/bin',
      TF_CLI_CONFIG_FILE: '/work/terraform.tfrc',
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      AWS_ACCESS_KEY_ID: 'mock',
    });
  });
});

describe('runPool', () => {
  it('keeps the order of the items and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const results = await runPool([30, 10, 20, 5, 1], 2, async (ms, i) => {
      peak = Math.max(peak, ++running);
      await new Promise((resolve) => setTimeout(resolve, ms));
      running--;
      return `${i}:${ms}`;
    });
    expect(results).toEqual(['0:30', '1:10', '2:20', '3:5', '4:1']);
    expect(peak).toBe(2);
  });

  it('rejects a concurrency below 1', async () => {
    await expect(runPool([1], 0, async (x) => x)).rejects.toThrow('concurrency must be a whole number >= 1, got 0');
  });
});

describe('helpers', () => {
  it('builds the lock timeout argument and rejects a negative one', () => {
    expect(lockTimeoutArgs(300)).toEqual(['-lock-timeout=300s']);
    expect(() => lockTimeoutArgs(-1)).toThrow('lock timeout must be a whole number of seconds >= 0, got -1');
  });

  it('keeps the last non-empty lines', () => {
    expect(tail('a\n\nb\nc\n\n', 2)).toBe('b\nc');
  });
});
