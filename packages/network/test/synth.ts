import { Testing, TerraformStack } from 'cdktf';

export type Resources = Record<string, Record<string, Record<string, unknown>>>;

export const env = { accountId: '111111111111', region: 'eu-west-1' };

/** Synthesizes a stack built by `build` and returns its `resource` block. */
export function synth(build: (stack: TerraformStack) => void): Resources {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  build(stack);
  return JSON.parse(Testing.synth(stack)).resource ?? {};
}

/** The resources of one type, as a list. */
export function all(resources: Resources, type: string): Record<string, unknown>[] {
  return Object.values(resources[type] ?? {}) as Record<string, unknown>[];
}

/** The single resource of a type whose construct path ends with `pathEnd` (matched on the logical id cdktf derives from it). */
export function byPath(resources: Resources, type: string, pathEnd: string): Record<string, unknown> {
  const id = pathEnd.replace(/\//g, '_').replace(/[^A-Za-z0-9_-]/g, '');
  const found = Object.entries(resources[type] ?? {}).filter(([key]) => key.includes(`${id}_`));
  if (found.length !== 1) throw new Error(`expected one ${type} at */${pathEnd}, found ${found.length}`);
  return found[0][1];
}
