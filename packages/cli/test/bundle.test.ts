import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  BUNDLE_FILE,
  BUNDLE_MANIFEST,
  bundleState,
  bundledApp,
  composeModules,
  registerBundledApps,
} from '../src/bundle';

// A checkout with two apps (one without a compose module) and a bundle built from three files.
let repo: string;
let dist: string;
let inputs: string[];
beforeEach(() => {
  repo = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-ecs-bundle-'));
  dist = path.join(repo, 'packages/cli/dist');
  fs.mkdirSync(dist, { recursive: true });
  const app = (name: string, context: Record<string, unknown>) => {
    fs.mkdirSync(path.join(repo, 'apps', name, 'dist'), { recursive: true });
    fs.writeFileSync(path.join(repo, 'apps', name, 'cdktf.json'), JSON.stringify({ app: 'node x', context }));
    fs.writeFileSync(path.join(repo, 'apps', name, 'dist/app.js'), 'exports.compose = () => {};\n');
  };
  app('primary', { 'tts-ecs:compose': 'dist/app.js' });
  app('bootstrap', {});
  inputs = [path.join(repo, 'apps/primary/dist/app.js'), path.join(repo, 'apps/primary/cdktf.json')];
  fs.writeFileSync(path.join(dist, 'cli.js'), 'module.exports = 1;\n');
  inputs.push(path.join(dist, 'cli.js'));
  fs.writeFileSync(path.join(dist, BUNDLE_FILE), '// bundle\n');
  writeManifest();
});
afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

function writeManifest(overrides: Record<string, unknown> = {}): void {
  const recorded = inputs.map((file) => {
    const stat = fs.statSync(file);
    return [file, stat.size, stat.mtimeMs];
  });
  const apps = [path.join(repo, 'apps/primary/dist/app.js')];
  const bundle = fs.statSync(path.join(dist, BUNDLE_FILE));
  const record = { size: bundle.size, mtimeMs: bundle.mtimeMs, md5: 'recorded', ascii: true };
  const manifest = { version: 2, inputs: recorded, apps, dynamicImport: false, bundle: record, ...overrides };
  fs.writeFileSync(path.join(dist, BUNDLE_MANIFEST), JSON.stringify(manifest));
}

const reason = () => {
  const state = bundleState(dist, repo);
  return state.fresh ? 'fresh' : state.reason;
};

describe('bundleState', () => {
  it('runs the bundle while every input is as it was built and the apps are the same', () => {
    const state = bundleState(dist, repo);
    expect(state.fresh && state.file).toBe(path.join(dist, BUNDLE_FILE));
  });

  it('does not when an input was rewritten, even with the same size', () => {
    const file = path.join(dist, 'cli.js');
    fs.writeFileSync(file, 'module.exports = 2;\n'); // same length
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(reason()).toBe(`${file} changed`);
  });

  it('does not when the bundle itself was changed after the build (its recorded hash would be wrong)', () => {
    const file = path.join(dist, BUNDLE_FILE);
    fs.writeFileSync(file, '// BUNDLE\n'); // same length
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(reason()).toBe(`${BUNDLE_FILE} changed after the build`);
    fs.rmSync(file);
    expect(reason()).toBe(`${BUNDLE_FILE} is missing`);
  });

  it('does not when an input changed size or is gone', () => {
    fs.appendFileSync(path.join(dist, 'cli.js'), '// more\n');
    expect(reason()).toBe(`${path.join(dist, 'cli.js')} changed`);
    fs.rmSync(path.join(dist, 'cli.js'));
    expect(reason()).toBe(`${path.join(dist, 'cli.js')} is gone`);
  });

  it('does not when an app was added or its compose module renamed', () => {
    fs.mkdirSync(path.join(repo, 'apps/tertiary'));
    fs.writeFileSync(
      path.join(repo, 'apps/tertiary/cdktf.json'),
      JSON.stringify({ context: { 'tts-ecs:compose': 'dist/app.js' } }),
    );
    expect(reason()).toBe('the apps changed (bundled: 1, now: 2)');
    fs.rmSync(path.join(repo, 'apps/tertiary'), { recursive: true });
    fs.writeFileSync(
      path.join(repo, 'apps/primary/cdktf.json'),
      JSON.stringify({ context: { 'tts-ecs:compose': 'dist/compose.js' } }),
    );
    expect(reason()).toMatch(/apps\/primary\/cdktf\.json changed$/);
  });

  it('does not without a manifest, with one of another format, or without the bundle', () => {
    fs.writeFileSync(path.join(dist, BUNDLE_MANIFEST), '{"version": 2}');
    expect(reason()).toBe(`${BUNDLE_MANIFEST} has an unknown format`);
    writeManifest({ version: 1, bundle: undefined }); // the previous format, without the bundle's own record
    expect(reason()).toBe(`${BUNDLE_MANIFEST} has an unknown format`);
    fs.rmSync(path.join(dist, BUNDLE_MANIFEST));
    expect(reason()).toBe(`no ${BUNDLE_MANIFEST} in ${dist} (pnpm build writes it)`);
    writeManifest();
    fs.rmSync(path.join(dist, BUNDLE_FILE));
    expect(reason()).toBe(`${BUNDLE_FILE} is missing`);
  });
});

describe('composeModules', () => {
  it('lists the compose modules of the apps, sorted, skipping apps without one or with an unreadable cdktf.json', () => {
    fs.mkdirSync(path.join(repo, 'apps/broken'));
    fs.writeFileSync(path.join(repo, 'apps/broken/cdktf.json'), '{');
    fs.mkdirSync(path.join(repo, 'apps/alpha'));
    fs.writeFileSync(
      path.join(repo, 'apps/alpha/cdktf.json'),
      JSON.stringify({ context: { 'tts-ecs:compose': 'dist/app.js' } }),
    );
    expect(composeModules(repo)).toEqual([
      path.join(repo, 'apps/alpha/dist/app.js'),
      path.join(repo, 'apps/primary/dist/app.js'),
    ]);
  });
});

describe('bundled apps', () => {
  it('finds a compose module the bundle registered, and nothing otherwise', () => {
    expect(bundledApp('/x/app.js')).toBeUndefined();
    const module = { compose: () => undefined };
    registerBundledApps({ '/x/app.js': module });
    expect(bundledApp('/x/app.js')).toBe(module);
    expect(bundledApp('/y/app.js')).toBeUndefined();
    registerBundledApps({});
  });
});
