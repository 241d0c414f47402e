/**
 * One in-memory DuckDB per client pool (one per process in the faces), locked down so SQL cannot
 * reach outside the workspace: external access is off except for the workspace root, the folders
 * in workspace.allow_outside and the result folder; extensions are neither installed nor loaded;
 * then the configuration is locked so no statement can loosen it.
 *
 * DuckDB itself is loaded here lazily: tool modules stay cheap to import.
 */
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as DuckDBApi from '@duckdb/node-api';
import { ToolError, toToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';

export type DuckDbApi = typeof DuckDBApi;
export type DuckDbConnection = DuckDBApi.DuckDBConnection;

export interface DuckDb {
  /** The @duckdb/node-api module, for its enums and converters. */
  api: DuckDbApi;
  instance: DuckDBApi.DuckDBInstance;
}

export const DUCKDB_CLIENT_KEY = 'duckdb';

/** A SQL string literal. */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A SQL identifier, always quoted. */
export function sqlIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function getDuckDb(ctx: ToolContext): Promise<DuckDb> {
  return ctx.clients.get<DuckDb>(
    DUCKDB_CLIENT_KEY,
    () => createDuckDb(ctx),
    (db) => db.instance.closeSync(),
  );
}

async function createDuckDb(ctx: ToolContext): Promise<DuckDb> {
  // require, not import(): @duckdb/node-api is CommonJS, and importing it from ESM runs Node's
  // export lexer over its ~120 files: ~100 ms and ~10 MiB more on every start (node 20).
  const api = createRequire(import.meta.url)('@duckdb/node-api') as DuckDbApi;
  const options: Record<string, string> = {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    allow_community_extensions: 'false',
    // A per-connection setting: as an instance option it is every connection's default.
    file_search_path: ctx.workspace.root,
  };
  if (ctx.config.query.threads) options.threads = String(ctx.config.query.threads);
  const instance = await api.DuckDBInstance.create(':memory:', options);
  // allowed_directories cannot go through the C API config (a list); SET it before locking.
  const allowed = new Set<string>();
  for (const dir of [...ctx.workspace.allowed, ctx.sink.dir]) {
    allowed.add(dir);
    allowed.add(realPath(dir));
  }
  const connection = await instance.connect();
  try {
    for (const statement of [
      // Spill files stay in the workspace; the default (.tmp in the process folder) would be allowed too.
      `SET temp_directory = ${sqlString(join(ctx.workspace.root, '.datastack', 'tmp'))}`,
      `SET allowed_directories = [${[...allowed].map(sqlString).join(', ')}]`,
      'SET enable_external_access = false',
      'SET lock_configuration = true',
    ]) {
      await connection.run(statement);
    }
  } catch (error) {
    instance.closeSync();
    throw error;
  } finally {
    connection.closeSync();
  }
  return { api, instance };
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Runs `fn` on a fresh connection of the shared instance (so parallel calls do not share one),
 * interrupting it when the call is aborted, and turning DuckDB failures into ToolErrors.
 */
export async function withConnection<T>(
  ctx: ToolContext,
  fn: (connection: DuckDbConnection, db: DuckDb) => Promise<T>,
): Promise<T> {
  const db = await getDuckDb(ctx);
  const connection = await db.instance.connect();
  const interrupt = () => connection.interrupt();
  ctx.signal.addEventListener('abort', interrupt, { once: true });
  try {
    if (ctx.signal.aborted) throw new ToolError('aborted', 'Cancelled');
    return await fn(connection, db);
  } catch (error) {
    throw toQueryError(error, ctx);
  } finally {
    ctx.signal.removeEventListener('abort', interrupt);
    connection.closeSync();
  }
}

const LIST_HINT = 'See the data files with `datastack query list-datasets` (query_list_datasets)';

/** Maps a DuckDB failure to the ToolError a person or model can act on. */
export function toQueryError(error: unknown, ctx: ToolContext): ToolError {
  if (error instanceof ToolError) return error;
  if (ctx.signal.aborted) return new ToolError('aborted', 'Cancelled', { cause: error });
  // Our own bugs stay bugs; DuckDB reports its failures as plain Errors.
  if (error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError) {
    return toToolError(error);
  }
  const raw = error instanceof Error ? error.message : String(error);
  const message = firstLines(raw, 4);
  if (/^Permission Error:/m.test(raw)) {
    return new ToolError(
      'outside_workspace',
      `DuckDB refused a path outside the workspace ${ctx.workspace.root}: ${message}`,
      {
        cause: error,
        hint: "Use paths inside the workspace, written as FROM 'path' or read_csv('path'), or add the folder to workspace.allow_outside in datastack.yaml",
      },
    );
  }
  const missing =
    /No files found that match the pattern "([^"]*)"/.exec(raw) ??
    /Cannot open file "([^"]*)": No such file/.exec(raw);
  if (missing) {
    return new ToolError('not_found', `File not found: ${ctx.workspace.display(missing[1] ?? '')}`, {
      cause: error,
      hint: LIST_HINT,
    });
  }
  if (/^INTERRUPT Error/m.test(raw)) return new ToolError('aborted', 'Cancelled', { cause: error });
  const hint = /^Catalog Error: Table with name/m.test(raw)
    ? `Query files by path, e.g. select * from 'data/sales.csv'. ${LIST_HINT}`
    : 'Fix the SQL (DuckDB dialect); `datastack query describe FILE` shows a file’s columns and types';
  return new ToolError('query_error', message, { cause: error, hint });
}

function firstLines(text: string, count: number): string {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(0, count)
    .join('\n');
}
