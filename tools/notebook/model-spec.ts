/**
 * The `model` argument of the evaluation and debug notebooks: a saved model file in the workspace
 * (joblib or pickle), or a description of a run ("random forest, max_depth=8") that the notebook
 * refits with the scikit-learn estimator it names.
 */
import { statSync } from 'node:fs';
import { extname } from 'node:path';
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import type { Task } from './facts.js';

export type ModelSpec =
  | { kind: 'file'; absolute: string; display: string }
  | {
      kind: 'described';
      description: string;
      module: string;
      estimator: string;
      params: Record<string, unknown>;
    };

const MODEL_FILES = new Set(['.joblib', '.pkl', '.pickle']);
const OTHER_MODEL_FILES = new Set([
  '.onnx',
  '.pt',
  '.pth',
  '.h5',
  '.keras',
  '.skops',
  '.json',
  '.ubj',
  '.cbm',
]);

/** Estimator families by what a description says; first match wins, so specific words come first. */
const FAMILIES: ReadonlyArray<{ words: RegExp; module: string; classifier: string; regressor: string }> = [
  {
    words: /dummy|majority class|predict the mean/i,
    module: 'dummy',
    classifier: 'DummyClassifier',
    regressor: 'DummyRegressor',
  },
  {
    words: /extra.?trees/i,
    module: 'ensemble',
    classifier: 'ExtraTreesClassifier',
    regressor: 'ExtraTreesRegressor',
  },
  {
    words: /boost|gbm|xgb|lightgbm|catboost/i,
    module: 'ensemble',
    classifier: 'HistGradientBoostingClassifier',
    regressor: 'HistGradientBoostingRegressor',
  },
  {
    words: /forest|\brf\b/i,
    module: 'ensemble',
    classifier: 'RandomForestClassifier',
    regressor: 'RandomForestRegressor',
  },
  {
    words: /tree/i,
    module: 'tree',
    classifier: 'DecisionTreeClassifier',
    regressor: 'DecisionTreeRegressor',
  },
  { words: /logistic|logit/i, module: 'linear_model', classifier: 'LogisticRegression', regressor: 'Ridge' },
  { words: /lasso/i, module: 'linear_model', classifier: 'LogisticRegression', regressor: 'Lasso' },
  { words: /ridge|linear/i, module: 'linear_model', classifier: 'RidgeClassifier', regressor: 'Ridge' },
  {
    words: /knn|neighbou?r/i,
    module: 'neighbors',
    classifier: 'KNeighborsClassifier',
    regressor: 'KNeighborsRegressor',
  },
  { words: /svm|svc|svr|support vector/i, module: 'svm', classifier: 'SVC', regressor: 'SVR' },
  {
    words: /mlp|neural|perceptron/i,
    module: 'neural_network',
    classifier: 'MLPClassifier',
    regressor: 'MLPRegressor',
  },
];
const DEFAULT_FAMILY = FAMILIES[3] as (typeof FAMILIES)[number];

export function resolveModel(ctx: ToolContext, value: string, task: Task): ModelSpec {
  const ext = extname(value).toLowerCase();
  let absolute: string | undefined;
  try {
    absolute = ctx.workspace.resolve(value);
  } catch (error) {
    // An absolute path outside the workspace is refused; a sentence that merely has a slash is not a path.
    if (MODEL_FILES.has(ext) || OTHER_MODEL_FILES.has(ext)) throw error;
  }
  const isFile = absolute !== undefined && isExistingFile(absolute);
  if (absolute && (isFile || MODEL_FILES.has(ext) || OTHER_MODEL_FILES.has(ext))) {
    const display = ctx.workspace.display(absolute);
    if (!isFile) {
      throw new ToolError('not_found', `Model file not found: ${display}`, {
        hint: 'Give a .joblib or .pkl file in the workspace (the modeling notebook saves one under models/), or describe the model, e.g. "random forest, max_depth=8"',
      });
    }
    if (!MODEL_FILES.has(ext)) {
      throw new ToolError('invalid_input', `Unsupported model file ${display}: "${ext || 'no'}" extension`, {
        hint: 'The notebooks load scikit-learn models saved with joblib or pickle (.joblib, .pkl, .pickle)',
      });
    }
    return { kind: 'file', absolute, display };
  }
  return describedModel(value, task);
}

function isExistingFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** "random forest, max_depth=8 n_estimators=300" → RandomForest… with those parameters. */
export function describedModel(description: string, task: Task): ModelSpec {
  const family =
    FAMILIES.find((f) => f.words.test(description.replace(/\w+\s*=\s*[^\s,;]+/g, ' '))) ?? DEFAULT_FAMILY;
  const params: Record<string, unknown> = {};
  for (const match of description.matchAll(/([A-Za-z_]\w*)\s*=\s*([^\s,;]+)/g)) {
    const [, name, raw] = match;
    if (name && raw) params[name] = parameterValue(raw);
  }
  return {
    kind: 'described',
    description,
    module: family.module,
    estimator: task === 'classification' ? family.classifier : family.regressor,
    params,
  };
}

function parameterValue(raw: string): unknown {
  const text = raw.replace(/^['"]|['"]$/g, '');
  if (/^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
  if (/^(none|null)$/i.test(text)) return null;
  const number = Number(text);
  return text !== '' && Number.isFinite(number) ? number : text;
}
