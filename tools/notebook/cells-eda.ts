/**
 * The exploratory notebook: missingness, distributions, counts, text, correlations, the target
 * against the features and the time index. Each step opens with markdown that names this
 * dataset's columns and what the profile already says about them.
 */
import { formatNumber } from '../query/format.js';
import { names, type NotebookPlan } from './cells-common.js';
import { columnsWithRole, type ColumnFacts } from './facts.js';
import { code, markdown, mdName, mdNames, snippet, type Cell } from './ipynb.js';

const count = (n: number) => n.toLocaleString('en-US');
/** DuckDB's quantiles are approximate: four significant digits say enough. */
const approx = (value: number | undefined) =>
  value === undefined ? '?' : formatNumber(Number(value.toPrecision(4)));

export function edaCells(plan: NotebookPlan): Cell[] {
  return [
    ...missingnessCells(plan),
    ...numericCells(plan),
    ...categoricalCells(plan),
    ...textCells(plan),
    ...correlationCells(plan),
    ...targetCells(plan),
    ...timeCells(plan),
    ...nextStepCells(plan),
  ];
}

function missingnessCells({ facts }: NotebookPlan): Cell[] {
  const gaps = facts.columns.filter((c) => c.null_count > 0).sort((a, b) => b.null_pct - a.null_pct);
  const said = gaps
    .slice(0, 6)
    .map((c) => `${mdName(c.name)} misses ${count(c.null_count)} values (${c.null_pct}%)`)
    .join('; ');
  return [
    markdown(
      '## Missing values',
      '',
      gaps.length
        ? `${gaps.length} of ${facts.columns.length} columns have gaps: ${said}${gaps.length > 6 ? '; …' : ''}.`
        : 'DuckDB found no missing value in any column; the cell below confirms it.',
      '',
      'Why first: missing values decide how each column is imputed, and gaps that line up across columns (the black cells on the right) usually share a cause.',
    ),
    code(snippet('eda', 'missingness')),
  ];
}

function numericCells({ facts }: NotebookPlan): Cell[] {
  const numeric = columnsWithRole(facts, 'numeric');
  if (!numeric.length) return [];
  const skewed = numeric.filter(isRightSkewed).map((c) => c.name);
  const ranges = numeric
    .slice(0, 4)
    .map(
      (c) =>
        `${mdName(c.name)} runs from ${formatNumber(c.min)} to ${formatNumber(c.max)} (median about ${approx(c.quantiles?.p50)})`,
    )
    .join(', ');
  return [
    markdown(
      '## Distributions of the numeric columns',
      '',
      `Histograms of ${mdNames(
        numeric.map((c) => c.name),
        10,
      )}${numeric.length > 24 ? ' (the first 24)' : ''}. ${ranges}.`,
      skewed.length
        ? `The profile's mean sits well above the median for ${mdNames(skewed)}: long right tails, candidates for a log transform.`
        : 'No column looks strongly skewed from its profile; the histograms show modes, gaps and outliers the summary hides.',
    ),
    code(snippet('eda', 'numeric')),
  ];
}

function isRightSkewed(column: ColumnFacts): boolean {
  const median = column.quantiles?.p50;
  const { mean, std } = column;
  return mean !== undefined && median !== undefined && !!std && (mean - median) / std > 1 / 3;
}

function categoricalCells({ facts }: NotebookPlan): Cell[] {
  const categorical = columnsWithRole(facts, 'categorical');
  if (!categorical.length) return [];
  const tops = categorical.slice(0, 4).map((c) => {
    const top = (c.top_values ?? []).slice(0, 3).map((t) => `${mdName(String(t.value))} (${count(t.count)})`);
    return `${mdName(c.name)}: ${count(c.distinct ?? 0)} levels${top.length ? `, commonest ${top.join(', ')}` : ''}`;
  });
  const many = categorical.filter((c) => (c.distinct ?? 0) > 20).map((c) => c.name);
  return [
    markdown(
      '## Counts of the categorical columns',
      '',
      `The 20 commonest levels of ${mdNames(
        categorical.map((c) => c.name),
        12,
      )}, missing values included.`,
      '',
      ...tops.map((t) => `- ${t}`),
      '',
      many.length
        ? `${mdNames(many)} ${many.length > 1 ? 'have' : 'has'} more than 20 levels: models pool the rare ones rather than make a column per level.`
        : 'Rare levels matter: a level seen a handful of times cannot be learnt and may be worth pooling.',
    ),
    code(snippet('eda', 'categorical')),
  ];
}

function textCells({ facts }: NotebookPlan): Cell[] {
  const text = columnsWithRole(facts, 'text');
  if (!text.length) return [];
  const described = text
    .map(
      (c) =>
        `${mdName(c.name)} (${count(c.distinct ?? 0)} distinct values, ${(c.avgWords ?? 0).toFixed(1)} words on average)`,
    )
    .join(', ');
  return [
    markdown(
      '## Free-text columns',
      '',
      `${described}: almost every value is different, so counting levels or one-hot encoding them would make a column per row. Instead: how long the values are, and which words recur.`,
    ),
    code(snippet('eda', 'text')),
  ];
}

