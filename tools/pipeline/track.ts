/**
 * `--track-all`: the pipeline run as a parent MLflow run and each stage as a child run under it
 * (tag `mlflow.parentRunId`, how the MLflow UI nests runs), with the stage's params, duration,
 * state and the metrics of any metrics.json it writes. Loaded only when asked for.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ToolContext } from '../core/types.js';
import type { MlflowClient } from '../mlflow/client.js';
import type { ApiMetric, RunStatus } from '../mlflow/model.js';
import type { StageSpec } from './model.js';
import type { StageObserver } from './run-local.js';
import type { StageResult } from './schemas.js';

export interface PipelineTracker extends StageObserver {
  parentRunId: string;
  experiment: string;
  trackingUri: string;
  childRunIds: Map<string, string>;
  finish(status: 'succeeded' | 'failed' | 'cancelled'): Promise<void>;
}

const STATUS: Record<string, RunStatus> = {
  succeeded: 'FINISHED',
  skipped: 'FINISHED',
  failed: 'FAILED',
  cancelled: 'KILLED',
};

export async function startTracking(
  ctx: ToolContext,
  pipeline: { name: string; file: string; runId: string; environment: string; projectDir: string },
): Promise<PipelineTracker> {
  const { mlflowClient } = await import('../mlflow/connect.js');
  const client: MlflowClient = await mlflowClient(ctx);
  const experiment = ctx.config.mlflow?.experiment ?? `pipeline-${pipeline.name}`;
  const experimentId = await client.ensureExperiment(experiment, ctx.signal);
  const common = { 'datastack.pipeline': pipeline.name, 'datastack.pipeline.run': pipeline.runId };
  const parent = await client.createRun(experimentId, {
    name: `${pipeline.name} ${pipeline.runId}`,
    tags: {
      ...common,
      'datastack.pipeline.file': pipeline.file,
      'datastack.environment': pipeline.environment,
    },
    signal: ctx.signal,
  });
  const parentRunId = parent.info.run_id;
  const children = new Map<string, string>();
  const started = new Map<string, number>();
  // Tracking calls must still reach MLflow after Ctrl-C, to mark the runs KILLED.
  const signal = undefined;

  const child = async (stage: StageSpec): Promise<string> => {
    const known = children.get(stage.name);
    if (known) return known;
    const run = await client.createRun(experimentId, {
      name: stage.name,
      tags: {
        ...common,
        'mlflow.parentRunId': parentRunId,
        'datastack.stage': stage.name,
        'datastack.stage.kind': stage.kind,
      },
    });
    children.set(stage.name, run.info.run_id);
    await client.logBatch(run.info.run_id, { params: stageParams(stage) }, signal);
    return run.info.run_id;
  };

  return {
    parentRunId,
    experiment,
    trackingUri: client.base,
    childRunIds: children,
    async stageStarted(stage) {
      started.set(stage.name, Date.now());
      await child(stage);
    },
    async stageEnded(stage: StageSpec, result: StageResult) {
      const runId = await child(stage);
      result.mlflow_run_id = runId;
      const now = Date.now();
      const metrics: ApiMetric[] = [];
      if (result.duration_ms !== undefined)
        metrics.push({ key: 'duration_s', value: result.duration_ms / 1000, timestamp: now, step: 0 });
      if (result.status === 'succeeded' || result.status === 'skipped')
        metrics.push(...stageMetrics(pipeline.projectDir, stage, now));
      await client.logBatch(
        runId,
        {
          metrics,
          tags: {
            'datastack.stage.state': result.status,
            ...(result.reason ? { 'datastack.stage.reason': result.reason } : {}),
          },
        },
        signal,
      );
      await client.setRunStatus(runId, STATUS[result.status] ?? 'FINISHED', signal);
    },
    async finish(status) {
      await client.logBatch(parentRunId, { tags: { 'datastack.pipeline.state': status } }, signal);
      await client.setRunStatus(parentRunId, STATUS[status] ?? 'FAILED', signal);
    },
  };
}

/** MLflow params are strings of at most 6000 characters. */
function stageParams(stage: StageSpec): Record<string, string> {
  const params: Record<string, string> = { kind: stage.kind };
  if (stage.script) params.script = stage.script;
  if (stage.command) params.command = stage.command.slice(0, 6000);
  for (const [key, value] of Object.entries(stage.params)) {
    params[key] = (typeof value === 'string' ? value : JSON.stringify(value)).slice(0, 6000);
  }
  return params;
}

/** Numbers in the stage's metrics.json outputs (nested keys joined with dots). */
function stageMetrics(projectDir: string, stage: StageSpec, timestamp: number): ApiMetric[] {
  const metrics: ApiMetric[] = [];
  for (const output of stage.outputs.filter((path) => path.endsWith('metrics.json'))) {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(join(projectDir, output), 'utf8'));
    } catch {
      continue;
    }
    const walk = (value: unknown, prefix: string) => {
      if (typeof value === 'number' && Number.isFinite(value))
        metrics.push({ key: prefix, value, timestamp, step: 0 });
      else if (value && typeof value === 'object' && !Array.isArray(value)) {
        for (const [key, inner] of Object.entries(value)) walk(inner, prefix ? `${prefix}.${key}` : key);
      }
    };
    walk(data, '');
  }
  return metrics;
}
