/**
 * The target: which task it makes, and how the features relate to it. With a class target the
 * distributions scan comes back one row per class, which is all the leakage checks need.
 */
import { plainText } from '../query/format.js';
import type { Analysis, ClassStats, ColumnSummary, TargetAnalysis } from './analysis.js';
import { binEntries, mapEntries } from './distributions.js';
import { num } from './overview.js';
import { isIntegerType, type DistributionPlan } from './scan-sql.js';
import type { Task } from './schemas.js';

type Row = Record<string, unknown>;

/** Class targets with more classes than this get no per-class scan. */
export const MAX_CLASSES = 50;
/** Integer targets with at most this many values are classes, not quantities. */
const MAX_INTEGER_CLASSES = 20;
/** Leakage checks on values need this many rows per value (or per class) to mean anything. */
const MIN_ROWS_PER_GROUP = 5;
/** Each class needs this many rows before "the ranges do not overlap" is more than chance. */
const MIN_SEPARATED_ROWS = 10;

/** Share of rows with their own time stamp that makes a time index (distinct counts are estimates). */
const TIME_INDEX_SHARE = 0.8;

export function timeIndexOf(summaries: readonly ColumnSummary[], rows: number): string | undefined {
  if (rows < 10) return undefined;
  return summaries.find((s) => s.kind === 'temporal' && s.distinct >= TIME_INDEX_SHARE * rows)?.name;
}

export function decideTask(target: ColumnSummary | undefined, timeIndex: string | undefined): Task {
  if (!target) return 'exploration';
  if (target.kind === 'text' || target.kind === 'boolean') return 'classification';
  if (isIntegerType(target.type) && target.distinct <= MAX_INTEGER_CLASSES) return 'classification';
  return timeIndex && timeIndex !== target.name ? 'time_series' : 'regression';
}

export function targetAnalysis(
  target: ColumnSummary,
  task: Task,
  correlation: Analysis['correlation'],
  timeIndex: string | undefined,
): TargetAnalysis {
  const analysis: TargetAnalysis = {
    name: target.name,
    task,
    correlations: [],
    separation: [],
    functionOfTarget: [],
    determinesTarget: [],
    separates: [],
  };
  if (timeIndex) analysis.timeIndex = timeIndex;
  const t = correlation.names.indexOf(target.name);
  if (t >= 0) {
    correlation.names.forEach((column, j) => {
      const r = correlation.matrix[t]?.[j];
      if (j !== t && r !== undefined) analysis.correlations.push({ column, r });
    });
    analysis.correlations.sort((a, b) => Math.abs(b.r) - Math.abs(a.r));
  }
  return analysis;
}

function label(value: unknown): string {
  return value === null || value === undefined ? '(missing)' : plainText(value);
}

