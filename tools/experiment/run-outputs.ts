/**
 * After a training exits: its metrics (those the script did not log itself) and its files go to
 * the MLflow run DataStack created for it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, posix } from 'node:path';
import { ToolError } from '../core/errors.js';
import type { MlflowClient } from '../mlflow/client.js';
import type { ApiMetric, ApiRun } from '../mlflow/model.js';
import { readMetricsFile } from './experiment-config.js';

export interface CollectedMetrics {
  metrics: Record<string, number>;
  /** Metrics the training had already logged to the run itself (MLFLOW_RUN_ID). */
  loggedByScript: string[];
}

/** Reads the metrics file the training wrote (it must be newer than the start), logs what is missing. */
export async function logMetrics(
  client: MlflowClient,
  runId: string,
  metricsFile: string,
  display: string,
  startedAt: number,
): Promise<CollectedMetrics> {
  // Whole seconds: some file systems keep coarse mtimes.
  if (!existsSync(metricsFile) || statSync(metricsFile).mtimeMs < Math.floor(startedAt / 1000) * 1000) {
    throw new ToolError('invalid_input', `The training exited without writing its metrics to ${display}`, {
      hint: 'Have it write a JSON object of numbers there, or set output.metrics in the config to where it writes them',
    });
  }
  let metrics: Record<string, number>;
  try {
    metrics = readMetricsFile(metricsFile);
  } catch (error) {
    throw new ToolError('invalid_input', `${display} is not JSON: ${(error as Error).message}`);
  }
  const run = await client.getRun(runId);
  const already = new Set((run.data.metrics ?? []).map((metric) => metric.key));
  const now = Date.now();
  const missing: ApiMetric[] = Object.entries(metrics)
    .filter(([key]) => !already.has(key))
    .map(([key, value]) => ({ key, value, timestamp: now, step: 0 }));
  if (missing.length) await client.logBatch(runId, { metrics: missing });
  return { metrics, loggedByScript: Object.keys(metrics).filter((key) => already.has(key)) };
}

export interface ArtifactFile {
  /** Where it is on disk. */
  file: string;
  /** Its folder in the run's artifacts ('' for the root). */
  folder: string;
}

/** Uploads each existing file; returns the artifact paths written. */
export async function uploadArtifacts(
  client: MlflowClient,
  run: ApiRun,
  files: readonly ArtifactFile[],
  signal?: AbortSignal,
): Promise<string[]> {
  const written: string[] = [];
  for (const { file, folder } of files) {
    if (!existsSync(file) || !statSync(file).isFile()) continue;
    const path = folder ? posix.join(folder, basename(file)) : basename(file);
    await client.uploadArtifact(run, path, readFileSync(file), signal);
    written.push(path);
  }
  return written;
}
