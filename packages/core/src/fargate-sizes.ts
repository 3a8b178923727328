function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/**
 * Fargate task sizes: CPU units -> memory (MiB) values AWS accepts, from the AWS Fargate task size table
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-cpu-memory-error.html).
 */
export const FARGATE_TASK_SIZES: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

/** Whether `cpu` units with `memoryMiB` is a task size Fargate accepts. */
export function isValidFargateSize(cpu: number, memoryMiB: number): boolean {
  return FARGATE_TASK_SIZES[cpu]?.includes(memoryMiB) ?? false;
}
