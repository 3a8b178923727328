/**
 * A structural check of the Mermaid flowchart subset `renderMermaid` writes (no Mermaid parser is available offline):
 * a `flowchart` header, balanced `subgraph`/`end`, unique ids, node declarations with quoted labels whose special
 * characters are entity codes, edges between declared ids, `class` lines naming declared ids and classes. It parses
 * what it checks, so tests can read a checked-in diagram back. Mermaid features outside that subset are problems.
 */
export interface ParsedMermaid {
  /** Node id -> shape (its opening bracket: `[`, `{{`, `[(`, ...) and label lines (entities decoded). */
  readonly nodes: Map<string, { shape: string; lines: string[] }>;
  /** Subgraph id -> label and parent subgraph. */
  readonly groups: Map<string, { label: string; parent?: string }>;
  /** Node id -> its innermost subgraph. */
  readonly groupOf: Map<string, string | undefined>;
  readonly edges: { from: string; arrow: string; to: string; label?: string }[];
  /** Empty when the text passed. */
  readonly problems: string[];
}

const ID = '([A-Za-z][A-Za-z0-9_]*)';
const SHAPES: Record<string, string> = { '[': ']', '{{': '}}', '[(': ')]', '[[': ']]', '(': ')', '((': '))' };
const NODE = new RegExp(`^${ID}(\\[\\(|\\{\\{|\\[\\[|\\(\\(|\\[|\\()"(.*)"(\\)\\]|\\}\\}|\\]\\]|\\)\\)|\\]|\\))$`);
const EDGE = new RegExp(`^${ID} (---|-->|==>|-\\.->|-\\.-)(?:\\|"(.*)"\\|)? ${ID}$`);
const SUBGRAPH = new RegExp(`^subgraph ${ID}(?:\\["(.*)"\\])?$`);
const RESERVED = new Set(['end', 'subgraph', 'graph', 'flowchart', 'class', 'classDef', 'style', 'click', 'direction']);

export function checkMermaid(text: string): ParsedMermaid {
  const parsed: ParsedMermaid = { nodes: new Map(), groups: new Map(), groupOf: new Map(), edges: [], problems: [] };
  const problem = (line: number, message: string) => parsed.problems.push(`line ${line}: ${message}`);
  const open: string[] = [];
  const classes = new Set<string>();
  const classUses: { line: number; ids: string[]; name: string }[] = [];
  let header = false;
  const declare = (line: number, id: string) => {
    if (parsed.nodes.has(id) || parsed.groups.has(id)) problem(line, `id "${id}" is declared twice.`);
    if (RESERVED.has(id)) problem(line, `id "${id}" is a Mermaid keyword.`);
  };
  const label = (line: number, raw: string): string[] => {
    const bad = raw
      .replace(/<br\/>/g, '')
      .replace(/#(\d+|[a-z]+);/g, '')
      .match(/["<>&`|#]/g);
    if (bad) problem(line, `label ${JSON.stringify(raw)} has unescaped ${[...new Set(bad)].join(' ')}.`);
    return raw.split('<br/>').map(decodeEntities);
  };

  text.split('\n').forEach((raw, i) => {
    const n = i + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith('%%')) return;
    if (!header) {
      if (/^(flowchart|graph) (LR|RL|TB|TD|BT)$/.test(line)) header = true;
      else problem(n, `expected "flowchart <direction>" first, found ${JSON.stringify(line)}.`);
      return;
    }
    let m: RegExpExecArray | null;
    if ((m = SUBGRAPH.exec(line))) {
      declare(n, m[1]);
      parsed.groups.set(m[1], { label: m[2] === undefined ? m[1] : label(n, m[2]).join(' '), parent: open.at(-1) });
      open.push(m[1]);
    } else if (line === 'end') {
      if (open.pop() === undefined) problem(n, '"end" without an open subgraph.');
    } else if (/^direction (LR|RL|TB|TD|BT)$/.test(line)) {
      if (open.length === 0) problem(n, '"direction" outside a subgraph.');
    } else if ((m = /^classDef ([A-Za-z][\w-]*) ([\w-]+:[^;\s]+(,[\w-]+:[^;\s]+)*)$/.exec(line))) {
      classes.add(m[1]);
    } else if ((m = /^class ([A-Za-z][\w]*(?:,[A-Za-z][\w]*)*) ([A-Za-z][\w-]*)$/.exec(line))) {
      classUses.push({ line: n, ids: m[1].split(','), name: m[2] });
    } else if ((m = NODE.exec(line))) {
      if (SHAPES[m[2]] !== m[4]) problem(n, `node ${m[1]} opens with ${m[2]} but closes with ${m[4]}.`);
      declare(n, m[1]);
      parsed.nodes.set(m[1], { shape: m[2], lines: label(n, m[3]) });
      parsed.groupOf.set(m[1], open.at(-1));
    } else if ((m = EDGE.exec(line))) {
      parsed.edges.push({
        from: m[1],
        arrow: m[2],
        to: m[4],
        ...(m[3] === undefined ? {} : { label: label(n, m[3]).join(' ') }),
      });
    } else problem(n, `not understood: ${JSON.stringify(line)}.`);
  });
  if (!header) parsed.problems.push('no "flowchart <direction>" line.');
  for (const id of open) parsed.problems.push(`subgraph ${id} is never closed ("end" missing).`);
  const known = (id: string) => parsed.nodes.has(id) || parsed.groups.has(id);
  for (const edge of parsed.edges)
    for (const id of [edge.from, edge.to]) if (!known(id)) parsed.problems.push(`edge to undeclared id "${id}".`);
  for (const use of classUses) {
    if (!classes.has(use.name)) problem(use.line, `class "${use.name}" has no classDef.`);
    for (const id of use.ids) if (!parsed.nodes.has(id)) problem(use.line, `class names undeclared node "${id}".`);
  }
  return parsed;
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>' };
  return text.replace(/#(\d+|[a-z]+);/g, (all, code: string) =>
    /^\d+$/.test(code) ? String.fromCharCode(Number(code)) : (named[code] ?? all),
  );
}
