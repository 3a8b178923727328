import { builtinModules } from 'module';
import * as fs from 'fs';
import * as path from 'path';

/**
 * What a consumer gets from each published package: an exports map (deep dist/ paths are not public API), the license
 * and its text, a README, no build info, source maps that resolve (src is shipped), and exactly the dependencies and
 * peers its sources import.
 */
const ROOT = path.join(__dirname, '../../../..');
const PUBLISHED = fs
  .readdirSync(path.join(ROOT, 'packages'))
  .map((d) => path.join(ROOT, 'packages', d))
  .filter((dir) => fs.existsSync(path.join(dir, 'package.json')))
  .map((dir) => ({ dir, json: JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) }))
  .filter((p) => !p.json.private);

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sources(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Bare package names a package's sources import or require (not node built-ins, not itself). */
function importedPackages(dir: string, self: string): Set<string> {
  const found = new Set<string>();
  for (const file of sources(path.join(dir, 'src'))) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from |require\()'([^'.][^']*)'/g)) {
      const spec = m[1];
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      if (!builtinModules.includes(name) && name !== self) found.add(name);
    }
  }
  return found;
}

describe.each(PUBLISHED.map((p) => [p.json.name as string, p] as const))('%s', (_, { dir, json }) => {
  it('has an exports map, its license with the text, and a README', () => {
    expect(json.exports['./package.json']).toBe('./package.json');
    expect(json.license).toBe('Apache-2.0');
    expect(fs.readFileSync(path.join(dir, 'LICENSE'), 'utf8')).toContain('Apache License');
    expect(fs.existsSync(path.join(dir, 'README.md'))).toBe(true);
  });

  it('ships dist without its build info, and src for the source maps', () => {
    expect(json.files).toEqual(expect.arrayContaining(['dist', '!dist/tsconfig.tsbuildinfo', 'src']));
  });

  it('declares exactly the packages its sources import', () => {
    const declared = new Set([...Object.keys(json.dependencies ?? {}), ...Object.keys(json.peerDependencies ?? {})]);
    const imported = importedPackages(dir, json.name);
    expect([...imported].filter((i) => !declared.has(i))).toEqual([]);
    expect(Object.keys(json.peerDependencies ?? {}).filter((p) => !imported.has(p))).toEqual([]);
  });
});
