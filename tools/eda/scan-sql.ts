/**
 * The SQL of the EDA report: two scans of the file whatever its width.
 *
 * 1. The overview, one row: per column its count, distinct count, min/max, mean, quantiles, text
 *    lengths and date ranges. Unlike query_profile, distinct counts are exact only for booleans
 *    and the target; the rest get DuckDB's HyperLogLog (up to ~25% off), and the second scan makes
 *    them exact where a decision needs it (low-cardinality text and small integer ranges are
 *    counted value by value, integer identifiers are checked for being min…max once each). Exact
 *    distincts of million-value columns were most of the time and a third of the memory on wide
 *    files. Quantiles are t-digest estimates (approx_quantile) over a Bernoulli sample of about
 *    200,000 rows (all rows of smaller files): over every row they cost as much as the rest of the
 *    scan. (reservoir_quantile is no sample at all: it keeps the first values it sees.)
 * 2. The distributions, built from the overview's numbers: equal-width histograms (numbers, dates,
 *    text lengths), value counts of low-cardinality columns, IQR outlier counts, the check of
 *    columns that might be duplicates, and the centred sums that give standard deviations,
 *    skewness and correlations (moments.ts). With a class target the scan is grouped by the class,
 *    so the same aggregates come per class (class balance, per-class means, leakage checks) and
 *    are summed for the whole file.
 *
 * Histograms use histogram(x, boundaries), DuckDB's fixed-bucket form: binning each value with
 * floor/least/greatest and counting the bin numbers in a MAP took 3× as long. No aggregate has a
 * FILTER clause: on DuckDB 1.5, count(*) FILTER (WHERE p) took 5× as long as count_if(p), and
 * agg(x) FILTER (WHERE p) twice agg(CASE WHEN p THEN x END).
 */
import { sqlIdent } from '../query/duckdb-client.js';
import { QUANTILES, type ProfiledColumn } from '../query/profile-sql.js';
import { float, momentAggregates, momentProjections, type MomentPlan } from './moments.js';

/** Numeric columns in the correlation matrix (n² / 2 sums). */
export const MAX_CORRELATED = 24;
/** Rows the quantiles are estimated from. */
export const QUANTILE_ROWS = 200_000;
/** Longest min/max text kept. */
const MAX_TEXT = 200;

const INTEGER = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)\b/i;

export function isIntegerType(type: string): boolean {
  return INTEGER.test(type);
}

export function isEpochType(type: string): boolean {
  return /^(DATE|TIMESTAMP)/i.test(type);
}

/** Whether a column's distinct count is worth an exact (hash) count rather than HyperLogLog. */
export function wantsExactDistinct(column: ProfiledColumn): boolean {
  return column.kind === 'boolean';
}

function textExpr(column: ProfiledColumn): string {
  const c = sqlIdent(column.name);
  return column.type.toUpperCase().startsWith('VARCHAR') ? c : `${c}::VARCHAR`;
}

/**
 * One row: `n`; per column i nn_i, d_i, min_i, max_i, and by kind mean_i, q_i, len_i, lmin_i,
 * lmax_i, sp_i, emin_i, emax_i.
 */
