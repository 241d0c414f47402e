/**
 * A query result made into a file, for `data add --source database|lake`. The file is written
 * under a temporary name beside its destination and renamed at the end, so a failed query or
 * scan leaves no half-written file behind. What was read (the SQL, the table, the Nessie
 * reference and commit hash) is returned for the .dvc file's `meta`, where experiment
 * provenance finds it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';

export type OutFormat = 'parquet' | 'csv' | 'json';

export interface SourceRequest {
  source: 'database' | 'lake';
  /** SQL text, or a workspace path of a .sql file. */
  query?: string;
  table?: string;
  ref?: string;
  /** Absolute destination. */
  out: string;
}

export interface SourceRecord {
  source: 'database' | 'lake';
  rows: number;
  query?: string;
  query_file?: string;
  table?: string;
  nessie_ref?: string;
  nessie_hash?: string;
  snapshot_id?: string;
  created_at: string;
}

export function outFormat(path: string): OutFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.parquet') return 'parquet';
  if (ext === '.csv') return 'csv';
  if (ext === '.json' || ext === '.jsonl' || ext === '.ndjson') return 'json';
  throw new ToolError('invalid_input', `Cannot tell the file format of ${path} from its extension`, {
    hint: 'End the out path with .parquet, .csv or .json',
  });
}

/** The SQL to run: the text given, or the contents of a workspace .sql file it names. */
function readQuery(query: string, ctx: ToolContext): { sql: string; file?: string } {
  const trimmed = query.trim();
  if (/\.sql$/i.test(trimmed) && !/\s/.test(trimmed)) {
    const path = ctx.workspace.resolve(trimmed);
    if (!existsSync(path)) throw new ToolError('not_found', `Query file not found: ${trimmed}`);
    return { sql: readFileSync(path, 'utf8'), file: ctx.workspace.display(path) };
  }
  return { sql: query };
}

export async function materialiseQuery(request: SourceRequest, ctx: ToolContext): Promise<SourceRecord> {
  const format = outFormat(request.out);
  mkdirSync(dirname(request.out), { recursive: true });
  const temp = `${request.out}.tmp-${randomBytes(4).toString('hex')}`;
  try {
    const record =
      request.source === 'database'
        ? await fromDatabase(request, format, temp, ctx)
        : await fromLake(request, format, temp, ctx);
    renameSync(temp, request.out);
    return record;
  } finally {
    rmSync(temp, { force: true });
  }
}

/** One SELECT through the query toolset's DuckDB (workspace-locked), copied to the file. */
async function fromDatabase(
  request: SourceRequest,
  format: OutFormat,
  temp: string,
  ctx: ToolContext,
): Promise<SourceRecord> {
  if (!request.query) {
    throw new ToolError('invalid_input', 'source database needs a query (SQL text or a .sql file)');
  }
  const { sql, file } = readQuery(request.query, ctx);
  const rows = await copySelect(sql, format, temp, ctx);
  return {
    source: 'database',
    rows,
    query: sql.trim(),
    ...(file ? { query_file: file } : {}),
    created_at: new Date().toISOString(),
  };
}

/** Runs a single SELECT (with `prelude` statements first, on the same connection) into `temp`. */
async function copySelect(
  sql: string,
  format: OutFormat,
  temp: string,
  ctx: ToolContext,
  prelude: string[] = [],
) {
  const [{ withConnection, sqlString }, { rewritePaths, splitStatements }] = await Promise.all([
    import('../query/duckdb-client.js'),
    import('../query/sql-text.js'),
  ]);
  const rewritten = rewritePaths(sql, (path) => ctx.workspace.resolve(path)).sql;
  const statements = splitStatements(rewritten);
  if (statements.length !== 1) {
    throw new ToolError(
      'invalid_input',
      `The query must be one SELECT; it has ${statements.length} statements`,
    );
  }
  return withConnection(ctx, async (connection, db) => {
    for (const statement of prelude) await connection.run(statement);
    const extracted = await connection.extractStatements(statements[0] ?? '');
    const prepared = await extracted.prepare(0);
    if (prepared.statementType !== db.api.StatementType.SELECT) {
      throw new ToolError(
        'invalid_input',
        'The query must be a SELECT (or WITH … SELECT); it changes nothing',
        {
          hint: 'Materialise a query result: select … from …',
        },
      );
    }
    ctx.progress({ done: 0, message: `writing ${format}` });
    const options = format === 'csv' ? 'FORMAT csv, HEADER true' : `FORMAT ${format}`;
    const copied = await connection.runAndReadAll(
      `COPY (\n${statements[0] ?? ''}\n) TO ${sqlString(temp)} (${options})`,
    );
    return Number(copied.getRows()[0]?.[0] ?? 0);
  });
}

