import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool, type ToolContext } from '../core/types.js';
import { datasetColumns, resolveDataset } from './dataset.js';
import { withConnection } from './duckdb-client.js';
import { jsonSafeConverter } from './values.js';
import { formatCount, formatNumber, plainText } from './format.js';
import {
  columnKind,
  QUANTILE_KEYS,
  statsSql,
  topValuesSql,
  wantsTopValues,
  type ProfiledColumn,
} from './profile-sql.js';

const Input = z.object({
  dataset: z.string().min(1).describe("Workspace path of a CSV, Parquet or JSON file, e.g. 'data/sales.csv'"),
  columns: z.array(z.string()).optional().describe('Only these columns (default: all)'),
  top_n: z.number().int().min(0).max(50).default(5).describe('Top values to list per low-cardinality column'),
});

const Stat = z.number().optional();

const ColumnProfile = z.object({
  name: z.string().describe('Column name'),
  type: z.string().describe('DuckDB type'),
  null_count: z.number().describe('NULL values'),
  null_pct: z.number().describe('NULL values, % of rows'),
  distinct: z
    .number()
    .optional()
    .describe('Distinct non-null values'),
  min: z
    .union([z.number(), z.string()])
    .optional()
    .describe('Smallest value (numbers as numbers, else text)'),
  max: z.union([z.number(), z.string()]).optional().describe('Largest value'),
  mean: Stat.describe('Mean (numeric columns)'),
  std: Stat.describe('Sample standard deviation (numeric columns)'),
  quantiles: z
    .object({
      p05: Stat.describe('5th percentile'),
      p25: Stat.describe('25th percentile'),
      p50: Stat.describe('Median'),
      p75: Stat.describe('75th percentile'),
      p95: Stat.describe('95th percentile'),
    })
    .optional()
    .describe('Approximate quantiles (approx_quantile, numeric columns)'),
  top_values: z
    .array(
      z.object({
        value: z.union([z.string(), z.number(), z.boolean()]).describe('A value'),
        count: z.number().describe('Rows holding it'),
      }),
    )
    .optional()
    .describe(
      'Commonest values with exact counts, for text, boolean and low-cardinality (≤1,000 distinct) columns',
    ),
});

const Output = z.object({
  dataset: z.string().describe('Path relative to the workspace'),
  row_count: z.number().describe('Rows in the dataset'),
  columns: z.array(ColumnProfile).describe('One profile per column, in file order'),
  elapsed_ms: z.number().describe('Time taken, in milliseconds'),
});

type ProfileInput = z.infer<typeof Input>;
type ProfileOutput = z.infer<typeof Output>;
type Profile = z.infer<typeof ColumnProfile>;

