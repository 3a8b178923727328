import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';
import { formatValue } from '@tts-ecs/core';
import { MAX_EXTENDS_CHAIN, filesThatSet, isJsonObject, mergeConfigLayers } from './extends';
import { ConfigError, ConfigProblem, closestKey, formatPath, valueAt } from './problems';
import { checkRules } from './rules';
import { DeploymentConfig, deploymentConfigSchema } from './schema';

/**
 * Validates a parsed deployment config object. Throws a {@link ConfigError} listing every problem
 * (schema and cross-field rules) with its path, value and fix.
 */
export function parseDeploymentConfig(input: unknown, source = 'config'): DeploymentConfig {
  const { data, problems } = validate(input, { keyProblems: true, fromFile: false });
  if (!data) throw new ConfigError(source, problems);
  return data;
}

interface ValidateOptions {
  /** Report unknown and invalid keys (off for a merged chain: each file's own are reported naming that file). */
  readonly keyProblems: boolean;
  /** The input was read from a file, where a top-level `extends` is followed rather than refused. */
  readonly fromFile: boolean;
}

/** Every problem of a config (schema and cross-field rules) and, when there is none, the parsed config. */
function validate(input: unknown, options: ValidateOptions): { data?: DeploymentConfig; problems: ConfigProblem[] } {
  const result = deploymentConfigSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues
      .filter((issue) => options.keyProblems || !isKeyIssue(issue))
      .flatMap((issue) => schemaProblems(issue, input, options.fromFile));
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
    // Only key problems, left to the caller: the values themselves are fine.
    if (problems.length === 0 && repaired) return { data: repaired, problems };
    return { problems };
  }
  const problems = checkRules(result.data);
  return problems.length > 0 ? { problems } : { data: result.data, problems };
}

