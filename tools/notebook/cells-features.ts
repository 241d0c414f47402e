/**
 * The feature-engineering notebook, and the feature cells the modeling, evaluation and debug
 * notebooks share: date parts from the real date columns, text counts and TF-IDF, one-hot
 * encodings of the real categories, scaling, all in one scikit-learn ColumnTransformer.
 */
import { MAX_CATEGORIES, names, type NotebookPlan } from './cells-common.js';
import { shellWord } from './cells-eda.js';
import { columnsWithRole } from './facts.js';
import { code, markdown, mdName, mdNames, snippet, type Cell } from './ipynb.js';

/** Names of a role without the target. */
function features(plan: NotebookPlan, role: Parameters<typeof names>[1]): string[] {
  return names(plan.facts, role).filter((n) => n !== plan.target?.name);
}

/** make_features() and make_preprocessor(), explained for this dataset. */
export function featureCells(plan: NotebookPlan, withModelInput = false): Cell[] {
  const dates = features(plan, 'date');
  const text = features(plan, 'text');
  const categorical = features(plan, 'categorical');
  const numeric = features(plan, 'numeric');
  const steps = [
    numeric.length ? `- ${mdNames(numeric)}: median-imputed, then standardised.` : '',
    categorical.length
      ? `- ${mdNames(categorical)}: one-hot encoded; past ${MAX_CATEGORIES - 1} levels the rare ones share an "infrequent" column, and levels unseen in training are ignored.`
      : '',
    text.length
      ? `- ${mdNames(text)}: TF-IDF of the 200 most useful words, plus character and word counts.`
      : '',
    dates.length
      ? `- ${mdNames(dates)}: year, month, day of week and day of year${columnsWithRole(plan.facts, 'date').some((c) => c.clock) ? ' (and hour for timestamps)' : ''} as numbers.`
      : '',
  ].filter(Boolean);
  return [
    markdown(
      '## Features',
      '',
      '`make_features` turns a data frame into model inputs and `make_preprocessor` builds the scikit-learn `ColumnTransformer` that encodes them. Keeping both as functions means training, evaluation and debugging read data the same way.',
      '',
      ...steps,
    ),
    code(snippet('features', 'make_features')),
    code(snippet('features', 'make_preprocessor')),
    ...(withModelInput ? [code(snippet('features', 'model_input'))] : []),
  ];
}

export function engineeringCells(plan: NotebookPlan): Cell[] {
  const cells = featureCells(plan);
  const dates = features(plan, 'date');
  const text = columnsWithRole(plan.facts, 'text').filter((c) => c.name !== plan.target?.name);
  const categorical = columnsWithRole(plan.facts, 'categorical').filter((c) => c.name !== plan.target?.name);
  const numeric = features(plan, 'numeric');
  if (dates.length) {
    cells.push(
      markdown(
        `## Date parts from ${mdNames(dates)}`,
        '',
        'A raw timestamp means little to a model; its parts carry the seasonality (month, day of year), the weekly cycle (day of week) and the trend (year). The first rows, before and after:',
      ),
      code(snippet('engineering', 'date_parts')),
    );
  }
  if (text.length) {
    cells.push(
      markdown(
        `## Text features from ${mdNames(text.map((c) => c.name))}`,
        '',
        `${text.map((c) => `${mdName(c.name)} averages ${(c.avgWords ?? 0).toFixed(1)} words over ${(c.distinct ?? 0).toLocaleString('en-US')} distinct values`).join('; ')}. One-hot encoding would make a column per value, so the pipeline uses TF-IDF weights of the 200 most frequent words (English stop words removed) and the lengths. Below: the vocabulary it keeps and the length statistics.`,
      ),
      code(snippet('engineering', 'text_features')),
    );
  }
  if (categorical.length) {
    const many = categorical.filter((c) => (c.distinct ?? 0) > MAX_CATEGORIES).map((c) => c.name);
    cells.push(
      markdown(
        '## Encoding the categorical columns',
        '',
        `${mdNames(categorical.map((c) => c.name))}: one-hot encoding gives each level its own 0/1 column, which suits linear models and trees alike.${many.length ? ` ${mdNames(many)} ${many.length > 1 ? 'have' : 'has'} more than ${MAX_CATEGORIES} levels, so only the ${MAX_CATEGORIES - 1} commonest get a column and the rest are pooled.` : ''} Missing values become their own level, "missing".`,
      ),
      code(snippet('engineering', 'categorical_encoding')),
    );
  }
  if (numeric.length) {
    cells.push(
      markdown(
        '## Scaling the numeric columns',
        '',
        `${mdNames(numeric)} are on different scales; standardising them (mean 0, standard deviation 1) matters for linear models and distances, not for trees. Heavily right-skewed columns that never go negative are flagged as candidates for \`np.log1p\`, with the skew it would leave.`,
      ),
      code(snippet('engineering', 'numeric_scaling')),
    );
  }
  cells.push(
    markdown(
      '## The whole pipeline',
      '',
      'Fitted on the data, the `ColumnTransformer` shows how many model features the columns become and what they are called.',
    ),
    code(snippet('engineering', 'pipeline')),
  );
  if (plan.target && plan.task) {
    cells.push(
      markdown(
        `A first look at which encoded features relate to ${mdName(plan.target.name)} on their own (${plan.task === 'classification' ? 'ANOVA F' : 'absolute correlation'}): a guide, not a verdict, since models combine features.`,
      ),
      code(
        snippet(
          'engineering',
          plan.task === 'classification' ? 'feature_scores_classification' : 'feature_scores_regression',
        ),
      ),
    );
  }
  const dataset = shellWord(plan.facts.dataset.display);
  cells.push(
    markdown(
      '## Next step',
      '',
      `\`datastack generate notebook --analysis modeling --dataset ${dataset} --target ${plan.target ? shellWord(plan.target.name) : 'COLUMN'}\` cross-validates baseline models on these features.`,
    ),
  );
  return cells;
}
