/**
 * A thin client for MLflow's REST API 2.0 on fetch: timeouts joined with the tool's abort signal,
 * basic or bearer auth when configured, paging, and every failure turned into a ToolError a person
 * can act on. Tools get one with `mlflowClient(ctx)` (connect.ts), which also starts the project's
 * local server on the embedded default.
 */
import { ToolError } from '../core/errors.js';
import { callService, type ServiceCall } from '../core/service-call.js';
import type { ApiExperiment, ApiMetric, ApiRun, KeyValue, RunStatus } from './model.js';

export interface MlflowClientOptions {
  /** The tracking server: `http://127.0.0.1:5000`. */
  url: string;
  token?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
  timeoutMs?: number;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** Said after a RESOURCE_DOES_NOT_EXIST, e.g. which tool lists what exists. */
  notFoundHint?: string;
}

export interface SearchRunsOptions {
  experimentIds: string[];
  filter?: string | undefined;
  orderBy?: string[] | undefined;
  /** Runs wanted in all; pages of up to 1,000 are read until then. */
  limit: number;
  pageToken?: string | undefined;
  signal?: AbortSignal | undefined;
}

interface MlflowErrorBody {
  error_code?: string;
  message?: string;
}

/** MLflow caps one `runs/log-batch` at 1,000 metrics, 100 params and 100 tags. */
const BATCH = { metrics: 1000, params: 100, tags: 100 };

export class MlflowClient {
  readonly base: string;
  private readonly auth: string | undefined;
  private readonly timeoutMs: number;

  constructor(options: MlflowClientOptions) {
    this.base = options.url.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 30_000;
    if (options.token) this.auth = `Bearer ${options.token}`;
    else if (options.username && options.password)
      this.auth = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
  }

