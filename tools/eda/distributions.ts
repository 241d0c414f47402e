/**
 * The second scan: what to count, planned from the overview's numbers, and its answer (one row,
 * or one per class) folded back into the column summaries.
 */
import { plainText } from '../query/format.js';
import { LOW_CARDINALITY, type ProfiledColumn } from '../query/profile-sql.js';
import type { ColumnSummary, Histogram, ValueCount } from './analysis.js';
import { planMoments } from './moments.js';
import { num } from './overview.js';
import { binEdge, isEpochType, isIntegerType, type BinSpec, type DistributionPlan } from './scan-sql.js';

type Row = Record<string, unknown>;

/** Pairs of columns checked value by value for being duplicates; more are not looked at. */
const MAX_PAIRS = 100;

function binSpec(
  column: number,
  basis: BinSpec['basis'],
  lo: number | undefined,
  hi: number | undefined,
  count: number,
  integer: boolean,
): BinSpec | undefined {
  if (lo === undefined || hi === undefined || !(hi > lo)) return undefined;
  if (integer && hi - lo + 1 <= count) return { column, basis, lo, width: 1, count: hi - lo + 1 };
  return { column, basis, lo, width: (hi - lo) / count, count };
}

/** DuckDB's HyperLogLog was up to 25% off; identical columns of one type get identical estimates. */
const ESTIMATE_SLACK = 1.35;

/**
 * Could be the same values: one kind, same count and range, distinct counts within the estimate's
 * error. Copies across kinds (a code and its label) are left out: comparing them as text cost more
 * than the rest of the scan, and copies of the target are caught by the class checks anyway.
 */
function candidates(a: ColumnSummary, b: ColumnSummary): boolean {
  if (a.kind !== b.kind || a.nonNull !== b.nonNull) return false;
  const [lo, hi] = a.distinct < b.distinct ? [a.distinct, b.distinct] : [b.distinct, a.distinct];
  if (a.distinctExact && b.distinctExact ? lo !== hi : hi > lo * ESTIMATE_SLACK) return false;
  return String(a.min) === String(b.min) && String(a.max) === String(b.max);
}

export function planDistributions(
  columns: readonly ProfiledColumn[],
  summaries: readonly ColumnSummary[],
  options: { bins: number; corr: readonly number[]; classTarget?: number },
): DistributionPlan {
  const plan: DistributionPlan = {
    bins: [],
    values: [],
    outliers: [],
    pairs: [],
    sequences: [],
    moments: planMoments(summaries, options.corr),
  };
  summaries.forEach((s, i) => {
    if (s.nonNull === 0) return;
    if (s.kind === 'numeric') {
      const integer = isIntegerType(s.type);
      const spec = binSpec(i, 'numeric', num(s.min), num(s.max), options.bins, integer);
      if (spec) plan.bins.push(spec);
      const lo = num(s.min);
      const hi = num(s.max);
      if (integer && lo !== undefined && hi !== undefined && hi - lo + 1 === s.nonNull && s.nonNull > 1) {
        plan.sequences.push({ column: i, lo, count: s.nonNull });
      }
      const q1 = s.quantiles?.p25;
      const q3 = s.quantiles?.p75;
      if (q1 !== undefined && q3 !== undefined && q3 > q1) {
        plan.outliers.push({ column: i, lo: q1 - 1.5 * (q3 - q1), hi: q3 + 1.5 * (q3 - q1) });
      }
    } else if (s.kind === 'temporal' && isEpochType(s.type)) {
      const spec = binSpec(i, 'temporal', s.epochMin, s.epochMax, options.bins, false);
      if (spec) plan.bins.push(spec);
    } else if (
      (s.kind === 'text' || s.kind === 'boolean') &&
      s.distinct <= (s.distinctExact ? 1 : 2) * LOW_CARDINALITY
    ) {
      plan.values.push(i);
    } else if (s.kind === 'text') {
      const spec = binSpec(i, 'length', s.minLength, s.maxLength, options.bins, true);
      if (spec) plan.bins.push(spec);
    }
  });
  // Candidates agree on counts, distinct values and range; the scan then compares every row.
  for (let a = 0; a < summaries.length && plan.pairs.length < MAX_PAIRS; a += 1) {
    const x = summaries[a];
    if (!x || x.kind === 'nested' || x.kind === 'other' || x.distinct < 2) continue;
    for (let b = a + 1; b < summaries.length && plan.pairs.length < MAX_PAIRS; b += 1) {
      const y = summaries[b];
      if (!y || y.kind === 'nested' || y.kind === 'other') continue;
      if (candidates(x, y)) plan.pairs.push({ a, b });
    }
  }
  if (options.classTarget !== undefined) {
    const target = options.classTarget;
    const features = columns.flatMap((c, i) =>
      i !== target && c.kind !== 'nested' && c.kind !== 'other' && (summaries[i]?.nonNull ?? 0) > 0
        ? [i]
        : [],
    );
    const nullable = features.filter((i) => (summaries[i]?.nulls ?? 0) > 0);
    plan.classTarget = { column: target, features, nullable };
  }
  return plan;
}

