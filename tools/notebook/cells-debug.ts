/**
 * The debug notebook: a saved model (joblib or pickle) or a described run refitted here, then
 * checks of its predictions (shape, missing values, unknown or missing classes, probabilities,
 * constant or out-of-range values) and error analysis by slices of the real columns.
 */
import { names, targetRowsCells, type NotebookPlan } from './cells-common.js';
import { shellWord } from './cells-eda.js';
import { featureCells } from './cells-features.js';
import { code, markdown, mdName, mdNames, pyValue, snippet, type Cell } from './ipynb.js';

export function debugCells(plan: NotebookPlan): Cell[] {
  const { target, task, model, facts } = plan;
  if (!target || !task || !model) return [];
  const classification = task === 'classification';
  const sliceColumns = [
    ...names(facts, 'categorical')
      .filter((n) => n !== target.name)
      .slice(0, 6),
    ...names(facts, 'numeric')
      .filter((n) => n !== target.name)
      .slice(0, 6),
    ...(facts.time ? [facts.time] : []),
  ];
  const params = Object.keys(model.kind === 'described' ? model.params : {}).length;
  return [
    ...targetRowsCells(plan),
    ...featureCells(plan, true),
    model.kind === 'file'
      ? markdown(
          '## The model',
          '',
          `\`${model.display}\`, loaded with joblib (only load files you trust: unpickling runs code). It is checked on every row with a known ${mdName(target.name)}; rows it was trained on make its errors look smaller than they will be on new data.`,
        )
      : markdown(
          '## The model',
          '',
          `Described as “${model.description.replace(/[\r\n]+/g, ' ')}”: refitted here as scikit-learn's \`${model.estimator}\`${params ? ` with ${pyValue(model.params)}` : ''} on 80% of the rows${facts.time ? ` (the oldest, by ${mdName(facts.time)})` : ''}, and debugged on the other 20%. Save your trained model with joblib and pass its path as \`--model\` to debug it instead.`,
        ),
    code(snippet('debug', model.kind === 'file' ? 'load_model' : 'fit_described')),
    markdown(
      '## Does it predict at all?',
      '',
      'The data is brought to the columns the model was fitted on (`feature_names_in_`): raw columns, or `make_features` of them. Then one prediction per row, and none missing. A failure here is the bug: a column renamed or dropped upstream, a model fitted on another version of the data.',
    ),
    code(snippet('debug', 'predict')),
    markdown(
      '## Checks of the predictions',
      '',
      classification
        ? `Classes: does it predict classes that ${mdName(target.name)} never takes, or never predict some that it does? Is it stuck on one class? Are its probabilities finite and do they sum to 1?`
        : `Values: are they finite, do they vary at all, and do they stay near the range ${mdName(target.name)} takes? A constant prediction usually means the features reached the model empty or scaled away.`,
    ),
    code(snippet('debug', classification ? 'checks_classification' : 'checks_regression')),
    markdown(
      '## Where it errs: slices',
      '',
      `${classification ? 'Error rate' : 'Mean absolute error'} per slice of ${sliceColumns.length ? mdNames(sliceColumns, 13) : 'the columns'} (levels of categorical columns, quartiles of numeric ones${facts.time ? ', months of the time index' : ''}). Slices much worse than the overall line are where to look for missing features, label noise, or data unlike the training data.`,
    ),
    code(snippet('debug', 'slices')),
    markdown(
      '## The worst rows',
      '',
      'The rows with the largest errors, with every column: read a few before changing the model.',
    ),
    code(snippet('debug', 'worst_rows')),
    markdown(
      '## Next step',
      '',
      `\`datastack generate notebook --analysis evaluation --dataset ${shellWord(facts.dataset.display)} --target ${shellWord(target.name)}${model.kind === 'file' ? ` --model ${shellWord(model.display)}` : ''}\` measures it on a clean hold-out set.`,
    ),
  ];
}
