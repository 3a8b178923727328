import { App, TerraformStack, Testing } from 'cdktf';
import { inNamedTest } from './in-named-test';

export { env } from './env';

/** The `resource` block of a synthesized stack: type -> logical id -> attributes. */
export type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** A synthesized stack: its JSON text and the blocks tests read. */
export interface SynthesizedStack {
  readonly json: string;
  readonly resource: Resources;
  readonly variable: Record<string, Record<string, unknown>>;
  readonly output: Record<string, Record<string, unknown>>;
}

/**
 * Synthesizes one stack (`test`) built by `build`. In a `describe` body this happens in a test named "synthesizes the
 * test stack", so a construct error fails that test instead of the file (see `inNamedTest`).
 */
export function synthStack(build: (stack: TerraformStack, app: App) => void): SynthesizedStack {
  return inNamedTest('synthesizes the test stack', () => synthStackNow(build));
}

function synthStackNow(build: (stack: TerraformStack, app: App) => void): SynthesizedStack {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  build(stack, app);
  const json = Testing.synth(stack);
  const parsed = JSON.parse(json);
  return { json, resource: parsed.resource ?? {}, variable: parsed.variable ?? {}, output: parsed.output ?? {} };
}

/** Synthesizes one stack built by `build` and returns its `resource` block. */
export function synth(build: (stack: TerraformStack) => void): Resources {
  return inNamedTest('synthesizes the test stack', () => synthStackNow(build).resource);
}

/** The resources of one type, as a list. */
export function all(from: Resources | SynthesizedStack, type: string): Record<string, unknown>[] {
  const resources = 'json' in from && typeof from.json === 'string' ? (from as SynthesizedStack).resource : from;
  return Object.values((resources as Resources)[type] ?? {});
}

/** The only resource of a type (fails the test when there are zero or several). */
export function only(resources: Resources, type: string): Record<string, unknown> {
  const found = Object.values(resources[type] ?? {});
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
}

/** The single resource of a type whose construct path ends with `pathEnd` (matched on the logical id cdktf derives from it). */
export function byPath(resources: Resources, type: string, pathEnd: string): Record<string, unknown> {
  const id = pathEnd.replace(/\//g, '_').replace(/[^A-Za-z0-9_-]/g, '');
  const found = Object.entries(resources[type] ?? {}).filter(([key]) => key.includes(`${id}_`));
  if (found.length !== 1) throw new Error(`expected one ${type} at */${pathEnd}, found ${found.length}`);
  return found[0][1];
}
export * from './envoy-api';
export * from './in-named-test';
export * from './verify-offline';
export * from './example-readme';
