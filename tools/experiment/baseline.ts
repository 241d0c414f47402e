/**
 * `--compare-with production|RUN_ID`: the baseline run (the run behind a registered model's alias,
 * or a run id), resolved before training so a wrong name fails in seconds, and the metric deltas
 * of a finished run against it.
 */
import { ToolError } from '../core/errors.js';
import type { MlflowClient } from '../mlflow/client.js';
import { latestMetrics, type ApiModelVersion, type ApiRun } from '../mlflow/model.js';

export interface Baseline {
  run: ApiRun;
  /** How it was named: `production alias of model X (version 3)` or `run <id>`. */
  label: string;
}

export interface MetricDelta {
  metric: string;
  value: number;
  baseline: number;
  delta: number;
  /** better / worse / same, by the metric's direction (errors and losses: lower is better). */
  verdict: 'better' | 'worse' | 'same';
}

/** Aliases of the model registry; anything else is a run id. */
const ALIAS = /^[A-Za-z][\w-]*$/;
const RUN_ID = /^[0-9a-f]{32}$/i;

export async function resolveBaseline(
  client: MlflowClient,
  target: string,
  modelName: string,
  signal: AbortSignal,
): Promise<Baseline> {
  if (RUN_ID.test(target)) {
    const run = await client.getRun(target, signal);
    return { run, label: `run ${target}` };
  }
  if (!ALIAS.test(target)) {
    throw new ToolError('invalid_input', `--compare-with "${target}" is neither a run id nor a model alias`, {
      hint: 'Give `production` (or another alias of the registered model) or a 32-character run id',
    });
  }
  let version: ApiModelVersion;
  try {
    const body = await client.request<{ model_version: ApiModelVersion }>('GET', 'registered-models/alias', {
      query: { name: modelName, alias: target },
      signal,
    });
    version = body.model_version;
  } catch (error) {
    if (error instanceof ToolError && (error.code === 'not_found' || error.code === 'invalid_input')) {
      throw new ToolError('not_found', `No "${target}" alias on registered model "${modelName}": ${error.message}`, {
        hint: `Give a run id instead, or register a model and set the alias (mlflow_set_alias); the model name comes from mlflow.registered_model in the config, else the experiment name`,
      });
    }
    throw error;
  }
  if (!version.run_id) {
    throw new ToolError('not_found', `Version ${version.version} of model "${modelName}" (alias ${target}) names no run`, {
      hint: 'Compare with a run id instead',
    });
  }
  const run = await client.getRun(version.run_id, signal);
  return { run, label: `${target} alias of model ${modelName} (version ${version.version}, run ${version.run_id})` };
}

/** Names of metrics where lower is better; the rest (accuracy, f1, auc, r2) go up. */
const LOWER_IS_BETTER = /(^|[._-])(loss|error|err|mae|mse|rmse|mape|smape|logloss|log_loss|perplexity|wer|cer)($|[._-])/i;

export function compareMetrics(metrics: Record<string, number>, baseline: ApiRun): MetricDelta[] {
  const before = latestMetrics(baseline);
  return Object.entries(metrics)
    .filter(([key]) => key in before)
    .map(([metric, value]) => {
      const base = before[metric] as number;
      const delta = value - base;
      const lower = LOWER_IS_BETTER.test(metric);
      // Float noise is no change.
      const verdict = Math.abs(delta) < 1e-9 ? 'same' : delta > 0 !== lower ? 'better' : 'worse';
      return { metric, value, baseline: base, delta: Number(delta.toPrecision(12)), verdict };
    });
}
