/**
 * A tool's JSON input schema (from the manifest) → the CLI's flags and positional arguments, and
 * the coercion of their strings back into typed values. Pure data work: no commander, no zod, so
 * the command tree can be built at start-up and tested on its own. zod still validates once, in
 * invokeTool; this only turns text into the types the schema asks for.
 */
import type { JsonSchemaObject } from '../../tools/core/json-schema.js';

export type FieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'array' | 'json';

export interface FieldSpec {
  /** The input key, snake_case. */
  field: string;
  /** The flag without dashes, kebab-case: `max_depth` → `max-depth`. */
  flag: string;
  kind: FieldKind;
  /** For arrays: the kind of each item. */
  itemKind?: Exclude<FieldKind, 'array'>;
  /** For enums (or arrays of enums): the allowed values, as the schema has them. */
  choices?: ReadonlyArray<string | number | boolean>;
  required: boolean;
  positional: boolean;
  default?: unknown;
  description?: string;
}

/** Flags the program owns; a tool field with one of these names gets an `input-` prefix. */
export const RESERVED_FLAGS: ReadonlySet<string> = new Set([
  'help',
  'version',
  'profile',
  'cwd',
  'json',
  'yes',
  'read-only',
]);

type Schema = Record<string, unknown>;

export function kebab(field: string): string {
  return field
    .replace(/_/g, '-')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();
}

export function fieldSpecs(inputSchema: JsonSchemaObject, positional: readonly string[] = []): FieldSpec[] {
  const properties = (inputSchema.properties ?? {}) as Record<string, Schema>;
  const required = new Set(inputSchema.required ?? []);
  const specs = Object.entries(properties).map(([field, raw]) => {
    const schema = unwrapNullable(raw);
    let flag = kebab(field);
    // `no-…` would read as commander's negation of another flag; reserved names belong to the program.
    if (RESERVED_FLAGS.has(flag) || flag.startsWith('no-')) flag = `input-${flag}`;
    const { kind, choices } = classify(schema);
    const spec: FieldSpec = {
      field,
      flag,
      kind,
      required: required.has(field),
      positional: positional.includes(field),
    };
    if (choices) spec.choices = choices;
    if (kind === 'array') {
      const items = classify(unwrapNullable((schema.items ?? {}) as Schema));
      spec.itemKind = items.kind === 'array' ? 'json' : items.kind;
      if (items.choices) spec.choices = items.choices;
    }
    const description = (raw.description ?? schema.description) as string | undefined;
    if (description) spec.description = description;
    const fallback = 'default' in raw ? raw.default : schema.default;
    if (fallback !== undefined) spec.default = fallback;
    return spec;
  });
  // Positionals come in the order the tool lists them, not the order of the schema.
  return specs.sort((a, b) => rank(a, positional) - rank(b, positional));
}

function rank(spec: FieldSpec, positional: readonly string[]): number {
  return spec.positional ? positional.indexOf(spec.field) : positional.length;
}

/** `x | null` (zod's `.nullable()`) reads as `x` on the command line. */
function unwrapNullable(schema: Schema): Schema {
  const variants = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (variants) {
    const live = variants.filter((v) => v.type !== 'null');
    if (live.length === 1) return { ...live[0], ...omit(schema, ['anyOf', 'oneOf']) };
    // A union of literals (z.union of z.literal) is an enum.
    if (live.length > 0 && live.every((v) => 'const' in v))
      return { ...omit(schema, ['anyOf', 'oneOf']), enum: live.map((v) => v.const) };
    return schema;
  }
  if (Array.isArray(schema.type)) {
    const types = (schema.type as string[]).filter((t) => t !== 'null');
    if (types.length === 1) return { ...schema, type: types[0] };
  }
  return schema;
}

function omit(schema: Schema, keys: string[]): Schema {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => !keys.includes(key)));
}

