import { App, TerraformStack, Testing } from 'cdktf';

export const env = { accountId: '111111111111', region: 'eu-west-1' };
export const topicArn = 'arn:aws:sns:eu-west-1:111111111111:alarms';

export type Synth = {
  json: string;
  resource: Record<string, Record<string, Record<string, unknown>>>;
  variable: Record<string, Record<string, unknown>>;
  output: Record<string, Record<string, unknown>>;
};

/** Synthesizes one stack built by `build`. */
export function synth(build: (stack: TerraformStack, app: App) => void): Synth {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  build(stack, app);
  const json = Testing.synth(stack);
  const parsed = JSON.parse(json);
  return { json, resource: parsed.resource ?? {}, variable: parsed.variable ?? {}, output: parsed.output ?? {} };
}

/** All resources of one type, as a list. */
export function all(s: Synth, type: string): Record<string, unknown>[] {
  return Object.values(s.resource[type] ?? {});
}
