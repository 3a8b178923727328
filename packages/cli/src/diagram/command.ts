import * as fs from 'fs';
import * as path from 'path';
import { ParsedArgs, UsageError } from '../args';
import { resolveConfigPath } from '../paths';
import { unknownNames } from '../rollout/order-source';
import { synthesize } from '../synth';
import { DiagramFormat, diagramOf, embedInMarkdown, FORMATS } from '@tts-ecs/diagram';

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

/** `--format`, else the format `--output`'s extension implies (.svg, .dot/.gv), else mermaid. */
export function diagramFormat(option: string | true | undefined, output?: string): DiagramFormat {
  if (typeof option === 'string') {
    if ((FORMATS as readonly string[]).includes(option)) return option as DiagramFormat;
    throw new UsageError(`--format: ${unknownNames('format', [option], FORMATS)}`);
  }
  const extension = path.extname(output ?? '').toLowerCase();
  return extension === '.svg' ? 'svg' : extension === '.dot' || extension === '.gv' ? 'dot' : 'mermaid';
}

const isMarkdown = (file: string) => /\.(md|markdown)$/i.test(file);
