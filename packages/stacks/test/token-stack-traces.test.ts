import { Lazy } from 'cdktf';

// patches/cdktf@0.21.0.patch: tokens record no creation stack unless asked, which halves synth CPU under jest.
describe('cdktf token creation stacks (patched)', () => {
  const previous = process.env.CDKTF_TOKEN_STACK_TRACES;
  afterEach(() => {
    if (previous === undefined) delete process.env.CDKTF_TOKEN_STACK_TRACES;
    else process.env.CDKTF_TOKEN_STACK_TRACES = previous;
  });

  it('records no stack by default', () => {
    delete process.env.CDKTF_TOKEN_STACK_TRACES;
    expect(Lazy.anyValue({ produce: () => 1 }).creationStack).toEqual([]);
  });

  it('records the creation stack when CDKTF_TOKEN_STACK_TRACES=1', () => {
    process.env.CDKTF_TOKEN_STACK_TRACES = '1';
    const stack = Lazy.anyValue({ produce: () => 1 }).creationStack;
    expect(stack.some((frame) => frame.includes('token-stack-traces.test'))).toBe(true);
  });
});
