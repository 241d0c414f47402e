/** A dataset argument: a workspace path to one CSV, Parquet or JSON file, and how DuckDB scans it. */
import { statSync } from 'node:fs';
import { extname } from 'node:path';
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import { sqlString, type DuckDbConnection } from './duckdb-client.js';
import { plainText } from './format.js';
import { DATA_EXTENSIONS } from './list-datasets.js';

export type DatasetFormat = 'csv' | 'parquet' | 'json';

export interface Dataset {
  absolute: string;
  /** Path as the user sees it (relative to the workspace). */
  display: string;
  format: DatasetFormat;
  bytes: number;
  /** A table expression for FROM. */
  scan: string;
}

const READERS: Record<DatasetFormat, string> = {
  csv: 'read_csv',
  parquet: 'read_parquet',
  json: 'read_json',
};

export function resolveDataset(ctx: ToolContext, path: string): Dataset {
  const absolute = ctx.workspace.resolve(path);
  const display = ctx.workspace.display(absolute);
  let stats;
  try {
    stats = statSync(absolute);
  } catch {
    throw new ToolError('not_found', `Dataset not found: ${display}`, {
      hint: 'See the data files with `datastack query list-datasets` (query_list_datasets)',
    });
  }
  // data.csv.gz reads as CSV: DuckDB decompresses gzip and zstd itself.
  const ext = extname(absolute.replace(/\.(gz|zst)$/i, '')).toLowerCase();
  const format = DATA_EXTENSIONS[ext];
  if (!stats.isFile() || !format) {
    throw new ToolError(
      'invalid_input',
      `Unsupported dataset ${display}: ${stats.isFile() ? `"${ext || 'no'}" extension` : 'a folder'}`,
      {
        hint: 'Give one .csv, .tsv, .parquet, .json, .jsonl or .ndjson file; query_sql can read globs and folders',
      },
    );
  }
  return { absolute, display, format, bytes: stats.size, scan: `${READERS[format]}(${sqlString(absolute)})` };
}

export interface DatasetColumn {
  name: string;
  type: string;
}

/** Column names and types, from the file's header or metadata (no full scan). */
export async function datasetColumns(
  connection: DuckDbConnection,
  dataset: Dataset,
): Promise<DatasetColumn[]> {
  const reader = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${dataset.scan}`);
  return reader
    .getRowObjectsJson()
    .map((row) => ({ name: plainText(row.column_name), type: plainText(row.column_type) }));
}

/** Exact row count: Parquet from its footer, the others by a scan. */
export async function datasetRowCount(connection: DuckDbConnection, dataset: Dataset): Promise<number> {
  const sql =
    dataset.format === 'parquet'
      ? `SELECT coalesce(sum(num_rows), 0) FROM parquet_file_metadata(${sqlString(dataset.absolute)})`
      : `SELECT count(*) FROM ${dataset.scan}`;
  const reader = await connection.runAndReadAll(sql);
  return Number(reader.getRows()[0]?.[0] ?? 0);
}