  /** `path` is relative to `/api/2.0/mlflow/` (`runs/search`), or absolute from the host (`/api/…`). */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const url = path.startsWith('/') ? `${this.base}${path}` : `${this.base}/api/2.0/mlflow/${path}`;
    const response = await this.call({
      method,
      url,
      query: options.query,
      json: options.body,
      signal: options.signal,
    });
    if (response.ok) return (response.text ? JSON.parse(response.text) : {}) as T;
    throw this.httpError(response.status, response.text, options.notFoundHint);
  }

  /** Uploads one artifact through the server's proxy (`mlflow-artifacts:/` runs, the default). */
  async uploadArtifact(
    run: ApiRun,
    relativePath: string,
    content: Uint8Array,
    signal?: AbortSignal,
  ): Promise<void> {
    const prefix = 'mlflow-artifacts:/';
    const root = run.info.artifact_uri ?? '';
    if (!root.startsWith(prefix)) {
      throw new ToolError(
        'config',
        `Run ${run.info.run_id} stores artifacts at ${root}, which DataStack cannot write`,
        {
          hint: 'Start the server with --artifacts-destination (as `datastack stack up mlflow` does) so artifacts go through it',
        },
      );
    }
    const path = `${root.slice(prefix.length).replace(/^\/+/, '')}/${relativePath}`;
    const response = await this.call({
      method: 'PUT',
      url: `${this.base}/api/2.0/mlflow-artifacts/artifacts/${encodePath(path)}`,
      bytes: { content, type: 'application/octet-stream' },
      signal,
    });
    if (!response.ok) throw this.httpError(response.status, response.text);
  }

  async getExperimentByName(name: string, signal?: AbortSignal): Promise<ApiExperiment | undefined> {
    try {
      const body = await this.request<{ experiment: ApiExperiment }>('GET', 'experiments/get-by-name', {
        query: { experiment_name: name },
        signal,
      });
      return body.experiment;
    } catch (error) {
      if (error instanceof ToolError && error.code === 'not_found') return undefined;
      throw error;
    }
  }

  /** The experiment's id, created when it does not exist yet. */
  async ensureExperiment(name: string, signal?: AbortSignal): Promise<string> {
    const found = await this.getExperimentByName(name, signal);
    if (found) return found.experiment_id;
    const created = await this.request<{ experiment_id: string }>('POST', 'experiments/create', {
      body: { name },
      signal,
    });
    return created.experiment_id;
  }

  async getRun(runId: string, signal?: AbortSignal): Promise<ApiRun> {
    const body = await this.request<{ run: ApiRun }>('GET', 'runs/get', {
      query: { run_id: runId },
      signal,
      notFoundHint: 'List runs with `datastack mlflow search-runs`',
    });
    return body.run;
  }

  async createRun(
    experimentId: string,
    options: { name?: string; tags?: Record<string, string>; signal?: AbortSignal } = {},
  ): Promise<ApiRun> {
    const body = await this.request<{ run: ApiRun }>('POST', 'runs/create', {
      body: {
        experiment_id: experimentId,
        start_time: Date.now(),
        ...(options.name ? { run_name: options.name } : {}),
        tags: toPairs(options.tags ?? {}),
      },
      signal: options.signal,
    });
    return body.run;
  }

  /** Logs any number of metrics, params and tags, in as many batches as MLflow's limits need. */
  async logBatch(
    runId: string,
    data: { metrics?: ApiMetric[]; params?: Record<string, string>; tags?: Record<string, string> },
    signal?: AbortSignal,
  ): Promise<void> {
    const metrics = [...(data.metrics ?? [])];
    const params = toPairs(data.params ?? {});
    const tags = toPairs(data.tags ?? {});
    while (metrics.length > 0 || params.length > 0 || tags.length > 0) {
      await this.request('POST', 'runs/log-batch', {
        body: {
          run_id: runId,
          metrics: metrics.splice(0, BATCH.metrics),
          params: params.splice(0, BATCH.params),
          tags: tags.splice(0, BATCH.tags),
        },
        signal,
      });
    }
  }

  async setRunStatus(runId: string, status: RunStatus, signal?: AbortSignal): Promise<void> {
    await this.request('POST', 'runs/update', {
      body: { run_id: runId, status, ...(status === 'RUNNING' ? {} : { end_time: Date.now() }) },
      signal,
    });
  }

  /** Reads `runs/search` pages until `limit` runs or the end. */
  async searchRuns(options: SearchRunsOptions): Promise<{ runs: ApiRun[]; nextPageToken?: string }> {
    const runs: ApiRun[] = [];
    let token = options.pageToken;
    do {
      const page = await this.request<{ runs?: ApiRun[]; next_page_token?: string }>('POST', 'runs/search', {
        body: {
          experiment_ids: options.experimentIds,
          ...(options.filter ? { filter: options.filter } : {}),
          ...(options.orderBy?.length ? { order_by: options.orderBy } : {}),
          max_results: Math.min(1000, options.limit - runs.length),
          ...(token ? { page_token: token } : {}),
        },
        signal: options.signal,
      });
      runs.push(...(page.runs ?? []));
      token = page.next_page_token || undefined;
    } while (token && runs.length < options.limit);
    return token ? { runs, nextPageToken: token } : { runs };
  }

  private call(
    call: Omit<ServiceCall, 'authorization'>,
  ): Promise<{ status: number; ok: boolean; text: string }> {
    return callService(
      { ...call, authorization: this.auth },
      {
        service: 'MLflow',
        base: this.base,
        timeoutMs: this.timeoutMs,
        timeoutHint: 'Is it overloaded or stuck? Check it with `datastack stack status mlflow`',
        unreachableHint:
          'Start it with `datastack stack up mlflow`, or set mlflow.tracking_uri (MLFLOW_TRACKING_URI) to a running server',
      },
    );
  }

  private httpError(status: number, text: string, notFoundHint?: string): ToolError {
    let body: MlflowErrorBody = {};
    try {
      body = JSON.parse(text) as MlflowErrorBody;
    } catch {
      body = { message: text.slice(0, 300) };
    }
    const message = body.message || `HTTP ${status}`;
    switch (body.error_code) {
      case 'RESOURCE_DOES_NOT_EXIST':
        return new ToolError('not_found', message, notFoundHint ? { hint: notFoundHint } : {});
      case 'RESOURCE_ALREADY_EXISTS':
        return new ToolError('conflict', message);
      case 'INVALID_PARAMETER_VALUE':
      case 'BAD_REQUEST':
        return new ToolError('invalid_input', `MLflow rejected the request: ${message}`);
      default:
    }
    if (status === 401 || status === 403) {
      return new ToolError('unauthorized', `MLflow at ${this.base} refused access: ${message}`, {
        hint: 'Set MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD',
      });
    }
    if (status === 404) return new ToolError('not_found', `MLflow at ${this.base}: ${message}`);
    return new ToolError('unavailable', `MLflow at ${this.base} failed (HTTP ${status}): ${message}`, {
      hint: 'Retry later; if it persists, see `datastack stack logs mlflow` or the server log',
    });
  }
}

function toPairs(record: Record<string, string>): KeyValue[] {
  return Object.entries(record).map(([key, value]) => ({ key, value }));
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
