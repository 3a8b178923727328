import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { diagramOf, mermaidInMarkdown } from '@tts-ecs/diagram';

/**
 * A test that the architecture diagram in an example's README.md is the one its synthesized stacks give today
 * (`pnpm diagram:examples` regenerates it).
 */
export function itShowsTheCurrentDiagram(exampleDir: string, buildApp: (outdir: string) => App): void {
  it('README.md shows the diagram of the synthesized stacks', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'example-diagram-'));
    try {
      buildApp(out).synth();
      const readme = fs.readFileSync(path.join(exampleDir, 'README.md'), 'utf8');
      expect(mermaidInMarkdown(readme)).toBe(diagramOf(out, 'mermaid', undefined, true));
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
}
