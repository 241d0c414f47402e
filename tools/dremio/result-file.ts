/**
 * The complete result of a Dremio job, saved under `.datastack/results/` on request. Pages are
 * appended to a newline-delimited JSON file as they arrive (so memory holds one page), then the
 * project's DuckDB turns it into Parquet or CSV with the column types Dremio reported.
 */
import { open, rm, type FileHandle } from 'node:fs/promises';
import type { ToolContext } from '../core/types.js';
import type { ApiField, ApiFieldType } from './model.js';

export type SaveFormat = 'parquet' | 'csv';

export interface ResultFile {
  /** Appends one page of rows. */
  append(rows: ReadonlyArray<Record<string, unknown>>): Promise<void>;
  /** Writes the final file from what was appended; returns its absolute path. */
  finish(schema: readonly ApiField[]): Promise<string>;
  /** Removes the partial files (after a failure). */
  discard(): Promise<void>;
}

export async function createResultFile(ctx: ToolContext, format: SaveFormat): Promise<ResultFile> {
  const target = ctx.sink.allocate('dremio', format);
  const staging = `${target}.ndjson`;
  let handle: FileHandle | undefined = await open(staging, 'w');
  const close = async () => {
    await handle?.close();
    handle = undefined;
  };
  return {
    async append(rows) {
      if (rows.length === 0) return;
      await handle?.write(rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
    },
    async finish(schema) {
      await close();
      const { sqlString, withConnection } = await import('../query/duckdb-client.js');
      const columns = schema.map(
        (field, i) => `${sqlString(field.name ?? `column${i}`)}: ${sqlString(duckDbType(field.type))}`,
      );
      const source = `read_json(${sqlString(staging)}, format = 'newline_delimited', columns = {${columns.join(', ')}})`;
      try {
        await withConnection(ctx, (connection) =>
          connection.run(`COPY (SELECT * FROM ${source}) TO ${sqlString(target)} (FORMAT ${format})`),
        );
      } finally {
        await rm(staging, { force: true });
      }
      return target;
    },
    async discard() {
      await close();
      await rm(staging, { force: true });
      await rm(target, { force: true });
    },
  };
}

/** Dremio's type names (Arrow-based) as DuckDB types; nested values stay JSON. */
function duckDbType(type: ApiFieldType): string {
  switch (type.name) {
    case 'BIGINT':
    case 'INTEGER':
    case 'SMALLINT':
    case 'TINYINT':
    case 'DOUBLE':
    case 'FLOAT':
    case 'BOOLEAN':
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
    case 'VARCHAR':
      return type.name;
    case 'DECIMAL':
      return type.precision === undefined
        ? 'DOUBLE'
        : `DECIMAL(${Math.min(type.precision, 38)},${type.scale ?? 0})`;
    case 'LIST':
    case 'STRUCT':
    case 'MAP':
    case 'UNION':
      return 'JSON';
    default:
      return 'VARCHAR';
  }
}
