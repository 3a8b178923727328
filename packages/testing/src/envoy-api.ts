/**
 * Test helper: checks Envoy v3 bootstrap objects against Envoy's own API protos (the `.proto` files shipped in
 * `@grpc/grpc-js-xds/deps`: envoy-api, xds/udpa, googleapis, protoc-gen-validate), the way Envoy parses and validates
 * a bootstrap given as JSON/YAML:
 *
 * - proto3 JSON mapping: unknown fields (snake_case proto names and lowerCamelCase JSON names are both accepted),
 *   value types, enum names, `google.protobuf.Any` (`@type` must name a loaded message, whose body is then checked),
 *   `Duration` strings, wrapper types, `Struct`/`Value`, maps, at most one member per `oneof`;
 * - protoc-gen-validate rules of the fields (`(validate.rules)`) and oneofs (`(validate.required)`);
 * - deprecated fields and enum values (`deprecated = true`, `(envoy.annotations.deprecated_at_minor_version)`,
 *   `(envoy.annotations.disallowed_by_default)`), and negative durations (Envoy rejects them in every field).
 *
 * It does not check semantics that Envoy checks in code (e.g. that a route's cluster exists, or that an extension
 * type is accepted in a given slot).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as protobuf from 'protobufjs';

/** A loaded Envoy API. */
export interface EnvoyApi {
  readonly root: protobuf.Root;
  /** Proto files given to the loader (their imports are loaded too). */
  readonly files: readonly string[];
  /** Proto files left out because an import is not shipped (e.g. opencensus, opentelemetry, prometheus protos). */
  readonly skipped: readonly string[];
  /** Wall time of the load, in milliseconds. */
  readonly loadMs: number;
}

const DEPS_DIRS = ['envoy-api', 'xds', 'googleapis', 'protoc-gen-validate'];
/** Packages whose v3 messages may appear in a bootstrap or behind an `Any` (every extension Envoy's API defines). */
const LOADED_TREES = ['envoy/config', 'envoy/extensions'];
/** Well-known types bundled with protobufjs (`protobuf.common`), resolvable without a file. */
const BUNDLED_WKT = /^google\/protobuf\/[a-z_]+\.proto$/;

let loaded: EnvoyApi | undefined;

/** Loads the Envoy v3 API once per process (module instance), then returns the cached root. */
export function loadEnvoyApi(): EnvoyApi {
  if (loaded) return loaded;
  const started = Date.now();
  const deps = path.join(path.dirname(require.resolve('@grpc/grpc-js-xds/package.json')), 'deps');
  const includeDirs = DEPS_DIRS.map((d) => path.join(deps, d));
  // descriptor.proto is not among protobufjs' default bundled types (@grpc/proto-loader registers it the same way).
  protobuf.common(
    'descriptor',
    require('protobufjs/google/protobuf/descriptor.json').nested.google.nested.protobuf.nested,
  );

  const locate = (file: string): string | undefined =>
    includeDirs.map((d) => path.join(d, file)).find((p) => fs.existsSync(p));
  // Leave out files whose (transitive) imports are not shipped in the package, instead of failing the whole load.
  const loadable = new Map<string, boolean>();
  const canLoad = (file: string): boolean => {
    if (BUNDLED_WKT.test(file)) return true;
    const known = loadable.get(file);
    if (known !== undefined) return known;
    loadable.set(file, true); // import cycles
    const abs = locate(file);
    const ok =
      abs !== undefined &&
      [...fs.readFileSync(abs, 'utf8').matchAll(/^\s*import\s+(?:public\s+|weak\s+)?"([^"]+)"\s*;/gm)].every((m) =>
        canLoad(m[1]),
      );
    loadable.set(file, ok);
    return ok;
  };
  const candidates = LOADED_TREES.flatMap((tree) => protoFiles(path.join(deps, 'envoy-api'), tree)).filter((f) =>
    /\/v3\/[^/]+\.proto$/.test(f),
  );
  const files = candidates.filter(canLoad);
  const skipped = candidates.filter((f) => !canLoad(f));

  const root = new protobuf.Root();
  root.resolvePath = (origin, target) => locate(target) ?? protobuf.util.path.resolve(origin, target);
  root.loadSync(files, { keepCase: true });
  root.resolveAll();
  loaded = { root, files, skipped, loadMs: Date.now() - started };
  return loaded;
}

function protoFiles(base: string, dir: string): string[] {
  return fs.readdirSync(path.join(base, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return protoFiles(base, rel);
    return e.name.endsWith('.proto') ? [rel] : [];
  });
}

/**
 * protoc-gen-validate rules used somewhere in the loaded API that this validator does not implement, as
 * `<message>.<field>: <rule set>.<rule>` (empty while every rule in use is implemented).
 */
