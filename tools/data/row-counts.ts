/**
 * Row counts of data versions read straight out of the DVC cache with the query toolset's DuckDB.
 * Cache objects have no extension, so the reader is chosen from the data path's. A version whose
 * object is not in the local cache (never pulled), or a cache outside the workspace DuckDB may
 * read, has no count rather than an error.
 */
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import type { ToolContext } from '../core/types.js';

const READERS: Record<string, string> = {
  '.csv': 'read_csv',
  '.tsv': 'read_csv',
  '.parquet': 'read_parquet',
  '.json': 'read_json_auto',
  '.jsonl': 'read_json_auto',
  '.ndjson': 'read_json_auto',
};

export function countable(dataPath: string): boolean {
  return extname(dataPath).toLowerCase() in READERS;
}

export async function countRows(
  ctx: ToolContext,
  dataPath: string,
  object: string,
): Promise<number | undefined> {
  const reader = READERS[extname(dataPath).toLowerCase()];
  if (!reader || !existsSync(object)) return undefined;
  const { sqlString, withConnection } = await import('../query/duckdb-client.js');
  try {
    return await withConnection(ctx, async (connection) => {
      const result = await connection.runAndReadAll(`select count(*) from ${reader}(${sqlString(object)})`);
      return Number(result.getRows()[0]?.[0] ?? 0);
    });
  } catch (error) {
    ctx.log.debug(`row count of ${dataPath} (${object}) failed: ${(error as Error).message}`);
    return undefined;
  }
}
