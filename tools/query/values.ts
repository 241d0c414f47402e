/**
 * DuckDB values as JSON (structured output must survive JSON.stringify and MCP), and results
 * read from a stream so that showing the first rows of a million-row result converts only those.
 */
import type { DuckDBResult, DuckDBType, DuckDBValue, DuckDBValueConverter, Json } from '@duckdb/node-api';
import { ToolError } from '../core/errors.js';
import type { DuckDbApi } from './duckdb-client.js';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;
/** Bytes of a BLOB shown before it is cut (as base64). */
const BLOB_PREVIEW_BYTES = 48;

/**
 * DuckDB's lossless JSON forms, made friendlier: integers become numbers when they fit exactly,
 * decimals numbers when they fit a double, blobs base64 (cut when long). Dates, times and
 * timestamps stay DuckDB's ISO 8601 text.
 */
export function jsonSafeConverter(api: DuckDbApi): DuckDBValueConverter<Json> {
  const convert = (value: DuckDBValue, type: DuckDBType, _self: DuckDBValueConverter<Json>): Json | null => {
    if (value === null) return null;
    if (typeof value === 'bigint')
      return value >= MIN_SAFE && value <= MAX_SAFE ? Number(value) : value.toString();
    if (value instanceof api.DuckDBDecimalValue)
      return value.width <= 15 ? value.toDouble() : value.toString();
    if (value instanceof api.DuckDBBlobValue) return blobText(value.bytes);
    return api.JsonDuckDBValueConverter(value, type, convert);
  };
  return convert;
}

function blobText(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, BLOB_PREVIEW_BYTES)).toString('base64');
  return bytes.length > BLOB_PREVIEW_BYTES ? `base64:${head}… (${bytes.length} bytes)` : `base64:${head}`;
}

export interface Column {
  name: string;
  type: string;
}

export interface Preview {
  columns: Column[];
  rows: Array<Record<string, Json | null>>;
  /** All the rows the result had (the stream is read to its end, converting only `maxRows`). */
  rowCount: number;
}

export interface PreviewOptions {
  maxRows: number;
  signal: AbortSignal;
  /** Stop after `maxRows` instead of counting the rest. */
  countAll?: boolean;
  onProgress?: (rowsSeen: number) => void;
}

/** Reads a (streaming) result: its schema, the first rows as JSON and how many rows it has. */
export async function readPreview(
  api: DuckDbApi,
  result: DuckDBResult,
  options: PreviewOptions,
): Promise<Preview> {
  const names = result.deduplicatedColumnNames();
  const columns = result
    .columnTypes()
    .map((type, i) => ({ name: names[i] ?? `column${i}`, type: type.toString() }));
  const converter = jsonSafeConverter(api);
  const rows: Preview['rows'] = [];
  let rowCount = 0;
  let chunks = 0;
  for (;;) {
    if (options.signal.aborted) throw new ToolError('aborted', 'Cancelled');
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const wanted = Math.min(options.maxRows - rows.length, chunk.rowCount);
    for (let r = 0; r < wanted; r += 1) {
      const values = chunk.convertRowValues(r, converter);
      rows.push(Object.fromEntries(names.map((name, c) => [name, values[c] ?? null])));
    }
    rowCount += chunk.rowCount;
    chunks += 1;
    if (options.countAll === false && rows.length >= options.maxRows) break;
    if (chunks % 100 === 0) options.onProgress?.(rowCount);
  }
  return { columns, rows, rowCount };
}
