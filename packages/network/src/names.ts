import { IConstruct } from 'constructs';
import { requireProp } from '@tts-ecs/core';

/** Name prefixes: letters, digits and hyphens, so every derived name (IAM role, security group, KMS alias) stays valid. */
export const NAME_PATTERN = /^[a-zA-Z][a-zA-Z0-9-]{0,31}$/;
/** The fix shown when a name does not match {@link NAME_PATTERN}. */
export const NAME_FIX = 'Use 1-32 letters, digits and hyphens, starting with a letter.';

/** Throws an InvalidPropError for `name` unless it matches {@link NAME_PATTERN}. */
export function requireName(scope: IConstruct, name: string): void {
  requireProp(scope, typeof name === 'string' && NAME_PATTERN.test(name), 'name', name, NAME_FIX);
}

/**
 * Whether `name` is a fully qualified DNS name as Route 53 and ACM accept it: lower-case labels of 1-63 letters, digits
 * and hyphens (not at either end), at least two labels, at most 253 characters, no trailing dot, a non-numeric TLD.
 * A leading `*.` is accepted only when `allowWildcard` is set.
 */
export function isDomainName(name: string, allowWildcard = false): boolean {
  if (typeof name !== 'string' || name.length > 253) return false;
  const bare = allowWildcard && name.startsWith('*.') ? name.slice(2) : name;
  const labels = bare.split('.');
  if (labels.length < 2 || /^\d+$/.test(labels[labels.length - 1])) return false;
  return labels.every((l) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(l));
}
