/**
 * Data-quality findings, by rule: no model involved, so they work offline and are the same every
 * run. Thresholds are the usual rules of thumb and are named here so a reader can argue with them.
 */
import { formatCount, formatNumber } from '../query/format.js';
import type { Analysis, ColumnSummary } from './analysis.js';
import { bySeverity, type Finding, type Severity } from './schemas.js';

/** |r| with the target at or above this is a leak rather than a good feature. */
export const LEAK_CORRELATION = 0.99;
/** Two features correlated this much carry the same information. */
const HIGH_CORRELATION = 0.95;
/** Minority class under this share of the majority class. */
const IMBALANCE_RATIO = 0.2;
const SKEW_WARNING = 2;
const SKEW_INFO = 1;
const OUTLIER_WARNING = 0.05;
const OUTLIER_INFO = 0.01;
const MISSING_WARNING = 0.5;
const MISSING_INFO = 0.05;
/** Categorical columns with more values than this are awkward to one-hot encode. */
export const ONE_HOT_MAX = 15;
const HIGH_CARDINALITY = 1000;
/** Unique values in fewer rows than this prove nothing about being an identifier. */
const MIN_ID_ROWS = 20;
/** Estimated distinct counts at or above this share of rows mean (nearly) unique text. */
const NEAR_UNIQUE = 0.9;

export function pct(share: number): string {
  const value = share * 100;
  return `${value >= 10 || value === 0 ? value.toFixed(0) : value < 0.1 ? value.toFixed(2) : value.toFixed(1)}%`;
}

/** Free text rather than a code or a name: long values with spaces in them. */
export function isFreeText(s: ColumnSummary): boolean {
  return s.kind === 'text' && (s.avgLength ?? 0) >= 25 && (s.spaceShare ?? 0) >= 0.5;
}

/** Every value unique: an identifier (text codes, or integers counting up without gaps or repeats). */
export function isIdentifier(s: ColumnSummary): boolean {
  if (s.nonNull < MIN_ID_ROWS) return false;
  if (s.kind === 'text' && !s.distinctExact) return !isFreeText(s) && s.distinct >= NEAR_UNIQUE * s.nonNull;
  if (s.kind === 'text') return s.distinct === s.nonNull && !isFreeText(s);
  return s.sequential === true;
}

