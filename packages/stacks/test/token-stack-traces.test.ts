// patches/cdktf@0.21.0.patch: tokens record no creation stack unless asked, which halves synth CPU under jest. The
// setting is read once, when cdktf loads (a read of process.env per token cost a hundredth of a synth), so each case
// loads its own copy of cdktf with the environment it describes.
type LazyApi = { anyValue(p: { produce: () => unknown }): { creationStack: string[] } };

function lazyLoadedWith(setting: string | undefined): LazyApi {
  const previous = process.env.CDKTF_TOKEN_STACK_TRACES;
  let lazy: LazyApi | undefined;
  try {
    if (setting === undefined) delete process.env.CDKTF_TOKEN_STACK_TRACES;
    else process.env.CDKTF_TOKEN_STACK_TRACES = setting;
    jest.isolateModules(() => {
      lazy = (require('cdktf') as { Lazy: LazyApi }).Lazy;
    });
  } finally {
    if (previous === undefined) delete process.env.CDKTF_TOKEN_STACK_TRACES;
    else process.env.CDKTF_TOKEN_STACK_TRACES = previous;
  }
  return lazy!;
}

describe('cdktf token creation stacks (patched)', () => {
  it('records no stack by default', () => {
    expect(lazyLoadedWith(undefined).anyValue({ produce: () => 1 }).creationStack).toEqual([]);
  });

  it('records the creation stack when CDKTF_TOKEN_STACK_TRACES=1 was set before cdktf loaded', () => {
    const lazy = lazyLoadedWith('1');
    const stack = lazy.anyValue({ produce: () => 1 }).creationStack;
    expect(stack.some((frame) => frame.includes('token-stack-traces.test'))).toBe(true);
  });

  it('keeps to the setting it loaded with', () => {
    const lazy = lazyLoadedWith(undefined);
    const previous = process.env.CDKTF_TOKEN_STACK_TRACES;
    process.env.CDKTF_TOKEN_STACK_TRACES = '1';
    try {
      expect(lazy.anyValue({ produce: () => 1 }).creationStack).toEqual([]);
    } finally {
      if (previous === undefined) delete process.env.CDKTF_TOKEN_STACK_TRACES;
      else process.env.CDKTF_TOKEN_STACK_TRACES = previous;
    }
  });
});
