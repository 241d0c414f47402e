/**
 * Reads around a run beyond `runs/get`: its artifact tree, one metric's history, and the
 * experiments of the server. Functions over the client, so client.ts stays the transport.
 */
import type { MlflowClient } from './client.js';
import type { ApiExperiment, ApiFileInfo, ApiMetric } from './model.js';

export interface ArtifactListing {
  root_uri: string;
  files: ApiFileInfo[];
  /** True when the walk stopped at `limit` entries. */
  truncated: boolean;
}

/**
 * The run's artifacts, walked breadth-first into folders (MLflow lists one level per call) until
 * `limit` entries: a model folder holds a handful of files, a checkpoint folder thousands.
 */
export async function listArtifacts(
  client: MlflowClient,
  runId: string,
  options: { path?: string | undefined; limit: number; signal?: AbortSignal | undefined },
): Promise<ArtifactListing> {
  const files: ApiFileInfo[] = [];
  const queue: Array<string | undefined> = [options.path];
  let root = '';
  while (queue.length > 0 && files.length < options.limit) {
    const path = queue.shift();
    const body = await client.request<{ root_uri?: string; files?: ApiFileInfo[] }>('GET', 'artifacts/list', {
      query: { run_id: runId, path },
      signal: options.signal,
      notFoundHint: 'List runs with `datastack mlflow search-runs`',
    });
    root ||= body.root_uri ?? '';
    for (const file of body.files ?? []) {
      if (files.length >= options.limit) return { root_uri: root, files, truncated: true };
      files.push(file);
      if (file.is_dir) queue.push(file.path);
    }
  }
  return { root_uri: root, files, truncated: queue.length > 0 };
}

/** Every logged value of one metric, by step then time, up to `limit`. */
export async function metricHistory(
  client: MlflowClient,
  runId: string,
  metric: string,
  options: { limit: number; signal?: AbortSignal | undefined },
): Promise<{ points: ApiMetric[]; truncated: boolean }> {
  const points: ApiMetric[] = [];
  let token: string | undefined;
  do {
    const page = await client.request<{ metrics?: ApiMetric[]; next_page_token?: string }>(
      'GET',
      'metrics/get-history',
      {
        query: {
          run_id: runId,
          metric_key: metric,
          max_results: Math.min(25_000, options.limit),
          page_token: token,
        },
        signal: options.signal,
        notFoundHint: 'List runs with `datastack mlflow search-runs`',
      },
    );
    points.push(...(page.metrics ?? []));
    token = page.next_page_token || undefined;
  } while (token && points.length < options.limit);
  return {
    points: points.slice(0, options.limit),
    truncated: Boolean(token) || points.length > options.limit,
  };
}

export async function searchExperiments(
  client: MlflowClient,
  options: {
    filter?: string | undefined;
    limit: number;
    pageToken?: string | undefined;
    includeDeleted?: boolean | undefined;
    signal?: AbortSignal | undefined;
  },
): Promise<{ experiments: ApiExperiment[]; nextPageToken?: string }> {
  const page = await client.request<{ experiments?: ApiExperiment[]; next_page_token?: string }>(
    'POST',
    'experiments/search',
    {
      body: {
        max_results: options.limit,
        order_by: ['last_update_time DESC'],
        view_type: options.includeDeleted ? 'ALL' : 'ACTIVE_ONLY',
        ...(options.filter ? { filter: options.filter } : {}),
        ...(options.pageToken ? { page_token: options.pageToken } : {}),
      },
      signal: options.signal,
    },
  );
  const experiments = page.experiments ?? [];
  return page.next_page_token ? { experiments, nextPageToken: page.next_page_token } : { experiments };
}
