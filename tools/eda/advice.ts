/** Feature-engineering suggestions and the algorithms and metrics that fit the task, by rule. */
import { formatCount } from '../query/format.js';
import type { Analysis } from './analysis.js';
import { isFreeText, isIdentifier, ONE_HOT_MAX, pct } from './findings.js';
import type { ModelAdvice, Suggestion } from './schemas.js';

const SKEWED = 1;
const MISSING_INDICATOR = 0.05;
/** Numeric columns whose spreads differ by more than this factor want scaling for linear models. */
const SCALE_RATIO = 100;

export function suggestionsOf(analysis: Analysis): Suggestion[] {
  const out: Suggestion[] = [];
  const tName = analysis.target?.name;
  const features = analysis.columns.filter(
    (s) => s.name !== tName && s.nonNull > 0 && s.distinct > 1 && !isIdentifier(s),
  );
  const names = (list: typeof features) => list.map((s) => s.name);
  const add = (kind: string, columns: string[], message: string) => {
    if (columns.length > 0) out.push({ kind, columns, message });
  };

  const skewed = features.filter(
    (s) => s.kind === 'numeric' && Math.abs(s.skew ?? 0) >= SKEWED && s.distinct > 2,
  );
  const positive = skewed.filter((s) => typeof s.min === 'number' && s.min >= 0);
  add(
    'log_transform',
    names(positive),
    'Right-skewed and non-negative: use log1p (or bin) for linear and distance-based models',
  );
  add(
    'power_transform',
    names(skewed.filter((s) => !positive.includes(s))),
    'Skewed with negative values: use a Yeo-Johnson power transform',
  );

  const categorical = features.filter((s) => (s.kind === 'text' && !isFreeText(s)) || s.kind === 'boolean');
  add(
    'one_hot',
    names(categorical.filter((s) => s.distinct <= ONE_HOT_MAX)),
    `Few categories (≤ ${ONE_HOT_MAX}): one-hot encode`,
  );
  const many = categorical.filter((s) => s.distinct > ONE_HOT_MAX);
  add(
    'target_encode',
    names(many),
    tName
      ? 'Many categories: target-encode inside cross-validation folds (or use frequency encoding / CatBoost)'
      : 'Many categories: use frequency or hashing encoding',
  );

  const temporal = features.filter((s) => s.kind === 'temporal');
  add(
    'date_parts',
    names(temporal),
    'Dates: extract year, month, day of week (and hour for timestamps), encode cyclic parts with sin/cos; never feed raw timestamps',
  );
  const index = analysis.target?.timeIndex;
  if (index && analysis.target?.task === 'time_series') {
    add(
      'lag_features',
      [analysis.target.name],
      `Time series on ${index}: add lags, rolling means and seasonal differences of ${analysis.target.name}, computed only from the past`,
    );
  }
  add(
    'text_features',
    names(features.filter(isFreeText)),
    'Free text: TF-IDF (or sentence embeddings) plus length and word-count features',
  );

  const missing = features.filter((s) => s.nulls > 0);
  add(
    'impute',
    names(missing),
    `Missing values: impute (median for numbers, most frequent or "missing" for categories)${missing.some((s) => s.nullShare >= MISSING_INDICATOR) ? `; add a was-missing indicator where ≥ ${pct(MISSING_INDICATOR)} are missing` : ''}`,
  );

  const spreads = features.filter((s) => s.kind === 'numeric' && (s.std ?? 0) > 0).map((s) => s.std ?? 0);
  if (spreads.length >= 2 && Math.max(...spreads) / Math.min(...spreads) > SCALE_RATIO) {
    add(
      'scale',
      names(features.filter((s) => s.kind === 'numeric')),
      'Numeric scales differ by orders of magnitude: standardise for linear, SVM and k-NN models',
    );
  }
  const target = analysis.columns.find((s) => s.name === tName);
  if (
    target &&
    analysis.target?.task !== 'classification' &&
    (target.skew ?? 0) >= SKEWED &&
    typeof target.min === 'number' &&
    target.min >= 0
  ) {
    add(
      'log_target',
      [target.name],
      'The target is right-skewed: fit on log1p(target) and invert predictions, or optimise MAE',
    );
  }
  return out;
}

export function modelAdvice(analysis: Analysis): ModelAdvice {
  const target = analysis.target;
  const time = target?.timeIndex;
  switch (target?.task) {
    case 'classification': {
      const classes = (target.classes ?? []).filter((c) => c.label !== '(missing)');
      const binary = classes.length === 2;
      const major = classes[0]?.count ?? 0;
      const imbalanced = classes.length >= 2 && (classes.at(-1)?.count ?? 0) < 0.2 * major;
      return {
        algorithms: [
          'Majority-class baseline (DummyClassifier)',
          'Logistic regression (scaled, one-hot features)',
          'Random forest',
          'Gradient boosting (HistGradientBoosting, LightGBM, XGBoost or CatBoost)',
        ],
        metrics: binary
          ? imbalanced
            ? ['PR-AUC', 'F1 of the minority class', 'ROC-AUC', 'recall at a chosen precision']
            : ['ROC-AUC', 'F1', 'accuracy', 'log loss']
          : imbalanced
            ? ['macro F1', 'balanced accuracy', 'per-class recall', 'log loss']
            : ['accuracy', 'macro F1', 'log loss'],
        validation: `${time ? `Time-ordered split on ${time} (TimeSeriesSplit)` : 'Stratified k-fold (5)'}${imbalanced ? ', class weights or resampling inside the folds' : ''}`,
      };
    }
    case 'regression':
      return {
        algorithms: [
          'Mean / median baseline',
          'Ridge regression (scaled features)',
          'Random forest',
          'Gradient boosting (HistGradientBoosting, LightGBM or XGBoost)',
        ],
        metrics: ['MAE', 'RMSE', 'R²'],
        validation: 'k-fold (5) cross-validation, shuffled',
      };
    case 'time_series':
      return {
        algorithms: [
          'Seasonal naive / last value baseline',
          'ETS or (S)ARIMA',
          'Gradient boosting on lag and calendar features',
          'Prophet for several seasonalities',
        ],
        metrics: ['MAE', 'RMSE', 'MASE', 'sMAPE'],
        validation: `Rolling-origin backtest ordered by ${time ?? 'time'} (TimeSeriesSplit); never shuffle`,
      };
    default:
      return {
        algorithms: [
          'PCA / UMAP to look at structure',
          'k-means or HDBSCAN clustering',
          'Isolation forest for anomalies',
        ],
        metrics: ['silhouette score', 'explained variance'],
        validation: `No target given: pick the column to predict and rerun with --target (${formatCount(analysis.columns.length)} columns to choose from)`,
      };
  }
}
