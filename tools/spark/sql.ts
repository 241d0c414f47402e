/**
 * query_sql on `query.engine: spark`: the statements run as Spark SQL in a session with the lake
 * catalog as the default (`select * from sales.orders` reads lake.sales.orders), through
 * spark-submit of datastack_sql.py (client mode: local[*] or the profile's spark:// master).
 * Same answer shape, caps and read-only rule as DuckDB.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import type { EngineAnswer, EngineQuery } from '../query/engines.js';
import { splitStatements } from '../query/sql-text.js';
import { newRunId } from './runs.js';
import { pythonScript, sparkDir } from './session.js';
import { submitLocal } from './submit-local.js';

const READ = /^\s*(\(?\s*select|with|show|describe|desc|explain|values|table|from)\b/i;

export async function runSparkSql(query: EngineQuery, ctx: ToolContext): Promise<EngineAnswer> {
  const started = performance.now();
  const statements = splitStatements(query.sql);
  if (statements.length === 0)
    throw new ToolError('invalid_input', 'The SQL has no statement', { hint: 'Give a query' });
  if (!ctx.config.query.allow_writes) {
    const write = statements.find((s) => !READ.test(s));
    if (write) {
      throw new ToolError(
        'read_only',
        `Only queries run while query.allow_writes is false: ${write.slice(0, 80)}`,
        {
          hint: 'Set query.allow_writes: true in datastack.yaml to run statements that change data',
        },
      );
    }
  }
  const id = newRunId();
  const dir = sparkDir(ctx, 'sql');
  const request = join(dir, `${id}.request.json`);
  const answer = join(dir, `${id}.answer.json`);
  const resultFile = query.save_as ? ctx.sink.allocate('query', query.save_as) : undefined;
  writeFileSync(
    request,
    JSON.stringify({
      statements,
      max_rows: query.max_rows ?? ctx.config.query.max_rows,
      ...(resultFile ? { save_as: query.save_as, result_file: resultFile } : {}),
    }),
  );
  const master = ctx.config.spark.master;
  const run = await submitLocal(ctx, pythonScript('datastack_sql.py'), {
    master,
    args: [request, answer],
    name: 'datastack query_sql',
    ownScript: true,
  });
  if (run.state !== 'FINISHED') {
    const lines = (run.error_lines ?? []).filter((l) => /Exception|Error/.test(l)).slice(-3);
    throw new ToolError('query_error', `Spark SQL failed: ${lines.join(' | ').slice(0, 1500) || run.state}`, {
      hint: `Full driver log: ${run.log}`,
    });
  }
  const parsed = JSON.parse(readFileSync(answer, 'utf8')) as Omit<EngineAnswer, 'truncated' | 'elapsed_ms'>;
  return {
    ...parsed,
    truncated: parsed.row_count > parsed.rows.length,
    ...(resultFile ? { result_file: ctx.workspace.display(resultFile) } : {}),
    elapsed_ms: Math.round(performance.now() - started),
  };
}
