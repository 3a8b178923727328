import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { DeploymentConfig } from '@tts-ecs/config';
import { composePrimary, composeSecondaries } from '../../src';
import { inNamedTest } from '@tts-ecs/testing';
import { Json } from './helpers';
import { cachedStacks } from './synth-cache';

/**
 * Synthesizes both apps like `pnpm synth` does (app.synth(), which resolves cdktf cross-stack references into
 * remote-state inputs and outputs) and returns every stack's JSON by stack name. In a `describe` body this happens in
 * a named test (see `inNamedTest`).
 */
export function fullSynth(config: DeploymentConfig): Record<string, Json> {
  return inNamedTest('synthesizes both apps', () => cachedStacks('full-synth', config, () => fullSynthNow(config)));
}

function fullSynthNow(config: DeploymentConfig): Record<string, Json> {
  const stacks: Record<string, Json> = {};
  for (const compose of [composePrimary, composeSecondaries]) {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-compose-'));
    try {
      const app = new App({ outdir, skipValidation: true });
      compose(app, config);
      app.synth();
      for (const name of fs.readdirSync(path.join(outdir, 'stacks'))) {
        stacks[name] = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));
      }
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }
  return stacks;
}