export function unsupportedRulesInApi(): string[] {
  const out = new Set<string>();
  const check = (where: string, rules: Rules): void => {
    for (const [kind, set] of Object.entries(rules)) {
      if (!isObject(set)) continue;
      for (const [rule, value] of Object.entries(set)) {
        if (!supportedRules(kind).includes(rule)) out.add(`${where}: ${kind}.${rule}`);
        else if ((kind === 'repeated' && rule === 'items') || (kind === 'map' && rule === 'keys'))
          if (isObject(value)) check(where, value);
      }
    }
  };
  const visit = (ns: protobuf.NamespaceBase): void => {
    for (const nested of ns.nestedArray) {
      if (nested instanceof protobuf.Type) {
        for (const f of nested.fieldsArray) {
          const rules = rulesOf(f);
          if (rules) check(`${name(nested)}.${f.name}`, rules);
        }
      }
      if (nested instanceof protobuf.Namespace) visit(nested);
    }
  };
  visit(loadEnvoyApi().root);
  return [...out].sort();
}

/** Problems of an Envoy v3 bootstrap (`envoy.config.bootstrap.v3.Bootstrap` in JSON), each `<JSON path>: <problem>`. */
export function validateEnvoyBootstrap(config: object): string[] {
  return validateEnvoyMessage('envoy.config.bootstrap.v3.Bootstrap', config);
}

/** Problems of `json` as the message `typeName` (full name, e.g. `envoy.config.cluster.v3.Cluster`). */
export function validateEnvoyMessage(typeName: string, json: unknown, basePath = '$'): string[] {
  const { root } = loadEnvoyApi();
  const type = root.lookupType(typeName);
  const v = new Validator(root);
  v.message(type, json, basePath);
  return v.problems;
}

// ---------------------------------------------------------------------------------------------------------------

type JsonObject = Record<string, unknown>;
/** protoc-gen-validate FieldRules (and nested rule sets) as protobufjs parses them from the field options. */
type Rules = Record<string, unknown>;

const WKT = '.google.protobuf.';
const TYPE_URL_PREFIX = 'type.googleapis.com/';
const WRAPPERS: Record<string, string> = {
  DoubleValue: 'double',
  FloatValue: 'float',
  Int64Value: 'int64',
  UInt64Value: 'uint64',
  Int32Value: 'int32',
  UInt32Value: 'uint32',
  BoolValue: 'bool',
  StringValue: 'string',
  BytesValue: 'bytes',
};
const INT_RANGES: Record<string, readonly [bigint, bigint]> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  sint32: [-(2n ** 31n), 2n ** 31n - 1n],
  sfixed32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  fixed32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  sint64: [-(2n ** 63n), 2n ** 63n - 1n],
  sfixed64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  fixed64: [0n, 2n ** 64n - 1n],
};
const SPECIAL_JSON_WKT = new Set(
  [...Object.keys(WRAPPERS), 'Any', 'Duration', 'Timestamp', 'FieldMask', 'Struct', 'ListValue', 'Value'].map(
    (t) => `${WKT}${t}`,
  ),
);
/** Largest Duration protobuf accepts (10000 years). */
const MAX_DURATION_SECONDS = 315_576_000_000n;
/**
 * protoc-gen-validate's well-known regexes (strict, RFC 7230) and the loose one used when `strict: false`, as in its
 * sources (`+-.` is a range there, so it admits `,` too).
 */
