import * as fs from 'fs';
import * as path from 'path';
import { ParsedArgs, UsageError } from '../args';
import { resolveConfigPath } from '../paths';
import { unknownNames } from '../rollout/order-source';
import { synthesize } from '../synth';
import { buildGraph } from './graph';
import { checkMermaid } from './mermaid-check';
import { readSynthOutput } from './read';
import { buildResourceGraph, readStacks } from './resource-graph';
import { DiagramFormat, FORMATS, render } from './render';

export const MARKDOWN_BEGIN = '<!-- tts-ecs diagram: begin -->';
export const MARKDOWN_END = '<!-- tts-ecs diagram: end -->';

/** `tts-ecs diagram`: see DIAGRAM_USAGE. */
export async function diagramCommand(repoRoot: string, args: ParsedArgs): Promise<number> {
  const outputs = typeof args.options.output === 'string' ? args.options.output.split(',').filter(Boolean) : [];
  const format = diagramFormat(args.options.format, outputs[0]);
  for (const file of outputs.filter(isMarkdown))
    if (format !== 'mermaid') throw new UsageError(`--output ${file}: a Markdown file takes mermaid, not ${format}.`);
  const resources = args.options.resources === true;
  if (resources && typeof args.options.from !== 'string')
    throw new UsageError('--resources draws an existing synth output: give it with --from <dir>.');
  let outDir: string;
  if (args.options.from !== undefined) {
    if (args.options.config !== undefined || args.options.out !== undefined)
      throw new UsageError('--from draws an existing synth output; --config and --out synthesize one: pick one.');
    outDir = path.resolve(String(args.options.from));
  } else {
    const configPath = resolveConfigPath(repoRoot, args.options.config);
    const out = typeof args.options.out === 'string' ? args.options.out : path.join(repoRoot, 'cdktf.out');
    outDir = (await synthesize({ repoRoot, configPath, outDir: path.resolve(out) })).outDir;
  }
  const text = diagramOf(outDir, format, undefined, resources);
  if (outputs.length === 0) process.stdout.write(text);
  for (const file of outputs) {
    const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, isMarkdown(file) ? embedInMarkdown(existing, text, file) : text);
    process.stdout.write(`Wrote ${path.relative(process.cwd(), path.resolve(file))} (${format})\n`);
  }
  return 0;
}

/** The diagram of a synth output folder. Mermaid is checked structurally (checkMermaid) before it is returned. */
export function diagramOf(outDir: string, format: DiagramFormat, dotProgram?: string, resources = false): string {
  const graph = resources ? buildResourceGraph(readStacks(outDir)) : buildGraph(readSynthOutput(outDir));
  const text = render(graph, format, dotProgram);
  const problems = format === 'mermaid' ? checkMermaid(text).problems : [];
  if (problems.length > 0)
    throw new Error(`the generated Mermaid fails its check (a bug):\n  ${problems.join('\n  ')}`);
  return text;
}

/** `--format`, else the format `--output`'s extension implies (.svg, .dot/.gv), else mermaid. */
export function diagramFormat(option: string | true | undefined, output?: string): DiagramFormat {
  if (typeof option === 'string') {
    if ((FORMATS as readonly string[]).includes(option)) return option as DiagramFormat;
    throw new UsageError(`--format: ${unknownNames('format', [option], FORMATS)}`);
  }
  const extension = path.extname(output ?? '').toLowerCase();
  return extension === '.svg' ? 'svg' : extension === '.dot' || extension === '.gv' ? 'dot' : 'mermaid';
}

/**
 * A Markdown file holding the diagram: `existing` with the part between the markers replaced by a fenced mermaid
 * block, or a new file of just the markers and the block. An existing file without markers is refused (not clobbered).
 */
export function embedInMarkdown(existing: string | undefined, mermaid: string, file = 'the file'): string {
  const block = `${MARKDOWN_BEGIN}\n\n\`\`\`mermaid\n${mermaid}\`\`\`\n\n${MARKDOWN_END}`;
  if (existing === undefined) return `${block}\n`;
  const begin = existing.indexOf(MARKDOWN_BEGIN);
  const end = existing.indexOf(MARKDOWN_END, begin);
  if (begin === -1 || end === -1)
    throw new Error(
      `${file} has no "${MARKDOWN_BEGIN}" ... "${MARKDOWN_END}" markers: add them where the diagram goes (the rest of the file is kept).`,
    );
  return existing.slice(0, begin) + block + existing.slice(end + MARKDOWN_END.length);
}

/** The Mermaid text of the fenced block between the markers of a Markdown file; undefined without markers. */
export function mermaidInMarkdown(markdown: string): string | undefined {
  const begin = markdown.indexOf(MARKDOWN_BEGIN);
  const end = markdown.indexOf(MARKDOWN_END, begin);
  if (begin === -1 || end === -1) return undefined;
  return /```mermaid\n([\s\S]*?)```/.exec(markdown.slice(begin, end))?.[1];
}

const isMarkdown = (file: string) => /\.(md|markdown)$/i.test(file);
