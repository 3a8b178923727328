import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { UsageError } from '../../src/args';
import { diagramFormat } from '../../src/diagram/command';
import {
  diagramOf,
  embedInMarkdown,
  mermaidInMarkdown,
  DiagramGraph,
  buildGraph,
  outputLabel,
  checkMermaid,
  readSynthOutput,
  renderDot,
  renderMermaid,
  renderSvg,
} from '@tts-ecs/diagram';
import { writeFixtureSynth } from './fixture';

const OUT = writeFixtureSynth();
afterAll(() => fs.rmSync(OUT, { recursive: true, force: true }));

const graph = buildGraph(readSynthOutput(OUT));
const node = (id: string) => graph.nodes.find((n) => n.id === id);
const edge = (from: string, to: string) => graph.edges.find((e) => e.from === from && e.to === to);

describe('the graph of a synth output', () => {
  it('groups stacks by region, then cluster (apply order), the bootstrap stack in its region', () => {
    expect(graph.groups).toEqual([
      { id: 'rg_eu_west_1', label: 'eu-west-1' },
      { id: 'cl_p1', label: 'p1 · primary', parent: 'rg_eu_west_1' },
      { id: 'rg_us_east_1', label: 'us-east-1' },
      { id: 'cl_s1', label: 's1 · secondary, reads p1', parent: 'rg_us_east_1' },
    ]);
    const stacks = graph.nodes.filter((n) => n.shape === 'stack');
    expect(stacks.map((n) => [n.group, n.source.stack])).toEqual([
      ['rg_eu_west_1', 'acme-dev-bootstrap'],
      ['cl_p1', 'acme-dev-p1-network'],
      ['cl_p1', 'acme-dev-p1-secrets'],
      ['cl_p1', 'acme-dev-p1-data'],
      ['cl_p1', 'acme-dev-p1-compute'],
      ['cl_s1', 'acme-dev-s1-network'],
      ['cl_s1', 'acme-dev-s1-secrets'],
      ['cl_s1', 'acme-dev-s1-compute'],
    ]);
    expect(node('st_acme_dev_p1_network')?.lines).toEqual(['network', 'acme-dev-p1-network', 'VPC 10.10.0.0/16']);
    expect(node('st_acme_dev_bootstrap')?.lines).toEqual(['bootstrap', 'acme-dev-bootstrap', 'local state']);
  });

  it('draws each load balancer with its listeners (from another stack) as a compact port list', () => {
    const nlb = node('st_acme_dev_p1_network__lb')!;
    expect(nlb.lines).toEqual(['NLB acme-dev-p1', ':443 :1700/udp :1883/tcp']);
    expect(nlb.source.resources).toEqual([
      'aws_lb.Network_Nlb_ABC123',
      'aws_lb_listener.Https',
      'aws_lb_listener.Udp',
      'aws_lb_listener.Mqtt',
    ]);
    expect(edge('st_acme_dev_p1_network', nlb.id)?.kind).toBe('holds');
    expect(edge('st_acme_dev_p1_compute', nlb.id)?.kind).toBe('holds');
  });

  it('draws the data stores', () => {
    const stores = graph.nodes.filter((n) => n.shape === 'store' && n.source.stack === 'acme-dev-p1-data');
    expect(stores.map((n) => n.lines)).toEqual([
      ['Aurora PostgreSQL 16.6', 'acme-dev-p1 · 2 instances'],
      ['Redis 7.1 · general'],
      ['S3 ×2', 'config, pictures'],
      ['EFS · prometheus'],
      ['TimescaleDB host', 'EC2 m7g.large'],
    ]);
    expect(stores[0].source.resources).toEqual([
      'aws_rds_cluster.Db',
      'aws_rds_cluster_instance.Db1',
      'aws_rds_cluster_instance.Db2',
    ]);
    expect(node('st_acme_dev_bootstrap__s3')?.lines).toEqual(['S3 · acme-state']);
  });

  it('links stacks: dependencies inside a cluster (transitively reduced), reads across clusters, the IS link', () => {
    const kinds = (kind: string) =>
      graph.edges.filter((e) => e.kind === kind).map((e) => `${e.from} -> ${e.to}${e.label ? ` (${e.label})` : ''}`);
    expect(kinds('after')).toEqual([
      'st_acme_dev_p1_network -> st_acme_dev_p1_data',
      'st_acme_dev_p1_secrets -> st_acme_dev_p1_data',
      'st_acme_dev_p1_data -> st_acme_dev_p1_compute',
      'st_acme_dev_s1_network -> st_acme_dev_s1_compute',
      'st_acme_dev_s1_secrets -> st_acme_dev_s1_compute',
    ]);
    expect(kinds('reads')).toEqual([
      'st_acme_dev_p1_secrets -> st_acme_dev_s1_secrets (state only)',
      'st_acme_dev_p1_network -> st_acme_dev_s1_compute (IS endpoint)',
      'st_acme_dev_p1_secrets -> st_acme_dev_s1_compute (cluster keys)',
    ]);
    expect(kinds('calls')).toEqual([
      'st_acme_dev_s1_compute -> st_acme_dev_p1_network__lb (IS API lns.example.com :443 :8884)',
    ]);
  });

  it('has no short label for an unknown output (the diagram shows its name)', () => {
    expect([outputLabel('cluster_keys_secret_arn'), outputLabel('something_else')]).toEqual([
      'cluster keys',
      undefined,
    ]);
  });
});