const HEADER_NAME = /^:?[0-9a-zA-Z!#$%&'*+-.^_|~`]+$/;
const HEADER_VALUE = /^[^\u0000-\u0008\u000A-\u001F\u007F]*$/; // eslint-disable-line no-control-regex
const HEADER_STRING = /^[^\u0000\u000A\u000D]*$/; // eslint-disable-line no-control-regex

/** protoc-gen-validate rules this validator implements, per rule set (every rule used by Envoy's v3 API). */
const SUPPORTED_RULES: Record<string, readonly string[]> = {
  message: ['required'],
  any: ['required'],
  duration: ['required', 'gt', 'gte', 'lt', 'lte'],
  repeated: ['min_items', 'max_items', 'unique', 'items'],
  map: ['min_pairs', 'keys'],
  enum: ['defined_only', 'not_in'],
  bool: ['const'],
  string: ['min_len', 'max_len', 'max_bytes', 'in', 'pattern', 'well_known_regex', 'strict', 'ignore_empty'],
  bytes: ['min_len', 'max_len'],
  number: ['gt', 'gte', 'lt', 'lte'],
};
const NUMBER_KINDS = new Set(['double', 'float', ...Object.keys(INT_RANGES)]);
const supportedRules = (kind: string): readonly string[] =>
  SUPPORTED_RULES[NUMBER_KINDS.has(kind) ? 'number' : kind] ?? [];

const jsonNames = new WeakMap<protobuf.Type, Map<string, protobuf.Field>>();
const fieldRules = new WeakMap<protobuf.Field, Rules | null>();

class Validator {
  readonly problems: string[] = [];

  constructor(private readonly root: protobuf.Root) {}

  private report(at: string, problem: string): void {
    this.problems.push(`${at}: ${problem}`);
  }

  /** A message in proto3 JSON. Returns false when the value itself has the wrong JSON type. */
  message(type: protobuf.Type, json: unknown, at: string): boolean {
    if (type.fullName.startsWith(WKT)) {
      const wellTyped = this.wellKnown(type, json, at);
      if (wellTyped !== undefined) return wellTyped;
    }
    if (!isObject(json)) {
      this.report(at, `expected a JSON object (${name(type)}), got ${show(json)}`);
      return false;
    }
    const byKey = fieldsByJsonKey(type);
    const keyOf = new Map<protobuf.Field, string>();
    for (const [key, value] of Object.entries(json)) {
      if (value === undefined) continue; // JSON.stringify drops it
      const field = byKey.get(key);
      if (!field) {
        const hint = closest(key, [...byKey.keys()]);
        this.report(
          child(at, key),
          `unknown field "${key}" in ${name(type)}${hint ? ` (did you mean "${hint}"?)` : ''}`,
        );
      } else if (keyOf.has(field)) {
        this.report(
          child(at, key),
          `field ${field.name} of ${name(type)} is set twice ("${keyOf.get(field)}", "${key}")`,
        );
      } else {
        keyOf.set(field, key);
      }
    }
    const isSet = (f: protobuf.Field): boolean => {
      const key = keyOf.get(f);
      return key !== undefined && (json[key] !== null || isValueType(f));
    };

    for (const oneof of type.oneofsArray) {
      const set = oneof.fieldsArray.filter(isSet);
      if (set.length > 1) {
        this.report(
          at,
          `oneof ${oneof.name} of ${name(type)} has ${set.length} members set (${set.map((f) => keyOf.get(f)).join(', ')}); set at most one`,
        );
      }
      if (set.length === 0 && oneof.options?.['(validate.required)'] === true) {
        this.report(
          at,
          `one of ${oneof.fieldsArray.map((f) => f.name).join(', ')} is required (oneof ${oneof.name} of ${name(type)}, validate.required)`,
        );
      }
    }

    for (const field of type.fieldsArray) {
      const key = keyOf.get(field);
      const fieldAt = child(at, key ?? field.name);
      const present = isSet(field);
      const value = present ? json[key!] : undefined;
      const wellTyped = present ? this.fieldValue(field, value, fieldAt) : true;
      if (present) this.deprecation(type, field, value, fieldAt);
      if (wellTyped) this.rules(type, field, value, fieldAt);
    }
    return true;
  }

  /** A present field's value (repeated, map or single). Returns false when its JSON type is wrong. */
  private fieldValue(field: protobuf.Field, value: unknown, at: string): boolean {
    if (field.map) {
      if (!isObject(value)) {
        this.report(at, `expected a JSON object (map<${keyTypeOf(field)}, ${field.type}>), got ${show(value)}`);
        return false;
      }
      let ok = true;
      for (const [k, v] of Object.entries(value)) {
        if (v === undefined) continue;
        ok = this.mapKey(keyTypeOf(field), k, child(at, k)) && ok;
        ok = this.single(field, v, child(at, k)) && ok;
      }
      return ok;
    }
    if (field.repeated) {
      if (!Array.isArray(value)) {
        this.report(at, `expected a JSON array (repeated ${field.type}), got ${show(value)}`);
        return false;
      }
      let ok = true;
      value.forEach((v, i) => {
        if (v === null && !isValueType(field)) {
          this.report(`${at}[${i}]`, `null is not allowed in a repeated field`);
          ok = false;
        } else {
          ok = this.single(field, v, `${at}[${i}]`) && ok;
        }
      });
      return ok;
    }
    return this.single(field, value, at);
  }

  /** One value of the field's element type. Returns false when its JSON type is wrong. */
  private single(field: protobuf.Field, value: unknown, at: string): boolean {
    const t = field.resolvedType;
    if (t instanceof protobuf.Type) return this.message(t, value, at);
    if (t instanceof protobuf.Enum) return this.enumValue(t, value, at);
    return this.scalar(field.type, value, at);
  }

  private scalar(type: string, value: unknown, at: string): boolean {
    const problem = scalarProblem(type, value);
    if (problem) this.report(at, problem);
    return !problem;
  }

  private mapKey(keyType: string, key: string, at: string): boolean {
    if (keyType === 'string') return true;
    if (keyType === 'bool') {
      if (key === 'true' || key === 'false') return true;
      this.report(at, `map key must be "true" or "false"`);
      return false;
    }
    return this.scalar(keyType, key, at);
  }

  private enumValue(e: protobuf.Enum, value: unknown, at: string): boolean {
    if (e.fullName === '.google.protobuf.NullValue') {
      if (value === null || value === 'NULL_VALUE') return true;
    } else if (typeof value === 'string') {
      if (Object.prototype.hasOwnProperty.call(e.values, value)) {
        this.enumDeprecation(e, value, at);
        return true;
      }
      this.report(at, `invalid enum value "${value}" for ${name(e)}; use one of ${Object.keys(e.values).join(', ')}`);
      return false;
    } else if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 2 ** 31) {
      const valueName = e.valuesById[value];
      if (valueName !== undefined) this.enumDeprecation(e, valueName, at);
      return true; // proto3 enums are open: an undefined number parses (enum.defined_only catches it)
    }
    this.report(at, `expected an enum name (${name(e)}), got ${show(value)}`);
    return false;
  }

  /**
   * Well-known types with a special JSON form: whether the value has the right JSON type, or undefined when `type` is
   * an ordinary message (Empty, descriptor types).
   */
  private wellKnown(type: protobuf.Type, json: unknown, at: string): boolean | undefined {
    const short = type.fullName.slice(WKT.length);
    const wrapped = WRAPPERS[short];
    if (wrapped) return this.scalar(wrapped, json, at);
    const expect = (ok: boolean, what: string): boolean => {
      if (!ok) this.report(at, `expected ${what} (google.protobuf.${short}), got ${show(json)}`);
      return ok;
    };
    switch (short) {
      case 'Any':
        return this.any(json, at);
      case 'Duration': {
        const d = typeof json === 'string' ? parseDuration(json) : undefined;
        if (!expect(d !== undefined, 'a duration string such as "5s" or "0.25s"')) return false;
        if (d! < 0n)
          this.report(at, `duration must not be negative (Envoy rejects negative durations), got ${show(json)}`);
        return true;
      }
      case 'Timestamp':
        return expect(
          typeof json === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/.test(json),
          'an RFC 3339 timestamp string',
        );
      case 'FieldMask':
        return expect(typeof json === 'string', 'a string');
      case 'Struct':
        return expect(isObject(json), 'a JSON object');
      case 'ListValue':
        return expect(Array.isArray(json), 'a JSON array');
      case 'Value':
        return true;
      default:
        return undefined;
    }
  }

  /** `google.protobuf.Any`: `{"@type": "type.googleapis.com/<full name>", ...fields of that message}`. */
  private any(json: unknown, at: string): boolean {
    if (!isObject(json)) {
      this.report(at, `expected a JSON object with "@type" (google.protobuf.Any), got ${show(json)}`);
      return false;
    }
    const url = json['@type'];
    if (url === undefined) {
      if (Object.keys(json).length > 0) this.report(at, `"@type" is missing (google.protobuf.Any)`);
      return true;
    }
    const typeAt = child(at, '@type');
    // Envoy parses JSON with protobuf's generated type resolver, which knows only this prefix.
    if (typeof url !== 'string' || !url.startsWith(TYPE_URL_PREFIX)) {
      this.report(typeAt, `expected a type URL of the form "${TYPE_URL_PREFIX}<message>", got ${show(url)}`);
      return true;
    }
    const typeName = url.slice(TYPE_URL_PREFIX.length);
    const type = lookupType(this.root, typeName);
    if (!type) {
      this.report(typeAt, `cannot resolve type URL "${url}": no message ${typeName} in the loaded Envoy API`);
      return true;
    }
    const body = Object.fromEntries(Object.entries(json).filter(([k]) => k !== '@type'));
    if (SPECIAL_JSON_WKT.has(type.fullName)) {
      // A well-known type with a special JSON form sits in "value".
      for (const k of Object.keys(body)) {
        if (k !== 'value')
          this.report(child(at, k), `unknown field "${k}" in ${name(type)} packed in an Any (use "value")`);
      }
      if (body.value !== undefined) this.message(type, body.value, child(at, 'value'));
      return true;
    }
    this.message(type, body, at);
    return true;
  }

  private deprecation(type: protobuf.Type, field: protobuf.Field, value: unknown, at: string): void {
    const o = field.options ?? {};
    // Envoy inspects the parsed message: an empty list or map, or an implicit-presence scalar at its default value, is
    // not set there.
    if (notSerialized(field, value)) return;
    const since = o['(envoy.annotations.deprecated_at_minor_version)'];
    if (o['(envoy.annotations.disallowed_by_default)'] === true) {
      this.report(
        at,
        `${name(type)}.${field.name} is disallowed by default; Envoy rejects it unless a runtime override allows it`,
      );
    } else if (o.deprecated === true || since !== undefined) {
      this.report(
        at,
        `${name(type)}.${field.name} is deprecated${since ? ` (since API ${since})` : ''}; Envoy warns (or rejects with envoy.features.fail_on_any_deprecated_feature)`,
      );
    }
  }

  private enumDeprecation(e: protobuf.Enum, valueName: string, at: string): void {
    const o = e.valuesOptions?.[valueName] ?? {};
    const since = o['(envoy.annotations.deprecated_at_minor_version_enum)'];
    if (o['(envoy.annotations.disallowed_by_default_enum)'] === true) {
      this.report(
        at,
        `${name(e)}.${valueName} is disallowed by default; Envoy rejects it unless a runtime override allows it`,
      );
    } else if (o.deprecated === true || since !== undefined) {
      this.report(
        at,
        `${name(e)}.${valueName} is deprecated${since ? ` (since API ${since})` : ''}; Envoy warns (or rejects with envoy.features.fail_on_any_deprecated_feature)`,
      );
    }
  }

  // ---- protoc-gen-validate ------------------------------------------------------------------------------------

  /** `(validate.rules)` of a field; `value` is undefined when the field is not set. */
  private rules(type: protobuf.Type, field: protobuf.Field, value: unknown, at: string): void {
    const rules = rulesOf(field);
    if (!rules) return;
    const where = `${name(type)}.${field.name}`;
    // Rules of a oneof member (also proto3 `optional`) apply only when that member is the one set.
    if (field.partOf && value === undefined) return;
    if (field.map) {
      this.mapRules(field, rules, (value ?? {}) as JsonObject, at, where);
    } else if (field.repeated) {
      this.repeatedRules(field, rules, (value ?? []) as unknown[], at, where);
    } else {
      // Scalars without presence are validated at their default value; messages only when set (or required).
      if (value === undefined && !(field.resolvedType instanceof protobuf.Type)) value = defaultOf(field);
      this.valueRules(field, rules, value, at, where);
    }
  }

  private repeatedRules(field: protobuf.Field, rules: Rules, items: unknown[], at: string, where: string): void {
    const r = this.ruleSet(rules, 'repeated', at, where);
    if (!r) return;
    if (typeof r.min_items === 'number' && items.length < r.min_items) {
      this.fail(at, `value must contain at least ${r.min_items} item(s)`, where, `repeated.min_items = ${r.min_items}`);
    }
    if (typeof r.max_items === 'number' && items.length > r.max_items) {
      const rule = `repeated.max_items = ${r.max_items}`;
      this.fail(at, `value must contain no more than ${r.max_items} item(s)`, where, rule);
    }
    if (r.unique === true) {
      const seen = new Set<string>();
      items.forEach((v, i) => {
        const k = JSON.stringify(v);
        if (seen.has(k)) this.fail(`${at}[${i}]`, 'repeated value must contain unique items', where, 'repeated.unique');
        seen.add(k);
      });
    }
    if (isObject(r.items)) {
      items.forEach((v, i) => this.valueRules(field, r.items as Rules, v, `${at}[${i}]`, `${where}[]`));
    }
  }

  private mapRules(field: protobuf.Field, rules: Rules, map: JsonObject, at: string, where: string): void {
    const r = this.ruleSet(rules, 'map', at, where);
    if (!r) return;
    const entries = Object.entries(map).filter(([, v]) => v !== undefined);
    if (typeof r.min_pairs === 'number' && entries.length < r.min_pairs) {
      this.fail(at, `value must contain at least ${r.min_pairs} pair(s)`, where, `map.min_pairs = ${r.min_pairs}`);
    }
    const keyType = keyTypeOf(field);
    for (const [k] of entries) {
      const key = keyType === 'string' || keyType === 'bool' ? k : Number(k);
      if (isObject(r.keys)) this.scalarRules(keyType, undefined, r.keys, key, child(at, k), `${where} (key)`);
    }
  }

  /** Rules of one (non-repeated) value of the field's element type; `value` undefined when not set. */
  private valueRules(field: protobuf.Field, rules: Rules, value: unknown, at: string, where: string): void {
    const t = field.resolvedType;
    if (!(t instanceof protobuf.Type)) {
      if (value !== undefined) this.scalarRules(field.type, t ?? undefined, rules, value, at, where);
      return;
    }
    const set = value !== undefined;
    const wkt = t.fullName.startsWith(WKT) ? t.fullName.slice(WKT.length) : '';
    const message = this.ruleSet(rules, 'message', at, where);
    if (message?.required === true && !set) this.fail(at, 'value is required', where, 'message.required');
    if (wkt === 'Any') {
      const any = this.ruleSet(rules, 'any', at, where);
      if (any?.required === true && !set) this.fail(at, 'value is required', where, 'any.required');
    } else if (wkt === 'Duration') {
      const duration = this.ruleSet(rules, 'duration', at, where);
      if (duration) this.durationRules(duration, value, at, where);
    } else if (WRAPPERS[wkt]) {
      // Rules of a wrapper field are those of the wrapped scalar, applied when the wrapper is set.
      if (set) this.scalarRules(WRAPPERS[wkt], undefined, rules, value, at, where);
    }
  }

  private durationRules(r: Rules, value: unknown, at: string, where: string): void {
    if (value === undefined) {
      if (r.required === true) this.fail(at, 'value is required', where, 'duration.required');
      return;
    }
    const d = typeof value === 'string' ? parseDuration(value) : undefined;
    if (d === undefined) return;
    const bound = (k: string): bigint | undefined => (isObject(r[k]) ? durationOf(r[k] as JsonObject) : undefined);
    const bounds = { gt: bound('gt'), gte: bound('gte'), lt: bound('lt'), lte: bound('lte') };
    this.range(d, bounds, showDuration, at, where, 'duration');
  }

  /** Rules of a scalar or enum value: the rule set named after the proto scalar type (`uint32`, `string`, ...). */
  private scalarRules(
    kind: string,
    e: protobuf.Enum | undefined,
    rules: Rules,
    value: unknown,
    at: string,
    where: string,
  ): void {
    const tag = e ? 'enum' : kind;
    const r = this.ruleSet(rules, tag, at, where);
    if (!r) return;
    if (e) {
      const n = typeof value === 'string' ? e.values[value] : Number(value);
      if (r.defined_only === true && e.valuesById[n] === undefined) {
        this.fail(at, `value must be one of the defined enum values of ${name(e)}`, where, 'enum.defined_only');
      }
      if (r.not_in !== undefined && list(r.not_in).includes(n)) {
        const names = list(r.not_in).map((x) => e.valuesById[x as number] ?? x);
        this.fail(at, `value must not be in list [${names.join(', ')}]`, where, 'enum.not_in');
      }
    } else if (kind === 'bool') {
      if (r.const !== undefined && value !== r.const) this.fail(at, `value must equal ${r.const}`, where, 'bool.const');
    } else if (kind === 'string') {
      this.stringRules(r, value as string, at, where);
    } else if (kind === 'bytes') {
      const n = Buffer.from(String(value), 'base64').length;
      if (typeof r.min_len === 'number' && n < r.min_len) {
        this.fail(at, `value length must be at least ${r.min_len} bytes`, where, `bytes.min_len = ${r.min_len}`);
      }
      if (typeof r.max_len === 'number' && n > r.max_len) {
        this.fail(at, `value length must be at most ${r.max_len} bytes`, where, `bytes.max_len = ${r.max_len}`);
      }
    } else {
      const num = (k: string): number | undefined => (r[k] === undefined ? undefined : Number(r[k]));
      const bounds = { gt: num('gt'), gte: num('gte'), lt: num('lt'), lte: num('lte') };
      this.range(Number(value), bounds, String, at, where, tag);
    }
  }

  private stringRules(r: Rules, s: string, at: string, where: string): void {
    if (r.ignore_empty === true && s === '') return;
    const runes = [...s].length;
    const bytes = Buffer.byteLength(s, 'utf8');
    if (typeof r.min_len === 'number' && runes < r.min_len) {
      this.fail(at, `value length must be at least ${r.min_len} runes`, where, `string.min_len = ${r.min_len}`);
    }
    if (typeof r.max_len === 'number' && runes > r.max_len) {
      this.fail(at, `value length must be at most ${r.max_len} runes`, where, `string.max_len = ${r.max_len}`);
    }
    if (typeof r.max_bytes === 'number' && bytes > r.max_bytes) {
      this.fail(at, `value length must be at most ${r.max_bytes} bytes`, where, `string.max_bytes = ${r.max_bytes}`);
    }
    if (r.in !== undefined && !list(r.in).includes(s)) {
      this.fail(at, `value must be in list [${list(r.in).join(', ')}]`, where, 'string.in');
    }
    // protoc-gen-validate's C++ code uses RE2::FullMatch; the Envoy patterns are plain enough for JavaScript.
    if (typeof r.pattern === 'string' && !new RegExp(`^(?:${r.pattern})$`).test(s)) {
      this.fail(at, `value does not match regex pattern ${JSON.stringify(r.pattern)}`, where, 'string.pattern');
    }
    if (r.well_known_regex !== undefined) {
      const which = String(r.well_known_regex);
      const strict = r.strict !== false;
      const re = !strict
        ? HEADER_STRING
        : which === 'HTTP_HEADER_NAME'
          ? HEADER_NAME
          : which === 'HTTP_HEADER_VALUE'
            ? HEADER_VALUE
            : undefined;
      if (re && !re.test(s)) {
        const problem = `value does not match regex pattern for ${which}${strict ? '' : ' (strict: false)'}`;
        this.fail(at, problem, where, `string.well_known_regex = ${which}`);
      }
    }
  }

  /**
   * The rule set `kind` of a field's rules, after reporting any rule this validator does not implement (so a rule
   * is never skipped silently).
   */
  private ruleSet(rules: Rules, kind: string, at: string, where: string): Rules | undefined {
    const r = rules[kind];
    if (!isObject(r)) return undefined;
    const supported = supportedRules(kind);
    for (const rule of Object.keys(r)) {
      if (!supported.includes(rule)) {
        this.report(at, `validate.rules ${kind}.${rule} of ${where} is not supported by this validator; extend it`);
      }
    }
    return r;
  }

  /** protoc-gen-validate's lt/lte/gt/gte, including exclusive ranges (lower bound above the upper bound). */
  private range<T extends number | bigint>(
    v: T,
    bounds: { gt?: T; gte?: T; lt?: T; lte?: T },
    show: (x: T) => string,
    at: string,
    where: string,
    tag: string,
  ): void {
    const { gt, gte, lt, lte } = bounds;
    const lower = gt ?? gte;
    const upper = lt ?? lte;
    if (lower === undefined && upper === undefined) return;
    const aboveLower = lower === undefined || (gt !== undefined ? v > gt : v >= lower);
    const belowUpper = upper === undefined || (lt !== undefined ? v < lt : v <= upper);
    const rule = Object.entries(bounds)
      .filter(([, b]) => b !== undefined)
      .map(([op, b]) => `${tag}.${op} = ${show(b as T)}`)
      .join(', ');
    if (lower !== undefined && upper !== undefined) {
      if (upper >= lower) {
        if (!(aboveLower && belowUpper)) {
          const range = `${gt !== undefined ? '(' : '['}${show(lower)}, ${show(upper)}${lt !== undefined ? ')' : ']'}`;
          this.fail(at, `value must be inside range ${range}`, where, rule);
        }
      } else if (!aboveLower && !belowUpper) {
        // Exclusive range: the value must lie outside the bounds.
        const range = `${lt !== undefined ? '[' : '('}${show(upper)}, ${show(lower)}${gt !== undefined ? ']' : ')'}`;
        this.fail(at, `value must be outside range ${range}`, where, rule);
      }
    } else if (!aboveLower) {
      this.fail(at, `value must be greater than ${gt !== undefined ? '' : 'or equal to '}${show(lower!)}`, where, rule);
    } else if (!belowUpper) {
      this.fail(at, `value must be less than ${lt !== undefined ? '' : 'or equal to '}${show(upper!)}`, where, rule);
    }
  }

  private fail(at: string, problem: string, where: string, rule: string): void {
    this.report(at, `${problem} (${where}: validate.rules ${rule})`);
  }
}

