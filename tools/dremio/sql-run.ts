/**
 * One SQL query on Dremio, from text to a capped, typed answer: the read-only guard, the job
 * (submit, poll, cancel on abort), the first rows, and on request every row in a result file.
 * Both `dremio_sql` and `query_sql` (when `query.engine` is dremio) run through here, so they
 * share caps, output shape and errors.
 */
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import { splitStatements, tokenize } from '../query/sql-text.js';
import { dremioClient } from './connect.js';
import { readResults, runJob } from './jobs.js';
import { typeText } from './model.js';
import { parseDremioPath } from './path.js';
import { createResultFile, type SaveFormat } from './result-file.js';
import type { DremioSqlResult } from './sql-output.js';

export const DEFAULT_TIMEOUT_S = 300;

export interface DremioSqlRequest {
  sql: string;
  /** Dotted path the query runs in (Dremio's `context`). */
  context?: string | undefined;
  max_rows?: number | undefined;
  save_as?: SaveFormat | undefined;
  timeout_s?: number | undefined;
}

/** Statements that only read; anything else needs query.allow_writes. */
const READ_WORDS = new Set(['select', 'with', 'values', 'show', 'describe', 'desc', 'explain', '(']);

export async function runDremioSql(request: DremioSqlRequest, ctx: ToolContext): Promise<DremioSqlResult> {
  const started = performance.now();
  const sql = singleStatement(request.sql);
  if (!ctx.config.query.allow_writes) assertReadsOnly(sql);
  const context = request.context ? parseDremioPath(request.context) : undefined;
  const maxRows = request.max_rows ?? ctx.config.query.max_rows;
  const client = await dremioClient(ctx);
  const job = await runJob(client, sql, {
    context,
    signal: ctx.signal,
    timeoutMs: (request.timeout_s ?? DEFAULT_TIMEOUT_S) * 1000,
    progress: ctx.progress,
    log: ctx.log,
  });

  const file = request.save_as ? await createResultFile(ctx, request.save_as) : undefined;
  try {
    const read = await readResults(client, job.id, {
      rowCount: job.rowCount,
      keep: maxRows,
      readAll: file !== undefined,
      signal: ctx.signal,
      progress: ctx.progress,
      ...(file ? { onPage: (rows) => file.append(rows) } : {}),
    });
    if (file) ctx.progress({ done: read.read, message: `writing ${request.save_as}` });
    const saved = file ? await file.finish(read.schema) : undefined;
    return {
      job_id: job.id,
      columns: read.schema.map((field, i) => ({
        name: field.name ?? `column${i}`,
        type: typeText(field.type),
      })),
      row_count: job.rowCount,
      rows: read.rows,
      truncated: job.rowCount > read.rows.length,
      ...(saved ? { result_file: ctx.workspace.display(saved) } : {}),
      elapsed_ms: Math.round(performance.now() - started),
    };
  } catch (error) {
    await file?.discard();
    throw error;
  }
}

/** Dremio runs one statement per job; a trailing `;` is dropped rather than sent. */
function singleStatement(sql: string): string {
  const statements = splitStatements(sql);
  if (statements.length === 0)
    throw new ToolError('invalid_input', 'The SQL has no statement', { hint: 'Give a query' });
  if (statements.length > 1) {
    throw new ToolError(
      'invalid_input',
      `Dremio runs one statement per job; this SQL has ${statements.length}`,
      {
        hint: 'Send the statements one call at a time',
      },
    );
  }
  return statements[0] ?? '';
}

/**
 * A first-word check: Dremio has no parse-only endpoint to ask. Dremio's own privileges stay the
 * real boundary; this keeps an agent from writing by accident in a profile that did not allow it.
 */
function assertReadsOnly(sql: string): void {
  const first = tokenize(sql)[0]?.text.toLowerCase() ?? '';
  if (READ_WORDS.has(first)) return;
  const words = sql.replace(/\s+/g, ' ').trim().slice(0, 60);
  throw new ToolError('read_only', `Refused a statement that can change data: "${words}"`, {
    hint: 'Queries are read-only. To allow CREATE, INSERT, UPDATE and other changes on Dremio, set query.allow_writes: true in datastack.yaml',
  });
}
