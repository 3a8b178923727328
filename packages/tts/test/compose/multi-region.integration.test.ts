import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { DeploymentConfig, DeploymentConfigInput, LAYERS, stateKey } from '@tts-ecs/config';
import { CONTRACT_KEYS, PRIMARY_CONTRACT, contractEntryByOutput, contractLayers } from '@tts-ecs/stacks';
import { deriveApplyOrder } from '@tts-ecs/terraform';
import { composePrimary, composeSecondaries } from '../../src';
import { inNamedTest } from '@tts-ecs/testing';
import { Json, exampleConfig } from './helpers';

const TTS_ORDER = { layers: LAYERS, apps: ['primary', 'secondary'] };

type Synthesized = { dir: string; stacks: Record<string, Json & { app: string }> };

/**
 * Both apps synthesized like `pnpm synth` (real manifests, cross-stack outputs resolved) into `<dir>/<app>/`, in a
 * named test (see `inNamedTest`). The folders sit in the run's temporary folder, removed when jest ends.
 */
function synthApps(config: DeploymentConfig, name: string): Synthesized {
  return inNamedTest(`synthesizes both apps (${name})`, () => synthAppsNow(config));
}

function synthAppsNow(config: DeploymentConfig): Synthesized {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-multi-region-'));
  const stacks: Record<string, Json & { app: string }> = {};
  for (const [app, compose] of [
    ['primary', composePrimary],
    ['secondary', composeSecondaries],
  ] as const) {
    const outdir = path.join(dir, app);
    const cdktfApp = new App({ outdir, skipValidation: true });
    compose(cdktfApp, config);
    cdktfApp.synth();
    const stacksDir = path.join(outdir, 'stacks');
    for (const name of fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir) : []) {
      stacks[name] = { ...JSON.parse(fs.readFileSync(path.join(stacksDir, name, 'cdk.tf.json'), 'utf8')), app };
    }
  }
  return { dir, stacks };
}

/** The example with `n` secondaries: mixed regions, some sharing a region with each other or with the primary. */
function withSecondaries(n: number): DeploymentConfig {
  const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-1', 'us-east-1'];
  return exampleConfig((input: DeploymentConfigInput) => {
    const primary = input.clusters.find((c) => c.role === 'primary')!;
    input.clusters = [
      primary,
      ...Array.from({ length: n }, (_, i) => {
        const region = regions[i % regions.length];
        return {
          id: `s${i}`,
          role: 'secondary' as const,
          accountId: '111111111111',
          region,
          availabilityZones: [`${region}a`, `${region}b`],
          vpcCidr: `10.${100 + i}.0.0/16`,
        };
      }),
    ];
  });
}

const names = (stacks: Record<string, unknown>) => Object.keys(stacks).sort();
const ofCluster = (stacks: Record<string, unknown>, id: string) =>
  names(stacks).filter((n) => n.startsWith(`acme-prod-${id}-`));