// ---------------------------------------------------------------------------------------------------------------

function name(t: protobuf.ReflectionObject): string {
  return t.fullName.replace(/^\./, '');
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isValueType(field: protobuf.Field): boolean {
  return field.resolvedType?.fullName === '.google.protobuf.Value';
}

function show(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  const text = JSON.stringify(v);
  return `${typeof v} ${text.length > 80 ? `${text.slice(0, 80)}…` : text}`;
}

/** JSON path of `key` below `at`: `.key` for identifiers, `["key"]` otherwise. */
function child(at: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${at}.${key}` : `${at}[${JSON.stringify(key)}]`;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [v];
}

/** The field's keys in JSON: its proto name and its JSON name (lowerCamelCase unless `json_name` is set). */
function fieldsByJsonKey(type: protobuf.Type): Map<string, protobuf.Field> {
  let m = jsonNames.get(type);
  if (!m) {
    m = new Map();
    for (const f of type.fieldsArray) {
      m.set(f.name, f);
      m.set(
        (f.options?.json_name as string | undefined) ??
          f.name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()),
        f,
      );
    }
    jsonNames.set(type, m);
  }
  return m;
}

/** The candidate within edit distance 2 of `key`, if any (for "did you mean"). */
function closest(key: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(key, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}

function keyTypeOf(field: protobuf.Field): string {
  return (field as unknown as protobuf.MapField).keyType;
}

function lookupType(root: protobuf.Root, typeName: string): protobuf.Type | undefined {
  try {
    const t = root.lookup(`.${typeName}`);
    return t instanceof protobuf.Type ? t : undefined;
  } catch {
    return undefined;
  }
}

/** All `(validate.rules)` options of a field merged into one FieldRules object. */
function rulesOf(field: protobuf.Field): Rules | null {
  let r = fieldRules.get(field);
  if (r === undefined) {
    const parsed = (field.parsedOptions ?? []) as unknown as Record<string, unknown>[];
    r = parsed
      .filter((o) => isObject(o['(validate.rules)']))
      .reduce<Rules | null>((acc, o) => merge(acc ?? {}, o['(validate.rules)'] as Rules), null);
    fieldRules.set(field, r);
  }
  return r;
}

function merge(a: Rules, b: Rules): Rules {
  const out: Rules = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isObject(v) && isObject(out[k]) ? merge(out[k] as Rules, v) : v;
  return out;
}

function defaultOf(field: protobuf.Field): unknown {
  if (field.resolvedType instanceof protobuf.Enum) return 0;
  if (field.type === 'string' || field.type === 'bytes') return '';
  if (field.type === 'bool') return false;
  return 0;
}

function notSerialized(field: protobuf.Field, value: unknown): boolean {
  if (field.map) return isObject(value) && Object.keys(value).length === 0;
  if (field.repeated) return Array.isArray(value) && value.length === 0;
  if (field.partOf || field.resolvedType instanceof protobuf.Type) return false;
  return isDefaultScalar(field, value);
}

function isDefaultScalar(field: protobuf.Field, value: unknown): boolean {
  if (field.resolvedType instanceof protobuf.Enum) {
    return value === 0 || (typeof value === 'string' && field.resolvedType.values[value] === 0);
  }
  if (field.type === 'string' || field.type === 'bytes') return value === '';
  if (field.type === 'bool') return value === false;
  return value === 0 || value === '0';
}

/** Why `value` is not valid proto3 JSON for the scalar `type` (undefined when it is). */
function scalarProblem(type: string, value: unknown): string | undefined {
  const expected = (what: string): string => `expected ${what} (${type}), got ${show(value)}`;
  switch (type) {
    case 'string':
      return typeof value === 'string' ? undefined : expected('a string');
    case 'bool':
      return typeof value === 'boolean' ? undefined : expected('true or false');
    case 'bytes':
      return typeof value === 'string' && /^[A-Za-z0-9+/_-]*={0,2}$/.test(value)
        ? undefined
        : expected('a base64 string');
    case 'double':
    case 'float': {
      if (typeof value === 'number') return undefined;
      if (
        typeof value === 'string' &&
        (['NaN', 'Infinity', '-Infinity'].includes(value) || (value.trim() !== '' && Number.isFinite(Number(value))))
      )
        return undefined;
      return expected('a number');
    }
    default: {
      const range = INT_RANGES[type];
      if (!range) return `unsupported scalar type ${type}`;
      let n: bigint;
      if (typeof value === 'number' && Number.isInteger(value)) n = BigInt(value);
      else if (typeof value === 'string' && /^-?\d+$/.test(value)) n = BigInt(value);
      else return expected('an integer (number or decimal string)');
      return n < range[0] || n > range[1] ? `${n} is out of range for ${type} (${range[0]} to ${range[1]})` : undefined;
    }
  }
}

/** A proto3 JSON duration ("-1.5s") in nanoseconds, or undefined when malformed or out of protobuf's range. */
function parseDuration(s: string): bigint | undefined {
  const m = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(s);
  if (!m) return undefined;
  const seconds = BigInt(m[2]);
  if (seconds > MAX_DURATION_SECONDS) return undefined;
  const nanos = seconds * 1_000_000_000n + BigInt((m[3] ?? '').padEnd(9, '0'));
  return m[1] ? -nanos : nanos;
}

function durationOf(d: JsonObject): bigint {
  return BigInt(Number(d.seconds ?? 0)) * 1_000_000_000n + BigInt(Number(d.nanos ?? 0));
}

function showDuration(nanos: bigint): string {
  const s = nanos / 1_000_000_000n;
  const frac = (nanos < 0n ? -nanos : nanos) % 1_000_000_000n;
  return frac === 0n ? `${s}s` : `${s}.${frac.toString().padStart(9, '0').replace(/0+$/, '')}s`;
}