export function overviewSql(
  scan: string,
  columns: readonly ProfiledColumn[],
  options: { exact: ReadonlySet<number>; quantileShare: number },
): string {
  const sampled = options.quantileShare < 1;
  const parts = ['count(*) AS n'];
  columns.forEach((column, i) => {
    const c = sqlIdent(column.name);
    parts.push(`count(${c}) AS nn_${i}`);
    if (column.kind === 'nested') return;
    parts.push(
      options.exact.has(i) ? `count(DISTINCT ${c}) AS d_${i}` : `approx_count_distinct(${c}) AS d_${i}`,
    );
    if (column.kind === 'numeric') {
      const x = `${c}::DOUBLE`;
      parts.push(
        `min(${x}) AS min_${i}`,
        `max(${x}) AS max_${i}`,
        `avg(${x}) AS mean_${i}`,
        `approx_quantile(${sampled ? `CASE WHEN __q THEN ${x} END` : x}, [${QUANTILES.join(', ')}]) AS q_${i}`,
      );
      return;
    }
    if (column.kind === 'other') return;
    parts.push(
      `left(min(${c})::VARCHAR, ${MAX_TEXT}) AS min_${i}`,
      `left(max(${c})::VARCHAR, ${MAX_TEXT}) AS max_${i}`,
    );
    if (column.kind === 'text') {
      const t = textExpr(column);
      parts.push(
        `avg(length(${t})) AS len_${i}`,
        `min(length(${t})) AS lmin_${i}`,
        `max(length(${t})) AS lmax_${i}`,
        `avg(contains(${t}, ' ')::INTEGER) AS sp_${i}`,
      );
    }
    if (column.kind === 'temporal' && isEpochType(column.type)) {
      parts.push(`epoch(min(${c})) AS emin_${i}`, `epoch(max(${c})) AS emax_${i}`);
    }
  });
  // One random draw per row, shared by every quantile.
  const from = sampled ? `(SELECT *, random() < ${options.quantileShare} AS __q FROM ${scan})` : scan;
  return `SELECT ${parts.join(',\n  ')}\nFROM ${from}`;
}

/** Equal-width bins over a numeric expression of a column. */
export interface BinSpec {
  column: number;
  /** numeric: the value; temporal: seconds since the epoch; length: characters of text. */
  basis: 'numeric' | 'temporal' | 'length';
  lo: number;
  width: number;
  count: number;
}

export interface DistributionPlan {
  bins: BinSpec[];
  /** Columns whose every value is counted (`v_i`): low cardinality. */
  values: number[];
  /** IQR fences per numeric column (`o_i`). */
  outliers: Array<{ column: number; lo: number; hi: number }>;
  /** Column pairs with equal counts, checked value by value (`p_k` = rows that differ). */
  pairs: Array<{ a: number; b: number }>;
  /** Integer columns with max - min + 1 = count: sums of (x - min) and its square (`s1_i`, `s2_i`). */
  sequences: Array<{ column: number; lo: number; count: number }>;
  /**
   * A class target: the scan is grouped by it (`cls`, `n`), with per-class aggregates of
   * `features`: counts of those with NULLs (the others have the class's n), and min/max of those
   * whose values are not counted anyway.
   */
  classTarget?: { column: number; features: number[]; nullable: number[] };
  /** Centred sums for std, skewness and correlations. */
  moments: MomentPlan;
}

/**
 * The largest double below `value`: histogram(x, bounds) puts x in the first bucket with
 * x <= bound, and a bin [lo, hi) wants x < hi.
 */
export function below(value: number): number {
  if (!Number.isFinite(value)) return value;
  if (value === 0) return -Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  view.setBigInt64(0, view.getBigInt64(0) + (value > 0 ? -1n : 1n));
  return view.getFloat64(0);
}

/**
 * The lower edge of bin k, rounded to a millionth of the bin width: lo + k·width is a hair off
 * (1 + 19 × 0.2 is 4.800000000000001), which put every 4.8 of a 1-decimal column a bin too low.
 */
export function binEdge(bin: BinSpec, k: number): number {
  const edge = bin.lo + k * bin.width;
  const decimals = Math.min(100, Math.max(0, 6 - Math.floor(Math.log10(bin.width))));
  return Number.isFinite(edge) && Number.isFinite(decimals) ? Number(edge.toFixed(decimals)) : edge;
}

/** Upper bounds of all bins but the last, whose values DuckDB counts under a NULL key. */
export function binBounds(bin: BinSpec): number[] {
  return Array.from({ length: bin.count - 1 }, (_, k) => below(binEdge(bin, k + 1)));
}

