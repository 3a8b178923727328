// The shared plugin cache under parallel processes: one warm-up at a time, and a provider that is cached already is
// linked through its saved lock entry instead of re-installed (a re-install replaced the binary under a running plan:
// "fork/exec ... terraform-provider-aws: no such file or directory").
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { acquireLock, Run, terraformPlatform, warmPluginCache } from '../src';

const AWS = { source: 'registry.terraform.io/hashicorp/aws', version: '5.100.0' };
const LOCK = `provider "registry.terraform.io/hashicorp/aws" {\n  version = "5.100.0"\n  hashes = ["h1:abc="]\n}`;

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plugin-cache-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A terraform that "installs" into the cache and records whether the module had a lock file before init. */
function fakeTerraform(cache: string, seen: boolean[]): Run {
  return async (_args, cwd) => {
    seen.push(fs.existsSync(path.join(cwd, '.terraform.lock.hcl')));
    fs.mkdirSync(path.join(cache, AWS.source), { recursive: true });
    fs.writeFileSync(path.join(cwd, '.terraform.lock.hcl'), `${LOCK}\n`);
    return { args: [], stack: 'warm-up', exitCode: 0, stdout: '', stderr: '', seconds: 0.1 };
  };
}

describe('warmPluginCache', () => {
  it('installs once, then gives later warm-ups the saved lock entry so terraform only links', async () => {
    const cache = path.join(dir, 'cache');
    const seen: boolean[] = [];
    const first = await warmPluginCache([AWS], cache, path.join(dir, 'w1'), fakeTerraform(cache, seen));
    const second = await warmPluginCache([AWS], cache, path.join(dir, 'w2'), fakeTerraform(cache, seen));
    expect(seen).toEqual([false, true]);
    expect([first.cold, second.cold]).toEqual([true, false]);
    expect(second.locks.get(`${AWS.source}@${AWS.version}`)).toBe(LOCK);
  });

  it('runs no terraform at all when the cache holds the locked version for this platform', async () => {
    const cache = path.join(dir, 'cache');
    const seen: boolean[] = [];
    await warmPluginCache([AWS], cache, path.join(dir, 'w1'), fakeTerraform(cache, seen));
    const unpacked = path.join(cache, AWS.source, AWS.version, terraformPlatform());
    fs.mkdirSync(unpacked, { recursive: true });
    fs.writeFileSync(path.join(unpacked, 'terraform-provider-aws_v5.100.0_x5'), '');
    const warm = await warmPluginCache([AWS], cache, path.join(dir, 'w2'), fakeTerraform(cache, seen));
    expect(seen).toEqual([false]); // only the first warm-up ran terraform
    expect(warm).toMatchObject({ cold: false, seconds: 0 });
    expect(warm.locks.get(`${AWS.source}@${AWS.version}`)).toBe(LOCK);
    // Without the unpacked binary, terraform runs again (with the saved entry).
    fs.rmSync(unpacked, { recursive: true });
    await warmPluginCache([AWS], cache, path.join(dir, 'w3'), fakeTerraform(cache, seen));
    expect(seen).toEqual([false, true]);
  });

  it('never runs two warm-ups of one cache at once', async () => {
    const cache = path.join(dir, 'cache');
    let running = 0;
    let most = 0;
    const run: Run = async (args, cwd, stack) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 50));
      running--;
      return fakeTerraform(cache, [])(args, cwd, stack);
    };
    await Promise.all([1, 2, 3].map((i) => warmPluginCache([AWS], cache, path.join(dir, `w${i}`), run)));
    expect(most).toBe(1);
  });
});

describe('acquireLock', () => {
  it('takes over a lock abandoned more than 15 minutes ago', async () => {
    const lock = path.join(dir, 'lock');
    fs.mkdirSync(lock);
    const old = new Date(Date.now() - 16 * 60_000);
    fs.utimesSync(lock, old, old);
    const release = await acquireLock(lock, 1000);
    expect(fs.existsSync(lock)).toBe(true);
    release();
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('says who to blame when a live lock is held too long', async () => {
    const lock = path.join(dir, 'lock');
    fs.mkdirSync(lock);
    await expect(acquireLock(lock, 300)).rejects.toThrow(/lock is held by another process .*remove it if none runs/);
  });
});