describe('reading a synth output', () => {
  it('says to synthesize first when the folder is missing or is no synth output', () => {
    expect(() => readSynthOutput(path.join(OUT, 'nope'))).toThrow(
      /no synth output in .*nope: run `tts-ecs synth` first/,
    );
    expect(() => readSynthOutput(path.join(OUT, 'primary'))).toThrow(
      /is not a tts-ecs synth output \(no apply-order.json\)/,
    );
  });

  it('refuses an apply-order.json that does not match the stacks', () => {
    const copy = `${OUT}-stale`;
    fs.cpSync(OUT, copy, { recursive: true });
    fs.rmSync(path.join(copy, 'secondary'), { recursive: true });
    try {
      expect(() => readSynthOutput(copy)).toThrow(/disagree \(acme-dev-s1-network, .*\): re-run `tts-ecs synth`/);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('Mermaid', () => {
  const text = diagramOf(OUT, 'mermaid');

  it('passes the structural check and reads back as the graph', () => {
    const parsed = checkMermaid(text);
    expect(parsed.problems).toEqual([]);
    expect([...parsed.nodes.keys()].sort()).toEqual(graph.nodes.map((n) => n.id).sort());
    expect(parsed.nodes.get('st_acme_dev_p1_network__lb')).toEqual({
      shape: '{{',
      lines: ['NLB acme-dev-p1', ':443 :1700/udp :1883/tcp'],
    });
    expect(parsed.edges).toHaveLength(graph.edges.length);
    expect(text).toContain('  st_acme_dev_p1_network ==>|"IS endpoint"| st_acme_dev_s1_compute\n');
    expect(text).toContain(
      '  st_acme_dev_s1_compute -.->|"IS API lns.example.com :443 :8884"| st_acme_dev_p1_network__lb\n',
    );
  });

  it('escapes labels: quotes, angle brackets, #, &, | and backticks become entity codes', () => {
    const nasty = 'a "b" <c> #d & |e| `f`';
    const small: DiagramGraph = {
      groups: [{ id: 'g', label: nasty }],
      nodes: [{ id: 'n', shape: 'stack', lines: [nasty, 'x'], group: 'g', source: { stack: 'n', resources: [] } }],
      edges: [{ from: 'n', to: 'n', kind: 'reads', label: nasty }],
    };
    const out = renderMermaid(small);
    expect(out).toContain('n["a #34;b#34; #60;c#62; #35;d #38; #124;e#124; #96;f#96;<br/>x"]');
    const parsed = checkMermaid(out);
    expect(parsed.problems).toEqual([]);
    expect(parsed.nodes.get('n')?.lines).toEqual([nasty, 'x']);
    expect(parsed.groups.get('g')?.label).toBe(nasty);
    expect(parsed.edges[0].label).toBe(nasty);
  });

  it.each([
    ['an unclosed subgraph', 'flowchart LR\n  subgraph a["A"]\n    n["x"]\n', 'subgraph a is never closed'],
    ['an extra end', 'flowchart LR\n  n["x"]\n  end\n', '"end" without an open subgraph'],
    ['a duplicate id', 'flowchart LR\n  n["x"]\n  n["y"]\n', 'id "n" is declared twice'],
    ['an edge to an undeclared node', 'flowchart LR\n  n["x"]\n  n --> m\n', 'edge to undeclared id "m"'],
    ['an unescaped quote', 'flowchart LR\n  n["say "hi""]\n', 'has unescaped "'],
    ['a raw angle bracket', 'flowchart LR\n  n["a <b>"]\n', 'has unescaped < >'],
    ['mismatched brackets', 'flowchart LR\n  n[("x"]\n', 'opens with [( but closes with ]'],
    ['a keyword id', 'flowchart LR\n  end["x"]\n', 'id "end" is a Mermaid keyword'],
    ['a missing header', '  n["x"]\n', 'expected "flowchart <direction>" first'],
    ['an unknown class', 'flowchart LR\n  n["x"]\n  class n nope\n', 'class "nope" has no classDef'],
    ['an unknown line', 'flowchart LR\n  n["x"] & m\n', 'not understood'],
  ])('rejects %s', (_, bad, message) => {
    expect(checkMermaid(bad).problems.join('\n')).toContain(message);
  });
});

describe('DOT and SVG', () => {
  const dot = diagramOf(OUT, 'dot');

  it('writes one cluster subgraph per region and cluster, every node and edge', () => {
    expect(dot).toMatch(/^\/\/ .*\ndigraph deployment \{\n/);
    expect(dot.match(/subgraph "cluster_/g)).toHaveLength(4);
    for (const n of graph.nodes) expect(dot).toContain(`  "${n.id}" [`);
    expect(dot.match(/ -> /g)).toHaveLength(graph.edges.length);
    expect(dot).toContain(
      '"st_acme_dev_p1_network__lb" [shape=hexagon, fillcolor="#fff4e0", color="#d88a1f", label="NLB acme-dev-p1\\n:443 :1700/udp :1883/tcp"];',
    );
    expect(dot).toContain('"st_acme_dev_p1_network" -> "st_acme_dev_s1_compute" [style=bold, label="IS endpoint"];');
    // Balanced braces outside quoted strings.
    const bare = dot.replace(/"(\\.|[^"\\])*"/g, '""');
    expect(bare.split('{').length).toBe(bare.split('}').length);
  });

  it('escapes quotes, backslashes and line breaks in DOT strings', () => {
    const small: DiagramGraph = {
      groups: [],
      nodes: [
        {
          id: 'n',
          shape: 'store',
          lines: ['say "hi" \\o/', 'a\nb'],
          group: '-',
          source: { stack: 'n', resources: [] },
        },
      ],
      edges: [],
    };
    expect(renderDot(small)).toContain(
      '"n" [shape=cylinder, fillcolor="#eefbef", color="#2f8f3a", label="say \\"hi\\" \\\\o/\\na b"];',
    );
  });

  it('names the missing program when Graphviz is not installed', () => {
    expect(() => renderSvg(dot, 'tts-ecs-no-such-dot')).toThrow(
      "--format svg runs Graphviz's `tts-ecs-no-such-dot`, which is not on PATH. Install Graphviz",
    );
  });

  const hasDot = (() => {
    try {
      execFileSync('dot', ['-V'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  if (!hasDot)
    process.stdout.write(
      'SKIPPED "renders SVG with Graphviz": `dot` (Graphviz) is not on PATH, so no SVG was rendered.\n',
    );
  (hasDot ? it : it.skip)('renders SVG with Graphviz', () => {
    const svg = diagramOf(OUT, 'svg');
    expect(svg).toContain('<svg');
    expect(svg).toContain('NLB acme-dev-p1');
  });
});

describe('options and Markdown', () => {
  it('suggests the format meant by a misspelt --format', () => {
    expect(() => diagramFormat('svgg')).toThrow(UsageError);
    expect(() => diagramFormat('mermiad')).toThrow(
      '--format: unknown format "mermiad" (did you mean "mermaid"?). Known: mermaid, dot, svg.',
    );
  });

  it('takes the format from --format, else from the output file extension, else mermaid', () => {
    expect([diagramFormat('dot'), diagramFormat(undefined, 'x.svg'), diagramFormat(undefined, 'x.gv')]).toEqual([
      'dot',
      'svg',
      'dot',
    ]);
    expect([diagramFormat(undefined, 'README.md'), diagramFormat(undefined)]).toEqual(['mermaid', 'mermaid']);
  });

  it('replaces only the part between the markers of a Markdown file, and refuses a file without them', () => {
    const fresh = embedInMarkdown(undefined, 'flowchart LR\n');
    expect(fresh).toBe(
      '<!-- tts-ecs diagram: begin -->\n\n```mermaid\nflowchart LR\n```\n\n<!-- tts-ecs diagram: end -->\n',
    );
    const doc = `# Title\n\nBefore.\n\n${fresh}\nAfter.\n`;
    const updated = embedInMarkdown(doc, 'flowchart TB\n');
    expect(updated).toBe(doc.replace('flowchart LR', 'flowchart TB'));
    expect(mermaidInMarkdown(updated)).toBe('flowchart TB\n');
    expect(() => embedInMarkdown('# Title\n', 'flowchart LR\n', 'README.md')).toThrow(
      'README.md has no "<!-- tts-ecs diagram: begin -->" ... "<!-- tts-ecs diagram: end -->" markers',
    );
  });
});
