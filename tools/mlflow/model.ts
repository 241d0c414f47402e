/** The shapes of MLflow's REST API 2.0 (`/api/2.0/mlflow/…`), as the server sends them. */

export interface KeyValue {
  key: string;
  value: string;
}

export interface ApiExperiment {
  experiment_id: string;
  name: string;
  artifact_location?: string;
  lifecycle_stage?: string;
  creation_time?: number;
  last_update_time?: number;
  tags?: KeyValue[];
}

export interface ApiMetric {
  key: string;
  value: number;
  timestamp: number;
  step?: number;
}

export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';

export interface ApiRunInfo {
  run_id: string;
  run_name?: string;
  experiment_id: string;
  status: RunStatus;
  start_time?: number;
  end_time?: number;
  artifact_uri?: string;
  lifecycle_stage?: string;
}

export interface ApiRun {
  info: ApiRunInfo;
  data: { metrics?: ApiMetric[]; params?: KeyValue[]; tags?: KeyValue[] };
}

export interface ApiFileInfo {
  path: string;
  is_dir?: boolean;
  file_size?: number;
}

export interface ApiModelVersion {
  name: string;
  version: string;
  run_id?: string;
  source?: string;
  status?: string;
  creation_timestamp?: number;
  aliases?: string[];
  tags?: KeyValue[];
}

/** `[{key, value}]` as a plain object; later keys win, as MLflow keeps the last tag written. */
export function toRecord(pairs: readonly KeyValue[] | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const { key, value } of pairs ?? []) record[key] = value;
  return record;
}

/** A run's metrics: `runs/get` and `runs/search` already hold only the latest value of each. */
export function latestMetrics(run: ApiRun): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const metric of run.data.metrics ?? []) metrics[metric.key] = toNumber(metric.value);
  return metrics;
}

/** MLflow stores a string for every value (JSON `"NaN"`, `"Infinity"` included). */
export function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

export interface ApiRegisteredModel {
  name: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  description?: string;
  latest_versions?: ApiModelVersion[];
  aliases?: Array<{ alias: string; version: string }>;
  tags?: KeyValue[];
}

/** Milliseconds since the epoch as ISO-8601, or nothing. */
export function isoTime(ms: number | string | undefined): string | undefined {
  const n = Number(ms);
  return ms === undefined || !Number.isFinite(n) || n <= 0 ? undefined : new Date(n).toISOString();
}
