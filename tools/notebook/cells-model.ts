/**
 * The modeling notebook (cross-validated baselines fit for the task, the best one saved) and the
 * evaluation notebook (a hold-out test set, metrics, confusion matrix or residuals, and
 * permutation importance of the real columns).
 */
import { targetRowsCells, type NotebookPlan } from './cells-common.js';
import { shellWord } from './cells-eda.js';
import { featureCells } from './cells-features.js';
import { code, markdown, mdName, snippet, type Cell } from './ipynb.js';

export function modelingCells(plan: NotebookPlan): Cell[] {
  const { target, task, facts } = plan;
  if (!target || !task) return [];
  const classification = task === 'classification';
  const validation = facts.time
    ? `Rows are ordered by ${mdName(facts.time)}, so the folds are \`TimeSeriesSplit\` (five, three above 50,000 rows): each model is trained on the past and scored on what follows, as it will be used. Shuffled folds would let it peek at the future.`
    : classification
      ? 'Stratified folds (five, three above 50,000 rows, fewer when a class is rarer than that): each class keeps its share in every fold.'
      : 'Shuffled folds (five, three above 50,000 rows): every row is scored once by a model that did not see it.';
  return [
    ...targetRowsCells(plan),
    ...featureCells(plan),
    markdown(
      '## Inputs and target',
      '',
      `\`X\` holds the features, \`y\` ${mdName(target.name)}${classification ? ' as class labels' : ' as numbers'}.`,
    ),
    code(snippet('model', 'xy')),
    markdown(
      '## Baseline models',
      '',
      classification
        ? 'Three baselines, each more flexible than the last: the majority class (the score to beat), logistic regression (linear) and a random forest (non-linear, interactions for free; each tree learns from at most `TREE_ROWS` rows). Metrics: macro F1 (primary: every class counts the same, whatever its size), balanced accuracy and accuracy.'
        : 'Three baselines, each more flexible than the last: the mean (the score to beat), ridge regression (linear) and a random forest (non-linear, interactions for free; each tree learns from at most `TREE_ROWS` rows). Metrics: R² (primary), RMSE and MAE in the units of the target.',
      '',
      validation,
    ),
    code(snippet('model', classification ? 'candidates_classification' : 'candidates_regression')),
    markdown(
      '## Cross-validation',
      '',
      'Each candidate runs inside one pipeline with the preprocessing, so the imputation and encodings are learnt from the training folds only. The error bars are the spread over folds: differences smaller than that are noise.',
    ),
    code(snippet('model', 'cross_validate')),
    markdown(
      '## Save the best model',
      '',
      `The best candidate by the primary metric is refitted on every row and saved with joblib to \`${plan.modelOut ?? ''}\` (relative to this notebook), preprocessing included: it takes raw rows of this dataset.`,
    ),
    code(snippet('model', 'save_model')),
    nextSteps(plan, plan.modelOutDisplay),
  ];
}

export function evaluationCells(plan: NotebookPlan): Cell[] {
  const { target, task, facts, model } = plan;
  if (!target || !task) return [];
  const classification = task === 'classification';
  const fromFile = model?.kind === 'file';
  return [
    ...targetRowsCells(plan),
    ...featureCells(plan, fromFile),
    markdown(
      '## Hold-out split',
      '',
      facts.time
        ? `The newest 20% of rows by ${mdName(facts.time)} are the test set: a model is judged on a future it has not seen.`
        : `A random 20% of rows are held out as the test set${classification ? ', stratified by class' : ''}; the model never sees them while it learns.`,
    ),
    code(snippet('model', 'holdout')),
    fromFile
      ? markdown(
          '## The model',
          '',
          `\`${model.display}\`, loaded with joblib (only load files you trust: unpickling runs code). If it was trained on rows of this test set, the scores below are optimistic.`,
        )
      : markdown(
          '## The model',
          '',
          `No model file was given, so a random forest ${classification ? 'classifier' : 'regressor'} is fitted on the training rows: a strong default to measure against. Pass \`--model path/to/model.joblib\` to evaluate your own.`,
        ),
    code(
      snippet(
        'model',
        fromFile ? 'load_model' : classification ? 'fit_baseline_classification' : 'fit_baseline_regression',
      ),
    ),
    markdown(
      '## Test-set metrics',
      '',
      classification
        ? 'Accuracy, balanced accuracy and macro F1 on the test set (ROC AUC when there are two classes), the per-class report, and the confusion matrix: rows are the true class, so off-diagonal cells show which classes get confused with which.'
        : `R², RMSE and MAE on the test set, against predicting the training mean. Predicted against true ${mdName(target.name)}: points off the diagonal are errors; residuals against predictions: a funnel or a curve means the errors depend on the level, something the model has not captured.`,
    ),
    code(snippet('model', classification ? 'metrics_classification' : 'metrics_regression')),
    markdown(
      '## Which columns matter',
      '',
      'Permutation importance: how much the test score drops when one input column is shuffled. It is measured on held-out rows and on the columns as they enter the pipeline, so it names real columns (and date parts, text lengths) rather than encoded ones.',
    ),
    code(snippet('model', 'importance')),
    nextSteps(plan, fromFile ? model.display : undefined),
  ];
}

function nextSteps(plan: NotebookPlan, modelFile: string | undefined): Cell {
  const base = `--dataset ${shellWord(plan.facts.dataset.display)} --target ${shellWord(plan.target?.name ?? 'COLUMN')}`;
  const model = modelFile ? ` --model ${shellWord(modelFile)}` : '';
  return markdown(
    '## Next steps',
    '',
    `- \`datastack generate notebook --analysis evaluation ${base}${model}\`: hold-out metrics, ${plan.task === 'classification' ? 'confusion matrix' : 'residuals'} and feature importance.`,
    `- \`datastack generate notebook --analysis debug ${base}${model}\`: prediction checks and the slices where the model errs most.`,
  );
}