describe('secondaries come from the config', () => {
  const zero = synthApps(withSecondaries(0), 'no secondary');
  const one = synthApps(withSecondaries(1), 'one secondary');
  const ten = synthApps(withSecondaries(10), 'ten secondaries');

  it('with none, the secondary app synthesizes no stack and the primary still does', () => {
    expect(Object.values(zero.stacks).filter((s) => s.app === 'secondary')).toEqual([]);
    expect(ofCluster(zero.stacks, 'eu1').length).toBeGreaterThanOrEqual(3);
    expect(deriveApplyOrder(zero.dir, TTS_ORDER).stacks.every((s) => s.role === 'primary')).toBe(true);
  });

  it('adding one adds exactly its stacks, one per layer the primary has', () => {
    const added = names(one.stacks).filter((n) => !(n in zero.stacks));
    expect(added).toEqual(ofCluster(one.stacks, 's0'));
    const layersOf = (id: string, s: Record<string, unknown>) =>
      ofCluster(s, id).map((n) => n.replace(`acme-prod-${id}-`, ''));
    expect(layersOf('s0', one.stacks).sort()).toEqual(layersOf('eu1', zero.stacks).sort());
  });

  it('ten secondaries (some sharing a region) add exactly ten sets of stacks with distinct names and state keys', () => {
    const added = names(ten.stacks).filter((n) => !(n in zero.stacks));
    const expected = Array.from({ length: 10 }, (_, i) => ofCluster(ten.stacks, `s${i}`)).flat();
    expect(added.sort()).toEqual(expected.sort());
    expect(added).toHaveLength(10 * ofCluster(zero.stacks, 'eu1').length);
    const keys = Object.values(ten.stacks).map((s) => s.terraform.backend.s3.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("removing secondaries removes exactly theirs and leaves the others' stacks unchanged", () => {
    const removed = names(ten.stacks).filter((n) => !(n in one.stacks));
    expect(removed.sort()).toEqual(
      Array.from({ length: 9 }, (_, i) => ofCluster(ten.stacks, `s${i + 1}`))
        .flat()
        .sort(),
    );
    for (const name of ofCluster(one.stacks, 's0')) expect(ten.stacks[name]).toEqual(one.stacks[name]);
  });

  it("gives every stack its own cluster's region and account; remote state reads the state bucket's region", () => {
    const config = withSecondaries(10);
    for (const cluster of config.clusters) {
      for (const name of ofCluster(ten.stacks, cluster.id)) {
        const stack = ten.stacks[name];
        const unaliased = (stack.provider.aws as Json[]).filter((p) => p.alias === undefined);
        expect(unaliased).toEqual([
          expect.objectContaining({ region: cluster.region, allowed_account_ids: [cluster.accountId] }),
        ]);
        for (const state of Object.values((stack.data?.terraform_remote_state ?? {}) as Record<string, Json>)) {
          expect(state.config).toMatchObject({
            bucket: config.stateBackend.bucket,
            region: config.stateBackend.region,
          });
        }
      }
    }
  });

  it('orders ten secondaries after the primary stacks they read, each stack after its dependencies', () => {
    const order = deriveApplyOrder(ten.dir, {
      ...TTS_ORDER,
      clusterOrder: withSecondaries(10).clusters.map((c) => c.id),
    });
    expect(order.stacks).toHaveLength(Object.keys(ten.stacks).length);
    const position = new Map(order.stacks.map((s, i) => [s.name, i]));
    for (const s of order.stacks)
      for (const d of s.dependsOn) expect(position.get(d)!).toBeLessThan(position.get(s.name)!);
    expect(order.stacks.slice(0, ofCluster(ten.stacks, 'eu1').length).every((s) => s.cluster === 'eu1')).toBe(true);
  });
});

describe('the contract between primary and secondaries (example deployment)', () => {
  const config = exampleConfig();
  const stacks = inNamedTest('synthesizes both apps (example)', () => synthAppsNow(config).stacks);
  const primary = config.clusters.find((c) => c.role === 'primary')!;
  const primaryKeys = new Map(LAYERS.map((layer) => [stateKey(config, primary, layer), layer]));
  const secondaryReads = () =>
    Object.entries(stacks)
      .filter(([, s]) => s.app === 'secondary')
      .flatMap(([name, s]) =>
        Object.entries((s.data?.terraform_remote_state ?? {}) as Record<string, Json>)
          .filter(([, state]) => primaryKeys.has(state.config.key))
          .flatMap(([source, state]) =>
            [
              ...JSON.stringify(s).matchAll(
                new RegExp(`data\\.terraform_remote_state\\.${source}\\.outputs\\.(\\w+)`, 'g'),
              ),
            ].map((m) => ({ stack: name, layer: primaryKeys.get(state.config.key), output: m[1] })),
          ),
      );

  it('the primary emits every contract output, in the stack of the layer that owns it', () => {
    for (const key of CONTRACT_KEYS) {
      const { output, layer } = PRIMARY_CONTRACT[key];
      expect([key, Object.keys(stacks[`acme-prod-eu1-${layer}`]?.output ?? {})]).toEqual([
        key,
        expect.arrayContaining([output]),
      ]);
    }
  });

  it('no secondary stack emits contract outputs', () => {
    const emitted = Object.values(stacks)
      .filter((s) => s.app === 'secondary')
      .flatMap((s) => Object.keys(s.output ?? {}).filter((o) => contractEntryByOutput(o)));
    expect(emitted).toEqual([]);
  });

  it('secondaries link to the primary only through the state of layers that emit contract outputs', () => {
    const linked = Object.values(stacks)
      .filter((s) => s.app === 'secondary')
      .flatMap((s) => Object.values((s.data?.terraform_remote_state ?? {}) as Record<string, Json>))
      .map((state) => primaryKeys.get(state.config.key))
      .filter((layer) => layer !== undefined);
    expect(linked.length).toBeGreaterThan(0);
    for (const layer of linked) expect(contractLayers()).toContain(layer);
  });

  it('every primary output a secondary references is a contract output of the layer it reads', () => {
    for (const read of secondaryReads()) {
      expect({ ...read, layer: contractEntryByOutput(read.output)?.layer }).toEqual(read);
    }
  });

  it("each secondary compute stack reads the IS endpoint and the cluster-keys replica from the primary's contract", () => {
    for (const id of ['us1', 'ap1']) {
      const outputs = secondaryReads()
        .filter((r) => r.stack === `acme-prod-${id}-compute`)
        .map((r) => r.output);
      expect([id, [...new Set(outputs)].sort()]).toEqual([
        id,
        expect.arrayContaining([
          'cluster_keys_kms_key_arn',
          'cluster_keys_secret_arn',
          'identity_server_grpc_port',
          'identity_server_host',
          'identity_server_https_port',
        ]),
      ]);
    }
  });

  it('secondaries read only primary states that the primary synth writes', () => {
    const written = new Set(Object.values(stacks).map((s) => s.terraform.backend.s3.key));
    for (const s of Object.values(stacks).filter((x) => x.app === 'secondary')) {
      for (const state of Object.values((s.data?.terraform_remote_state ?? {}) as Record<string, Json>)) {
        expect(written).toContain(state.config.key);
      }
    }
  });
});
