import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from '../../src/args';
import { SynthResult } from '../../src/synth';
import { LAYERS as TTS_LAYERS } from '@tts-ecs/config';
import { writeApplyOrder } from '@tts-ecs/terraform';
import {
  applyCommand,
  CommandDeps,
  driftCommand,
  planCommand,
  ROLLOUT_FLAGS,
  rolloutCommand,
} from '../../src/rollout/commands';

export const FAKE_BIN = path.join(__dirname, 'fake-terraform');
export const LAYERS = ['network', 'data', 'compute'];
export const PRIMARY = 'eu1';
export const SECONDARIES = ['us1', 'ap1', 'sa1', 'af1'];
export const name = (cluster: string, layer: string): string => `acme-prod-${cluster}-${layer}`;

const stateKey = (cluster: string, layer: string): string => `prod/${cluster}/${layer}.tfstate`;

/**
 * A synth output like `pnpm synth` writes (manifests, one cdk.tf.json per stack with its S3 backend; each layer
 * depends on the one before through the manifest, each secondary network reads the primary network's state),
 * with the apply order written by the order module.
 */
export function writeSynthFixture(outDir: string): void {
  for (const app of ['primary', 'secondary']) {
    const clusters = app === 'primary' ? [PRIMARY] : SECONDARIES;
    const stacks: Record<string, unknown> = {};
    for (const cluster of clusters) {
      LAYERS.forEach((layer, i) => {
        const stack = name(cluster, layer);
        const dir = `stacks/${stack}`;
        const remote =
          app === 'secondary' && layer === 'network'
            ? {
                terraform_remote_state: {
                  primary: { backend: 's3', config: { bucket: 'acme-state', key: stateKey(PRIMARY, 'network') } },
                },
              }
            : undefined;
        const json = {
          terraform: {
            backend: { s3: { bucket: 'acme-state', key: stateKey(cluster, layer), region: 'eu-west-1' } },
            required_providers: { aws: { source: 'aws', version: '5.100.0' } },
          },
          ...(remote ? { data: remote } : {}),
          resource: { aws_ecs_service: { tts: { name: stack } } },
        };
        fs.mkdirSync(path.join(outDir, app, dir), { recursive: true });
        fs.writeFileSync(path.join(outDir, app, dir, 'cdk.tf.json'), JSON.stringify(json, null, 2));
        stacks[stack] = {
          name: stack,
          dependencies: i > 0 ? [name(cluster, LAYERS[i - 1])] : [],
          synthesizedStackPath: `${dir}/cdk.tf.json`,
          workingDirectory: dir,
        };
      });
    }
    fs.writeFileSync(path.join(outDir, app, 'manifest.json'), JSON.stringify({ version: '0.21.0', stacks }, null, 2));
  }
  writeApplyOrder(outDir, {
    layers: TTS_LAYERS,
    apps: ['primary', 'secondary'],
    clusterOrder: [PRIMARY, ...SECONDARIES],
  });
}

/** A workspace: a synth output with one cdk.tf.json per stack, a plans dir, a fake terraform log and control. */
export class Workspace {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-ecs-rollout-'));
  readonly outDir = path.join(this.root, 'cdktf.out');
  readonly plansDir = path.join(this.root, 'plans');
  readonly logFile = path.join(this.root, 'terraform-calls.log');
  readonly controlFile = path.join(this.root, 'control.json');
  output = '';

  constructor() {
    writeSynthFixture(this.outDir);
    this.control({});
  }

  control(value: Record<string, unknown>): void {
    fs.writeFileSync(this.controlFile, JSON.stringify(value));
  }

  /** Terraform calls so far (then forgets them), without the plugin cache warm-up. */
  calls(): { stack: string; command: string; args: string[] }[] {
    if (!fs.existsSync(this.logFile)) return [];
    const lines = fs.readFileSync(this.logFile, 'utf8').split('\n').filter(Boolean);
    fs.rmSync(this.logFile);
    return lines
      .map((l) => JSON.parse(l) as { stack: string; command: string; args: string[] })
      .filter((c) => c.stack.startsWith('acme-'));
  }

  deps(): CommandDeps {
    const synthResult: SynthResult = { outDir: this.outDir, stacks: [], seconds: 0, warnings: [] };
    return {
      stdout: { write: (text: string) => void (this.output += text), isTTY: false },
      synthesize: () => Promise.resolve(synthResult),
      terraform: {
        lockRetryDelayMs: 0,
        env: {
          ...process.env,
          PATH: `${FAKE_BIN}${path.delimiter}${process.env.PATH ?? ''}`,
          TTS_ECS_PLUGIN_CACHE: path.join(this.root, 'plugin-cache'),
          FAKE_TF_LOG: this.logFile,
          FAKE_TF_CONTROL: this.controlFile,
        },
      },
    };
  }

  /** Runs `tts-ecs <argv>` (plan / apply / rollout / drift) against this workspace; returns the exit code. */
  async cli(...argv: string[]): Promise<number> {
    this.output = '';
    const args = parseArgs([...argv, '--out', this.outDir, '--plans', this.plansDir], ['json', ...ROLLOUT_FLAGS]);
    const run = { plan: planCommand, apply: applyCommand, rollout: rolloutCommand, drift: driftCommand }[
      args.command as 'plan'
    ];
    return run(this.root, args, this.deps());
  }

  dispose(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