function basisExpr(column: ProfiledColumn, basis: BinSpec['basis']): string {
  const c = sqlIdent(column.name);
  if (basis === 'temporal') return `epoch(${c})`;
  if (basis === 'length') return `length(${textExpr(column)})`;
  return `${c}::DOUBLE`;
}

function comparable(column: ProfiledColumn): string {
  return column.kind === 'numeric' ? `${sqlIdent(column.name)}::DOUBLE` : textExpr(column);
}

/** A column as its own type, numbers as doubles: enough for per-class min = max. */
function ordered(column: ProfiledColumn): string {
  return column.kind === 'numeric' ? `${sqlIdent(column.name)}::DOUBLE` : sqlIdent(column.name);
}

export function distributionSql(
  scan: string,
  columns: readonly ProfiledColumn[],
  plan: DistributionPlan,
): string {
  const col = (i: number): ProfiledColumn => {
    const column = columns[i];
    if (!column) throw new Error(`no column ${i}`);
    return column;
  };
  const parts: string[] = ['count(*) AS n'];
  for (const bin of plan.bins) {
    const x = basisExpr(col(bin.column), bin.basis);
    // Bounds as DOUBLE: DuckDB casts them to the value's type.
    parts.push(`histogram(${x}, [${binBounds(bin).map(float).join(', ')}]) AS h_${bin.column}`);
  }
  for (const i of plan.values) {
    const column = col(i);
    const x = column.kind === 'boolean' ? sqlIdent(column.name) : textExpr(column);
    parts.push(`histogram(${x}) AS v_${i}`);
  }
  for (const o of plan.outliers) {
    const x = `${sqlIdent(col(o.column).name)}::DOUBLE`;
    parts.push(`count_if(${x} < ${float(o.lo)} OR ${x} > ${float(o.hi)}) AS o_${o.column}`);
  }
  plan.pairs.forEach((pair, k) => {
    const a = col(pair.a);
    const b = col(pair.b);
    const [x, y] =
      a.type === b.type
        ? [sqlIdent(a.name), sqlIdent(b.name)]
        : a.kind === 'numeric'
          ? [comparable(a), comparable(b)]
          : [textExpr(a), textExpr(b)];
    parts.push(`count_if(${x} IS DISTINCT FROM ${y}) AS p_${k}`);
  });
  for (const s of plan.sequences) {
    // Shifted to 0…n-1 the sums stay far inside HUGEINT (as text: they outgrow doubles).
    const k = `(${sqlIdent(col(s.column).name)}::HUGEINT - ${BigInt(s.lo)}::HUGEINT)`;
    parts.push(`sum(${k})::VARCHAR AS s1_${s.column}`, `sum(${k} * ${k})::VARCHAR AS s2_${s.column}`);
  }
  parts.push(...momentAggregates(plan.moments));
  const projections = momentProjections(columns, plan.moments);
  const from = projections.length ? `(SELECT *, ${projections.join(', ')} FROM ${scan})` : scan;
  const target = plan.classTarget;
  if (!target) return `SELECT ${parts.join(',\n  ')}\nFROM ${from}`;
  // Every aggregate costs about as much as the others on millions of rows: only what is not
  // already known. Per-class means come from the centred sums (m1_i / count + mean).
  const nullable = new Set(target.nullable);
  const counted = new Set(plan.values);
  for (const i of target.features) {
    const column = col(i);
    if (nullable.has(i)) parts.push(`count(${sqlIdent(column.name)}) AS cn_${i}`);
    if (counted.has(i)) continue;
    const x = ordered(column);
    parts.push(`min(${x}) AS clo_${i}`, `max(${x}) AS chi_${i}`);
  }
  // Grouped by the raw column: hashing a 0/1 integer is cheaper than its text.
  return `SELECT ${sqlIdent(col(target.column).name)} AS cls, ${parts.join(',\n  ')}\nFROM ${from}\nGROUP BY ALL`;
}
