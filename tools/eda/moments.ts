/**
 * Standard deviations, skewness and Pearson correlations, from the second scan.
 *
 * Why not in the first scan with stddev_samp(), skewness() and corr(): each keeps its own state
 * per column or per pair, and on 1M rows × 12 numeric columns the 66 corr() alone took ~250 ms,
 * as long as parsing the CSV. The second scan knows the means, so plain sums of the centred values
 * d = x - mean (d, d², d³ per column, d_a·d_b per pair) give the same numbers, as a two-pass
 * algorithm does (no cancellation), for a multiply-add per row. The sums are additive, so a scan
 * grouped by class is summed over its rows.
 */
import { sqlIdent } from '../query/duckdb-client.js';
import type { ProfiledColumn } from '../query/profile-sql.js';
import type { Analysis, ColumnSummary } from './analysis.js';
import { num } from './overview.js';

type Row = Record<string, unknown>;

export interface MomentPlan {
  /** Numeric columns with a finite mean: `m1_i`, `m2_i`, `m3_i` = sums of d, d², d³. */
  columns: Array<{ column: number; mean: number; nullable: boolean }>;
  /** Columns of the correlation matrix, in order: `x_a_b` = sum of d_a·d_b for each pair. */
  corr: number[];
}

/** The centred value of column i, projected once under the scan so every sum reuses it. */
export const centred = (i: number): string => `__d${i}`;

/** A double literal DuckDB reads back exactly (plain decimals are parsed as DECIMAL first). */
export function float(value: number): string {
  return Number.isFinite(value) ? `${value.toExponential()}::DOUBLE` : `'${value}'::DOUBLE`;
}

export function planMoments(summaries: readonly ColumnSummary[], corr: readonly number[]): MomentPlan {
  const columns = summaries.flatMap((s, i) =>
    s.kind === 'numeric' && s.mean !== undefined && Number.isFinite(s.mean)
      ? [{ column: i, mean: s.mean, nullable: s.nulls > 0 }]
      : [],
  );
  const measured = new Set(columns.map((c) => c.column));
  return { columns, corr: corr.filter((i) => measured.has(i)) };
}

/** The centred columns to add to the scan's projection. */
export function momentProjections(columns: readonly ProfiledColumn[], plan: MomentPlan): string[] {
  return plan.columns.map(
    (m) => `${sqlIdent(columns[m.column]?.name ?? '')}::DOUBLE - ${float(m.mean)} AS ${centred(m.column)}`,
  );
}

export function momentAggregates(plan: MomentPlan): string[] {
  const parts: string[] = [];
  for (const { column: i } of plan.columns) {
    const d = centred(i);
    parts.push(`sum(${d}) AS m1_${i}`, `sum(${d} * ${d}) AS m2_${i}`, `sum(${d} * ${d} * ${d}) AS m3_${i}`);
  }
  const nullable = new Set(plan.columns.filter((m) => m.nullable).map((m) => m.column));
  plan.corr.forEach((a, k) => {
    for (const b of plan.corr.slice(k + 1)) {
      const [da, db] = [centred(a), centred(b)];
      parts.push(`sum(${da} * ${db}) AS x_${a}_${b}`);
      // corr() uses the rows where both are present: with NULLs, the sums over those rows too.
      if (nullable.has(a) || nullable.has(b)) {
        // (CASE, not FILTER: see scan-sql.ts.)
        const [pa, pb] = [
          `CASE WHEN ${db} IS NOT NULL THEN ${da} END`,
          `CASE WHEN ${da} IS NOT NULL THEN ${db} END`,
        ];
        parts.push(
          `count(${da} * ${db}) AS xn_${a}_${b}`,
          `sum(${pa}) AS xa_${a}_${b}`,
          `sum(${pb}) AS xb_${a}_${b}`,
          `sum(${pa} * ${pa}) AS xaa_${a}_${b}`,
          `sum(${pb} * ${pb}) AS xbb_${a}_${b}`,
        );
      }
    }
  });
  return parts;
}

function total(rows: readonly Row[], field: string): number | undefined {
  let sum: number | undefined;
  for (const row of rows) {
    const value = num(row[field]);
    if (value !== undefined) sum = (sum ?? 0) + value;
  }
  return sum;
}

/** std (as stddev_samp) and skew (as DuckDB's skewness) of each numeric column. */
export function applyMoments(summaries: ColumnSummary[], plan: MomentPlan, rows: readonly Row[]): void {
  for (const { column: i } of plan.columns) {
    const summary = summaries[i];
    const n = summary?.nonNull ?? 0;
    const s1 = total(rows, `m1_${i}`);
    const s2 = total(rows, `m2_${i}`);
    const s3 = total(rows, `m3_${i}`);
    if (!summary || n < 2 || s1 === undefined || s2 === undefined || s3 === undefined) continue;
    const m2 = Math.max(0, s2 - (s1 * s1) / n);
    summary.std = Math.sqrt(m2 / (n - 1));
    if (n <= 2 || m2 === 0) continue;
    const m3 = s3 - (3 * s2 * s1) / n + (2 * s1 ** 3) / (n * n);
    const skew = ((Math.sqrt(n * (n - 1)) / (n - 2)) * (m3 / n)) / Math.pow(m2 / n, 1.5);
    if (Number.isFinite(skew)) summary.skew = skew;
  }
}

/** Pearson r over the rows where both columns are present; undefined for a constant column. */
function pearson(plan: MomentPlan, rows: readonly Row[], a: number, b: number, n: number) {
  const nullable = plan.columns.some((m) => (m.column === a || m.column === b) && m.nullable);
  const pair = `${a}_${b}`;
  const [count, sa, sb, saa, sbb] = nullable
    ? [`xn_${pair}`, `xa_${pair}`, `xb_${pair}`, `xaa_${pair}`, `xbb_${pair}`].map((f) => total(rows, f))
    : [n, total(rows, `m1_${a}`), total(rows, `m1_${b}`), total(rows, `m2_${a}`), total(rows, `m2_${b}`)];
  const sab = total(rows, `x_${pair}`);
  if (!count || sab === undefined || sa === undefined || sb === undefined) return undefined;
  if (saa === undefined || sbb === undefined) return undefined;
  const varA = saa - (sa * sa) / count;
  const varB = sbb - (sb * sb) / count;
  if (!(varA > 0 && varB > 0)) return undefined;
  const r = (sab - (sa * sb) / count) / Math.sqrt(varA * varB);
  // Rounding noise can put a perfect correlation a hair above 1.
  return Number.isFinite(r) ? Math.max(-1, Math.min(1, r)) : undefined;
}

export function correlationMatrix(
  columns: readonly ProfiledColumn[],
  corr: readonly number[],
  plan: MomentPlan,
  rows: readonly Row[],
  rowCount: number,
): Analysis['correlation'] {
  const measured = new Set(plan.corr);
  const matrix = corr.map((a) =>
    corr.map((b) => {
      if (a === b) return 1;
      if (!measured.has(a) || !measured.has(b)) return undefined;
      return a < b ? pearson(plan, rows, a, b, rowCount) : pearson(plan, rows, b, a, rowCount);
    }),
  );
  return { names: corr.map((i) => columns[i]?.name ?? ''), matrix };
}
