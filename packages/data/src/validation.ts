import { IConstruct } from 'constructs';
import { Token } from 'cdktf';
import { requireProp } from '@tts-ecs/core';

/**
 * Requires a secret to arrive as a token (an EphemeralSecretValue, a variable, a remote-state output): a literal
 * string would be written in clear text into the synthesized JSON and the repository that holds it.
 */
export function requireSecretToken(scope: IConstruct, field: string, value: string | undefined): void {
  requireProp(
    scope,
    typeof value === 'string' && Token.isUnresolved(value),
    field,
    value === undefined ? undefined : '<literal value hidden>',
    'Pass a token (e.g. an EphemeralSecretValue or a Secrets Manager value read from the secrets layer), never a literal string: literals end up in the synthesized JSON.',
  );
}

const DAY = '(mon|tue|wed|thu|fri|sat|sun)';
const TIME = '([01]\\d|2[0-3]):[0-5]\\d';

/** Requires an AWS time window: `hh24:mi-hh24:mi`, or `ddd:hh24:mi-ddd:hh24:mi` when `withDay`. */
export function requireWindow(scope: IConstruct, field: string, value: string, withDay: boolean): void {
  const part = withDay ? `${DAY}:${TIME}` : TIME;
  requireProp(
    scope,
    new RegExp(`^${part}-${part}$`).test(value),
    field,
    value,
    withDay
      ? 'Use UTC "ddd:hh24:mi-ddd:hh24:mi", e.g. "sun:04:00-sun:05:00".'
      : 'Use UTC "hh24:mi-hh24:mi", e.g. "02:00-03:00".',
  );
}
