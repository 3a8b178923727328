import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LAYERS, loadDeploymentConfig } from '@tts-ecs/config';
import { CONTRACT_KEYS, PRIMARY_CONTRACT } from '@tts-ecs/stacks';
import { writeApplyOrder } from '@tts-ecs/terraform';
import { diagramOf, mermaidInMarkdown, outputLabel, ParsedMermaid, checkMermaid } from '@tts-ecs/diagram';
import { discoverApps, rankedApps } from '../../src/synth';

/**
 * The diagram the README and docs/diagram-example.md show is the example deployment as synthesized now: the same
 * text the generator draws, and every node in it a synthesized stack or resource (read here straight from the JSON).
 */
const ROOT = path.join(__dirname, '../../../..');
const CONFIG = path.join(ROOT, 'deployments/example.json');
const CHECKED_IN = ['docs/diagram-example.md', 'README.md'];
const REGENERATE = 'pnpm tts-ecs diagram --config deployments/example.json --output docs/diagram-example.md,README.md';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * What `tts-ecs synth` does, in this process: each app's entry (src/main.ts for `node dist/main.js`) with
 * TTS_ECS_CONFIG and CDKTF_OUTDIR set, then apply-order.json.
 */
function synthExample(out: string): void {
  const apps = discoverApps(ROOT);
  const exit = jest.spyOn(process, 'exit').mockImplementation(((code: number) => {
    throw new Error(`an app exited with ${code} (its error is above)`);
  }) as never);
  const saved = { ...process.env };
  try {
    for (const app of apps) {
      process.env.TTS_ECS_CONFIG = CONFIG;
      process.env.CDKTF_OUTDIR = path.join(out, app.name);
      delete process.env.TTS_ECS_BOOTSTRAP_BACKEND;
      require(path.join(app.dir, app.command[1].replace(/^dist\//, 'src/').replace(/\.js$/, '.ts')));
    }
  } finally {
    process.env = saved;
    exit.mockRestore();
  }
  const clusterOrder = loadDeploymentConfig(CONFIG).clusters.map((c) => c.id);
  writeApplyOrder(out, { layers: LAYERS, apps: rankedApps(apps), clusterOrder });
}

const OUT = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-ecs-diagram-example-'));
afterAll(() => fs.rmSync(OUT, { recursive: true, force: true }));
let generated = '';
beforeAll(() => {
  synthExample(OUT);
  generated = diagramOf(OUT, 'mermaid');
}, 60_000);

describe('the example diagram', () => {
  it.each(CHECKED_IN)('%s shows the diagram of the example as synthesized now', (file) => {
    const shown = mermaidInMarkdown(fs.readFileSync(path.join(ROOT, file), 'utf8'));
    if (shown === generated) return;
    const lines = (shown ?? '').split('\n');
    const at = generated.split('\n').findIndex((line, i) => line !== lines[i]);
    throw new Error(
      `${file} ${shown === undefined ? 'has no diagram between its markers' : `is stale (first difference at diagram line ${at + 1}: ${JSON.stringify(lines[at])}, now ${JSON.stringify(generated.split('\n')[at])})`}.\n` +
        `Regenerate it: ${REGENERATE}`,
    );
  });

  describe('draws exactly the synthesized stacks and resources', () => {
    const stacks = () => readStacks(OUT);
    const parsed = () => checkMermaid(mermaidInMarkdown(fs.readFileSync(path.join(ROOT, CHECKED_IN[0]), 'utf8')) ?? '');
    const ofShape = (p: ParsedMermaid, shape: string) => [...p.nodes].filter(([, n]) => n.shape === shape);

    it('passes the structural Mermaid check', () => expect(parsed().problems).toEqual([]));

    it('has one node per stack, in the subgraph of its cluster, inside the subgraph of its region', () => {
      const p = parsed();
      const drawn = ofShape(p, '[').map(([id, n]) => {
        const group = p.groupOf.get(id);
        const parent = group && p.groups.get(group)?.parent;
        return [n.lines[1], group && p.groups.get(group)?.label.split(' ')[0], parent && p.groups.get(parent)?.label];
      });
      const expected = stacks().map((s) => {
        const cluster = /^[^/]+\/([^/]+)\//.exec(s.json.terraform.backend.s3?.key ?? '')?.[1];
        const region = s.json.provider.aws.find((a: Json) => !a.alias).region;
        return cluster ? [s.name, cluster, region] : [s.name, region, undefined];
      });
      expect(sorted(drawn)).toEqual(sorted(expected));
      expect(stacks().length).toBeGreaterThan(10);
    });

    it('has one node per load balancer, with exactly the ports of its listeners', () => {
      const all = stacks();
      // A listener names its load balancer's logical id, directly or through the remote state of the stack holding it.
      const holderOf = (stack: { name: string; json: Json }, arn: string) => {
        const via = /terraform_remote_state\.([\w-]+)\./.exec(arn)?.[1];
        const key = via && stack.json.data.terraform_remote_state[via].config.key;
        return via ? all.find((s) => s.json.terraform.backend.s3?.key === key)!.name : stack.name;
      };
      const expected = all.flatMap((s) =>
        Object.entries<Json>(s.json.resource?.aws_lb ?? {}).map(([logical, lb]: [string, Json]) => {
          const listeners = all.flatMap((o) =>
            Object.values<Json>(o.json.resource?.aws_lb_listener ?? {}).filter(
              (l: Json) => l.load_balancer_arn.includes(logical) && holderOf(o, l.load_balancer_arn) === s.name,
            ),
          );
          const ports = listeners.map((l: Json) =>
            l.protocol === 'TLS' ? `:${l.port}` : `:${l.port}/${l.protocol.toLowerCase()}`,
          );
          return [lb.name, ports.sort().join(' ')];
        }),
      );
      const drawn = ofShape(parsed(), '{{').map(([, n]) => [
        n.lines[0].split(' ')[1],
        n.lines.slice(1).join(' ').split(' ').sort().join(' '),
      ]);
      expect(sorted(drawn)).toEqual(sorted(expected));
    });

    it('has one node per data store, linked to the stack that creates it', () => {
      const expected = stacks().flatMap((s) => {
        const r = s.json.resource ?? {};
        const count = (type: string) => Object.keys(r[type] ?? {}).length;
        const timescale = Object.values<Json>(r.aws_instance ?? {}).filter((i: Json) =>
          /timescale/i.test(i.tags?.Name),
        );
        return [
          ...Array(count('aws_rds_cluster')).fill(`${s.name} Aurora`),
          ...Array(count('aws_elasticache_replication_group')).fill(`${s.name} Redis`),
          ...(count('aws_s3_bucket') ? [`${s.name} S3 ${count('aws_s3_bucket')}`] : []),
          ...Array(count('aws_efs_file_system')).fill(`${s.name} EFS`),
          ...Array(timescale.length).fill(`${s.name} TimescaleDB`),
        ];
      });
      const p = parsed();
      const drawn = ofShape(p, '[(').map(([id, n]) => {
        const owners = p.edges
          .filter((e) => e.to === id && e.arrow === '---')
          .map((e) => p.nodes.get(e.from)!.lines[1]);
        expect(owners).toHaveLength(1);
        const kind = n.lines[0].split(' ')[0];
        const buckets = kind === 'S3' ? ` ${/^S3 ×(\d+)$/.exec(n.lines[0])?.[1] ?? 1}` : '';
        return `${owners[0]} ${kind}${buckets}`;
      });
      expect(drawn.sort()).toEqual(expected.sort());
    });

    it("draws each secondary's reads of the primary's state as an edge from the primary stack", () => {
      const all = stacks();
      const writerOf = new Map(all.map((s) => [s.json.terraform.backend.s3?.key, s.name]));
      const clusterOfKey = (key: string) => key.split('/')[1];
      const expected = all.flatMap((s) =>
        Object.values<Json>(s.json.data?.terraform_remote_state ?? {})
          .filter((r: Json) => clusterOfKey(r.config.key) !== clusterOfKey(s.json.terraform.backend.s3?.key ?? ''))
          .map((r: Json) => `${writerOf.get(r.config.key)} ==> ${s.name}`),
      );
      const p = parsed();
      const drawn = p.edges
        .filter((e) => e.arrow === '==>')
        .map((e) => `${p.nodes.get(e.from)!.lines[1]} ==> ${p.nodes.get(e.to)!.lines[1]}`);
      expect(drawn.sort()).toEqual(expected.sort());
      expect(expected.length).toBeGreaterThan(0);
    });
  });

  it('has a short label for every output of the primary->secondary contract', () => {
    const unlabelled = CONTRACT_KEYS.map((k) => PRIMARY_CONTRACT[k].output).filter((o) => !outputLabel(o));
    expect(unlabelled).toEqual([]);
  });
});

/** Every stack of a synth output, straight from the files (`<out>/<app>/stacks/<stack>/cdk.tf.json`). */
function readStacks(out: string): { name: string; json: Json }[] {
  return fs
    .readdirSync(out, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((app) =>
      fs.readdirSync(path.join(out, app.name, 'stacks')).map((name) => ({
        name,
        json: JSON.parse(fs.readFileSync(path.join(out, app.name, 'stacks', name, 'cdk.tf.json'), 'utf8')) as Json,
      })),
    );
}

const sorted = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r)).sort();
