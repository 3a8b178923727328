/**
 * A tiny YAML emitter for workflow files (no YAML library is a dependency): block mappings and sequences, plain
 * scalars where that is unambiguous, single-quoted strings otherwise (JSON-quoted when they hold a quote or an escape: a JSON string
 * is a valid YAML double-quoted scalar) and literal blocks (`|`) for multi-line scripts. Key order is insertion order: the output is deterministic.
 */
export type YamlValue = string | number | boolean | null | readonly YamlValue[] | { readonly [key: string]: YamlValue };

/** Letters first, no `: ` or ` #`, no trailing space: a plain scalar reads back as this very string. */
const PLAIN = /^[A-Za-z_](?:[A-Za-z0-9_./@()-]| (?!#))*(?<! )$/;
/** Plain scalars a YAML 1.1 or 1.2 reader would not read as a string. */
const RESERVED = /^(true|false|yes|no|on|off|y|n|null|~)$/i;

function scalar(value: string | number | boolean | null, isKey = false): string {
  if (value === null) return 'null';
  if (typeof value !== 'string') return String(value);
  // `on` is the workflow's trigger key; GitHub reads it as a string key.
  if (PLAIN.test(value) && (isKey ? value === 'on' || !RESERVED.test(value) : !RESERVED.test(value))) return value;
  // Single quotes where nothing needs escaping (what prettier writes too), else a JSON string.
  return /^[\x20-\x7e]*$/.test(value) && !value.includes("'") ? `'${value}'` : JSON.stringify(value);
}

const isBlockString = (v: YamlValue): v is string =>
  typeof v === 'string' && v.includes('\n') && !/\n\n+$/.test(v) && !/^\s/.test(v) && !/[ \t]\n/.test(v);

function literal(value: string, indent: string): string {
  const chomp = value.endsWith('\n') ? '|' : '|-';
  const body = value.endsWith('\n') ? value.slice(0, -1) : value;
  return `${chomp}\n${body
    .split('\n')
    .map((line) => (line === '' ? '' : `${indent}${line}`))
    .join('\n')}`;
}

const isEmpty = (v: YamlValue): boolean =>
  v !== null && typeof v === 'object' && (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0);

/** `key: value` / `- value` continuation for `value` at nesting `indent`. */
function after(value: YamlValue, indent: string): string {
  if (value === null || typeof value !== 'object') {
    return isBlockString(value) ? ` ${literal(value as string, `${indent}  `)}` : ` ${scalar(value)}`;
  }
  if (isEmpty(value)) return Array.isArray(value) ? ' []' : ' {}';
  return `\n${block(value, `${indent}  `)}`;
}

function block(value: readonly YamlValue[] | { readonly [key: string]: YamlValue }, indent: string): string {
  if (Array.isArray(value)) {
    return (value as readonly YamlValue[])
      .map((item) => {
        if (item !== null && typeof item === 'object' && !Array.isArray(item) && !isEmpty(item)) {
          // `- key: value` with the mapping's other keys aligned under the first.
          const inner = block(item, `${indent}  `);
          return `${indent}- ${inner.slice(indent.length + 2)}`;
        }
        return `${indent}-${after(item, indent)}`;
      })
      .join('\n');
  }
  return Object.entries(value as { readonly [key: string]: YamlValue })
    .map(([key, v]) => `${indent}${scalar(key, true)}:${after(v, indent)}`)
    .join('\n');
}

/** The YAML document for `value` (a mapping), ending with a newline. */
export function toYaml(value: { readonly [key: string]: YamlValue }): string {
  return `${block(value, '')}\n`;
}