/** A histogram MAP as the JSON converter hands it: [{key, value}]. */
export function mapEntries(value: unknown): Array<[string, number]> {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => {
    if (!entry || typeof entry !== 'object') return [];
    const { key, value: count } = entry as { key?: unknown; value?: unknown };
    const n = num(count);
    return key === null || key === undefined || n === undefined
      ? []
      : [[plainText(key), n] as [string, number]];
  });
}

/**
 * A histogram(x, bounds) MAP as bin counts: its entries come in bound order, every bound present,
 * then (when not empty) the values above the last bound under a NULL key: the last bin.
 */
export function binEntries(value: unknown, count: number): Array<[string, number]> {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry, k) => {
    if (!entry || typeof entry !== 'object') return [];
    const { key, value: n } = entry as { key?: unknown; value?: unknown };
    const counted = num(n);
    const bin = key === null || key === undefined ? count - 1 : Math.min(k, count - 1);
    return counted === undefined ? [] : [[String(bin), counted] as [string, number]];
  });
}

/** Sums the bin counts of one histogram over the rows (one per class when grouped). */
function binned(rows: readonly Row[], spec: BinSpec): Map<string, number> {
  const total = new Map<string, number>();
  for (const row of rows) {
    for (const [key, n] of binEntries(row[`h_${spec.column}`], spec.count))
      total.set(key, (total.get(key) ?? 0) + n);
  }
  return total;
}

/** Sums one histogram column over the rows (one per class when grouped). */
function merged(rows: readonly Row[], field: string): Map<string, number> {
  const total = new Map<string, number>();
  for (const row of rows) {
    for (const [key, n] of mapEntries(row[field])) total.set(key, (total.get(key) ?? 0) + n);
  }
  return total;
}

function sum(rows: readonly Row[], field: string): number {
  return rows.reduce((total, row) => total + (num(row[field]) ?? 0), 0);
}

function histogram(spec: BinSpec, counts: Map<string, number>): Histogram {
  const unit = spec.width === 1 && spec.basis !== 'temporal' && Number.isInteger(spec.lo);
  const bins = Array.from({ length: spec.count }, (_, k) => {
    const lo = binEdge(spec, k);
    return {
      lo,
      hi: unit ? lo + 1 : binEdge(spec, k + 1),
      count: counts.get(String(k)) ?? 0,
    };
  });
  return { basis: spec.basis, unit, bins };
}

export function sortedValues(counts: Map<string, number>): ValueCount[] {
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

function bigSum(rows: readonly Row[], field: string): bigint {
  return rows.reduce((total, row) => {
    const value = row[field];
    return typeof value === 'string' && /^-?\d+$/.test(value) ? total + BigInt(value) : total;
  }, 0n);
}

/**
 * n integers in 0…n-1 summing to n(n-1)/2 with squares summing to (n-1)n(2n-1)/6: each value
 * once, short of a contrived coincidence.
 */
function isPermutation(rows: readonly Row[], column: number, count: number): boolean {
  const n = BigInt(count);
  return (
    bigSum(rows, `s1_${column}`) === (n * (n - 1n)) / 2n &&
    bigSum(rows, `s2_${column}`) === ((n - 1n) * n * (2n * n - 1n)) / 6n
  );
}

/** Folds the scan's rows into the summaries; returns the column pairs found identical. */
export function applyDistributions(
  summaries: ColumnSummary[],
  plan: DistributionPlan,
  rows: readonly Row[],
): Array<[string, string]> {
  for (const spec of plan.bins) {
    const summary = summaries[spec.column];
    if (!summary) continue;
    summary.histogram = histogram(spec, binned(rows, spec));
    // One bar per integer value counts the values (of numbers; of text it counts lengths).
    if (summary.histogram.unit && spec.basis === 'numeric') {
      summary.distinct = summary.histogram.bins.filter((bin) => bin.count > 0).length;
      summary.distinctExact = true;
    }
  }
  for (const i of plan.values) {
    const summary = summaries[i];
    if (!summary) continue;
    // Counting every value makes the distinct count exact.
    summary.values = sortedValues(merged(rows, `v_${i}`));
    summary.distinct = summary.values.length;
    summary.distinctExact = true;
  }
  for (const o of plan.outliers) {
    const summary = summaries[o.column];
    if (summary) summary.outliers = sum(rows, `o_${o.column}`);
  }
  for (const s of plan.sequences) {
    const summary = summaries[s.column];
    if (!summary || !isPermutation(rows, s.column, s.count)) continue;
    summary.sequential = true;
    summary.distinct = summary.nonNull;
    summary.distinctExact = true;
  }
  return plan.pairs.flatMap((pair, k) => {
    const a = summaries[pair.a];
    const b = summaries[pair.b];
    return a && b && rows.length > 0 && sum(rows, `p_${k}`) === 0
      ? [[a.name, b.name] as [string, string]]
      : [];
  });
}
