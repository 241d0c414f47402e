/**
 * Read-only mode: every statement must be a query. The check parses without binding (binding
 * some statements has effects: EXPORT DATABASE creates its folder while being prepared), using
 * DuckDB's own parser through json_serialize_sql, which accepts only SELECT-like statements
 * (SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE). EXPLAIN is judged by what it explains,
 * PRAGMA by a list of the ones that only read.
 */
import { ToolError } from '../core/errors.js';
import type { StatementType } from '@duckdb/node-api';
import type { DuckDbApi, DuckDbConnection } from './duckdb-client.js';
import { tokenize } from './sql-text.js';

const READ_PRAGMAS = new Set([
  'table_info',
  'show',
  'show_tables',
  'show_tables_expanded',
  'show_databases',
  'database_list',
  'database_size',
  'storage_info',
  'metadata_info',
  'version',
  'platform',
  'functions',
  'collations',
  'user_agent',
]);

const WRITE_HINT =
  'query_sql is read-only. To allow CREATE, INSERT, COPY ... TO and other changes, set query.allow_writes: true in datastack.yaml';

/** The error for a statement refused in read-only mode. */
export function readOnlyError(statement: string): ToolError {
  const words = statement.replace(/\s+/g, ' ').trim().slice(0, 60);
  return new ToolError('read_only', `Refused a statement that can change data: "${words}"`, {
    hint: WRITE_HINT,
  });
}

/** Throws `read_only` unless every statement only reads. Call it after DuckDB parsed the script. */
export async function assertReadOnly(
  connection: DuckDbConnection,
  statements: readonly string[],
  duckdbCount: number,
): Promise<void> {
  // Our split must agree with DuckDB's, or a statement could hide behind another.
  if (duckdbCount !== statements.length) throw readOnlyError(statements.join('; '));
  for (const statement of statements) {
    if (!(await readsOnly(connection, statement))) throw readOnlyError(statement);
  }
}

async function readsOnly(connection: DuckDbConnection, statement: string): Promise<boolean> {
  const tokens = tokenize(statement);
  const first = tokens[0]?.text.toLowerCase();
  if (first === 'explain') {
    let k = 1;
    if (/^analy[sz]e$/i.test(tokens[k]?.text ?? '')) k += 1;
    if (tokens[k]?.text === '(') {
      while (k < tokens.length && tokens[k]?.text !== ')') k += 1;
      k += 1;
    }
    const rest = tokens[k];
    return rest !== undefined && readsOnly(connection, statement.slice(rest.start));
  }
  if (first === 'pragma') {
    return tokens[1]?.kind === 'word' && READ_PRAGMAS.has(tokens[1].text.toLowerCase());
  }
  const reader = await connection.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [statement]);
  const parsed = JSON.parse(String(reader.getRows()[0]?.[0] ?? '{}')) as {
    error?: boolean;
    statements?: unknown[];
  };
  return parsed.error === false && parsed.statements?.length === 1;
}

/** The statement types a read-only run may prepare: the last line of defence after the parse. */
export function isReadStatementType(api: DuckDbApi, type: StatementType): boolean {
  return type === api.StatementType.SELECT || type === api.StatementType.EXPLAIN;
}