function classify(schema: Schema): { kind: FieldKind; choices?: ReadonlyArray<string | number | boolean> } {
  if (Array.isArray(schema.enum))
    return { kind: 'enum', choices: schema.enum as Array<string | number | boolean> };
  if ('const' in schema) return { kind: 'enum', choices: [schema.const as string | number | boolean] };
  switch (schema.type) {
    case 'string':
      return { kind: 'string' };
    case 'number':
      return { kind: 'number' };
    case 'integer':
      return { kind: 'integer' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'array':
      return { kind: 'array' };
    default:
      return { kind: 'json' };
  }
}

/** Thrown on a value that cannot be the field's type; the program reports it as a usage error. */
export class FlagValueError extends Error {
  override readonly name = 'FlagValueError';
}

/** One command-line string → the value the schema expects. */
export function coerceValue(
  kind: Exclude<FieldKind, 'array'>,
  raw: string,
  choices?: FieldSpec['choices'],
): unknown {
  switch (kind) {
    case 'number':
    case 'integer': {
      const value = raw.trim() === '' ? Number.NaN : Number(raw);
      if (!Number.isFinite(value)) throw new FlagValueError(`'${raw}' is not a number`);
      if (kind === 'integer' && !Number.isInteger(value))
        throw new FlagValueError(`'${raw}' is not an integer`);
      return value;
    }
    case 'enum': {
      const match = choices?.find((choice) => String(choice) === raw);
      if (match === undefined) {
        throw new FlagValueError(`'${raw}' is not one of ${(choices ?? []).map(String).join(', ')}`);
      }
      return match;
    }
    case 'boolean':
      if (/^(true|yes|1)$/i.test(raw)) return true;
      if (/^(false|no|0)$/i.test(raw)) return false;
      throw new FlagValueError(`'${raw}' is not true or false`);
    case 'json':
      // Objects and unions are given as JSON; anything that is not JSON is taken as a string.
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        return raw;
      }
    case 'string':
      return raw;
  }
}

/**
 * Array flags repeat (`--col a --col b`), take commas (`--col a,b`) or a JSON array
 * (`--col '["a,b"]'` when an item holds a comma); the values accumulate.
 */
export function appendItems(spec: FieldSpec, raw: string, previous: unknown): unknown[] {
  const before: unknown[] = Array.isArray(previous) ? (previous as unknown[]) : [];
  const itemKind = spec.itemKind ?? 'string';
  if (raw.trim().startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new FlagValueError(`'${raw}' is not a JSON array`);
    }
    if (!Array.isArray(parsed)) throw new FlagValueError(`'${raw}' is not a JSON array`);
    return [
      ...before,
      ...(parsed as unknown[]).map((item) =>
        typeof item === 'string' ? coerceValue(itemKind, item, spec.choices) : item,
      ),
    ];
  }
  const parts = splitTopLevel(raw)
    .map((part) => part.trim())
    .filter((part) => part !== '');
  return [...before, ...parts.map((part) => coerceValue(itemKind, part, spec.choices))];
}

/**
 * `a,b` is two items, but `features=[a,b]` and `name="x, y"` are one: commas inside brackets or
 * quotes belong to the item (`experiment run --set data.features=[age,income]`).
 */
function splitTopLevel(raw: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i];
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '[' || char === '{' || char === '(') depth += 1;
    else if ((char === ']' || char === '}' || char === ')') && depth > 0) depth -= 1;
    else if (char === ',' && depth === 0) {
      parts.push(raw.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(raw.slice(start));
  return parts;
}

/** The help line of a field: its description, the allowed values and the default. */
export function describeField(spec: FieldSpec): string {
  const parts = [spec.description ?? ''];
  if (spec.choices) {
    const list = spec.choices.map(String).join(', ');
    parts.push(spec.kind === 'enum' ? `(choices: ${list})` : `(one or more of: ${list})`);
  }
  if (spec.kind === 'array') parts.push('(repeat the flag or separate with commas)');
  if (spec.default !== undefined && !(Array.isArray(spec.default) && spec.default.length === 0)) {
    parts.push(`(default: ${JSON.stringify(spec.default)})`);
  }
  if (spec.required && !spec.positional) parts.push('(required)');
  return parts.filter(Boolean).join(' ');
}
