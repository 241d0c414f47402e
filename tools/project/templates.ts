/**
 * The project templates `datastack init` writes: what each one is for, the layers of files it is
 * made of (templates/projects/<layer>/), its pinned dependencies, and the packaged dataset its
 * baseline trains on when no --dataset is given.
 */
export const TEMPLATE_NAMES = [
  'ml-classification',
  'ml-regression',
  'time-series',
  'nlp',
  'cv',
  'dl',
] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** How a template reads a given dataset's target. */
export type TaskKind = 'classification' | 'regression' | 'forecast' | 'text' | 'image' | 'tabular-any';

export interface TemplateSpec {
  name: TemplateName;
  description: string;
  task: TaskKind;
  layers: readonly string[];
  dependencies: readonly string[];
  metrics: readonly string[];
  baseline: string;
  /** Config values and the README's words when the template runs on its packaged data. */
  defaults: { vars: Record<string, unknown>; data: string };
}

/** Versions checked to install together on Python 3.11+ (numpy 2.4 and pandas 3 need 3.11). */
export const PINS = {
  numpy: 'numpy==2.4.6',
  pandas: 'pandas==3.1.1',
  sklearn: 'scikit-learn==1.9.1',
  joblib: 'joblib==1.6.0',
  pyyaml: 'pyyaml==6.0.4',
  pyarrow: 'pyarrow==26.0.1',
  torch: 'torch==2.15.0',
} as const;

const BASE = [PINS.numpy, PINS.pandas, PINS.pyyaml, PINS.sklearn, PINS.joblib];
const TABULAR_FEATURES = { numeric_features: [], categorical_features: [] };

export const TEMPLATES: Readonly<Record<TemplateName, TemplateSpec>> = {
  'ml-classification': {
    name: 'ml-classification',
    description: 'Tabular classification with a scikit-learn baseline',
    task: 'classification',
    layers: ['_common', '_tabular', 'ml-classification'],
    dependencies: BASE,
    metrics: ['accuracy', 'f1_macro', 'roc_auc'],
    baseline:
      'Median imputation and scaling of numeric columns, one-hot encoding of categorical ones, then logistic regression (`model.type: random_forest` for a random forest).',
    defaults: {
      vars: { source: 'sklearn:breast_cancer', target: 'target', ...TABULAR_FEATURES },
      data: "By default the baseline trains on scikit-learn's bundled breast cancer dataset (569 tumours, 30 measurements, malignant or benign): nothing to download.",
    },
  },
  'ml-regression': {
    name: 'ml-regression',
    description: 'Tabular regression with a scikit-learn baseline',
    task: 'regression',
    layers: ['_common', '_tabular', 'ml-regression'],
    dependencies: BASE,
    metrics: ['rmse', 'mae', 'r2'],
    baseline:
      'Median imputation and scaling of numeric columns, one-hot encoding of categorical ones, then ridge regression (`random_forest` and `gradient_boosting` are one config line away).',
    defaults: {
      vars: { source: 'sklearn:diabetes', target: 'target', ...TABULAR_FEATURES },
      data: "By default the baseline trains on scikit-learn's bundled diabetes dataset (442 patients, 10 measurements, disease progression after a year): nothing to download.",
    },
  },
  'time-series': {
    name: 'time-series',
    description: 'Time-series forecasting with lag features and a seasonal naive baseline',
    task: 'forecast',
    layers: ['_common', 'time-series'],
    dependencies: BASE,
    metrics: ['mae', 'rmse', 'mape', 'seasonal_naive_mae', 'seasonal_naive_rmse', 'seasonal_naive_mape'],
    baseline:
      'The last `horizon` points are held out and forecast twice: by a seasonal naive forecast (the value one season earlier) and by ridge regression on lags and a time index, forecasting recursively.',
    defaults: {
      vars: { source: 'package:co2_monthly.csv', time_column: 'Date', target: 'CO2', lags: 12, horizon: 24 },
      data: 'By default the baseline forecasts monthly CO2 at Mauna Loa (1958–2020, NOAA, public domain), shipped in `src/<package>/resources/`.',
    },
  },
  nlp: {
    name: 'nlp',
    description: 'Text classification with a TF-IDF and linear model baseline',
    task: 'text',
    layers: ['_common', 'nlp'],
    dependencies: BASE,
    metrics: ['accuracy', 'f1_macro', 'roc_auc'],
    baseline:
      'TF-IDF of words and word pairs, then logistic regression (`model.type: linear_svm` for a linear SVM).',
    defaults: {
      vars: { source: 'package:debian_packages.csv', text_column: 'text', target: 'section' },
      data: 'By default the baseline classifies 900 Debian package descriptions into six archive sections (database, games, graphics, mail, science, sound), shipped in `src/<package>/resources/`.',
    },
  },
  cv: {
    name: 'cv',
    description: 'Image classification with a small scikit-learn image baseline',
    task: 'image',
    layers: ['_common', 'cv'],
    dependencies: BASE,
    metrics: ['accuracy', 'f1_macro'],
    baseline:
      'Pixels scaled to [0, 1], the training images augmented with one-pixel shifts, then an RBF support vector machine.',
    defaults: {
      vars: { source: 'sklearn:digits', target: 'target', image_shape: [8, 8], pixel_columns: [] },
      data: "By default the baseline classifies scikit-learn's bundled handwritten digits (1,797 images of 8×8 pixels, ten classes): nothing to download.",
    },
  },
  dl: {
    name: 'dl',
    description: 'Deep learning on tabular data with a small PyTorch MLP',
    task: 'tabular-any',
    layers: ['_common', '_tabular', 'dl'],
    dependencies: [...BASE, PINS.torch],
    metrics: ['accuracy', 'f1_macro', 'roc_auc'],
    baseline:
      'A multilayer perceptron (64 and 32 ReLU units, dropout) trained with Adam on the scaled and one-hot encoded columns; on a GPU when there is one.',
    defaults: {
      vars: {
        source: 'sklearn:breast_cancer',
        target: 'target',
        task: 'classification',
        ...TABULAR_FEATURES,
      },
      data: "By default the network trains on scikit-learn's bundled breast cancer dataset (569 tumours, 30 measurements): nothing to download.",
    },
  },
};

export function templateList(): string {
  return TEMPLATE_NAMES.map((name) => `${name} (${TEMPLATES[name].description})`).join(', ');
}
