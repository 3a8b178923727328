import { buildGraph } from './graph';
import { checkMermaid } from './mermaid-check';
import { readSynthOutput } from './read';
import { buildResourceGraph, readStacks } from './resource-graph';
import { DiagramFormat, render } from './render';

export const MARKDOWN_BEGIN = '<!-- tts-ecs diagram: begin -->';
export const MARKDOWN_END = '<!-- tts-ecs diagram: end -->';

/** The diagram of a synth output folder. Mermaid is checked structurally (checkMermaid) before it is returned. */
export function diagramOf(outDir: string, format: DiagramFormat, dotProgram?: string, resources = false): string {
  const graph = resources ? buildResourceGraph(readStacks(outDir)) : buildGraph(readSynthOutput(outDir));
  const text = render(graph, format, dotProgram);
  const problems = format === 'mermaid' ? checkMermaid(text).problems : [];
  if (problems.length > 0)
    throw new Error(`the generated Mermaid fails its check (a bug):\n  ${problems.join('\n  ')}`);
  return text;
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
