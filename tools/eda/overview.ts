/** Reads the overview scan's one row (see scan-sql.ts) into column summaries. */
import { QUANTILE_KEYS, type ProfiledColumn } from '../query/profile-sql.js';
import type { ColumnSummary } from './analysis.js';

type Row = Record<string, unknown>;

/** A finite number, or undefined (NULL, NaN and infinities are left out). */
export function num(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function set<K extends keyof ColumnSummary>(
  summary: ColumnSummary,
  key: K,
  value: ColumnSummary[K] | undefined,
) {
  if (value !== undefined) summary[key] = value;
}

export function summarizeColumn(
  column: ProfiledColumn,
  i: number,
  row: Row,
  rows: number,
  exact: boolean,
): ColumnSummary {
  const nonNull = num(row[`nn_${i}`]) ?? 0;
  const summary: ColumnSummary = {
    name: column.name,
    type: column.type,
    kind: column.kind,
    nonNull,
    nulls: rows - nonNull,
    nullShare: rows === 0 ? 0 : (rows - nonNull) / rows,
    distinct: Math.min(num(row[`d_${i}`]) ?? 0, nonNull),
    distinctExact: exact || nonNull === 0,
  };
  const min = row[`min_${i}`];
  const max = row[`max_${i}`];
  const numeric = column.kind === 'numeric';
  if (typeof min === 'number' || typeof min === 'string') summary.min = numeric ? (num(min) ?? min) : min;
  if (typeof max === 'number' || typeof max === 'string') summary.max = numeric ? (num(max) ?? max) : max;
  // The range corrects an estimate: min = max is one value, min < max at least two.
  if (nonNull > 0 && summary.min !== undefined && String(summary.min) === String(summary.max)) {
    summary.distinct = 1;
    summary.distinctExact = true;
  } else if (summary.min !== undefined && summary.distinct < 2) {
    summary.distinct = 2;
  }
  if (numeric) {
    // std and skew come from the second scan's centred sums (moments.ts).
    set(summary, 'mean', num(row[`mean_${i}`]));
    const q = row[`q_${i}`];
    if (Array.isArray(q) && q.length === QUANTILE_KEYS.length) {
      const quantiles: NonNullable<ColumnSummary['quantiles']> = {};
      QUANTILE_KEYS.forEach((key, k) => {
        const value = num(q[k]);
        if (value !== undefined) quantiles[key] = value;
      });
      summary.quantiles = quantiles;
    }
  }
  set(summary, 'avgLength', num(row[`len_${i}`]));
  set(summary, 'minLength', num(row[`lmin_${i}`]));
  set(summary, 'maxLength', num(row[`lmax_${i}`]));
  set(summary, 'spaceShare', num(row[`sp_${i}`]));
  set(summary, 'epochMin', num(row[`emin_${i}`]));
  set(summary, 'epochMax', num(row[`emax_${i}`]));
  return summary;
}

const WIDTHS: Array<[RegExp, number]> = [
  [/^(TINYINT|UTINYINT|BOOLEAN)/, 1],
  [/^(SMALLINT|USMALLINT)/, 2],
  [/^(INTEGER|UINTEGER|FLOAT|DATE)/, 4],
  [/^(HUGEINT|UHUGEINT|DECIMAL|UUID|INTERVAL)/, 16],
];

/** Bytes a column would take in memory, roughly: fixed widths, and text as 16 bytes plus long strings. */
export function memoryEstimate(columns: readonly ColumnSummary[], rows: number): number {
  let perRow = 0;
  for (const column of columns) {
    const type = column.type.toUpperCase();
    if (column.kind === 'text') {
      const length = column.avgLength ?? 8;
      // DuckDB inlines strings of up to 12 bytes in the 16-byte slot.
      perRow += 16 + (length > 12 ? length : 0);
    } else if (column.kind === 'nested') {
      perRow += 32;
    } else {
      perRow += WIDTHS.find(([pattern]) => pattern.test(type))?.[1] ?? 8;
    }
  }
  return Math.round(perRow * rows);
}
