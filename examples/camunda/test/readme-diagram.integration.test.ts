// The architecture diagram in this example's README is the one its synthesized stacks give today
// (regenerate with `pnpm diagram:examples`).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { diagramOf, mermaidInMarkdown } from '@tts-ecs/diagram';
import { buildApp } from '../src/app';

it('README.md shows the diagram of the synthesized stacks', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'example-diagram-'));
  try {
    buildApp(out).synth();
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    expect(mermaidInMarkdown(readme)).toBe(diagramOf(out, 'mermaid', undefined, true));
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
