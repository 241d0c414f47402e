/**
 * Fitting a template to the user's dataset: its columns, types and target cardinality come from
 * query_profile (DuckDB), then the target is checked against the template's task and the config
 * values (features, text column, time column, image shape) are chosen from the columns.
 */
import { basename } from 'node:path';
import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import { resolveDataset, type Dataset } from '../query/dataset.js';
import { sqlIdent, withConnection } from '../query/duckdb-client.js';
import { queryProfile } from '../query/profile-dataset.js';
import { columnKind, type ColumnKind } from '../query/profile-sql.js';
import { PINS, type TemplateSpec } from './templates.js';

/** The part of query_profile's output this needs. */
const Profile = z.object({
  row_count: z.number(),
  columns: z.array(
    z.object({ name: z.string(), type: z.string(), distinct: z.number().optional(), null_count: z.number() }),
  ),
});
type ProfiledColumn = z.infer<typeof Profile>['columns'][number] & { kind: ColumnKind };

/** A numeric target with more distinct values than this is continuous, not classes. */
const MAX_CLASSES = 20;

export interface DatasetFit {
  /** Where the copy goes, relative to the project. */
  rawPath: string;
  vars: Record<string, unknown>;
  task: string;
  rows: number;
  features: string[];
  dropped: Array<{ column: string; reason: string }>;
  warnings: string[];
  extraDependencies: string[];
}

export async function fitDataset(
  ctx: ToolContext,
  template: TemplateSpec,
  datasetPath: string,
  target: string | undefined,
): Promise<DatasetFit & { absolute: string }> {
  const dataset = resolveDataset(ctx, datasetPath);
  const profile = await readProfile(ctx, datasetPath, dataset.display, dataset.format);
  const columns: ProfiledColumn[] = profile.columns.map((c) => ({ ...c, kind: columnKind(c.type) }));
  const names = columns.map((c) => c.name);
  const listing = `Columns: ${names.slice(0, 40).join(', ')}${names.length > 40 ? ', …' : ''}`;
  if (profile.row_count === 0) {
    throw new ToolError('invalid_input', `${dataset.display} has no rows`, {
      hint: 'Give a dataset with data in it',
    });
  }
  if (!target) {
    throw new ToolError(
      'invalid_input',
      `--target is required with --dataset: which column should ${template.name} predict?`,
      {
        hint: listing,
      },
    );
  }
  const targetColumn = columns.find((c) => c.name === target);
  if (!targetColumn) {
    throw new ToolError('invalid_input', `No column "${target}" in ${dataset.display}`, { hint: listing });
  }
  const rawPath = `data/raw/${basename(dataset.absolute)}`;
  const fit: DatasetFit = {
    rawPath,
    vars: { source: rawPath, target },
    task: '',
    rows: profile.row_count,
    features: [],
    dropped: [],
    warnings: [],
    extraDependencies: dataset.format === 'parquet' ? [PINS.pyarrow] : [],
  };
  const others = columns.filter((c) => c.name !== target);
  const continuous = isContinuous(targetColumn);
  switch (template.task) {
    case 'classification':
      requireClasses(targetColumn, continuous, template.name, profile.row_count);
      tabularFeatures(fit, others, profile.row_count);
      fit.task = 'classification';
      break;
    case 'regression':
      requireNumeric(targetColumn, template.name);
      if ((targetColumn.distinct ?? 0) <= 2) {
        throw new ToolError(
          'invalid_input',
          `Target "${target}" has only ${targetColumn.distinct} distinct values: that is a classification task`,
          {
            hint: `Use --template ml-classification for "${target}", or pick a continuous target`,
          },
        );
      }
      if ((targetColumn.distinct ?? 0) <= 10)
        fit.warnings.push(
          `Target "${target}" has only ${targetColumn.distinct} distinct values: classification may fit better`,
        );
      tabularFeatures(fit, others, profile.row_count);
      fit.task = 'regression';
      break;
    case 'tabular-any':
      fit.task = continuous ? 'regression' : 'classification';
      if (!continuous) requireClasses(targetColumn, false, template.name, profile.row_count);
      tabularFeatures(fit, others, profile.row_count);
      fit.vars.task = fit.task;
      break;
    case 'forecast':
      forecastFit(fit, targetColumn, others, template.name, listing);
      break;
    case 'text':
      requireClasses(targetColumn, continuous, template.name, profile.row_count);
      await textFit(ctx, dataset, fit, others, listing);
      break;
    case 'image':
      requireClasses(targetColumn, continuous, template.name, profile.row_count);
      imageFit(fit, others);
      break;
  }
  return { ...fit, absolute: dataset.absolute };
}

async function readProfile(ctx: ToolContext, path: string, display: string, format: string) {
  try {
    return Profile.parse(await queryProfile.run({ dataset: path, top_n: 0 }, ctx));
  } catch (error) {
    if (error instanceof ToolError && error.code === 'query_error') {
      throw new ToolError(
        'invalid_input',
        `${display} could not be read as ${format.toUpperCase()}: ${error.message.split('\n')[0]}`,
        {
          cause: error,
          hint: 'Check the file is well-formed (`datastack query describe FILE` shows what DuckDB reads), or convert it to CSV or Parquet',
        },
      );
    }
    throw error;
  }
}

function isContinuous(column: ProfiledColumn): boolean {
  if (column.kind !== 'numeric') return false;
  const distinct = column.distinct ?? 0;
  const fractional = /^(FLOAT|DOUBLE|DECIMAL|REAL)/i.test(column.type);
  return distinct > MAX_CLASSES || (fractional && distinct > 10);
}

