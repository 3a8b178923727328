/**
 * Synthesizing inside a `describe` body runs while jest collects tests: a construct error there crashes the whole file
 * ("Test suite failed to run") and no test says what broke. `inNamedTest` moves the work into a test of its own.
 */

/** Synths of a whole deployment take seconds on the 2-core CI machine; jest's default is 5 s. */
const BUILD_TIMEOUT_MS = 120_000;

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Runs `build` in a test named `name` and returns a stand-in that behaves like its result (properties, keys, `in`,
 * `Object.entries`). Called while jest collects tests (module top or `describe` body), it registers that test and defers
 * `build` until the first use; if `build` throws, the named test fails with its error and every test using the result
 * fails with a pointer to it. Called inside a test or hook, it simply runs `build`.
 */
export function inNamedTest<T extends object>(name: string, build: () => T): T {
  if (expect.getState().currentTestName) return build();
  let outcome: Outcome<T> | undefined;
  const run = (): Outcome<T> => {
    if (!outcome) {
      try {
        outcome = { ok: true, value: build() };
      } catch (error) {
        outcome = { ok: false, error };
      }
    }
    return outcome;
  };
  try {
    test(
      name,
      () => {
        const result = run();
        if (!result.ok) throw result.error;
      },
      BUILD_TIMEOUT_MS,
    );
  } catch {
    // Inside a hook jest refuses new tests: there a failure already names the hook.
    return build();
  }
  const value = (): T => {
    const result = run();
    if (result.ok) return result.value;
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`not available: the test "${name}" failed (${reason.split('\n')[0]})`);
  };
  return new Proxy({} as T, {
    get: (_target, key) => {
      const real = value();
      const property: unknown = Reflect.get(real, key);
      // Methods run on the real object (private fields and `this` checks do not see through a proxy).
      return typeof property === 'function' ? (property as (...args: unknown[]) => unknown).bind(real) : property;
    },
    has: (_target, key) => Reflect.has(value(), key),
    ownKeys: () => Reflect.ownKeys(value()),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(value(), key);
      // The proxy's own target is empty, so every reported property must be configurable.
      return descriptor && { ...descriptor, configurable: true };
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(value()),
    set: (_target, key, newValue) => Reflect.set(value(), key, newValue),
  });
}
