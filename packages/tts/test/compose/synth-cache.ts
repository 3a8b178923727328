import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { DeploymentConfig } from '@tts-ecs/config';
import { Json } from './helpers';

/**
 * Several test files synthesize the same deployment (the example, all-features) the same way. Within one jest run
 * the first synthesis of a config is kept as JSON in the run's temporary folder (scripts/jest-temp-setup.js, removed
 * when the run ends) and later files read it: the sources cannot change during a run. Outside jest: no cache.
 */
export function cachedStacks(
  kind: 'synth-all' | 'full-synth',
  config: DeploymentConfig,
  synthesize: () => Record<string, Json>,
): Record<string, Json> {
  const runDir = process.env.TTS_ECS_JEST_TMPDIR;
  if (!runDir) return synthesize();
  const key = createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 20);
  const file = path.join(runDir, 'synth-cache', `${kind}-${key}.json`);
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Json>;
  const stacks = synthesize();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written whole, then renamed: a parallel worker never reads half a file.
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, JSON.stringify(stacks));
  fs.renameSync(partial, file);
  return stacks;
}
