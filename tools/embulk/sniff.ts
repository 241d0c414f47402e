/**
 * The parser section of a config, guessed from a sample by DuckDB's CSV sniffer (`sniff_csv`):
 * delimiter, quote, header, column names and types, mapped onto Embulk's csv parser. DuckDB is
 * embedded, so guessing needs no JVM start.
 */
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';

export interface EmbulkColumn {
  name: string;
  type: 'boolean' | 'long' | 'double' | 'string' | 'timestamp' | 'json';
  format?: string;
}

export interface CsvParser {
  type: 'csv';
  charset: 'UTF-8';
  newline: 'LF' | 'CRLF' | 'CR';
  delimiter: string;
  quote: string;
  escape: string;
  skip_header_lines: number;
  /** Fail on a row that does not fit the columns instead of skipping it (Embulk's default). */
  stop_on_invalid_record: true;
  allow_extra_columns: false;
  allow_optional_columns: false;
  columns: EmbulkColumn[];
}

interface Sniffed {
  Delimiter: string;
  Quote: string;
  Escape: string;
  NewLineDelimiter: string;
  SkipRows: number;
  HasHeader: boolean;
  Columns: { name: string; type: string }[];
  DateFormat: string | null;
  TimestampFormat: string | null;
}

const EMPTY = '(empty)';

/** DuckDB type → Embulk type (and the strptime format Embulk parses it with). */
export function embulkColumn(
  name: string,
  duckType: string,
  sniffed: Pick<Sniffed, 'DateFormat' | 'TimestampFormat'>,
): EmbulkColumn {
  const type = duckType.toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/.test(type))
    return { name, type: 'long' };
  if (/^(FLOAT|DOUBLE|REAL)$|^DECIMAL/.test(type)) return { name, type: 'double' };
  if (type === 'BOOLEAN') return { name, type: 'boolean' };
  if (type === 'DATE') return { name, type: 'timestamp', format: sniffed.DateFormat ?? '%Y-%m-%d' };
  if (type.startsWith('TIMESTAMP'))
    return { name, type: 'timestamp', format: sniffed.TimestampFormat ?? '%Y-%m-%d %H:%M:%S' };
  return { name, type: 'string' };
}

const NEWLINES: Record<string, CsvParser['newline']> = { '\\n': 'LF', '\\r\\n': 'CRLF', '\\r': 'CR' };

export function parserFromSniff(sniffed: Sniffed): CsvParser {
  return {
    type: 'csv',
    charset: 'UTF-8',
    newline: NEWLINES[sniffed.NewLineDelimiter] ?? 'LF',
    delimiter: sniffed.Delimiter === '\\t' ? '\t' : sniffed.Delimiter,
    // Embulk always needs a quote and escape character; '"' is harmless in unquoted data.
    quote: sniffed.Quote === EMPTY ? '"' : sniffed.Quote,
    escape: sniffed.Escape === EMPTY ? '"' : sniffed.Escape,
    skip_header_lines: Number(sniffed.SkipRows) + (sniffed.HasHeader ? 1 : 0),
    stop_on_invalid_record: true,
    allow_extra_columns: false,
    allow_optional_columns: false,
    columns: sniffed.Columns.map((c) => embulkColumn(c.name, c.type, sniffed)),
  };
}

/** Sniffs `file` (absolute path) with the shared DuckDB instance. */
export async function sniffCsv(ctx: ToolContext, file: string, delimiter?: string): Promise<CsvParser> {
  const { withConnection, sqlString } = await import('../query/duckdb-client.js');
  const options = delimiter ? `, delim = ${sqlString(delimiter)}` : '';
  const row = await withConnection(ctx, async (connection) => {
    const reader = await connection.runAndReadAll(
      `SELECT * FROM sniff_csv(${sqlString(file)}, sample_size = 20480${options})`,
    );
    return reader.getRowObjectsJson()[0] as unknown as Sniffed | undefined;
  });
  if (!row?.Columns?.length) {
    throw new ToolError('invalid_input', `DuckDB found no columns in ${ctx.workspace.display(file)}`, {
      hint: 'Is it a delimited text file? Give the delimiter explicitly',
    });
  }
  return parserFromSniff(row);
}
