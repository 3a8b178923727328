import * as fs from 'fs';
import { z } from 'zod';
import { ConfigError, ConfigProblem, closestKey, formatPath, valueAt } from './problems';
import { checkRules } from './rules';
import { DeploymentConfig, deploymentConfigSchema } from './schema';

/**
 * Validates a parsed deployment config object. Throws a {@link ConfigError} listing every problem
 * (schema and cross-field rules) with its path, value and fix.
 */
export function parseDeploymentConfig(input: unknown, source = 'config'): DeploymentConfig {
  const result = deploymentConfigSchema.safeParse(input);
  if (!result.success) {
    throw new ConfigError(
      source,
      result.error.issues.flatMap((issue) => schemaProblems(issue, input)),
    );
  }
  const problems = checkRules(result.data);
  if (problems.length > 0) throw new ConfigError(source, problems);
  return result.data;
}

/** Reads and validates a deployment config file. */
export function loadDeploymentConfig(file: string): DeploymentConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [
      {
        path: '',
        value: undefined,
        message: `cannot be read (${(error as NodeJS.ErrnoException).code}). Pass an existing file with --config or TTS_ECS_CONFIG.`,
      },
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, [
      { path: '', value: undefined, message: `is not valid JSON: ${(error as Error).message}` },
    ]);
  }
  return parseDeploymentConfig(json, file);
}

function schemaProblems(issue: z.core.$ZodIssue, input: unknown): ConfigProblem[] {
  const path = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(deploymentConfigSchema, issue.path, input);
    return issue.keys.map((key) => {
      const suggestion = closestKey(key, known);
      return {
        path: path === '' ? key : `${path}.${key}`,
        value: valueAt(input, [...issue.path, key]),
        message:
          `is not a known field${suggestion ? `; did you mean "${suggestion}"?` : '.'} ` +
          `Remove it or fix its spelling (known fields here: ${known.join(', ')}).`,
      };
    });
  }
  const value = valueAt(input, issue.path);
  let message = issue.message;
  if (value === undefined && issue.code === 'invalid_type') message = `is required (${issue.expected}).`;
  else if (issue.code === 'invalid_type') message = `must be ${article(issue.expected)} ${issue.expected}.`;
  else if (issue.code === 'invalid_value')
    message = `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}.`;
  else if (!/[.)]$/.test(message)) message = `${message}.`;
  return [{ path, value, message }];
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

// Walks the schema to the object at `path` so an unknown key can be matched against its siblings.
function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[], input: unknown): string[] {
  let current: z.core.$ZodType = schema;
  for (const part of [...path, null]) {
    for (;;) {
      const def = current._zod.def as unknown as Record<string, unknown> & { type: string };
      if (def.type === 'default' || def.type === 'optional' || def.type === 'nullable' || def.type === 'prefault') {
        current = def.innerType as z.core.$ZodType;
      } else break;
    }
    const def = current._zod.def as unknown as Record<string, unknown> & { type: string };
    if (part === null) {
      return def.type === 'object' ? Object.keys(def.shape as object) : [];
    }
    if (def.type === 'object') current = (def.shape as Record<string, z.core.$ZodType>)[String(part)];
    else if (def.type === 'array') current = def.element as z.core.$ZodType;
    else return Object.keys((valueAt(input, path) as object) ?? {});
    if (!current) return [];
  }
  return [];
}
