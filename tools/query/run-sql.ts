import { existsSync } from 'node:fs';
import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool, type ToolContext } from '../core/types.js';
import { sqlString, withConnection } from './duckdb-client.js';
import { formatCount, toCsv } from './format.js';
import { assertReadOnly, isReadStatementType, readOnlyError } from './read-only.js';
import { isGlob, rewritePaths, splitStatements } from './sql-text.js';
import { readPreview } from './values.js';

const Input = z.object({
  sql: z
    .string()
    .min(1)
    .describe(
      "DuckDB SQL; files by workspace-relative path, e.g. select * from 'data/sales.csv' (Dremio SQL on query.engine: dremio)",
    ),
  max_rows: z
    .number()
    .int()
    .min(0)
    .max(10_000)
    .optional()
    .describe('Rows to return (default: query.max_rows, 50)'),
  save_as: z
    .enum(['parquet', 'csv'])
    .optional()
    .describe('Also write the full result to a file in .datastack/results and return its path'),
});

const Column = z.object({
  name: z.string().describe('Column name'),
  type: z.string().describe('DuckDB type, e.g. BIGINT, VARCHAR, DATE'),
});

const Output = z.object({
  columns: z.array(Column).describe('Result schema'),
  row_count: z.number().describe('Rows in the whole result'),
  rows: z
    .array(z.record(z.string(), z.unknown()))
    .describe('The first rows, keyed by column; big integers beyond 2^53 as strings, dates as ISO text'),
  truncated: z.boolean().describe('True when row_count is more than the rows returned'),
  result_file: z.string().optional().describe('Workspace path of the saved full result (with save_as)'),
  elapsed_ms: z.number().describe('Time the query took, in milliseconds'),
});

type QueryInput = z.infer<typeof Input>;
type QueryOutput = z.infer<typeof Output>;

const LIST_HINT = 'See the data files with `datastack query list-datasets` (query_list_datasets)';

export const querySql = defineTool({
  name: 'query_sql',
  title: 'Run SQL',
  description:
    "Run DuckDB SQL over workspace CSV, Parquet and JSON files (select * from 'data/x.csv'), or Dremio SQL when the profile sets query.engine: dremio. Read-only unless configured. Returns schema, row count and the first rows; save_as writes the full result to a file.",
  toolset: 'query',
  positional: ['sql'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
  run: runSql,
  toText: sqlText,
});

async function runSql(input: QueryInput, ctx: ToolContext): Promise<QueryOutput> {
  const engine = ctx.config.query.engine;
  if (engine !== 'duckdb') {
    const { runOnEngine } = await import('./engines.js');
    return runOnEngine(engine, input, ctx);
  }
  const started = performance.now();
  const maxRows = input.max_rows ?? ctx.config.query.max_rows;
  const { sql, paths } = rewritePaths(input.sql, (path) => ctx.workspace.resolve(path));
  for (const path of paths) {
    if (path.mode === 'read' && !isGlob(path.given) && !existsSync(path.absolute)) {
      throw new ToolError('not_found', `File not found: ${ctx.workspace.display(path.absolute)}`, {
        hint: LIST_HINT,
      });
    }
  }
  const statements = splitStatements(sql);
  if (statements.length === 0)
    throw new ToolError('invalid_input', 'The SQL has no statement', { hint: 'Give a query' });
  const writable = ctx.config.query.allow_writes;

  return withConnection(ctx, async (connection, db) => {
    const extracted = await connection.extractStatements(sql);
    if (!writable) await assertReadOnly(connection, statements, extracted.count);
    const prepare = async (index: number) => {
      const prepared = await extracted.prepare(index);
      if (!writable && !isReadStatementType(db.api, prepared.statementType)) {
        throw readOnlyError(statements[index] ?? '');
      }
      return prepared;
    };
    for (let i = 0; i < extracted.count - 1; i += 1) await (await prepare(i)).run();
    const last = await prepare(extracted.count - 1);

    let resultFile: string | undefined;
    let savedRows: number | undefined;
    if (input.save_as) {
      if (extracted.count !== 1 || last.statementType !== db.api.StatementType.SELECT) {
        throw new ToolError('invalid_input', 'save_as needs a single query (SELECT, WITH, FROM ...)', {
          hint: 'Run the other statements first, or drop save_as',
        });
      }
      ctx.progress({ done: 0, message: `writing ${input.save_as}` });
      resultFile = ctx.sink.allocate('query', input.save_as);
      const copied = await connection.runAndReadAll(
        `COPY (\n${statements[0] ?? ''}\n) TO ${sqlString(resultFile)} (FORMAT ${input.save_as})`,
      );
      savedRows = Number(copied.getRows()[0]?.[0] ?? 0);
    }

    const result = await last.stream();
    const preview = await readPreview(db.api, result, {
      maxRows,
      signal: ctx.signal,
      // The COPY already counted the rows: read only what is shown.
      countAll: savedRows === undefined,
      onProgress: (rows) => ctx.progress({ done: rows, message: 'rows read' }),
    });
    const rowCount = savedRows ?? preview.rowCount;
    return {
      columns: preview.columns,
      row_count: rowCount,
      rows: preview.rows,
      truncated: rowCount > preview.rows.length,
      ...(resultFile ? { result_file: ctx.workspace.display(resultFile) } : {}),
      elapsed_ms: Math.round(performance.now() - started),
    };
  });
}

function sqlText(output: QueryOutput): string {
  const shown = output.rows.length;
  const total = output.row_count;
  const lines = [
    `${formatCount(total)} row${total === 1 ? '' : 's'}, ${output.columns.length} column${output.columns.length === 1 ? '' : 's'} (${output.elapsed_ms} ms)`,
  ];
  if (output.truncated) {
    lines.push(
      output.result_file
        ? `Showing ${formatCount(shown)} of ${formatCount(total)} rows; full result: ${output.result_file}`
        : `Showing ${formatCount(shown)} of ${formatCount(total)} rows; full result: save_as=parquet`,
    );
  } else if (output.result_file) {
    lines.push(`Saved to ${output.result_file}`);
  }
  if (output.columns.length > 0) {
    const schema = output.columns.map((c) => `${c.name} ${c.type}`).join(', ');
    const csv =
      shown > 0
        ? toCsv(
            output.columns.map((c) => c.name),
            output.rows,
          )
        : '(no rows)';
    lines.push(fenceUntrusted('query results', `schema: ${schema}\n${csv}`));
  }
  return lines.join('\n');
}
