import * as v8 from 'v8';

/**
 * The size of V8's young generation, set while the command runs. V8 grows each of its two semi-spaces from 1 MiB to
 * 16 MiB when many objects survive a collection. On the 2-core machine (a virtual machine) the first touch of a memory
 * page costs about 14 us, and those 30 MiB are a quarter of the pages a synth of the example touches: kept at 1 MiB,
 * the example's synth took 0.87 of the time (paired runs, 95 MiB peak instead of 122 MiB). A large synth keeps its
 * construct trees alive, and there the small space adds collections. Paired against growing, the small space took
 * 0.93 of the time with 10 secondaries (11 clusters), 0.96 with 15, 0.94 with 20 and 25, 1.01 and 1.03 with 30, 1.06
 * with 45 and 1.12 with 60, always 30 MiB less. So synth lets the space grow above GROWS_ABOVE_CLUSTERS clusters
 * (synth.ts).
 *
 * The growth factor is read by V8 whenever it would grow the space, so it can change while the process runs. V8's
 * code cache records a hash of all flags: the command sets the small size before it loads its modules and again
 * before it writes the cache at exit, so that the cache always matches the next start.
 * `TTS_ECS_SMALL_YOUNG_GENERATION=0` leaves V8's defaults.
 */
export const GROWS_ABOVE_CLUSTERS = 26;

const DEFAULT_GROWTH_FACTOR = 2; // V8's --semi-space-growth-factor

function enabled(): boolean {
  return process.env.TTS_ECS_SMALL_YOUNG_GENERATION !== '0';
}

/** Keeps the young generation at its initial size (a growth factor of 1). */
export function keepYoungGenerationSmall(): void {
  if (enabled()) v8.setFlagsFromString('--semi-space-growth-factor=1');
}

/** Lets the young generation grow as V8 would. */
export function letYoungGenerationGrow(): void {
  if (enabled()) v8.setFlagsFromString(`--semi-space-growth-factor=${DEFAULT_GROWTH_FACTOR}`);
}
