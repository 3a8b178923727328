import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const BIN = path.join(__dirname, '../../../../node_modules/.bin/action-validator');

/** Runs `action-validator` (the workflow JSON schema, plus `needs:` references) on `text`: exit code and output. */
export function validateWorkflow(text: string): { status: number | null; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-ecs-ci-validate-'));
  try {
    const file = path.join(dir, 'workflow.yml');
    fs.writeFileSync(file, text);
    const run = spawnSync(BIN, [file], { encoding: 'utf8' });
    if (run.error) throw run.error;
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