/**
 * Reads an Iceberg table through the iceberg toolset, pinned at the Nessie commit the reference
 * points at now (so the recorded hash is exactly what was read); `query` then runs over it as a
 * view named after the table.
 */
async function fromLake(
  request: SourceRequest,
  format: OutFormat,
  temp: string,
  ctx: ToolContext,
): Promise<SourceRecord> {
  if (!request.table) {
    throw new ToolError('invalid_input', 'source lake needs a table (namespace.table)', {
      hint: 'See the tables with `datastack iceberg list-tables NAMESPACE`',
    });
  }
  const [
    { idText },
    { RestCatalog },
    { parseTable },
    { pyicebergCatalog, runIcebergIo },
    { nessieApiUrl },
    { NessieClient },
  ] = await Promise.all([
    import('../iceberg/json.js'),
    import('../iceberg/rest-client.js'),
    import('../iceberg/names.js'),
    import('../iceberg/python-runner.js'),
    import('../iceberg/nessie-log.js'),
    import('../nessie/client.js'),
  ]);
  const catalog = await RestCatalog.open(ctx, request.ref);
  const table = parseTable(request.table);
  await catalog.loadTable(table.namespace, table.name);
  let hash: string | undefined;
  if (catalog.nessie && catalog.ref) {
    const nessie = new NessieClient({
      url: nessieApiUrl(ctx, catalog),
      ...(catalog.settings.token ? { token: catalog.settings.token } : {}),
    });
    hash = (await nessie.getReference(catalog.ref, ctx.signal)).hash ?? undefined;
  }
  const pinned = hash ? `${catalog.ref}@${hash}` : catalog.ref;
  const scanned = `${temp}.scan.parquet`;
  try {
    const answer = await runIcebergIo<{ rows: number; snapshot_id?: unknown }>(ctx, {
      op: 'scan',
      catalog: pyicebergCatalog(ctx, pinned),
      table: [...table.namespace, table.name],
      out: request.query || format !== 'parquet' ? scanned : temp,
    });
    let rows = answer.rows;
    const sql = request.query ? readQuery(request.query, ctx) : undefined;
    if (sql || format !== 'parquet') {
      const { sqlIdent, sqlString } = await import('../query/duckdb-client.js');
      const view = `CREATE TEMP VIEW ${sqlIdent(table.name)} AS SELECT * FROM read_parquet(${sqlString(scanned)})`;
      rows = await copySelect(sql?.sql ?? `select * from ${sqlIdent(table.name)}`, format, temp, ctx, [view]);
    }
    const snapshot = idText(answer.snapshot_id);
    return {
      source: 'lake',
      rows,
      table: request.table,
      ...(catalog.ref ? { nessie_ref: catalog.ref } : {}),
      ...(hash ? { nessie_hash: hash } : {}),
      ...(snapshot ? { snapshot_id: snapshot } : {}),
      ...(sql ? { query: sql.sql.trim() } : {}),
      ...(sql?.file ? { query_file: sql.file } : {}),
      created_at: new Date().toISOString(),
    };
  } finally {
    rmSync(scanned, { force: true });
  }
}
