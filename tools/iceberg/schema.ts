/**
 * DuckDB types (as DESCRIBE reports a file's columns) ↔ Iceberg types (table spec, "Schemas and
 * Data Types"), partition specs from a short text form, and schemas as compact text.
 */
import { ToolError } from '../core/errors.js';
import type { IcebergField, TableMetadata } from './rest-client.js';

export interface MappedColumn {
  name: string;
  /** DuckDB's type of the column in the file. */
  source: string;
  /** Iceberg primitive type. */
  iceberg: string;
  /** DuckDB type the column is cast to when staged for a write (matches `iceberg`). */
  cast: string;
}

const SIMPLE: Record<string, [iceberg: string, cast: string]> = {
  BOOLEAN: ['boolean', 'BOOLEAN'],
  TINYINT: ['int', 'INTEGER'],
  SMALLINT: ['int', 'INTEGER'],
  INTEGER: ['int', 'INTEGER'],
  UTINYINT: ['int', 'INTEGER'],
  USMALLINT: ['int', 'INTEGER'],
  BIGINT: ['long', 'BIGINT'],
  UINTEGER: ['long', 'BIGINT'],
  UBIGINT: ['decimal(38, 0)', 'DECIMAL(38,0)'],
  HUGEINT: ['decimal(38, 0)', 'DECIMAL(38,0)'],
  UHUGEINT: ['decimal(38, 0)', 'DECIMAL(38,0)'],
  FLOAT: ['float', 'FLOAT'],
  DOUBLE: ['double', 'DOUBLE'],
  DATE: ['date', 'DATE'],
  TIME: ['time', 'TIME'],
  TIMESTAMP: ['timestamp', 'TIMESTAMP'],
  TIMESTAMP_S: ['timestamp', 'TIMESTAMP'],
  TIMESTAMP_MS: ['timestamp', 'TIMESTAMP'],
  TIMESTAMP_NS: ['timestamp', 'TIMESTAMP'],
  'TIMESTAMP WITH TIME ZONE': ['timestamptz', 'TIMESTAMPTZ'],
  BLOB: ['binary', 'BLOB'],
  VARCHAR: ['string', 'VARCHAR'],
};

/** A file column's Iceberg type. Nested and exotic types are stored as text (JSON for nested). */
export function mapDuckDbType(name: string, duckType: string): MappedColumn {
  const simple = SIMPLE[duckType];
  if (simple) return { name, source: duckType, iceberg: simple[0], cast: simple[1] };
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(duckType);
  if (decimal) {
    const [, precision, scale] = decimal;
    return {
      name,
      source: duckType,
      iceberg: `decimal(${precision}, ${scale})`,
      cast: `DECIMAL(${precision},${scale})`,
    };
  }
  return { name, source: duckType, iceberg: 'string', cast: 'VARCHAR' };
}

/** The DuckDB type to cast a column to before writing it into a field of this Iceberg type. */
export function castFor(icebergType: unknown): string | undefined {
  if (typeof icebergType !== 'string') return undefined; // struct, list, map: written as read
  const decimal = /^decimal\((\d+),\s*(\d+)\)$/.exec(icebergType);
  if (decimal) return `DECIMAL(${decimal[1]},${decimal[2]})`;
  const casts: Record<string, string> = {
    boolean: 'BOOLEAN',
    int: 'INTEGER',
    long: 'BIGINT',
    float: 'FLOAT',
    double: 'DOUBLE',
    date: 'DATE',
    time: 'TIME',
    timestamp: 'TIMESTAMP',
    timestamptz: 'TIMESTAMPTZ',
    timestamp_ns: 'TIMESTAMP_NS',
    timestamptz_ns: 'TIMESTAMPTZ',
    string: 'VARCHAR',
    binary: 'BLOB',
  };
  return casts[icebergType];
}

export function schemaJson(columns: readonly MappedColumn[]) {
  return {
    type: 'struct',
    'schema-id': 0,
    fields: columns.map((column, index) => ({
      id: index + 1,
      name: column.name,
      required: false,
      type: column.iceberg,
    })),
  };
}

const TRANSFORM =
  /^(identity|year|month|day|hour|void)\((\w+)\)$|^(bucket|truncate)\((\d+),\s*(\w+)\)$|^(\w+)$/;

/** `col`, `day(col)`, `bucket(16, col)` or `truncate(4, col)` → an Iceberg partition spec. */
export function partitionSpec(text: string, columns: readonly MappedColumn[]) {
  const match = TRANSFORM.exec(text.trim());
  if (!match) {
    throw new ToolError('invalid_input', `Cannot read partition_by "${text}"`, {
      hint: 'Write a column (identity), year(col), month(col), day(col), hour(col), bucket(N, col) or truncate(W, col)',
    });
  }
  const column = match[2] ?? match[5] ?? match[6] ?? '';
  const base = match[1] ?? match[3] ?? 'identity';
  const transform = match[4] ? `${base}[${match[4]}]` : base;
  const index = columns.findIndex((c) => c.name === column);
  const source = columns[index];
  if (!source) {
    throw new ToolError(
      'invalid_input',
      `partition_by names column "${column}", which the dataset does not have`,
      {
        hint: `Columns: ${columns.map((c) => c.name).join(', ')}`,
      },
    );
  }
  const temporal = ['date', 'timestamp', 'timestamptz'];
  if (['year', 'month', 'day'].includes(base) && !temporal.includes(source.iceberg)) {
    throw new ToolError(
      'invalid_input',
      `${base}() needs a date or timestamp column; ${column} is ${source.iceberg}`,
    );
  }
  if (base === 'hour' && !['timestamp', 'timestamptz'].includes(source.iceberg)) {
    throw new ToolError('invalid_input', `hour() needs a timestamp column; ${column} is ${source.iceberg}`);
  }
  const suffix: Record<string, string> = {
    year: '_year',
    month: '_month',
    day: '_day',
    hour: '_hour',
    bucket: '_bucket',
    truncate: '_trunc',
    void: '_null',
  };
  return {
    label: `${transform}(${column})`,
    spec: {
      'spec-id': 0,
      fields: [
        { 'source-id': index + 1, 'field-id': 1000, name: `${column}${suffix[base] ?? ''}`, transform },
      ],
    },
  };
}

/** An Iceberg type as short text: primitives as they are, nested ones spelled out. */
export function typeText(type: unknown): string {
  if (typeof type === 'string') return type;
  const nested = type as {
    type?: string;
    fields?: IcebergField[];
    element?: unknown;
    key?: unknown;
    value?: unknown;
  };
  if (nested.type === 'struct')
    return `struct<${(nested.fields ?? []).map((f) => `${f.name}: ${typeText(f.type)}`).join(', ')}>`;
  if (nested.type === 'list') return `list<${typeText(nested.element)}>`;
  if (nested.type === 'map') return `map<${typeText(nested.key)}, ${typeText(nested.value)}>`;
  return JSON.stringify(type);
}

export function currentSchema(metadata: TableMetadata): IcebergField[] {
  const schemas = metadata.schemas ?? [];
  return (
    (schemas.find((s) => s['schema-id'] === metadata['current-schema-id']) ?? schemas.at(-1))?.fields ?? []
  );
}
