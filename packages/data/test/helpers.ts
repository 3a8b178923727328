import { Testing, TerraformStack } from 'cdktf';

export const env = { accountId: '111111111111', region: 'eu-west-1' };

export type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** Synthesizes a stack built by `build` and returns its `resource` block. */
export function synth(build: (stack: TerraformStack) => void): Resources {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  build(stack);
  return JSON.parse(Testing.synth(stack)).resource;
}

/** The only resource of a type (fails the test when there are zero or several). */
export function only(resources: Resources, type: string): Record<string, unknown> {
  const all = Object.values(resources[type] ?? {});
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}