function requireClasses(column: ProfiledColumn, continuous: boolean, template: string, rows: number): void {
  if (continuous) {
    throw new ToolError(
      'invalid_input',
      `Target "${column.name}" is a continuous number (${column.type}, ${column.distinct} distinct values in ${rows} rows): ${template} predicts classes`,
      { hint: `Use --template ml-regression (or dl) for "${column.name}", or pick a categorical target` },
    );
  }
  if ((column.distinct ?? 0) < 2) {
    throw new ToolError(
      'invalid_input',
      `Target "${column.name}" has ${column.distinct ?? 0} distinct value(s): nothing to classify`,
      {
        hint: 'Pick a column with at least two classes',
      },
    );
  }
}

function requireNumeric(column: ProfiledColumn, template: string): void {
  if (column.kind !== 'numeric') {
    throw new ToolError(
      'invalid_input',
      `Target "${column.name}" is ${column.type}, not a number: ${template} predicts numbers`,
      {
        hint: `Use --template ml-classification for "${column.name}", or pick a numeric target`,
      },
    );
  }
}

/** Numbers are numeric features, low-cardinality text and booleans categorical; the rest is set aside. */
function tabularFeatures(fit: DatasetFit, columns: ProfiledColumn[], rows: number): void {
  const numeric: string[] = [];
  const categorical: string[] = [];
  const maxCategories = Math.max(50, Math.floor(rows / 20));
  for (const column of columns) {
    const distinct = column.distinct ?? 0;
    if (column.kind === 'numeric') {
      if (distinct === rows && /^(id|.*_id|index|row)$/i.test(column.name))
        fit.dropped.push({ column: column.name, reason: 'a row identifier' });
      else numeric.push(column.name);
    } else if ((column.kind === 'text' || column.kind === 'boolean') && distinct <= maxCategories) {
      categorical.push(column.name);
    } else if (column.kind === 'text') {
      fit.dropped.push({
        column: column.name,
        reason: `${distinct} distinct values: an identifier or free text`,
      });
    } else if (column.kind === 'temporal') {
      fit.dropped.push({
        column: column.name,
        reason: 'a date/time: derive features from it (year, month…) in data.py',
      });
    } else {
      fit.dropped.push({ column: column.name, reason: `type ${column.type} is not used` });
    }
  }
  if (numeric.length + categorical.length === 0) {
    throw new ToolError(
      'invalid_input',
      'No usable feature columns: every column besides the target was set aside',
      {
        hint: fit.dropped.map((d) => `${d.column}: ${d.reason}`).join('; '),
      },
    );
  }
  fit.vars.numeric_features = numeric;
  fit.vars.categorical_features = categorical;
  fit.features = [...numeric, ...categorical];
}

function forecastFit(
  fit: DatasetFit,
  target: ProfiledColumn,
  others: ProfiledColumn[],
  template: string,
  listing: string,
): void {
  requireNumeric(target, template);
  const time = others.find((c) => c.kind === 'temporal');
  if (!time) {
    throw new ToolError('invalid_input', 'No date or time column to index the series by', {
      hint: `${listing}. Store dates as ISO text (2024-01-31) so they are read as dates`,
    });
  }
  const points = time.distinct ?? fit.rows;
  const horizon = Math.max(1, Math.min(24, Math.floor(points / 5)));
  const lags = Math.max(1, Math.min(12, Math.floor((points - 2 * horizon) / 2)));
  if (points < 10) {
    throw new ToolError('invalid_input', `Only ${points} distinct times: too short a series to forecast`, {
      hint: 'Give at least a few dozen points',
    });
  }
  Object.assign(fit.vars, { time_column: time.name, lags, horizon });
  fit.features = [time.name];
  fit.task = 'forecast';
}

/** The text is the text column with the longest values on average (names and ids are short). */
async function textFit(
  ctx: ToolContext,
  dataset: Dataset,
  fit: DatasetFit,
  others: ProfiledColumn[],
  listing: string,
): Promise<void> {
  const texts = others.filter((c) => c.kind === 'text');
  if (texts.length === 0)
    throw new ToolError('invalid_input', 'No text column to classify', { hint: listing });
  const lengths = await withConnection(ctx, async (connection) => {
    const parts = texts.map((c, i) => `avg(length(${sqlIdent(c.name)}::VARCHAR)) AS l_${i}`);
    const reader = await connection.runAndReadAll(`SELECT ${parts.join(', ')} FROM ${dataset.scan}`);
    const row = reader.getRows()[0] ?? [];
    return texts.map((_, i) => Number(row[i] ?? 0));
  });
  const best = lengths.indexOf(Math.max(...lengths));
  const text = texts[best] ?? texts[0];
  if (!text) return;
  fit.vars.text_column = text.name;
  fit.features = [text.name];
  if (texts.length > 1) {
    fit.warnings.push(`Using "${text.name}" as the text (longest values); set data.text_column to change it`);
  }
  fit.task = 'text-classification';
}

function imageFit(fit: DatasetFit, others: ProfiledColumn[]): void {
  const pixels = others.filter((c) => c.kind === 'numeric');
  for (const c of others.filter((c) => c.kind !== 'numeric'))
    fit.dropped.push({ column: c.name, reason: 'not a pixel (not numeric)' });
  if (pixels.length < 4) {
    throw new ToolError(
      'invalid_input',
      `Only ${pixels.length} numeric columns: the cv template expects one column per pixel`,
      {
        hint: 'Give a table of pixel columns (row-major) and a label column, like scikit-learn digits or MNIST as CSV',
      },
    );
  }
  const side = Math.round(Math.sqrt(pixels.length));
  fit.vars.image_shape = side * side === pixels.length ? [side, side] : [1, pixels.length];
  fit.vars.pixel_columns = pixels.map((c) => c.name);
  fit.features = pixels.map((c) => c.name);
  fit.task = 'image-classification';
}
