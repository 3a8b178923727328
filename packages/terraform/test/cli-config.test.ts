import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  defaultPluginCacheDir,
  findProviderMirror,
  fullProviderSource,
  renderCliConfig,
  requiredProviders,
  scanMirror,
  uninstallableProviders,
  writeCliConfig,
} from '../src';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-ecs-cli-config-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A fake mirror: aws unpacked (as /opt/tf-plugins), null packed (as `terraform providers mirror` writes). */
function fakeMirror(dir: string): string {
  fs.mkdirSync(path.join(dir, 'registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'registry.terraform.io/hashicorp/null'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'registry.terraform.io/hashicorp/null/terraform-provider-null_3.2.4_linux_amd64.zip'),
    '',
  );
  return dir;
}

describe('provider mirror discovery', () => {
  const mirror = fakeMirror(path.join(tmp, 'mirror'));
  const empty = path.join(tmp, 'empty');
  fs.mkdirSync(empty);

  it('lists providers and versions of unpacked and packed layouts', () => {
    expect(scanMirror(mirror).providers).toEqual({
      'registry.terraform.io/hashicorp/aws': ['5.100.0'],
      'registry.terraform.io/hashicorp/null': ['3.2.4'],
    });
  });

  it('takes the first candidate that holds the AWS provider', () => {
    expect(findProviderMirror({}, [path.join(tmp, 'missing'), empty, mirror])?.path).toBe(mirror);
    expect(findProviderMirror({}, [empty])).toBeUndefined();
  });

  it('prefers TTS_ECS_PROVIDER_MIRROR, and rejects one without the AWS provider naming the expected layout', () => {
    expect(findProviderMirror({ TTS_ECS_PROVIDER_MIRROR: mirror }, [])?.path).toBe(mirror);
    expect(() => findProviderMirror({ TTS_ECS_PROVIDER_MIRROR: empty }, [mirror])).toThrow(
      `TTS_ECS_PROVIDER_MIRROR=${empty} holds no registry.terraform.io/hashicorp/aws (expected ${empty}/registry.terraform.io/hashicorp/aws/<version>/<os_arch>/).`,
    );
  });
});

describe('CLI config', () => {
  const mirror = scanMirror(fakeMirror(path.join(tmp, 'mirror2')));

  it('sends the mirrored providers to the mirror only, everything else to the registry, with a shared cache', () => {
    const text = renderCliConfig(mirror, '/repo/.tts-ecs/plugin-cache');
    const include = '["registry.terraform.io/hashicorp/aws","registry.terraform.io/hashicorp/null"]';
    expect(text).toContain('plugin_cache_dir = "/repo/.tts-ecs/plugin-cache"');
    expect(text).toContain(
      `filesystem_mirror {\n    path    = ${JSON.stringify(mirror.path)}\n    include = ${include}\n  }`,
    );
    expect(text).toContain(`direct {\n    exclude = ${include}\n  }`);
  });

  it('without a mirror holds only the plugin cache (normal registry installation)', () => {
    expect(renderCliConfig(undefined, '/c')).toBe('plugin_cache_dir = "/c"\n');
  });

  it('writes the file into the work dir and creates the cache dir', () => {
    const file = writeCliConfig(path.join(tmp, 'work'), mirror, path.join(tmp, 'cache'));
    expect(file).toBe(path.join(tmp, 'work', 'terraform.tfrc'));
    expect(fs.readFileSync(file, 'utf8')).toContain('filesystem_mirror');
    expect(fs.statSync(path.join(tmp, 'cache')).isDirectory()).toBe(true);
  });

  it('puts the plugin cache under the repo .tts-ecs dir, or where TTS_ECS_PLUGIN_CACHE says', () => {
    const repo = path.join(tmp, 'repo');
    fs.mkdirSync(path.join(repo, 'cdktf.out'), { recursive: true });
    fs.writeFileSync(path.join(repo, 'pnpm-workspace.yaml'), '');
    expect(defaultPluginCacheDir([path.join(repo, 'cdktf.out')], {})).toBe(path.join(repo, '.tts-ecs', 'plugin-cache'));
    expect(defaultPluginCacheDir([repo], { TTS_ECS_PLUGIN_CACHE: '/x/cache' })).toBe('/x/cache');
  });
});

describe('provider requirements', () => {
  const stack = {
    terraform: {
      required_providers: {
        aws: { source: 'aws', version: '5.100.0' },
        random: { source: 'hashicorp/random', version: '3.7.2' },
      },
    },
  };
  const mirror = { path: '/m', providers: { 'registry.terraform.io/hashicorp/aws': ['5.100.0'] } };

  it('reads required_providers with full source addresses', () => {
    expect(requiredProviders(stack)).toEqual([
      { source: 'registry.terraform.io/hashicorp/aws', version: '5.100.0' },
      { source: 'registry.terraform.io/hashicorp/random', version: '3.7.2' },
    ]);
    expect(fullProviderSource('example.com/Acme/Thing')).toBe('example.com/acme/thing');
  });

  it('flags providers the mirror lacks; without a mirror assumes the registry is reachable', () => {
    expect(uninstallableProviders(requiredProviders(stack), mirror)).toEqual([
      'registry.terraform.io/hashicorp/random',
    ]);
    expect(uninstallableProviders(requiredProviders(stack), undefined)).toEqual([]);
  });
});
