import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, DataTerraformRemoteStateS3, Fn, S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DataAwsSecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { Password } from '@cdktf/provider-random/lib/password';
import { formatReport, runVerify, StackVerifyResult, VerifyResult } from '../src';

// Runs real terraform offline (through the provider mirror). Without terraform on PATH there is nothing to run.
const terraformOnPath = (() => {
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!terraformOnPath) console.warn('verify.integration.test: SKIPPED, `terraform` is not on PATH.');
const describeWithTerraform = terraformOnPath ? describe : describe.skip;

const account = '123456789012';

function layer(app: App, name: string, region: string): TerraformStack {
  const stack = new TerraformStack(app, name);
  new AwsProvider(stack, 'aws', { region, allowedAccountIds: [account] });
  new AwsProvider(stack, 'us', { alias: 'us', region: 'us-east-1', allowedAccountIds: [account] });
  new S3Backend(stack, { bucket: 'acme-tfstate', key: `test/${name}.tfstate`, region: 'eu-west-1', encrypt: true });
  return stack;
}

/**
 * Two apps like `pnpm synth` writes: primary (network, a stack with cdktf cross-stack refs, one with the random
 * provider, one with an ephemeral random password and a secret value read) and secondary.
 */
function synthFixture(outDir: string): void {
  const primary = new App({ outdir: path.join(outDir, 'primary') });
  const network = layer(primary, 'net', 'eu-west-1');
  const vpc = new Vpc(network, 'vpc', { cidrBlock: '10.0.0.0/16' });
  const subnets = [0, 1].map((i) => new Subnet(network, `private${i}`, { vpcId: vpc.id, cidrBlock: `10.0.${i}.0/24` }));
  new TerraformOutput(network, 'vpc_id', { value: vpc.id });
  new TerraformOutput(network, 'private_subnet_ids', { value: subnets.map((s) => s.id) });
  const data = layer(primary, 'data', 'eu-west-1');
  new SecurityGroup(data, 'sg', { vpcId: vpc.id, name: 'data', description: 'data' }); // cdktf cross-stack reference
  new S3Bucket(data, 'bucket', { bucket: 'acme-test-data' });
  const random = layer(primary, 'random', 'eu-west-1');
  new RandomProvider(random, 'random');
  new Password(random, 'pw', { length: 32 });
  // Offline, the provider gets GetRandomPassword from the harness' stand-in and the secret read is overridden.
  const generated = layer(primary, 'generated', 'eu-west-1');
  generated.addOverride('ephemeral.aws_secretsmanager_random_password.pw', { password_length: 40 });
  const secret = new SecretsmanagerSecret(generated, 'secret', { name: 'acme/test/generated' });
  new SecretsmanagerSecretVersion(generated, 'value', {
    secretId: secret.id,
    secretStringWo: '${ephemeral.aws_secretsmanager_random_password.pw.random_password}',
    secretStringWoVersion: 1,
  });
  const read = new DataAwsSecretsmanagerSecretVersion(generated, 'read', { secretId: 'acme/test/elsewhere' });
  new SecretsmanagerSecretVersion(generated, 'copy', {
    secretId: secret.id,
    secretStringWo: read.secretString,
    secretStringWoVersion: 1,
  });
  const broken = layer(primary, 'broken', 'eu-west-1');
  new S3Bucket(broken, 'bucket', { bucket: 'acme-test-broken' }).addOverride('not_an_argument', true);
  primary.synth();

  const secondary = new App({ outdir: path.join(outDir, 'secondary') });
  const compute = layer(secondary, 'compute', 'eu-central-1');
  const remote = new DataTerraformRemoteStateS3(compute, 'primary_network', {
    bucket: 'acme-tfstate',
    key: 'test/net.tfstate',
    region: 'eu-west-1',
  });
  new SecurityGroup(compute, 'sg', { vpcId: remote.getString('vpc_id'), name: 'compute', description: 'compute' });
  new S3Bucket(compute, 'logs', {
    bucket: 'acme-test-logs',
    tags: { subnets: Fn.join(',', remote.getList('private_subnet_ids')) },
  });
  secondary.synth();
}

describeWithTerraform('runVerify against real terraform (offline)', () => {
  let result: VerifyResult;
  let alone: VerifyResult;
  let ignoringEndpoints: VerifyResult;
  const byName = (name: string, from: () => VerifyResult = () => result): StackVerifyResult => {
    const found = from().stacks.find((s) => s.stack === name);
    if (!found) throw new Error(`no result for ${name}: ${result.stacks.map((s) => s.stack).join(', ')}`);
    return found;
  };

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-ecs-verify-test-'));
    synthFixture(dir);
    result = await runVerify({ synthDir: dir, concurrency: 2 });
    alone = await runVerify({ synthDir: dir, concurrency: 2, batch: false, stacks: ['net', 'data', 'compute'] });
    // A user who tells the AWS SDK to ignore configured endpoint URLs: the stand-in must still be reached.
    const env = { ...process.env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' };
    ignoringEndpoints = await runVerify({ synthDir: dir, stacks: ['generated'], env });
    fs.rmSync(dir, { recursive: true, force: true });
  }, 180_000);

  it('plans the stacks together, re-runs the one the errors point at alone and batches the others again', () => {
    expect(result.batch).toMatchObject({ stacks: 5, ok: false, retried: { stacks: 4, ok: true } });
    expect(result.batch?.error).toContain('not_an_argument');
    for (const name of ['net', 'data', 'compute', 'generated']) expect(byName(name).batch).toEqual({ stacks: 4 });
    expect(byName('broken').batch).toBeUndefined();
    expect(formatReport(result)).toContain(
      'the stacks its errors point at ran alone, the other 4 were planned together again (ok)',
    );
  });

  it('gives each stack of a batch the same changes and counts, under its own addresses, as a plan of it alone', () => {
    expect(alone.batch).toBeUndefined();
    for (const name of ['net', 'data', 'compute']) {
      const batched = byName(name);
      const single = byName(name, () => alone);
      expect(single.batch).toBeUndefined();
      expect(batched.changes).toEqual(single.changes);
      expect(batched.summary).toEqual(single.summary);
    }
    expect(byName('net').changes).toContain('create aws_vpc.vpc');
  });

  it('plans without terraform init when the provider is cached, laying out what init would', () => {
    // Both runs came after the warm-up had cached the AWS provider: terraform itself accepted the layout, for the
    // retried batch and for each stack planned alone.
    for (const name of ['net', 'data', 'compute', 'generated']) {
      expect(byName(name).stepSeconds.init).toBeUndefined();
      expect(byName(name).plan).toBe('ok');
    }
    for (const name of ['net', 'data', 'compute']) {
      expect(byName(name, () => alone).stepSeconds.init).toBeUndefined();
      expect(byName(name, () => alone).plan).toBe('ok');
    }
  });

  it('validates and plans a stack with an S3 backend and aliased providers that set allowed_account_ids', () => {
    expect(byName('net')).toMatchObject({ app: 'primary', validate: 'ok', plan: 'ok', toAdd: 3 });
  });

  it('plans a stack reading cdktf cross-stack remote state, with placeholder outputs', () => {
    expect(byName('data')).toMatchObject({ validate: 'ok', plan: 'ok', toAdd: 2 });
  });

  it('plans a secondary stack reading named primary outputs, a list among them', () => {
    expect(byName('compute')).toMatchObject({ app: 'secondary', validate: 'ok', plan: 'ok', toAdd: 2 });
  });

  it('plans a stack with an ephemeral random password and a secret value read, without AWS', () => {
    expect(byName('generated')).toMatchObject({ validate: 'ok', plan: 'ok', toAdd: 3 });
    expect(byName('generated', () => ignoringEndpoints)).toMatchObject({ plan: 'ok', toAdd: 3 });
  });

  it('reports the stack needing the random provider as skipped with the reason', () => {
    expect(byName('random')).toMatchObject({ validate: 'skipped', plan: 'skipped' });
    expect(byName('random').reason).toMatch(/registry\.terraform\.io\/hashicorp\/random not installable offline/);
  });

  it('fails a stack the provider schema rejects, naming the argument, and fails the run', () => {
    expect(byName('broken')).toMatchObject({ validate: 'fail', plan: 'skipped', reason: 'validate failed' });
    expect(byName('broken').error).toContain('Error: Extraneous JSON object property (cdk.tf.json:');
    expect(byName('broken').error).toContain('not_an_argument');
    expect(result.ok).toBe(false);
    expect(formatReport(result)).toMatch(/6 stacks: 4 validated and planned, 1 skipped, 1 failed/);
  });
});
