/**
 * Profiles a dataset for the EDA report and ai_suggest: the schema, then two scans with DuckDB
 * (scan-sql.ts), whatever the number of columns. Milliseconds on thousands of rows, about a
 * second on millions.
 */
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import { datasetColumns, datasetRowCount, resolveDataset, type Dataset } from '../query/dataset.js';
import { sqlString, withConnection, type DuckDbConnection } from '../query/duckdb-client.js';
import { columnKind, type ProfiledColumn } from '../query/profile-sql.js';
import { jsonSafeConverter } from '../query/values.js';
import type { Analysis } from './analysis.js';
import { applyDistributions, planDistributions } from './distributions.js';
import { applyMoments, correlationMatrix } from './moments.js';
import { memoryEstimate, num, summarizeColumn } from './overview.js';
import {
  distributionSql,
  isIntegerType,
  MAX_CORRELATED,
  overviewSql,
  QUANTILE_ROWS,
  wantsExactDistinct,
} from './scan-sql.js';
import { applyClasses, decideTask, MAX_CLASSES, targetAnalysis, timeIndexOf } from './target.js';

export interface AnalyzeInput {
  dataset: string;
  target?: string | undefined;
  /** Bars of each histogram. */
  bins: number;
}

const PHASES = 3;
/** Fewest bytes a CSV or JSON row takes, for a row estimate that errs on the high side. */
const MIN_ROW_BYTES = 20;

/**
 * CSV read buffer. DuckDB's default (16 × the 2 MB line limit, per thread) held ~200 MB for a
 * 100 MB file; 4 MB buffers halve the peak memory and parse as fast, or faster.
 */
const CSV_BUFFER_BYTES = 4 * 1024 * 1024;

function scanOf(dataset: Dataset): Dataset {
  if (dataset.format !== 'csv') return dataset;
  return { ...dataset, scan: `read_csv(${sqlString(dataset.absolute)}, buffer_size = ${CSV_BUFFER_BYTES})` };
}

export async function analyzeDataset(input: AnalyzeInput, ctx: ToolContext): Promise<Analysis> {
  const dataset = scanOf(resolveDataset(ctx, input.dataset));
  return withConnection(ctx, async (connection, db) => {
    const convert = jsonSafeConverter(db.api);
    let mark = performance.now();
    const lap = () => {
      const now = performance.now();
      const ms = Math.round(now - mark);
      mark = now;
      return ms;
    };

    ctx.progress({ done: 0, total: PHASES, message: 'reading schema' });
    const columns: ProfiledColumn[] = (await datasetColumns(connection, dataset)).map((c) => ({
      ...c,
      kind: columnKind(c.type),
    }));
    const targetIndex = findTarget(columns, input.target, dataset.display);
    const numeric = columns.flatMap((c, i) => (c.kind === 'numeric' ? [i] : []));
    // The target first, so it stays in the matrix when there are too many numeric columns.
    const corr = [...numeric.filter((i) => i === targetIndex), ...numeric.filter((i) => i !== targetIndex)]
      .slice(0, MAX_CORRELATED)
      .sort((a, b) => a - b);
    // The target's classes decide the task; a float target is never a class.
    const exact = new Set(
      columns.flatMap((c, i) =>
        wantsExactDistinct(c) || (i === targetIndex && (c.kind !== 'numeric' || isIntegerType(c.type)))
          ? [i]
          : [],
      ),
    );
    const quantileShare = Math.min(1, QUANTILE_ROWS / Math.max(1, await rowEstimate(connection, dataset)));
    const schemaMs = lap();

    ctx.progress({ done: 1, total: PHASES, message: 'summarising columns' });
    const overview = await connection.runAndReadAll(
      overviewSql(dataset.scan, columns, { exact, quantileShare }),
    );
    const row = overview.convertRowObjects(convert)[0] ?? {};
    const rows = num(row.n) ?? 0;
    const summaries = columns.map((column, i) => summarizeColumn(column, i, row, rows, exact.has(i)));
    const overviewMs = lap();

    const target = targetIndex === undefined ? undefined : summaries[targetIndex];
    const timeIndex = timeIndexOf(summaries, rows);
    const task = decideTask(target, timeIndex);
    const grouped = task === 'classification' && (target?.distinct ?? 0) <= MAX_CLASSES;
    const plan = planDistributions(columns, summaries, {
      bins: input.bins,
      corr,
      ...(grouped && targetIndex !== undefined ? { classTarget: targetIndex } : {}),
    });

    ctx.progress({ done: 2, total: PHASES, message: grouped ? 'distributions by class' : 'distributions' });
    const result = await connection.runAndReadAll(distributionSql(dataset.scan, columns, plan));
    const distRows = result.convertRowObjects(convert);
    const duplicates = applyDistributions(summaries, plan, distRows);
    applyMoments(summaries, plan.moments, distRows);
    const correlation = correlationMatrix(columns, corr, plan.moments, distRows, rows);

    const analysis: Analysis = {
      dataset: dataset.display,
      format: dataset.format,
      fileBytes: dataset.bytes,
      memoryBytes: memoryEstimate(summaries, rows),
      rows,
      columns: summaries,
      correlation,
      duplicates,
      timings: { schema_ms: schemaMs, overview_ms: overviewMs, distributions_ms: 0 },
    };
    if (target) {
      analysis.target = targetAnalysis(target, task, correlation, timeIndex);
      if (grouped) applyClasses(analysis.target, summaries, plan, distRows);
    }
    analysis.timings.distributions_ms = lap();
    ctx.progress({ done: PHASES, total: PHASES, message: 'done' });
    return analysis;
  });
}

/** Rows before reading them: Parquet's footer knows; text files have at least ~20 bytes a row. */
async function rowEstimate(connection: DuckDbConnection, dataset: Dataset): Promise<number> {
  if (dataset.format === 'parquet') return datasetRowCount(connection, dataset);
  // Compressed text holds several times its size.
  const compressed = /\.(gz|zst)$/i.test(dataset.absolute);
  return (dataset.bytes * (compressed ? 5 : 1)) / MIN_ROW_BYTES;
}

function findTarget(columns: readonly ProfiledColumn[], target: string | undefined, display: string) {
  if (target === undefined) return undefined;
  const index = columns.findIndex((c) => c.name === target);
  const names = columns.map((c) => c.name);
  const hint = `Columns: ${names.slice(0, 30).join(', ')}${names.length > 30 ? ', …' : ''}`;
  if (index < 0)
    throw new ToolError('invalid_input', `No column "${target}" in ${display} to use as the target`, {
      hint,
    });
  const kind = columns[index]?.kind;
  if (kind !== 'numeric' && kind !== 'text' && kind !== 'boolean') {
    throw new ToolError(
      'invalid_input',
      `Target "${target}" is ${columns[index]?.type ?? 'of an unknown type'}: a target must be numeric, text or boolean`,
      { hint },
    );
  }
  return index;
}
