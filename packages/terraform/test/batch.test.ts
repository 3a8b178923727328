import { batchBlocker, buildBatchRoot, moduleName, splitBatchPlan } from '../src/batch';
import { lockFileFor } from '../src/plugin-cache';
import { remoteStateReads } from '../src/fixtures';
import { culpritModules } from '../src/verify-batch';

type Json = Record<string, unknown>;

function stack(layer: string, region: string, extra: Json = {}, aliases: Json[] = []): Json {
  return {
    terraform: {
      backend: { s3: { bucket: 'acme-tfstate', key: `${layer}.tfstate`, region: 'eu-west-1' } },
      required_providers: { aws: { source: 'aws', version: '5.100.0' } },
    },
    provider: {
      aws: [
        { region, allowed_account_ids: ['111111111111'], default_tags: [{ tags: { Layer: layer } }] },
        ...aliases.map((a) => ({ ...a, default_tags: [{ tags: { Layer: layer } }] })),
      ],
    },
    resource: { aws_s3_bucket: { b: { bucket: `acme-${layer}` } } },
    ...extra,
  };
}

const member = (id: string, json: Json) => ({ id, json, reads: remoteStateReads(json), secretReads: [] });

describe('buildBatchRoot', () => {
  const network = stack('network', 'eu-west-1');
  const secrets = stack('secrets', 'eu-west-1', {}, [{ alias: 'us_east_1', region: 'us-east-1' }]);
  const compute = stack('compute', 'ap-southeast-1', {
    variable: { opsgenie_url: { type: 'string', sensitive: true }, with_default: { default: 'x' } },
    data: { terraform_remote_state: { primary: { backend: 's3', config: {} } } },
    output: { vpc: { value: '${data.terraform_remote_state.primary.outputs.vpc_id}' } },
  });
  const batch = buildBatchRoot(
    [member('primary/network', network), member('primary/secrets', secrets), member('secondary/compute', compute)],
    new Map(),
    { vpc_id: 'vpc-fixture' },
  );
  const providers = (batch.root.provider as { aws: Json[] }).aws;
  const modules = batch.root.module as Record<string, Json>;

  it('shares one offline provider among stacks whose settings differ only in default_tags and alias', () => {
    expect(providers.map((p) => p.alias)).toEqual(['eu_west_1', 'us_east_1', 'ap_southeast_1']);
    for (const p of providers) {
      expect(p).toMatchObject({ skip_credentials_validation: true, skip_requesting_account_id: true });
      expect(p).not.toHaveProperty('default_tags');
      expect(p.allowed_account_ids).toBeNull();
      // No endpoints block: it costs each provider process seconds (overrides.ts, secretsManagerEndpointEnv).
      expect(p).not.toHaveProperty('endpoints');
    }
    expect(modules.s_primary_network.providers).toEqual({ aws: 'aws.eu_west_1' });
    expect(modules.s_primary_secrets.providers).toEqual({ aws: 'aws.eu_west_1', 'aws.us_east_1': 'aws.us_east_1' });
    expect(modules.s_secondary_compute.providers).toEqual({ aws: 'aws.ap_southeast_1' });
  });

  it('keeps providers apart when another setting differs', () => {
    const other = stack('other', 'eu-west-1');
    ((other.provider as { aws: Json[] }).aws[0] as Json).max_retries = 1;
    const two = buildBatchRoot([member('a/network', network), member('a/other', other)], new Map());
    expect((two.root.provider as { aws: Json[] }).aws.map((p) => p.alias)).toEqual(['eu_west_1', 'eu_west_1_2']);
  });

  it('gives each module its stack without provider blocks and backend, aliases declared', () => {
    const child = batch.modules.get('s_primary_secrets') as { terraform: Json; provider?: unknown; resource: Json };
    expect(child.provider).toBeUndefined();
    expect(child.terraform.backend).toBeUndefined();
    expect(child.terraform.required_providers).toEqual({
      aws: { source: 'aws', version: '5.100.0', configuration_aliases: ['aws.us_east_1'] },
    });
    expect(child.resource).toEqual(secrets.resource);
    expect(network.terraform).toHaveProperty('backend'); // the input is not changed
  });

  it('passes required variables as placeholders and targets overrides at the module', () => {
    expect(modules.s_secondary_compute).toMatchObject({
      source: './s_secondary_compute',
      opsgenie_url: 'https://placeholder.invalid/opsgenie_url',
    });
    expect(modules.s_secondary_compute).not.toHaveProperty('with_default');
    expect(batch.testFile).toContain('target = module.s_secondary_compute.data.terraform_remote_state.primary');
    expect(batch.testFile).toContain('"vpc_id" = "vpc-fixture"');
    expect(batch.testFile).toMatch(/run "plan" \{\n {2}command = plan\n\}\n$/);
    expect(batch.moduleOf.get('secondary/compute')).toBe('s_secondary_compute');
  });

  it('refuses a stack that configures another provider, naming it', () => {
    const random = { ...network, provider: { ...(network.provider as Json), random: [{}] } };
    expect(batchBlocker(random)).toBe('configures provider random');
    expect(batchBlocker(network)).toBeUndefined();
    expect(() => buildBatchRoot([member('p/random', random)], new Map())).toThrow(
      'p/random cannot join a batch: it configures provider random.',
    );
  });
});

