/**
 * The experiment config a training reads (configs/experiment.yaml): loaded, changed by `--set
 * key.path=value` in a copy (the user's file is never edited), flattened into MLflow params, and
 * the facts DataStack needs from it (experiment name, metrics and model paths, registered model).
 */
import { existsSync, readFileSync } from 'node:fs';
import { ToolError } from '../core/errors.js';

export type ExperimentConfig = Record<string, unknown>;

export async function loadExperimentConfig(file: string, display: string): Promise<ExperimentConfig> {
  if (!existsSync(file)) {
    throw new ToolError('not_found', `Experiment config not found: ${display}`, {
      hint: 'Pass --config with the YAML the training reads (templates write configs/experiment.yaml)',
    });
  }
  const { parse } = await import('yaml');
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ToolError('invalid_input', `Cannot parse ${display}: ${(error as Error).message}`, {
      hint: 'Fix the YAML syntax in that file',
    });
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ToolError('invalid_input', `${display} must hold a mapping (name:, data:, model:, …)`);
  }
  return doc as ExperimentConfig;
}

/**
 * Applies `a.b.c=value` overrides to a deep copy. Values are read as YAML scalars, as if written
 * in the file: `0.5` is a number, `true` a boolean, `[1, 2]` a list, `random_forest` a string.
 */
export async function applyOverrides(config: ExperimentConfig, sets: readonly string[]): Promise<ExperimentConfig> {
  const { parse } = await import('yaml');
  const copy = structuredClone(config);
  for (const set of sets) {
    const eq = set.indexOf('=');
    const path = eq > 0 ? set.slice(0, eq).trim() : '';
    if (!path || path.split('.').some((part) => !part)) {
      throw new ToolError('invalid_input', `--set "${set}" is not key.path=value`, {
        hint: 'Example: --set model.type=random_forest --set data.test_size=0.3',
      });
    }
    const raw = set.slice(eq + 1);
    let value: unknown;
    try {
      value = raw.trim() === '' ? '' : parse(raw);
    } catch {
      value = raw;
    }
    setIn(copy, path.split('.'), value, set);
  }
  return copy;
}

function setIn(target: ExperimentConfig, keys: string[], value: unknown, set: string): void {
  let node: Record<string, unknown> = target;
  keys.slice(0, -1).forEach((key, index) => {
    const next = node[key];
    if (next === undefined || next === null) node[key] = {};
    else if (typeof next !== 'object' || Array.isArray(next)) {
      throw new ToolError('invalid_input', `--set "${set}": ${keys.slice(0, index + 1).join('.')} is not a mapping`, {
        hint: 'Set the value itself, or a key of a mapping',
      });
    }
    node = node[key] as Record<string, unknown>;
  });
  node[keys.at(-1) as string] = value;
}

/** `{model: {type: x, params: {C: 1}}}` → `{"model.type": "x", "model.params.C": "1"}`; lists as JSON. */
export function flattenParams(config: ExperimentConfig, prefix = ''): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    const name = `${prefix}${key}`;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      Object.assign(flat, flattenParams(value as ExperimentConfig, `${name}.`));
    } else if (value !== undefined && value !== null) {
      // MLflow caps a param value at 6,000 characters.
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      flat[name] = text.slice(0, 6000);
    }
  }
  return flat;
}

function section(config: ExperimentConfig, name: string): Record<string, unknown> {
  const value = config[name];
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** The experiment a run goes to: the profile's, else the config's `mlflow.experiment`, else its `name`. */
export function experimentName(config: ExperimentConfig, profileExperiment: string | undefined): string {
  return text(profileExperiment) ?? text(section(config, 'mlflow').experiment) ?? text(config.name) ?? 'baseline';
}

/** The registered model whose `production` alias is the baseline: `mlflow.registered_model`, else the experiment. */
export function registeredModelName(config: ExperimentConfig, experiment: string): string {
  return text(section(config, 'mlflow').registered_model) ?? experiment;
}

/** Outputs of the training, relative to the project root (the template's defaults). */
export function outputPaths(config: ExperimentConfig): { metrics: string; model: string } {
  const output = section(config, 'output');
  return {
    metrics: text(output.metrics) ?? 'metrics.json',
    model: text(output.model) ?? 'models/model.joblib',
  };
}

/** Numeric leaves of a metrics JSON file, nested keys joined with dots. */
export function readMetricsFile(file: string): Record<string, number> {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  const metrics: Record<string, number> = {};
  const walk = (value: unknown, prefix: string) => {
    if (typeof value === 'number' && Number.isFinite(value)) metrics[prefix] = value;
    else if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) walk(inner, prefix ? `${prefix}.${key}` : key);
    }
  };
  walk(doc, '');
  return metrics;
}
