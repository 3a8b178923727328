// patches/cdktf@0.21.0.patch also defers three of cdktf's imports to their first use: archiver (zips assets; about
// 85 ms of every process that loads cdktf), semver (checks binary versions) and json-stable-stringify (40 modules;
// HCL output metadata and Testing only: manifest.json is written like cdk.tf.json). These tests hold the deferral and
// prove both still work when used. They run in child processes: jest's module registry would hide what loaded.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const cdktfDir = path.dirname(require.resolve('cdktf/package.json'));
const node = (script: string): string =>
  execFileSync(process.execPath, ['-e', script], { cwd: __dirname, encoding: 'utf8' }).trim();
const loaded = (name: string): string =>
  `Object.keys(require.cache).some((file) => file.includes('/node_modules/${name}/'))`;

it('loads neither archiver, semver nor json-stable-stringify with cdktf, nor while synthesizing a stack without assets', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-lazy-'));
  const script = `
    const { App, TerraformStack, TerraformOutput } = require(${JSON.stringify(cdktfDir)});
    const app = new App({ outdir: ${JSON.stringify(out)}, stackTraces: false });
    new TerraformOutput(new TerraformStack(app, 's'), 'o', { value: 'v' });
    app.synth();
    console.log(JSON.stringify([${loaded('archiver')}, ${loaded('semver')}, ${loaded('json-stable-stringify')}]));`;
  expect(JSON.parse(node(script))).toEqual([false, false, false]);
  fs.rmSync(out, { recursive: true, force: true });
});

it('still zips an archive asset (cdktf zips in a child process running lib/private/fs.js, which loads archiver)', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-lazy-'));
  const source = path.join(out, 'src');
  fs.mkdirSync(source);
  fs.writeFileSync(path.join(source, 'index.js'), 'exports.handler = () => 1;\n');
  const script = `
    const { App, TerraformStack, TerraformAsset, AssetType } = require(${JSON.stringify(cdktfDir)});
    const app = new App({ outdir: ${JSON.stringify(path.join(out, 'out'))}, stackTraces: false });
    new TerraformAsset(new TerraformStack(app, 's'), 'a', { path: ${JSON.stringify(source)}, type: AssetType.ARCHIVE });
    app.synth();
    console.log(JSON.stringify(${loaded('archiver')}));`;
  expect(JSON.parse(node(script))).toBe(false);
  const zips = (fs.readdirSync(path.join(out, 'out'), { recursive: true }) as string[]).filter((f) =>
    f.endsWith('.zip'),
  );
  expect(zips).toHaveLength(1);
  const zip = fs.readFileSync(path.join(out, 'out', zips[0]));
  expect(zip.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04])); // "PK\3\4": a zip archive
  expect(zip.includes(Buffer.from('index.js'))).toBe(true);
  fs.rmSync(out, { recursive: true, force: true });
});

it('still checks a binary version with semver', () => {
  const script = `
    const { ValidateBinaryVersion } = require(${JSON.stringify(path.join(cdktfDir, 'lib/validations/validate-binary-version.js'))});
    const check = (constraint) => new ValidateBinaryVersion('node', constraint, 'node --version').validate();
    console.log(JSON.stringify([check('>=1.0.0'), check('>=999.0.0')]));`;
  const [ok, tooOld] = JSON.parse(node(script)) as [string[], string[]];
  expect(ok).toEqual([]);
  expect(tooOld[0]).toMatch(/^node version \d+\.\d+\.\d+ is lower than the required version >=999\.0\.0/);
});

it('still writes HCL output metadata and Testing.synth output with json-stable-stringify', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-lazy-'));
  const script = `
    const { App, TerraformStack, TerraformOutput, Testing } = require(${JSON.stringify(cdktfDir)});
    const stack = new TerraformStack(Testing.app({ stackTraces: false }), 's');
    new TerraformOutput(stack, 'o', { value: 'v' });
    console.log(JSON.stringify([Testing.synth(stack), ${loaded('json-stable-stringify')}]));`;
  const [synthesized, loadedAfter] = JSON.parse(node(script)) as [string, boolean];
  expect(JSON.parse(synthesized).output).toEqual({ o: { value: 'v' } });
  expect(loadedAfter).toBe(true);
  fs.rmSync(out, { recursive: true, force: true });
});
