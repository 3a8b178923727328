import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The provider every tts-ecs stack needs; a directory without it is not the mirror we look for. */
export const AWS_PROVIDER = 'registry.terraform.io/hashicorp/aws';

/** Where a provider mirror is looked for when `TTS_ECS_PROVIDER_MIRROR` is not set, in this order. */
export function defaultMirrorCandidates(): string[] {
  return ['/opt/tf-plugins', path.join(os.homedir(), '.terraform.d', 'plugins'), '/usr/share/terraform/plugins'];
}

/** A Terraform filesystem mirror and the providers (full source addresses) it holds. */
export interface ProviderMirror {
  readonly path: string;
  /** e.g. `registry.terraform.io/hashicorp/aws` -> [`5.100.0`]. */
  readonly providers: Readonly<Record<string, readonly string[]>>;
}

/**
 * Lists the providers of a filesystem mirror: unpacked (`<host>/<ns>/<type>/<version>/<os_arch>/`) and packed
 * (`<host>/<ns>/<type>/terraform-provider-<type>_<version>_<os>_<arch>.zip`) layouts.
 */
export function scanMirror(dir: string): ProviderMirror {
  const providers: Record<string, string[]> = {};
  const subdirs = (p: string): string[] =>
    fs.existsSync(p)
      ? fs
          .readdirSync(p, { withFileTypes: true })
          .filter((e) => e.isDirectory() || e.isSymbolicLink())
          .map((e) => e.name)
      : [];
  for (const host of subdirs(dir)) {
    for (const ns of subdirs(path.join(dir, host))) {
      for (const type of subdirs(path.join(dir, host, ns))) {
        const typeDir = path.join(dir, host, ns, type);
        const versions = new Set<string>(subdirs(typeDir).filter((v) => /^\d+\.\d+\.\d+/.test(v)));
        for (const file of fs.readdirSync(typeDir)) {
          const packed = new RegExp(`^terraform-provider-${type}_([^_]+)_[^_]+_[^_]+\\.zip$`).exec(file);
          if (packed) versions.add(packed[1]);
        }
        if (versions.size > 0) providers[`${host}/${ns}/${type}`.toLowerCase()] = [...versions].sort();
      }
    }
  }
  return { path: dir, providers };
}

/**
 * Finds the provider mirror: `TTS_ECS_PROVIDER_MIRROR` if set (an error if it does not hold the AWS provider:
 * the user asked for it explicitly), else the first of `candidates` holding the AWS provider, else undefined
 * (terraform then installs from the registry).
 */
export function findProviderMirror(
  env: NodeJS.ProcessEnv = process.env,
  candidates: readonly string[] = defaultMirrorCandidates(),
): ProviderMirror | undefined {
  const explicit = env.TTS_ECS_PROVIDER_MIRROR;
  if (explicit) {
    const mirror = scanMirror(path.resolve(explicit));
    if (!mirror.providers[AWS_PROVIDER]) {
      throw new Error(
        `TTS_ECS_PROVIDER_MIRROR=${explicit} holds no ${AWS_PROVIDER} (expected ${path.join(explicit, AWS_PROVIDER)}/<version>/<os_arch>/). ` +
          'Point it at a terraform filesystem mirror (`terraform providers mirror <dir>`), or unset it to use the registry.',
      );
    }
    return mirror;
  }
  for (const candidate of candidates) {
    const mirror = scanMirror(candidate);
    if (mirror.providers[AWS_PROVIDER]) return mirror;
  }
  return undefined;
}

/** Renders our terraform CLI config: the mirror for the providers it holds, the registry for the rest. */
export function renderCliConfig(mirror: ProviderMirror | undefined, pluginCacheDir: string): string {
  const lines = [`plugin_cache_dir = ${JSON.stringify(pluginCacheDir)}`];
  if (mirror) {
    const include = JSON.stringify(Object.keys(mirror.providers).sort());
    lines.push(
      'provider_installation {',
      '  filesystem_mirror {',
      `    path    = ${JSON.stringify(mirror.path)}`,
      `    include = ${include}`,
      '  }',
      '  direct {',
      `    exclude = ${include}`,
      '  }',
      '}',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Writes the CLI config into `workDir` (creating the plugin cache dir) and returns the file's path. */
export function writeCliConfig(workDir: string, mirror: ProviderMirror | undefined, pluginCacheDir: string): string {
  fs.mkdirSync(workDir, { recursive: true });
  fs.mkdirSync(pluginCacheDir, { recursive: true });
  const file = path.join(workDir, 'terraform.tfrc');
  fs.writeFileSync(file, renderCliConfig(mirror, pluginCacheDir));
  return file;
}

/**
 * The shared plugin cache: `TTS_ECS_PLUGIN_CACHE`, else `<repo>/.tts-ecs/plugin-cache` (the repo being the nearest
 * ancestor with a pnpm-workspace.yaml of the first of `from` that has one), else one under the OS temp dir.
 * Sharing it means the ~700 MB AWS provider is linked into each stack's `.terraform`, never copied.
 */
export function defaultPluginCacheDir(
  from: readonly string[] = [process.cwd(), __dirname],
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (env.TTS_ECS_PLUGIN_CACHE) return path.resolve(env.TTS_ECS_PLUGIN_CACHE);
  for (const start of from) {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
      if (fs.existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return path.join(dir, '.tts-ecs', 'plugin-cache');
      if (path.dirname(dir) === dir) break;
    }
  }
  return path.join(os.tmpdir(), 'tts-ecs-plugin-cache');
}

/** A provider requirement of one stack. */
export interface ProviderRequirement {
  /** Full source address, e.g. `registry.terraform.io/hashicorp/random`. */
  readonly source: string;
  /** Version constraint as written, if any. */
  readonly version?: string;
}

/** Expands a `required_providers` source (`aws`, `hashicorp/aws`, `example.com/ns/type`) to its full address. */
export function fullProviderSource(source: string): string {
  const parts = source.toLowerCase().split('/');
  if (parts.length === 1) return `registry.terraform.io/hashicorp/${parts[0]}`;
  if (parts.length === 2) return `registry.terraform.io/${parts[0]}/${parts[1]}`;
  return parts.join('/');
}

/** The providers a synthesized stack (cdk.tf.json) requires, from `terraform.required_providers`. */
export function requiredProviders(stack: unknown): ProviderRequirement[] {
  const required =
    (stack as { terraform?: { required_providers?: Record<string, unknown> } })?.terraform?.required_providers ?? {};
  return Object.entries(required).map(([local, spec]) => {
    const { source, version } = (typeof spec === 'string' ? { version: spec } : spec) as {
      source?: string;
      version?: string;
    };
    return { source: fullProviderSource(source ?? local), ...(version ? { version } : {}) };
  });
}

/**
 * Providers of `required` that cannot be installed: with a mirror, those it does not hold (our CLI config sends
 * only those to the registry, which an offline machine cannot reach); without a mirror, none (registry assumed).
 */
export function uninstallableProviders(
  required: readonly ProviderRequirement[],
  mirror: ProviderMirror | undefined,
): string[] {
  if (!mirror) return [];
  return required.map((r) => r.source).filter((source) => !mirror.providers[source]);
}
