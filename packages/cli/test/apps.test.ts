import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { discoverApps, rankedApps } from '../src/synth';

const ROOT = path.join(__dirname, '../../..');

describe('the apps of the repository, declared by their cdktf.json', () => {
  it('finds bootstrap, primary and secondary with how each is synthesized', () => {
    const apps = discoverApps(ROOT);
    expect(apps.map((a) => [a.name, a.command.join(' '), a.applyRank])).toEqual([
      ['bootstrap', 'node dist/main.js', undefined],
      ['primary', 'node dist/main.js', 0],
      ['secondary', 'node dist/main.js', 1],
    ]);
    expect(rankedApps(apps)).toEqual(['primary', 'secondary']);
  });

  it('refuses an apply rank that is not a whole number', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'apps-'));
    fs.mkdirSync(path.join(root, 'apps', 'odd'), { recursive: true });
    fs.writeFileSync(
      path.join(root, 'apps', 'odd', 'cdktf.json'),
      JSON.stringify({ app: 'node dist/main.js', context: { 'tts-ecs:applyRank': 'first' } }),
    );
    expect(() => discoverApps(root)).toThrow(/context "tts-ecs:applyRank" must be a whole number >= 0, not "first"/);
    fs.rmSync(root, { recursive: true, force: true });
  });
});
