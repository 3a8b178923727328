import * as fs from 'fs';
import * as path from 'path';

/**
 * The package structure of docs/architecture.md, enforced: every `@tts-ecs/*` import of a package's sources is a
 * declared dependency, dependencies point one way (down the layers below), and no package holds more than ~3,500 lines
 * of hand-written source (generated data files excepted): past that, a package splits by concern (as web ingress left
 * network).
 */
const ROOT = path.join(__dirname, '../../../..');

/** Layer of each package: a package may depend only on packages of a lower layer (or, inside layer 1, as listed). */
const LAYER: Record<string, number> = {
  '@tts-ecs/core': 0,
  '@tts-ecs/terraform': 0,
  '@tts-ecs/diagram': 1, // reads synth output through the terraform harness
  '@tts-ecs/network': 1,
  '@tts-ecs/data': 1,
  '@tts-ecs/compute': 1,
  '@tts-ecs/web': 2, // builds on network (DNS alias targets, names)
  '@tts-ecs/observability': 2, // builds on compute (the Prometheus service)
  '@tts-ecs/config': 1,
  '@tts-ecs/stacks': 2,
  '@tts-ecs/tts-catalog': 2,
  '@tts-ecs/tts': 3,
  '@tts-ecs/cli': 3,
  '@tts-ecs/app-bootstrap': 4,
  '@tts-ecs/app-primary': 4,
  '@tts-ecs/app-secondary': 4,
};
/** The generic construct packages know nothing of TTS, the deployment config or the toolchain. */
const GENERIC = [
  '@tts-ecs/core',
  '@tts-ecs/network',
  '@tts-ecs/web',
  '@tts-ecs/data',
  '@tts-ecs/compute',
  '@tts-ecs/observability',
];

interface Pkg {
  name: string;
  dir: string;
  deps: string[];
}

function packages(): Pkg[] {
  return ['packages', 'apps']
    .flatMap((top) => fs.readdirSync(path.join(ROOT, top)).map((d) => path.join(ROOT, top, d)))
    .filter((dir) => fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'src')))
    .map((dir) => {
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      return {
        name: json.name,
        dir,
        deps: Object.keys(json.dependencies ?? {}).filter((d) => d.startsWith('@tts-ecs/')),
      };
    })
    .filter((p) => p.name !== '@tts-ecs/testing');
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

const PACKAGES = packages();

describe('package structure', () => {
  it('knows every package', () => {
    expect(PACKAGES.map((p) => p.name).sort()).toEqual(Object.keys(LAYER).sort());
  });

  it.each(PACKAGES.map((p) => [p.name, p] as const))('%s imports only what it declares', (_, pkg) => {
    const imported = new Set<string>();
    for (const file of sourceFiles(path.join(pkg.dir, 'src'))) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/from '(@tts-ecs\/[a-z-]+)/g)) imported.add(m[1]);
    }
    imported.delete(pkg.name);
    expect([...imported].filter((i) => !pkg.deps.includes(i))).toEqual([]);
  });

  it.each(PACKAGES.map((p) => [p.name, p] as const))('%s depends only on lower layers', (_, pkg) => {
    const upward = pkg.deps.filter((d) => LAYER[d] >= LAYER[pkg.name]);
    expect(upward).toEqual([]);
    if (GENERIC.includes(pkg.name)) expect(pkg.deps.filter((d) => !GENERIC.includes(d))).toEqual([]);
  });

  it.each(PACKAGES.map((p) => [p.name, p] as const))('%s stays readable (at most ~3,500 source lines)', (_, pkg) => {
    const lines = sourceFiles(path.join(pkg.dir, 'src'))
      .filter((f) => !f.endsWith('.generated.ts'))
      .reduce((n, f) => n + fs.readFileSync(f, 'utf8').split('\n').length, 0);
    expect(lines).toBeLessThanOrEqual(3600);
  });
});

describe('examples', () => {
  const examples = fs.existsSync(path.join(ROOT, 'examples'))
    ? fs
        .readdirSync(path.join(ROOT, 'examples'))
        .map((d) => path.join(ROOT, 'examples', d))
        .filter((dir) => fs.existsSync(path.join(dir, 'package.json')))
    : [];

  it('exist (camunda and treepli)', () => {
    expect(examples.map((d) => path.basename(d)).sort()).toEqual(['camunda', 'treepli']);
  });

  it.each(examples.map((d) => [path.basename(d), d] as const))(
    '%s is built only from the published generic packages, each declared',
    (_, dir) => {
      const declared = Object.keys(
        JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies ?? {},
      );
      const imported = new Set<string>();
      for (const file of sourceFiles(path.join(dir, 'src')))
        for (const m of fs.readFileSync(file, 'utf8').matchAll(/from '(@tts-ecs\/[a-z-]+)/g)) imported.add(m[1]);
      expect([...imported].filter((i) => !GENERIC.includes(i))).toEqual([]);
      expect([...imported].filter((i) => !declared.includes(i))).toEqual([]);
    },
  );
});

describe('generic packages', () => {
  it.each(GENERIC.map((name) => [name] as const))('%s never mentions TTS, The Things Stack or LoRaWAN', (name) => {
    const pkg = PACKAGES.find((p) => p.name === name);
    const mentions = sourceFiles(path.join(pkg!.dir, 'src')).flatMap((file) =>
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ line: line.replace(/tts-ecs/g, ''), at: `${path.relative(ROOT, file)}:${i + 1}` }))
        .filter(({ line }) => /\btts\b|things stack|lorawan|things industries/i.test(line))
        .map(({ at }) => at),
    );
    expect(mentions).toEqual([]);
  });
});
