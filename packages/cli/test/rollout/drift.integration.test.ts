import { UsageError } from '../../src/args';
import { LAYERS, name, PRIMARY, SECONDARIES, Workspace } from './helpers';

jest.setTimeout(120_000);

// `tts-ecs drift` against the fake terraform: every stack's plan updates aws_ecs_service.tts unless told otherwise.
const ALL = [PRIMARY, ...SECONDARIES].flatMap((c) => LAYERS.map((l) => name(c, l)));

describe('tts-ecs drift', () => {
  const ws = new Workspace();
  afterAll(() => ws.dispose());

  it('exits 2 and lists each drifted stack with its changes', async () => {
    ws.control({ noChanges: ALL.filter((s) => s !== name('us1', 'compute')) });
    const code = await ws.cli('drift');
    expect(code).toBe(2);
    expect(ws.output).toContain(`${name('us1', 'compute')}: 1 change(s)\n    aws_ecs_service.tts update`);
    expect(ws.output).toContain(
      `Drift in 1 of ${ALL.length} stacks. Review with tts-ecs plan --stacks ${name('us1', 'compute')}.`,
    );
    // Plans only: nothing is applied.
    expect(ws.calls().filter((c) => c.command === 'apply')).toEqual([]);
  });

  it('exits 0 when no stack has changes', async () => {
    ws.control({ noChanges: ALL });
    expect(await ws.cli('drift', '--concurrency', '2')).toBe(0);
    expect(ws.output).toContain(`No drift in ${ALL.length} of ${ALL.length} stacks.`);
  });

  it('exits 1 when a stack cannot be planned, naming it', async () => {
    ws.control({ noChanges: ALL, fail: [{ stack: name('ap1', 'data'), command: 'plan', message: 'AccessDenied' }] });
    expect(await ws.cli('drift', '--json')).toBe(1);
    const report = JSON.parse(ws.output);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]).toMatch(new RegExp(`^${name('ap1', 'data')}: [\\s\\S]*AccessDenied`));
    expect(report.drifted).toEqual([]);
  });

  it('refuses --allow-destroy, a concurrency below 1 and a retry delay that is no number', async () => {
    await expect(ws.cli('drift', '--allow-destroy', 'x')).rejects.toThrow(UsageError);
    await expect(ws.cli('drift', '--concurrency', '0')).rejects.toThrow(
      '--concurrency must be a whole number >= 1, got 0.',
    );
    await expect(ws.cli('drift', '--lock-retry-delay', 'soon')).rejects.toThrow(
      '--lock-retry-delay must be a whole number >= 0, got soon.',
    );
  });
});
