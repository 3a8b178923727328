import { IConstruct } from 'constructs';
import { FARGATE_TASK_SIZES, requireProp } from '@tts-ecs/core';

// The size table is an AWS fact the deployment config checks too; it lives in core and is re-exported here.
export { FARGATE_TASK_SIZES, isValidFargateSize } from '@tts-ecs/core';

// Unresolved numeric tokens are large negative doubles; they cannot be checked at synth.
const isToken = (n: number): boolean => n < -1e15;

/** Rejects a CPU/memory pair Fargate does not run, listing the memory values valid for the given CPU. */
export function requireFargateSize(scope: IConstruct, cpu: number, memory: number): void {
  if (isToken(cpu) || isToken(memory)) return;
  const cpus = Object.keys(FARGATE_TASK_SIZES).map(Number);
  requireProp(scope, cpus.includes(cpu), 'cpu', cpu, `Fargate accepts CPU units ${cpus.join(', ')}.`);
  const memories = FARGATE_TASK_SIZES[cpu];
  requireProp(
    scope,
    memories.includes(memory),
    'memory',
    memory,
    `With cpu ${cpu} Fargate accepts memory (MiB) ${memories.join(', ')}.`,
  );
}
