import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import { DeploymentConfig, DeploymentConfigInput, parseDeploymentConfig } from '@tts-ecs/config';
import { inNamedTest } from '@tts-ecs/testing';
import { composePrimary, composeSecondaries } from '../../src';
import { cachedStacks } from './synth-cache';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const EXAMPLE = path.join(__dirname, '../../../../deployments/example.json');

/** The example deployment, optionally changed, validated like a user's file. */
export function exampleConfig(change: (input: DeploymentConfigInput) => void = () => undefined): DeploymentConfig {
  const input = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
  change(input);
  return parseDeploymentConfig(input, 'example.json');
}

/** Synthesizes both apps of a config once (in a named test, see `inNamedTest`); returns every stack's JSON by name. */
export function synthAll(config: DeploymentConfig): Record<string, Json> {
  return inNamedTest('synthesizes the deployment', () => cachedStacks('synth-all', config, () => synthAllNow(config)));
}

function synthAllNow(config: DeploymentConfig): Record<string, Json> {
  const stacks: Record<string, Json> = {};
  for (const compose of [composePrimary, composeSecondaries]) {
    const app = Testing.app();
    compose(app, config);
    for (const stack of app.node.children) {
      stacks[stack.node.id] = JSON.parse(Testing.synth(stack as never));
    }
  }
  return stacks;
}

/**
 * One stack of a `synthAll`/`fullSynth` result. In a `describe` body this reads the result in a named test of its own
 * ("finds the <name> stack"), so collecting tests never builds the deployment (see `inNamedTest`).
 */
export function stackNamed(stacks: Record<string, Json>, name: string): Json {
  return inNamedTest(`finds the ${name} stack`, () => {
    const stack = stacks[name];
    if (!stack) throw new Error(`no stack ${name} (stacks: ${Object.keys(stacks).join(', ')})`);
    return stack;
  });
}

/** Resources of one type in a synthesized stack, as a list. */
export function resources(stack: Json, type: string): Json[] {
  return Object.values(stack.resource?.[type] ?? {});
}