export const queryProfile = defineTool({
  name: 'query_profile',
  title: 'Profile dataset',
  description:
    'Per-column profile of a CSV, Parquet or JSON file: type, nulls, distinct count, min, max, mean, std, quantiles, top values. Two scans; fast on millions of rows.',
  toolset: 'query',
  positional: ['dataset'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
  run: runProfile,
  toText: profileText,
});

const TOTAL_PHASES = 3;

async function runProfile(input: ProfileInput, ctx: ToolContext): Promise<ProfileOutput> {
  const started = performance.now();
  const dataset = resolveDataset(ctx, input.dataset);
  return withConnection(ctx, async (connection, db) => {
    ctx.progress({ done: 0, total: TOTAL_PHASES, message: 'reading schema' });
    const all = await datasetColumns(connection, dataset);
    const unknown = (input.columns ?? []).filter((name) => !all.some((c) => c.name === name));
    if (unknown.length > 0) {
      throw new ToolError(
        'invalid_input',
        `No column ${unknown.map((n) => `"${n}"`).join(', ')} in ${dataset.display}`,
        {
          hint: `Columns: ${all
            .map((c) => c.name)
            .slice(0, 30)
            .join(', ')}`,
        },
      );
    }
    const wanted = input.columns ? all.filter((c) => input.columns?.includes(c.name)) : all;
    const columns: ProfiledColumn[] = wanted.map((c) => ({ ...c, kind: columnKind(c.type) }));

    ctx.progress({ done: 1, total: TOTAL_PHASES, message: 'counting and summarising' });
    const convert = jsonSafeConverter(db.api);
    const statsReader = await connection.runAndReadAll(statsSql(dataset.scan, columns));
    const stats = statsReader.convertRowObjects(convert)[0] ?? {};
    const rowCount = num(stats.n) ?? 0;
    const profiles = columns.map((column, i) => columnProfile(column, i, stats, rowCount));

    const chosen = columns
      .map((column, i) => ({ column, profile: profiles[i] as Profile }))
      .filter(({ column, profile }) =>
        wantsTopValues(column.kind, profile.distinct ?? 0, rowCount - profile.null_count),
      );
    if (input.top_n > 0 && chosen.length > 0) {
      ctx.progress({ done: 2, total: TOTAL_PHASES, message: 'top values' });
      const sql = topValuesSql(
        dataset.scan,
        chosen.map((c) => c.column),
        input.top_n,
      );
      const reader = await connection.runAndReadAll(sql);
      for (const row of reader.convertRowObjects(convert)) {
        const target = chosen[num(row.col) ?? -1];
        if (!target) continue;
        const value = typedValue(target.column.kind, plainText(row.value));
        target.profile.distinct = num(row.k) ?? target.profile.distinct;
        (target.profile.top_values ??= []).push({ value, count: num(row.n) ?? 0 });
      }
    }
    ctx.progress({ done: TOTAL_PHASES, total: TOTAL_PHASES, message: 'done' });
    return {
      dataset: dataset.display,
      row_count: rowCount,
      columns: profiles,
      elapsed_ms: Math.round(performance.now() - started),
    };
  });
}

function columnProfile(
  column: ProfiledColumn,
  i: number,
  stats: Record<string, unknown>,
  rowCount: number,
): Profile {
  const nonNull = num(stats[`nn_${i}`]) ?? 0;
  const nulls = rowCount - nonNull;
  const profile: Profile = {
    name: column.name,
    type: column.type,
    null_count: nulls,
    null_pct: rowCount === 0 ? 0 : Math.round((nulls / rowCount) * 10_000) / 100,
  };
  const distinct = num(stats[`d_${i}`]);
  if (distinct !== undefined) profile.distinct = Math.min(distinct, nonNull);
  const min = stats[`min_${i}`];
  const max = stats[`max_${i}`];
  if (typeof min === 'number' || typeof min === 'string') profile.min = typedMinMax(column.kind, min);
  if (typeof max === 'number' || typeof max === 'string') profile.max = typedMinMax(column.kind, max);
  if (column.kind === 'numeric') {
    const mean = num(stats[`mean_${i}`]);
    const std = num(stats[`std_${i}`]);
    if (mean !== undefined) profile.mean = mean;
    if (std !== undefined) profile.std = std;
    const q = stats[`q_${i}`];
    if (Array.isArray(q) && q.length === QUANTILE_KEYS.length) {
      const quantiles: NonNullable<Profile['quantiles']> = {};
      QUANTILE_KEYS.forEach((key, k) => {
        const value = num(q[k]);
        if (value !== undefined) quantiles[key] = value;
      });
      profile.quantiles = quantiles;
    }
  }
  return profile;
}

/** A finite number, or undefined (NULL, NaN and infinities are left out). */
function num(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function typedMinMax(kind: ProfiledColumn['kind'], value: number | string): number | string {
  return kind === 'numeric' ? (num(value) ?? String(value)) : value;
}

function typedValue(kind: ProfiledColumn['kind'] | undefined, value: string): string | number | boolean {
  if (kind === 'boolean') return value === 'true';
  if (kind === 'numeric') return num(value) ?? value;
  return value;
}

function profileText(output: ProfileOutput): string {
  const lines = output.columns.map((c) => {
    const parts = [`nulls ${formatCount(c.null_count)} (${c.null_pct}%)`];
    if (c.distinct !== undefined) parts.push(`${formatCount(c.distinct)} distinct`);
    if (c.min !== undefined) parts.push(`min ${formatNumber(c.min)}`);
    if (c.max !== undefined) parts.push(`max ${formatNumber(c.max)}`);
    if (c.mean !== undefined) parts.push(`mean ${formatNumber(c.mean)}`);
    if (c.std !== undefined) parts.push(`std ${formatNumber(c.std)}`);
    if (c.quantiles)
      parts.push(`p05/25/50/75/95 ${QUANTILE_KEYS.map((k) => formatNumber(c.quantiles?.[k])).join('/')}`);
    if (c.top_values?.length)
      parts.push(`top ${c.top_values.map((t) => `${String(t.value)} (${formatCount(t.count)})`).join(', ')}`);
    return `${c.name} ${c.type}: ${parts.join('; ')}`;
  });
  const head = `${output.dataset}: ${formatCount(output.row_count)} rows, ${output.columns.length} columns profiled (${output.elapsed_ms} ms)`;
  return `${head}\n${fenceUntrusted('column profiles', lines.join('\n'))}`;
}
