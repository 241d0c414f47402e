/**
 * The cells every notebook starts with: a title that says what the notebook is for and how it was
 * made, the settings cell holding the dataset's real columns by role, loading, and the column table.
 */
import { basename } from 'node:path';
import { columnsWithRole, type ColumnFacts, type DatasetFacts, type Task } from './facts.js';
import {
  code,
  markdown,
  mdName,
  mdNames,
  pyList,
  pyOptional,
  pyString,
  pyValue,
  snippet,
  type Cell,
} from './ipynb.js';
import type { ModelSpec } from './model-spec.js';

export const ANALYSES = ['eda', 'feature-engineering', 'modeling', 'evaluation', 'debug'] as const;
export type Analysis = (typeof ANALYSES)[number];

export interface NotebookPlan {
  analysis: Analysis;
  facts: DatasetFacts;
  target?: ColumnFacts;
  task?: Task;
  model?: ModelSpec;
  /** The dataset as the notebook reads it: relative to the notebook's folder (POSIX). */
  dataPath: string;
  /** Model file paths relative to the notebook (save for modeling, load for a model file). */
  modelOut?: string;
  modelPath?: string;
  /** Where the modeling notebook saves its model, relative to the workspace (for next-step commands). */
  modelOutDisplay?: string;
  /** The command that writes this notebook again. */
  command: string;
}

/** Rows from which plots draw a sample, and the sample and fitting sizes. */
export const SAMPLE_ABOVE = 1_000_000;
export const PLOT_ROWS = 200_000;
export const FIT_ROWS = 100_000;
export const MAX_CATEGORIES = 20;

const TITLES: Record<Analysis, (file: string, target: string) => string> = {
  eda: (file) => `Exploratory analysis of ${file}`,
  'feature-engineering': (file) => `Feature engineering for ${file}`,
  modeling: (file, target) => `Baseline models for ${target} in ${file}`,
  evaluation: (file, target) => `Evaluating a model of ${target} on ${file}`,
  debug: (file, target) => `Debugging a model of ${target} on ${file}`,
};

const count = (n: number) => n.toLocaleString('en-US');

export function names(facts: DatasetFacts, role: Parameters<typeof columnsWithRole>[1]): string[] {
  return columnsWithRole(facts, role).map((c) => c.name);
}

export function introCells(plan: NotebookPlan): Cell[] {
  const { facts, target, task } = plan;
  const file = basename(facts.dataset.display);
  const title = TITLES[plan.analysis](file, target?.name ?? '');
  const goal = target
    ? `The target is ${mdName(target.name)}, a **${task}** task (decided from its data: ${target.type}, ${count(target.distinct ?? 0)} distinct values).`
    : 'No target was given: the notebook describes the data as a whole.';
  return [
    markdown(
      `# ${title.replace(/[\r\n]+/g, ' ')}`,
      '',
      `Written by DataStack for \`${facts.dataset.display}\` (${facts.dataset.format}, ${count(facts.rows)} rows, ${facts.columns.length} columns) after profiling it with DuckDB, so every cell names this dataset's real columns. ${goal}`,
      '',
      `Regenerate it with \`${plan.command}\`; run it headless with \`datastack notebook execute\`, or cell by cell in Jupyter.`,
    ),
    markdown(
      '## Settings',
      '',
      'What DataStack learnt about the columns, by role. The cells below read only these names: to treat a column differently, move it to another list here and rerun. `TIME` orders validation in time; set it to `None` if the rows are not a time series.',
    ),
    code(settingsCode(plan), ['parameters']),
    code(snippet('common', 'imports')),
  ];
}

