/**
 * Writing a local dataset into an Iceberg table: DuckDB reads the file and stages it as Parquet
 * with the table's column names and types (so CSV, JSON and Parquet all arrive alike, and a file
 * that does not fit the table is refused before anything is written); then pyiceberg appends or
 * overwrites in one atomic commit. The staged file is deleted whatever happens.
 */
import { rmSync } from 'node:fs';
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import { datasetColumns, resolveDataset } from '../query/dataset.js';
import { sqlIdent, sqlString, withConnection } from '../query/duckdb-client.js';
import { idText } from './json.js';
import type { TableName } from './names.js';
import { pyicebergCatalog, runIcebergIo } from './python-runner.js';
import type { IcebergField } from './rest-client.js';
import { castFor } from './schema.js';

export type WriteMode = 'append' | 'overwrite';

export interface WriteResult {
  rows: number;
  snapshot_id?: string;
  previous_snapshot_id?: string;
  operation?: string;
  total_records?: number;
}

interface Staged {
  path: string;
  rows: number;
  dataset: string;
}

/** The dataset as a Parquet file shaped like the table; throws invalid_input when it does not fit. */
export async function stageDataset(
  ctx: ToolContext,
  datasetPath: string,
  fields: readonly IcebergField[],
): Promise<Staged> {
  const dataset = resolveDataset(ctx, datasetPath);
  const out = ctx.sink.allocate('iceberg-stage', 'parquet');
  try {
    return await withConnection(ctx, async (connection) => {
      const columns = await datasetColumns(connection, dataset);
      const byName = new Map(columns.map((c) => [c.name, c.name]));
      const byLower = new Map(columns.map((c) => [c.name.toLowerCase(), c.name]));
      const used = new Set<string>();
      const select = fields.map((field) => {
        const source = byName.get(field.name) ?? byLower.get(field.name.toLowerCase());
        const cast = castFor(field.type);
        if (!source) {
          if (field.required) {
            throw new ToolError(
              'invalid_input',
              `${dataset.display} has no column ${field.name}, which the table requires`,
              {
                hint: 'Add the column to the file, or load a file with the table’s columns (`datastack iceberg describe-table`)',
              },
            );
          }
          return `CAST(NULL AS ${cast ?? 'VARCHAR'}) AS ${sqlIdent(field.name)}`;
        }
        used.add(source);
        return cast
          ? `CAST(${sqlIdent(source)} AS ${cast}) AS ${sqlIdent(field.name)}`
          : `${sqlIdent(source)} AS ${sqlIdent(field.name)}`;
      });
      const extra = columns.filter((c) => !used.has(c.name)).map((c) => c.name);
      if (extra.length > 0) {
        throw new ToolError(
          'invalid_input',
          `${dataset.display} has columns the table does not: ${extra.join(', ')}`,
          {
            hint: 'Drop them first (query_sql with save_as), or create a new table from this file (iceberg_create_table)',
          },
        );
      }
      ctx.progress({ done: 0, message: `staging ${dataset.display}` });
      const copied = await connection.runAndReadAll(
        `COPY (SELECT ${select.join(', ')} FROM ${dataset.scan}) TO ${sqlString(out)} (FORMAT parquet)`,
      );
      return { path: out, rows: Number(copied.getRows()[0]?.[0] ?? 0), dataset: dataset.display };
    });
  } catch (error) {
    rmSync(out, { force: true });
    throw error;
  }
}

interface WriteAnswer {
  rows: number;
  snapshot_id?: unknown;
  previous_snapshot_id?: unknown;
  operation?: string;
  summary?: Record<string, string>;
}

export async function writeDataset(
  ctx: ToolContext,
  options: {
    table: TableName;
    ref: string | undefined;
    dataset: string;
    mode: WriteMode;
    fields: readonly IcebergField[];
  },
): Promise<WriteResult & { dataset: string }> {
  const staged = await stageDataset(ctx, options.dataset, options.fields);
  try {
    ctx.progress({
      done: 0,
      total: staged.rows,
      message: `${options.mode === 'append' ? 'appending' : 'overwriting'} ${staged.rows} rows`,
    });
    const answer = await runIcebergIo<WriteAnswer>(ctx, {
      op: 'write',
      catalog: pyicebergCatalog(ctx, options.ref),
      table: [...options.table.namespace, options.table.name],
      file: staged.path,
      mode: options.mode,
    });
    const total = Number(answer.summary?.['total-records']);
    const snapshot = idText(answer.snapshot_id);
    const previous = idText(answer.previous_snapshot_id);
    return {
      dataset: staged.dataset,
      rows: answer.rows,
      ...(snapshot ? { snapshot_id: snapshot } : {}),
      ...(previous ? { previous_snapshot_id: previous } : {}),
      ...(answer.operation ? { operation: answer.operation } : {}),
      ...(Number.isFinite(total) ? { total_records: total } : {}),
    };
  } finally {
    rmSync(staged.path, { force: true });
  }
}