function correlationCells({ facts }: NotebookPlan): Cell[] {
  const numeric = names(facts, 'numeric');
  if (numeric.length < 2) return [];
  return [
    markdown(
      '## Correlations',
      '',
      `Pearson correlation between ${mdNames(numeric, 10)}. Pairs near ±1 carry the same information twice: one of them can go, and a linear model's coefficients for both become unstable. The table lists the strongest pairs.`,
    ),
    code(snippet('eda', 'correlations')),
  ];
}

function targetCells(plan: NotebookPlan): Cell[] {
  const { target, task, facts } = plan;
  if (!target || !task) return [];
  const numeric = names(facts, 'numeric').filter((n) => n !== target.name);
  const categorical = names(facts, 'categorical').filter((n) => n !== target.name);
  if (task === 'classification') {
    const nonNull = facts.rows - target.null_count;
    const classes = (target.top_values ?? []).map(
      (t) =>
        `${mdName(String(t.value))} ${count(t.count)} (${((100 * t.count) / Math.max(1, nonNull)).toFixed(1)}%)`,
    );
    const smallest = target.top_values?.at(-1);
    const imbalanced =
      smallest &&
      (target.top_values?.length ?? 0) === (target.distinct ?? 0) &&
      smallest.count / nonNull < 0.1;
    return [
      markdown(
        `## The target: ${mdName(target.name)} against the features`,
        '',
        `Class balance first: ${classes.join(', ')}${(target.distinct ?? 0) > classes.length ? ', …' : ''}.${imbalanced ? ` ${mdName(String(smallest.value))} is under 10% of rows: accuracy alone would flatter a model that ignores it, so the modeling notebook reports balanced accuracy and macro F1.` : ''}`,
        '',
        `Then the distributions of ${numeric.length ? mdNames(numeric.slice(0, 6)) : 'the numeric features'} per class (features whose boxes barely overlap separate the classes)${categorical.length ? `, and the share of each class within the levels of ${mdNames(categorical.slice(0, 4))}` : ''}.`,
      ),
      code(snippet('eda', 'target_classification')),
    ];
  }
  return [
    markdown(
      `## The target: ${mdName(target.name)} against the features`,
      '',
      `${mdName(target.name)} runs from ${formatNumber(target.min)} to ${formatNumber(target.max)}, mean ${approx(target.mean)}, median about ${approx(target.quantiles?.p50)}. Its histogram shows whether a transform would help; the bars rank ${numeric.length ? mdNames(numeric, 6) : 'the numeric features'} by correlation with it, and the scatter plots show the six strongest (a curve or a fan there is something a linear model misses)${categorical.length ? `; the tables give its mean per level of ${mdNames(categorical.slice(0, 4))}` : ''}.`,
    ),
    code(snippet('eda', 'target_regression')),
  ];
}

function timeCells(plan: NotebookPlan): Cell[] {
  const { facts, target, task } = plan;
  const time = facts.columns.find((c) => c.name === facts.time);
  if (!time) return [];
  const numeric = names(facts, 'numeric').filter((n) => n !== target?.name);
  const cells = [
    markdown(
      `## Over time: ${mdName(time.name)}`,
      '',
      `${mdName(time.name)} runs from ${String(time.min)} to ${String(time.max)}. Rows per period show gaps and changes in collection; ${numeric.length ? `the means of ${mdNames(numeric.slice(0, 6))}` : 'the numeric columns'} show trend and seasonality. The period (hour, day, week, month or year) is chosen from the span.`,
    ),
    code(snippet('eda', 'time')),
  ];
  if (target && task) {
    cells.push(
      markdown(
        `How ${mdName(target.name)} moves over time: a drifting target means a model should be validated on later data than it was trained on.`,
      ),
      code(
        snippet('eda', task === 'classification' ? 'time_target_classification' : 'time_target_regression'),
      ),
    );
  }
  return cells;
}

function nextStepCells(plan: NotebookPlan): Cell[] {
  const dataset = plan.facts.dataset.display;
  const target = plan.target ? ` --target ${shellWord(plan.target.name)}` : ' --target COLUMN';
  return [
    markdown(
      '## Next steps',
      '',
      `- \`datastack generate notebook --analysis feature-engineering --dataset ${shellWord(dataset)}${target}\`: encodings, scaling and the preprocessing pipeline.`,
      `- \`datastack generate notebook --analysis modeling --dataset ${shellWord(dataset)}${target}\`: cross-validated baselines.`,
    ),
  ];
}

/** A word safe to paste in a POSIX shell. */
export function shellWord(value: string): string {
  return /^[\w./@%+=:,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
