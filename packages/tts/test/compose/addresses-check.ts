import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import { DeploymentConfig, parseDeploymentConfig } from '@tts-ecs/config';
import { BootstrapStack } from '@tts-ecs/stacks';
import { inNamedTest } from '@tts-ecs/testing';
import { fullSynth } from './full-synth';
import { Json } from './helpers';

/**
 * Terraform addresses never change silently: the resource addresses of every stack of a deployment (bootstrap,
 * primary, secondaries) are checked in under test/compose/addresses/. A refactor leaves them as they are; an intended
 * change (a new resource, a deliberate replacement) regenerates them with `UPDATE_ADDRESSES=1 npx jest addresses` and
 * shows up in review as a diff of that file. Stateful resources (databases, caches, buckets, file systems, secrets,
 * keys) must never appear there as a rename.
 */
const ROOT = path.join(__dirname, '../../../..');

function addressesOf(stacks: Record<string, Json>): string[] {
  const out: string[] = [];
  for (const [stack, json] of Object.entries(stacks)) {
    for (const [type, byName] of Object.entries((json.resource ?? {}) as Record<string, Json>))
      for (const name of Object.keys(byName)) out.push(`${stack} ${type}.${name}`);
  }
  return out.sort();
}

function bootstrapOf(config: DeploymentConfig): Record<string, Json> {
  const stack = new BootstrapStack(Testing.app(), { config });
  return { [stack.node.id]: JSON.parse(Testing.synth(stack)) };
}

/** One synth of deployments/<name>.json, compared with addresses/<name>.txt. */
export function describeAddresses(name: string): void {
  describe(`resource addresses of deployments/${name}.json`, () => {
    const file = path.join(__dirname, 'addresses', `${name}.txt`);
    const config = parseDeploymentConfig(
      JSON.parse(fs.readFileSync(path.join(ROOT, 'deployments', `${name}.json`), 'utf8')),
      `${name}.json`,
    );
    const bootstrap = inNamedTest('synthesizes the bootstrap stack', () => bootstrapOf(config));
    const stacks = fullSynth(config);

    it('are the checked-in ones', () => {
      const actual = addressesOf({ ...bootstrap, ...stacks });
      if (process.env.UPDATE_ADDRESSES === '1') fs.writeFileSync(file, actual.join('\n') + '\n');
      const expected = fs.readFileSync(file, 'utf8').trim().split('\n');
      const removed = expected.filter((a) => !actual.includes(a));
      const added = actual.filter((a) => !expected.includes(a));
      expect({ removed, added }).toEqual({ removed: [], added: [] });
    });
  });
}