export function findingsOf(analysis: Analysis): Finding[] {
  const out: Finding[] = [];
  const add = (severity: Severity, kind: string, columns: string[], message: string) =>
    out.push({ severity, kind, columns, message });
  if (analysis.rows === 0) add('warning', 'empty_dataset', [], 'The dataset has no rows');
  const target = analysis.target;
  const tName = target?.name;
  const leaked = new Set<string>();

  if (target) {
    // One finding per leaking column: the strongest evidence, in this order.
    const leak = (severity: Severity, column: string, message: string) => {
      if (leaked.has(column)) return;
      leaked.add(column);
      add(severity, 'leakage', [column, target.name], message);
    };
    for (const [a, b] of analysis.duplicates.filter((pair) => pair.includes(target.name))) {
      const other = a === target.name ? b : a;
      leak('critical', other, `${other} is identical to the target ${target.name}: drop it`);
    }
    for (const c of target.functionOfTarget)
      leak(
        'critical',
        c,
        `${c} is constant within every class of ${target.name}: it encodes the target (likely leakage)`,
      );
    for (const c of target.determinesTarget)
      leak(
        'critical',
        c,
        `Each value of ${c} occurs in one class of ${target.name} only: it determines the target (likely leakage)`,
      );
    for (const { column, r } of target.correlations.filter((c) => Math.abs(c.r) >= LEAK_CORRELATION))
      leak(
        'critical',
        column,
        `${column} is almost perfectly correlated with the target (r = ${r.toFixed(3)}): likely leakage`,
      );
    for (const c of target.separates)
      leak(
        'warning',
        c,
        `The classes of ${target.name} do not overlap on ${c}: one threshold predicts the target perfectly; check it is known at prediction time`,
      );
    const summary = analysis.columns.find((c) => c.name === target.name);
    if (summary && summary.nulls > 0)
      add(
        'warning',
        'target_missing',
        [target.name],
        `${formatCount(summary.nulls)} rows (${pct(summary.nullShare)}) have no target: drop them before training`,
      );
    if (target.task === 'classification' && !target.classes && summary)
      add(
        'warning',
        'many_classes',
        [target.name],
        `${formatCount(summary.distinct)} classes: is ${target.name} really a label?`,
      );
    const classes = (target.classes ?? []).filter((c) => c.label !== '(missing)');
    const major = classes[0];
    const minor = classes.at(-1);
    if (major && minor && classes.length >= 2 && minor.count < IMBALANCE_RATIO * major.count) {
      const total = classes.reduce((sum, c) => sum + c.count, 0);
      add(
        'warning',
        'class_imbalance',
        [target.name],
        `Imbalanced classes: ${major.label} ${pct(major.count / total)} vs ${minor.label} ${pct(minor.count / total)}; use stratified splits, class weights and PR-AUC / F1`,
      );
    }
  }

  for (const s of analysis.columns) {
    if (analysis.rows > 0 && s.nonNull === 0)
      add('warning', 'empty_column', [s.name], `${s.name} is always NULL: drop it`);
    else if (s.nonNull > 0 && s.distinct === 1)
      add(
        'warning',
        'constant',
        [s.name],
        `${s.name} holds a single value (${formatNumber(s.min ?? s.values?.[0]?.value)}): drop it`,
      );
  }
  for (const [a, b] of analysis.duplicates.filter((pair) => !tName || !pair.includes(tName)))
    add('warning', 'duplicate_columns', [a, b], `${a} and ${b} hold identical values: keep one`);

  for (const s of analysis.columns) {
    if (s.name === tName || s.nonNull === 0) continue;
    const distinct = `${s.distinctExact ? '' : '≈'}${formatCount(s.distinct)}`;
    if (isIdentifier(s)) {
      const every = s.distinctExact ? 'Every value' : `Nearly every value (${distinct} distinct)`;
      add('warning', 'identifier', [s.name], `${every} of ${s.name} is unique: an identifier, not a feature`);
    } else if (s.kind === 'text' && !isFreeText(s) && s.distinct > ONE_HOT_MAX) {
      const severity = s.distinct > HIGH_CARDINALITY ? 'warning' : 'info';
      add(
        severity,
        'high_cardinality',
        [s.name],
        `${s.name} has ${distinct} distinct values: too many to one-hot encode`,
      );
    }
    if (s.nullShare >= MISSING_INFO) {
      add(
        s.nullShare >= MISSING_WARNING ? 'warning' : 'info',
        'missing_values',
        [s.name],
        `${s.name} is missing in ${pct(s.nullShare)} of rows`,
      );
    }
    if (s.skew !== undefined && Math.abs(s.skew) >= SKEW_INFO && s.distinct > 2) {
      add(
        Math.abs(s.skew) >= SKEW_WARNING ? 'warning' : 'info',
        'skew',
        [s.name],
        `${s.name} is ${s.skew > 0 ? 'right' : 'left'}-skewed (skewness ${s.skew.toFixed(1)})`,
      );
    }
    if (s.outliers !== undefined && s.nonNull > 0 && s.outliers / s.nonNull >= OUTLIER_INFO) {
      const share = s.outliers / s.nonNull;
      add(
        share >= OUTLIER_WARNING ? 'warning' : 'info',
        'outliers',
        [s.name],
        `${formatCount(s.outliers)} values of ${s.name} (${pct(share)}) lie outside the IQR fences`,
      );
    }
  }

  const { names, matrix } = analysis.correlation;
  const duplicate = (a: string, b: string) => analysis.duplicates.some((p) => p.includes(a) && p.includes(b));
  names.forEach((a, i) => {
    names.forEach((b, j) => {
      const r = matrix[i]?.[j];
      // Pairs with the target or a leaked column are covered by the leakage findings.
      const covered = [a, b].some((c) => c === tName || leaked.has(c));
      if (j <= i || r === undefined || covered || duplicate(a, b)) return;
      if (Math.abs(r) >= HIGH_CORRELATION)
        add(
          'info',
          'high_correlation',
          [a, b],
          `${a} and ${b} are strongly correlated (r = ${r.toFixed(2)}): keep one or regularise`,
        );
    });
  });
  return bySeverity(out);
}
