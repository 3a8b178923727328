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
    const problems = result.error.issues.flatMap((issue) => schemaProblems(issue, input));
    // Report the cross-field rules in the same run: check them on the file with the refused values left out (their
    // defaults apply), skipping any rule problem about a field that already has one.
    const repaired = withoutRefusedValues(input, result.error.issues);
    if (repaired) {
      const refused = problems.map((p) => p.path);
      for (const p of checkRules(repaired)) {
        if (!refused.some((r) => p.path === r || p.path.startsWith(`${r}.`) || p.path.startsWith(`${r}[`)))
          problems.push(p);
      }
    }
    throw new ConfigError(source, problems);
  }
  const problems = checkRules(result.data);
  if (problems.length > 0) throw new ConfigError(source, problems);
  return result.data;
}

/**
 * The config parsed after deleting every value the schema refused (so its default applies), repeated while that
 * helps; undefined when it still does not parse (e.g. a required field is missing).
 */
function withoutRefusedValues(input: unknown, issues: readonly z.core.$ZodIssue[]): DeploymentConfig | undefined {
  const current: unknown = structuredClone(input);
  let pending = issues;
  for (let round = 0; round < 5; round++) {
    for (const issue of pending) {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
      for (const path of keys) deleteAt(current, path);
    }
    const again = deploymentConfigSchema.safeParse(current);
    if (again.success) return again.data;
    if (again.error.issues.length >= pending.length && round > 0) return undefined;
    pending = again.error.issues;
  }
  return undefined;
}

function deleteAt(root: unknown, path: readonly PropertyKey[]): void {
  if (path.length === 0) return;
  const parent = valueAt(root, path.slice(0, -1));
  if (parent !== null && typeof parent === 'object')
    delete (parent as Record<PropertyKey, unknown>)[path[path.length - 1]];
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
    throw new ConfigError(file, [{ path: '', value: undefined, message: jsonSyntaxMessage(text, error as Error) }]);
  }
  return parseDeploymentConfig(json, file);
}

function schemaProblems(issue: z.core.$ZodIssue, input: unknown): ConfigProblem[] {
  const path = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(issue.path, input);
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
  if (issue.code === 'invalid_key') {
    // A record key that fails its own schema (e.g. a tag key AWS reserves): say what is wrong with the key itself.
    const inner = issue.issues[0]?.message ?? issue.message;
    return [{ path, value: issue.path[issue.path.length - 1], message: /[.)]$/.test(inner) ? inner : `${inner}.` }];
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

type JsonSchemaNode = {
  properties?: Record<string, JsonSchemaNode>;
  propertyNames?: { enum?: string[] };
  items?: JsonSchemaNode;
  additionalProperties?: JsonSchemaNode | boolean;
  anyOf?: JsonSchemaNode[];
};

// The schema as zod's public JSON Schema export (what users write), computed once: it knows every field of every
// object, so an unknown key can be matched against its siblings without reaching into zod's internals.
let inputJsonSchema: JsonSchemaNode | undefined;

function knownKeysAt(path: readonly PropertyKey[], input: unknown): string[] {
  inputJsonSchema ??= z.toJSONSchema(deploymentConfigSchema, { io: 'input' }) as JsonSchemaNode;
  let node: JsonSchemaNode | undefined = inputJsonSchema;
  for (const part of path) {
    if (!node) break;
    const objectLike: JsonSchemaNode | undefined = node.anyOf?.find((n) => n.properties || n.items) ?? node;
    if (typeof part === 'number') node = objectLike.items;
    else if (objectLike.properties && String(part) in objectLike.properties) node = objectLike.properties[String(part)];
    else if (typeof objectLike.additionalProperties === 'object') node = objectLike.additionalProperties;
    else node = undefined;
  }
  const properties = node?.properties ?? node?.anyOf?.find((n) => n.properties)?.properties;
  if (properties) return Object.keys(properties);
  // A record whose keys are an enum (tts.components): its keys are the known names.
  if (node?.propertyNames?.enum) return node.propertyNames.enum;
  return Object.keys((valueAt(input, path) as object) ?? {});
}

/** `is not valid JSON at line L, column C: <reason>` from JSON.parse's error, which only gives a character offset. */
function jsonSyntaxMessage(text: string, error: Error): string {
  const reason = error.message.replace(/ in JSON at position \d+.*$/s, '').replace(/ at position \d+.*$/s, '');
  const position = /position (\d+)/.exec(error.message);
  // "Unexpected end of JSON input" carries no position: the problem is at the end of the file.
  const offset = position ? Number(position[1]) : /end of JSON/.test(error.message) ? text.length : undefined;
  if (offset === undefined) return `is not valid JSON: ${reason}.`;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `is not valid JSON at line ${line}, column ${column}: ${reason}.`;
}
