/**
 * query_sql on an engine other than the embedded DuckDB, chosen by the profile's `query.engine`.
 * Each engine answers in query_sql's own shape (columns, row_count, first rows, result_file), with
 * the same caps, so the faces and the model see no difference but the SQL dialect.
 */
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';

export type RemoteEngine = 'dremio' | 'spark';

export interface EngineQuery {
  sql: string;
  max_rows?: number | undefined;
  save_as?: 'parquet' | 'csv' | undefined;
}

export interface EngineAnswer {
  columns: Array<{ name: string; type: string }>;
  row_count: number;
  rows: Array<Record<string, unknown>>;
  truncated: boolean;
  result_file?: string | undefined;
  elapsed_ms: number;
}

export async function runOnEngine(
  engine: RemoteEngine,
  query: EngineQuery,
  ctx: ToolContext,
): Promise<EngineAnswer> {
  switch (engine) {
    case 'dremio': {
      const { runDremioSql } = await import('../dremio/sql-run.js');
      const { job_id, ...answer } = await runDremioSql(query, ctx);
      ctx.log.debug(`query_sql ran as Dremio job ${job_id}`);
      return answer;
    }
    case 'spark': {
      const { runSparkSql } = await import('../spark/sql.js');
      return runSparkSql(query, ctx);
    }
    default: {
      const unknown: never = engine;
      throw new ToolError('config', `Unknown query.engine "${String(unknown)}"`, {
        hint: 'Use duckdb, dremio or spark',
      });
    }
  }
}
