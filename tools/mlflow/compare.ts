/**
 * Comparing runs, with no I/O: which params differ, every metric side by side, the best run for
 * one metric, and a text bar chart. Shared by `mlflow_compare_runs` and `experiment compare`.
 */

export type Direction = 'max' | 'min';

export interface RunToCompare {
  run_id: string;
  run_name?: string | undefined;
  start_time?: number | undefined;
  params: Record<string, string>;
  metrics: Record<string, number>;
}

/** One row of the comparison table: `params.<name>` and `metrics.<name>` columns, as `mlflow.search_runs` names them. */
export type CompareRow = Record<string, string | number | boolean | null>;

export interface Comparison {
  metric: string;
  direction: Direction;
  /** Why this direction: the caller's choice, or the metric's name. */
  direction_reason: string;
  best?: { run_id: string; run_name?: string; value: number };
  /** Params whose value is not the same in every run (a missing param counts as a value). */
  differing_params: string[];
  /** Params equal in every run, with their value. */
  same_params: Record<string, string>;
  metric_names: string[];
  /** Best first for the metric; runs without it last, newest first among themselves. */
  rows: CompareRow[];
  /** Runs that have no value of the metric. */
  missing_metric: number;
}

/** Metric names where smaller is better: losses, errors, distances, perplexity, time. */
const LOWER_IS_BETTER =
  /(^|[^a-z])(loss|error|err|rmse|mse|mae|mape|smape|rmsle|msle|logloss|log_loss|cross_entropy|crossentropy|perplexity|wer|cer|fpr|fnr|brier|hinge|deviance|latency|duration|time)([^a-z]|$)|loss|error/i;

export function metricDirection(metric: string): Direction {
  return LOWER_IS_BETTER.test(metric) ? 'min' : 'max';
}

export class CompareError extends Error {
  override readonly name = 'CompareError';
  constructor(
    message: string,
    readonly available: string[],
  ) {
    super(message);
  }
}

/**
 * Chooses the metric (the caller's, or the first one every run has) and ranks the runs by it.
 * Throws CompareError when no run has the metric, with the metrics that do exist.
 */
export function compareRuns(
  runs: readonly RunToCompare[],
  options: { metric?: string | undefined; direction?: Direction | undefined } = {},
): Comparison {
  const metricNames = sortedUnion(runs.map((r) => Object.keys(r.metrics)));
  const metric =
    options.metric ?? metricNames.find((m) => runs.every((r) => m in r.metrics)) ?? metricNames[0];
  if (metric === undefined) throw new CompareError('None of the runs has logged a metric', []);
  if (!runs.some((r) => Number.isFinite(r.metrics[metric]))) {
    throw new CompareError(`No run has the metric "${metric}"`, metricNames);
  }
  const direction = options.direction ?? metricDirection(metric);
  const reason = options.direction
    ? 'as asked'
    : direction === 'min'
      ? `"${metric}" reads as a loss or error`
      : 'higher is better by default';

  const { differing, same } = splitParams(runs);
  const sign = direction === 'max' ? -1 : 1;
  const ranked = runs
    .map((run, index) => ({ run, index, value: run.metrics[metric] }))
    .sort((a, b) => {
      const av = Number.isFinite(a.value) ? (a.value as number) : undefined;
      const bv = Number.isFinite(b.value) ? (b.value as number) : undefined;
      if (av === undefined || bv === undefined)
        return av === bv ? a.index - b.index : av === undefined ? 1 : -1;
      return av === bv ? a.index - b.index : sign * (av - bv);
    });
  const top = ranked[0];
  const best =
    top && Number.isFinite(top.value)
      ? {
          run_id: top.run.run_id,
          ...(top.run.run_name ? { run_name: top.run.run_name } : {}),
          value: top.value as number,
        }
      : undefined;

  const rows = ranked.map(({ run }) => {
    const row: CompareRow = {
      run_id: run.run_id,
      run_name: run.run_name ?? null,
      best: run.run_id === best?.run_id,
    };
    for (const name of metricNames) row[`metrics.${name}`] = finiteOrNull(run.metrics[name]);
    for (const name of differing) row[`params.${name}`] = run.params[name] ?? null;
    return row;
  });
  return {
    metric,
    direction,
    direction_reason: reason,
    ...(best ? { best } : {}),
    differing_params: differing,
    same_params: same,
    metric_names: metricNames,
    rows,
    missing_metric: runs.filter((r) => !Number.isFinite(r.metrics[metric])).length,
  };
}

function splitParams(runs: readonly RunToCompare[]): { differing: string[]; same: Record<string, string> } {
  const differing: string[] = [];
  const same: Record<string, string> = {};
  for (const name of sortedUnion(runs.map((r) => Object.keys(r.params)))) {
    const first = runs[0]?.params[name];
    if (first !== undefined && runs.every((r) => r.params[name] === first)) same[name] = first;
    else differing.push(name);
  }
  return { differing, same };
}

function sortedUnion(lists: readonly string[][]): string[] {
  const all = new Set<string>();
  for (const list of lists) for (const item of list) all.add(item);
  return [...all].sort();
}

function finiteOrNull(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null;
}

export interface ChartBar {
  label: string;
  value: number;
  best: boolean;
}

/** The bars of a comparison's chart, in table order (best first), at most `limit`. */
export function chartBars(comparison: Comparison, limit: number): ChartBar[] {
  const key = `metrics.${comparison.metric}`;
  return comparison.rows
    .filter((row) => typeof row[key] === 'number')
    .slice(0, limit)
    .map((row) => ({
      label: typeof row.run_name === 'string' && row.run_name ? row.run_name : String(row.run_id).slice(0, 8),
      value: row[key] as number,
      best: row.best === true,
    }));
}

/**
 * Horizontal bars scaled between the smallest and largest value (metrics of similar runs differ in
 * the third decimal: bars from zero would all look the same), the best marked with `*`.
 */
export function textBarChart(bars: readonly ChartBar[], options: { width?: number } = {}): string {
  if (bars.length === 0) return '';
  const width = options.width ?? 30;
  const labels = bars.map((b) => cut(b.label, 24));
  const labelWidth = Math.max(...labels.map((l) => l.length));
  const values = bars.map((b) => b.value);
  const min = Math.min(...values);
  const max = Math.max(...values);
  // A floor of one cell so the lowest run still shows a bar.
  const length = (v: number) =>
    max === min ? width : 1 + Math.round(((v - min) / (max - min)) * (width - 1));
  return bars
    .map((bar, i) => {
      const mark = bar.best ? '*' : ' ';
      return `${mark} ${(labels[i] ?? '').padEnd(labelWidth)} ${'█'.repeat(length(bar.value)).padEnd(width)} ${formatMetric(bar.value)}`;
    })
    .join('\n');
}

export function formatMetric(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e6)
    ? value.toExponential(3)
    : String(Number(value.toPrecision(5)));
}

function cut(text: string, max: number): string {
  // Names come from outside: no control characters in a terminal line.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
