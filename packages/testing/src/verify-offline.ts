import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { formatReport, runVerify, VerifyResult } from '@tts-ecs/terraform';
import { env } from './env';

/** Whether `terraform` is on PATH: without it, offline verification cannot run (and says so). */
export const terraformOnPath: boolean = (() => {
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** `describe`, or `describe.skip` with a warning when terraform is missing (skipped is never passed). */
export function describeWithTerraform(name: string, body: () => void): void {
  if (!terraformOnPath) console.warn(`${name}: SKIPPED, \`terraform\` is not on PATH.`);
  (terraformOnPath ? describe : describe.skip)(name, body);
}

/** A stack with the AWS provider in the test account and region, plus a `us` alias in us-east-1 (CloudFront, ACM). */
export function awsStack(app: App, name: string): TerraformStack {
  const stack = new TerraformStack(app, name);
  new AwsProvider(stack, 'aws', { region: env.region, allowedAccountIds: [env.accountId] });
  new AwsProvider(stack, 'us', { alias: 'us', region: 'us-east-1', allowedAccountIds: [env.accountId] });
  return stack;
}

/**
 * Synthesizes the stacks `build` adds to an app and runs the offline verify harness on them: `terraform init` +
 * `validate` against the real AWS provider, then a plan with fake credentials. Returns the result; call
 * {@link expectVerified} on it.
 */
export async function verifyOffline(build: (app: App) => void): Promise<VerifyResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-ecs-verify-offline-'));
  try {
    const app = new App({ outdir: dir, skipValidation: false });
    build(app);
    app.synth();
    return await runVerify({ synthDir: dir, concurrency: 2 });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Fails with terraform's report unless every stack validated and planned (a skipped stack fails too). */
export function expectVerified(result: VerifyResult): void {
  const notPlanned = result.stacks.filter((s) => s.validate !== 'ok' || s.plan !== 'ok');
  if (notPlanned.length > 0 || result.stacks.length === 0) throw new Error(formatReport(result));
}