function settingsCode(plan: NotebookPlan): string {
  const { facts, target, task } = plan;
  const lines = [
    `# Read from ${facts.dataset.display} by DataStack (DuckDB profile of ${count(facts.rows)} rows).`,
    `DATA_PATH = ${pyString(plan.dataPath)}  # relative to this notebook's folder`,
    `DATA_FORMAT = ${pyString(facts.dataset.format)}`,
    `READ_OPTIONS = ${pyValue(facts.readOptions)}`,
    `TARGET = ${pyOptional(target?.name)}`,
    `TASK = ${pyOptional(task)}`,
    `NUMERIC = ${pyList(names(facts, 'numeric'))}`,
    `CATEGORICAL = ${pyList(names(facts, 'categorical'))}`,
    `TEXT = ${pyList(names(facts, 'text'))}  # free text: length counts and TF-IDF, never one-hot`,
    `DATES = ${pyList(names(facts, 'date'))}`,
    `DATE_FORMATS = ${pyValue(Object.fromEntries(columnsWithRole(facts, 'date').flatMap((c) => (c.dateFormat ? [[c.name, c.dateFormat]] : []))))}  # dates written as text`,
    `TIMESTAMPS = ${pyList(
      columnsWithRole(facts, 'date')
        .filter((c) => c.clock)
        .map((c) => c.name),
    )}`,
    `TIME = ${pyOptional(facts.time)}  # the time index (None if the rows are not a time series)`,
    `DROPPED = ${pyList(names(facts, 'dropped'))}  # left out of the analysis`,
    `MAX_CATEGORIES = ${MAX_CATEGORIES}  # one-hot columns per categorical column; rarer levels are pooled`,
    `SAMPLE_ABOVE = ${SAMPLE_ABOVE}  # rows; larger data is sampled for plots`,
    `PLOT_ROWS = ${PLOT_ROWS}`,
    `FIT_ROWS = ${FIT_ROWS}  # models are fitted on at most this many rows`,
    'TREES = 100  # trees per random forest',
    'TREE_ROWS = 20_000  # rows each tree learns from, at most (bootstrap sample)',
    'SEED = 0',
    'N_JOBS = -1',
  ];
  if (plan.modelOut) lines.push(`MODEL_OUT = ${pyString(plan.modelOut)}  # where the best model is saved`);
  if (plan.modelPath) lines.push(`MODEL_PATH = ${pyString(plan.modelPath)}  # the model under test`);
  if (plan.model?.kind === 'described') {
    lines.push(
      `MODEL_DESCRIPTION = ${pyString(plan.model.description)}`,
      `ESTIMATOR_MODULE = ${pyString(plan.model.module)}`,
      `ESTIMATOR = ${pyString(plan.model.estimator)}`,
      `PARAMS = ${pyValue(plan.model.params)}`,
    );
  }
  return lines.join('\n');
}

export function loadCells(plan: NotebookPlan): Cell[] {
  const { facts } = plan;
  const dates = names(facts, 'date');
  const big =
    facts.rows >= SAMPLE_ABOVE
      ? ` With ${count(facts.rows)} rows, plots draw a random sample of ${count(PLOT_ROWS)} rows (\`plot_df\`); counts and statistics use every row.`
      : '';
  return [
    markdown(
      '## Load the data',
      '',
      `pandas reads \`${plan.dataPath}\` with the options DuckDB found. Numeric columns are coerced to numbers${dates.length ? ` and ${mdNames(dates)} parsed as dates` : ''}, so the types match the profile.${big}`,
    ),
    code(snippet('common', 'load')),
    markdown(
      '## Columns and their roles',
      '',
      ...roleLines(facts),
      '',
      'The table shows the type pandas gave each column, its missing values and its distinct values.',
    ),
    code(snippet('common', 'types')),
  ];
}

function roleLines(facts: DatasetFacts): string[] {
  const line = (label: string, role: Parameters<typeof columnsWithRole>[1], why: string) => {
    const list = names(facts, role);
    return list.length ? [`- **${label}** (${list.length}): ${mdNames(list, 12)}. ${why}`] : [];
  };
  const dropped = columnsWithRole(facts, 'dropped').map((c) => `${mdName(c.name)} (${c.note ?? 'left out'})`);
  return [
    ...line('Numeric', 'numeric', 'Distributions, correlations; imputed and scaled for models.'),
    ...line('Categorical', 'categorical', 'Counts per level; one-hot encoded for models.'),
    ...line(
      'Free text',
      'text',
      'Long strings: length statistics and frequent tokens, TF-IDF for models, never one-hot.',
    ),
    ...line(
      'Dates',
      'date',
      facts.time ? `${mdName(facts.time)} is the time index.` : 'Split into parts for models.',
    ),
    ...(dropped.length
      ? [
          `- **Left out** (${dropped.length}): ${dropped.slice(0, 12).join(', ')}${dropped.length > 12 ? ', …' : ''}.`,
        ]
      : []),
  ];
}

/** Rows that have a target, time-ordered when there is a time index, sampled when large. */
export function targetRowsCells(plan: NotebookPlan): Cell[] {
  const target = plan.target;
  if (!target) return [];
  const missing = target.null_count;
  return [
    markdown(
      `## Rows with a known ${mdName(target.name)}`,
      '',
      `${missing ? `${count(missing)} rows (${target.null_pct}%) have no ${mdName(target.name)}; they cannot be learnt from or scored, so they are left out.` : `Every row has a ${mdName(target.name)}.`}${plan.facts.time ? ` Rows are kept in ${mdName(plan.facts.time)} order, so validation can respect time.` : ''}${plan.facts.rows > FIT_ROWS ? ` Models see a random sample of ${count(FIT_ROWS)} rows (\`FIT_ROWS\`).` : ''}`,
    ),
    code(snippet('common', 'target_rows')),
  ];
}