describe('moduleName', () => {
  it('makes an identifier of app/name and keeps names unique', () => {
    expect(moduleName('primary/acme-prod-eu1-network', new Set())).toBe('s_primary_acme-prod-eu1-network');
    expect(moduleName('a/b.c', new Set(['s_a_b_c']))).toBe('s_a_b_c_2');
  });
});

describe('splitBatchPlan', () => {
  it('gives each module its changes under the addresses the stack alone has', () => {
    const plan = {
      resource_changes: [
        { address: 'module.s_a.aws_vpc.main', module_address: 'module.s_a', change: { actions: ['create'] } },
        {
          address: 'module.s_a.module.cdn.aws_s3_bucket.b["x.y"]',
          module_address: 'module.s_a.module.cdn',
          change: { actions: ['create'] },
        },
        { address: 'module.s_b.aws_iam_role.r', module_address: 'module.s_b', change: { actions: ['update'] } },
        { address: 'aws_sqs_queue.root_level', change: { actions: ['create'] } },
      ],
    };
    const split = splitBatchPlan(plan, ['s_a', 's_b', 's_c']);
    expect(split.get('s_a')).toEqual({
      resource_changes: [
        { address: 'aws_vpc.main', change: { actions: ['create'] } },
        { address: 'module.cdn.aws_s3_bucket.b["x.y"]', module_address: 'module.cdn', change: { actions: ['create'] } },
      ],
    });
    expect(split.get('s_b')?.resource_changes).toEqual([
      { address: 'aws_iam_role.r', change: { actions: ['update'] } },
    ]);
    expect(split.get('s_c')).toEqual({ resource_changes: [] });
  });
});

describe('culpritModules', () => {
  it('names the modules error diagnostics point at, by file or address, not warnings or the test file', () => {
    const line = (diagnostic: Json) => JSON.stringify({ type: 'diagnostic', diagnostic });
    const stdout = [
      line({ severity: 'error', range: { filename: 's_primary_broken/cdk.tf.json' } }),
      line({ severity: 'error', address: 'module.s_secondary_x.aws_s3_bucket.b' }),
      line({ severity: 'warning', range: { filename: 's_primary_ok/cdk.tf.json' } }),
      line({ severity: 'error', range: { filename: 'tests/tts-ecs-verify.tftest.hcl' } }),
      'not json',
    ].join('\n');
    expect([...culpritModules(stdout)].sort()).toEqual(['s_primary_broken', 's_secondary_x']);
  });
});

describe('lockFileFor in a batch', () => {
  const locks = new Map([
    ['registry.terraform.io/hashicorp/aws@5.100.0', 'provider "registry.terraform.io/hashicorp/aws" { v100 }'],
    ['registry.terraform.io/hashicorp/aws@5.99.0', 'provider "registry.terraform.io/hashicorp/aws" { v99 }'],
  ]);
  const aws = (version: string) => ({ source: 'registry.terraform.io/hashicorp/aws', version });

  it('writes one entry for a provider many stacks require', () => {
    const file = lockFileFor([aws('5.100.0'), aws('5.100.0')], locks) ?? '';
    expect(file.match(/provider "/g)).toHaveLength(1);
  });

  it('writes none when stacks require two versions (init then resolves them)', () => {
    expect(lockFileFor([aws('5.100.0'), aws('5.99.0')], locks)).toBeUndefined();
  });
});