/** Fills the class-based parts of `analysis` from the per-class rows of the distributions scan. */
export function applyClasses(
  analysis: TargetAnalysis,
  summaries: readonly ColumnSummary[],
  plan: DistributionPlan,
  rows: readonly Row[],
): void {
  const features = plan.classTarget?.features ?? [];
  const nullable = new Set(plan.classTarget?.nullable ?? []);
  // Rows of the class where the feature is present: all of them when it has no NULLs.
  const present = (row: Row, i: number) => num(row[nullable.has(i) ? `cn_${i}` : 'n']) ?? 0;
  const centre = new Map(plan.moments.columns.map((m) => [m.column, m.mean]));
  // The class's mean of a numeric feature: the overall mean plus its centred sum over its count.
  const classMean = (row: Row, i: number) => {
    const mean = centre.get(i);
    const sum = num(row[`m1_${i}`]);
    const n = present(row, i);
    return mean === undefined || sum === undefined || n === 0 ? undefined : mean + sum / n;
  };
  const classes: ClassStats[] = rows.map((row) => {
    const means: Record<string, number> = {};
    for (const i of features) {
      const mean = classMean(row, i);
      const name = summaries[i]?.name;
      if (mean !== undefined && name !== undefined) means[name] = mean;
    }
    return { label: label(row.cls), count: num(row.n) ?? 0, means };
  });
  classes.sort((a, b) => b.count - a.count);
  analysis.classes = classes;

  for (const i of features) {
    const s = summaries[i];
    if (!s) continue;
    const withValues = rows.filter((row) => present(row, i) > 0);
    if (withValues.length < 2 || s.distinct < 2) continue;
    const enough = s.nonNull >= MIN_ROWS_PER_GROUP * withValues.length;
    // Counted values say it directly (one value in the class); otherwise the class's min = max.
    const constant = plan.values.includes(i)
      ? (row: Row) => mapEntries(row[`v_${i}`]).filter(([, n]) => n > 0).length === 1
      : (row: Row) => label(row[`clo_${i}`]) === label(row[`chi_${i}`]);
    if (enough && withValues.every(constant)) {
      analysis.functionOfTarget.push(s.name);
      continue;
    }
    if (determines(i, s, plan, rows)) analysis.determinesTarget.push(s.name);
    else if (s.kind === 'numeric' && separated(i, withValues, present)) analysis.separates.push(s.name);
    // An identifier's class means say nothing.
    if (s.kind === 'numeric' && !s.sequential) {
      const eta2 = etaSquared(
        s,
        withValues.map((row) => [present(row, i), classMean(row, i)]),
      );
      if (eta2 !== undefined) analysis.separation.push({ column: s.name, eta2 });
    }
  }
  analysis.separation.sort((a, b) => b.eta2 - a.eta2);
}

/** Every value of a counted feature (or every integer of a unit histogram) occurs in one class only. */
function determines(i: number, s: ColumnSummary, plan: DistributionPlan, rows: readonly Row[]): boolean {
  const unit = plan.bins.find((b) => b.column === i && b.width === 1 && b.basis === 'numeric');
  const entries = plan.values.includes(i)
    ? (row: Row) => mapEntries(row[`v_${i}`])
    : unit
      ? (row: Row) => binEntries(row[`h_${i}`], unit.count)
      : undefined;
  if (!entries || s.nonNull < MIN_ROWS_PER_GROUP * s.distinct) return false;
  const classesOf = new Map<string, number>();
  for (const row of rows) {
    for (const [key, n] of entries(row)) if (n > 0) classesOf.set(key, (classesOf.get(key) ?? 0) + 1);
  }
  return classesOf.size >= 2 && [...classesOf.values()].every((k) => k === 1);
}

/** The classes' [min, max] ranges of a numeric feature do not overlap. */
function separated(i: number, rows: readonly Row[], present: (row: Row, i: number) => number): boolean {
  if (rows.some((row) => present(row, i) < MIN_SEPARATED_ROWS)) return false;
  const ranges = rows
    .map((row) => [num(row[`clo_${i}`]), num(row[`chi_${i}`])] as const)
    .filter((r): r is readonly [number, number] => r[0] !== undefined && r[1] !== undefined)
    .sort((a, b) => a[0] - b[0]);
  if (ranges.length < 2) return false;
  return ranges.every((r, k) => k === 0 || (ranges[k - 1]?.[1] ?? Infinity) < r[0]);
}

/** Share of a numeric feature's variance explained by the class (correlation ratio η²). */
function etaSquared(
  s: ColumnSummary,
  classes: ReadonlyArray<readonly [number, number | undefined]>,
): number | undefined {
  if (s.mean === undefined || s.std === undefined || s.std === 0 || s.nonNull < 2) return undefined;
  const total = (s.nonNull - 1) * s.std * s.std;
  let between = 0;
  for (const [n, mean] of classes) {
    if (mean !== undefined) between += n * (mean - s.mean) ** 2;
  }
  return Math.max(0, Math.min(1, between / total));
}