/** An unknown field or a refused record key: a problem of the file that wrote the key. */
function isKeyIssue(issue: z.core.$ZodIssue): boolean {
  return issue.code === 'unrecognized_keys' || issue.code === 'invalid_key';
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

/**
 * Reads and validates a deployment config file. A file with `"extends": "<path>"` is merged over that base (the path
 * is relative to the file; see extends.ts for the merge rules), and the merged result is validated as one config;
 * every problem then says which file set the value.
 */
export function loadDeploymentConfig(file: string): DeploymentConfig {
  const chain = readChain(file);
  if (chain.length === 1) {
    const { data, problems } = validate(chain[0].json, { keyProblems: true, fromFile: true });
    if (!data) throw new ConfigError(file, problems);
    return data;
  }
  // Unknown keys of each file, named by that file (also those in a value a later file replaces), then the merge.
  const problems: ConfigProblem[] = chain.flatMap((layer) => keyProblems(layer.json, layer.name));
  const merged = mergeConfigLayers(chain.map((layer) => layer.json as Record<string, unknown>));
  const result = validate(merged.value, { keyProblems: false, fromFile: true });
  for (const problem of result.problems) {
    const files = filesThatSet(merged.origin, problem.path).map((i) => chain[i].name);
    problems.push(files.length === 0 ? problem : setIn(problem, files, merged.value));
  }
  const source = `${file} (extends ${chain
    .slice(1)
    .map((l) => l.name)
    .join(' → ')})`;
  if (problems.length > 0 || !result.data) throw new ConfigError(source, problems);
  return result.data;
}

interface ChainFile {
  /** Name in messages: relative to the folder of the loaded file (its own base name for that file). */
  readonly name: string;
  readonly json: unknown;
  /** Absolute path, and the real one (symlinks resolved) that tells a cycle. */
  readonly abs: string;
  readonly real: string;
}

/**
 * The loaded file and the bases it extends, in order (the loaded file first). Throws a {@link ConfigError} naming the
 * file at fault for an unreadable or invalid file, a bad `extends`, a cycle or a chain longer than
 * {@link MAX_EXTENDS_CHAIN}.
 */
function readChain(file: string): ChainFile[] {
  const root = path.resolve(file);
  const nameOf = (abs: string) => path.relative(path.dirname(root), abs) || path.basename(abs);
  const fail = (problem: ConfigProblem): never => {
    throw new ConfigError(file, [problem]);
  };
  // A problem of the "extends" of `holder`, saying which file holds it unless that is the loaded file.
  const atExtends = (holder: ChainFile, message: string): never =>
    fail({
      path: 'extends',
      value: (holder.json as Record<string, unknown>).extends,
      message: holder.abs === root ? message : `${message} Set in ${holder.name}.`,
    });

  const chain: ChainFile[] = [];
  let abs = root;
  for (;;) {
    const name = nameOf(abs);
    const holder: ChainFile | undefined = chain[chain.length - 1];
    let text = '';
    try {
      text = fs.readFileSync(abs, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (!holder)
        fail({
          path: '',
          value: undefined,
          message: `cannot be read (${code}). Pass an existing file with --config or TTS_ECS_CONFIG.`,
        });
      else
        atExtends(
          holder,
          `names ${shown(abs)}, which ${code === 'ENOENT' ? 'does not exist' : 'cannot be read'} (${code}). ` +
            `The path is relative to the folder of ${holder.name}, the file that holds this "extends", not to the ` +
            'working directory.',
        );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      const syntax = jsonSyntaxMessage(text, error as Error);
      fail({
        path: '',
        value: undefined,
        message: holder ? `${name}, which ${holder.name} extends, ${syntax}` : syntax,
      });
    }
    if (holder && !isJsonObject(json))
      fail({
        path: '',
        value: undefined,
        message: `${name}, which ${holder.name} extends, must hold a JSON object ({ ... }), not ${formatValue(json)}.`,
      });
    const current: ChainFile = { name, json, abs, real: realPath(abs) };
    chain.push(current);

    const base = isJsonObject(json) ? json.extends : undefined;
    if (base === undefined) return chain;
    if (typeof base !== 'string' || base.trim() === '')
      atExtends(current, 'must be the path of a base config, relative to this file, e.g. "./base.json" (one string).');
    const next = path.resolve(path.dirname(abs), base as string);
    const names = [...chain.map((c) => c.name), nameOf(next)].join(' → ');
    if (chain.some((c) => c.real === realPath(next)))
      atExtends(
        current,
        `makes a cycle: ${names}. A config may not extend itself, directly or through its bases: remove this ` +
          '"extends" or point it at a file outside the cycle.',
      );
    if (chain.length >= MAX_EXTENDS_CHAIN)
      atExtends(
        current,
        `would make a chain of more than ${MAX_EXTENDS_CHAIN} files (${names}). At most ${MAX_EXTENDS_CHAIN} are ` +
          'allowed, the loaded file included: merge some of the bases into one.',
      );
    abs = next;
  }
}

/** The path with symlinks resolved (as given when it does not exist: reading it reports that). */
function realPath(abs: string): string {
  try {
    return fs.realpathSync(abs);
  } catch {
    return abs;
  }
}

/** The unknown and refused keys of one file of a chain, each saying that file. */
function keyProblems(json: unknown, name: string): ConfigProblem[] {
  const own = isJsonObject(json) ? { ...json } : json;
  if (isJsonObject(own)) delete own.extends;
  const result = deploymentConfigSchema.safeParse(own);
  if (result.success) return [];
  return result.error.issues
    .filter(isKeyIssue)
    .flatMap((issue) => schemaProblems(issue, own, true))
    .map((p) => setIn(p, [name]));
}

/** The problem, saying which files set its value (and, inside `clusters`, which cluster: merged indexes may differ). */
function setIn(problem: ConfigProblem, files: readonly string[], merged?: unknown): ConfigProblem {
  const cluster = merged === undefined ? undefined : /^clusters\[(\d+)\]/.exec(problem.path);
  const id = cluster ? valueAt(merged, ['clusters', Number(cluster[1]), 'id']) : undefined;
  const which = typeof id === 'string' ? ` (the cluster with id "${id}")` : '';
  const list = files.length === 1 ? files[0] : `${files.slice(0, -1).join(', ')} and ${files[files.length - 1]}`;
  return { ...problem, message: `${problem.message} Set in ${list}${which}.` };
}

/** A path for messages: relative to the working directory when inside it, else absolute. */
function shown(abs: string): string {
  const relative = path.relative(process.cwd(), abs);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : abs;
}

function schemaProblems(issue: z.core.$ZodIssue, input: unknown, fromFile: boolean): ConfigProblem[] {
  const path = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(issue.path, input);
    // `extends` is a key of files only (the loader follows it); say so rather than "not a known field".
    if (issue.path.length === 0 && fromFile) known.splice(known.indexOf('$schema') + 1, 0, 'extends');
    return issue.keys.map((key) => {
      if (issue.path.length === 0 && key === 'extends' && !fromFile)
        return {
          path: key,
          value: valueAt(input, [key]),
          message:
            'is followed only when the config is loaded from a file (loadDeploymentConfig, --config); ' +
            'an object parsed directly cannot name a base. Merge it first, or load the file.',
        };
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
