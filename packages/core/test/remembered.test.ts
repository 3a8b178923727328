import { remembered } from '../src';

describe('remembered', () => {
  it('computes each argument once and returns its first answer after that', () => {
    const asked: string[] = [];
    const upper = remembered((s: string) => {
      asked.push(s);
      return { text: s.toUpperCase() };
    });
    const first = upper('a');
    expect(upper('a')).toBe(first);
    expect(upper('b')).toEqual({ text: 'B' });
    expect(asked).toEqual(['a', 'b']);
  });

  it('keeps an undefined answer as an answer', () => {
    let calls = 0;
    const nothing = remembered((_: number) => {
      calls++;
      return undefined;
    });
    nothing(1);
    nothing(1);
    expect(calls).toBe(1);
  });

  it('remembers nothing when computing throws', () => {
    let calls = 0;
    const failing = remembered((_: string) => {
      calls++;
      throw new Error('no');
    });
    expect(() => failing('x')).toThrow('no');
    expect(() => failing('x')).toThrow('no');
    expect(calls).toBe(2);
  });
});
