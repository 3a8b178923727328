import { IConstruct } from 'constructs';

/**
 * Thrown when a construct receives an invalid prop. The message names the construct path, the field,
 * the bad value and how to fix it, so a user can act on it without reading our source.
 */
export class InvalidPropError extends Error {
  constructor(
    readonly constructPath: string,
    readonly field: string,
    readonly value: unknown,
    readonly fix: string,
  ) {
    super(`${constructPath}: invalid ${field} ${formatValue(value)}. ${fix}`);
    this.name = 'InvalidPropError';
  }
}

/** Renders a value for an error message: strings quoted, objects as JSON, long values cut. */
export function formatValue(value: unknown): string {
  let text: string;
  if (value === undefined) text = 'undefined';
  else if (typeof value === 'string') text = JSON.stringify(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/** Throws an {@link InvalidPropError} for `field` of `scope` unless `ok` holds. */
export function requireProp(scope: IConstruct, ok: boolean, field: string, value: unknown, fix: string): void {
  if (!ok) throw new InvalidPropError(scope.node.path, field, value, fix);
}

/** Requires an integer in [min, max]. Unresolved tokens cannot be checked at synth and are let through. */
export function requireIntegerInRange(scope: IConstruct, field: string, value: number, min: number, max: number): void {
  if (isUnresolvedNumber(value)) return;
  requireProp(
    scope,
    Number.isInteger(value) && value >= min && value <= max,
    field,
    value,
    `Use a whole number from ${min} to ${max}.`,
  );
}

/** Requires one of the allowed values. */
export function requireOneOf<T>(scope: IConstruct, field: string, value: T, allowed: readonly T[]): void {
  // The list of allowed values is formatted only for the error (every container asks several times).
  if (allowed.includes(value)) return;
  throw new InvalidPropError(
    scope.node.path,
    field,
    value,
    `Use one of: ${allowed.map((a) => formatValue(a)).join(', ')}.`,
  );
}

/** Requires a non-empty array. */
export function requireNonEmpty(
  scope: IConstruct,
  field: string,
  value: readonly unknown[] | undefined,
  fix: string,
): void {
  requireProp(scope, Array.isArray(value) && value.length > 0, field, value, fix);
}

// cdktf encodes unresolved numbers as large negative doubles; they cannot be range-checked at synth.
function isUnresolvedNumber(value: number): boolean {
  return typeof value === 'number' && value < -1e15;
}
