/**
 * The standalone master's REST submission API (`spark.master.rest.enabled`, port 6066) and the
 * bits of its web UI we need: `POST /v1/submissions/create` (a CreateSubmissionRequest),
 * `GET /v1/submissions/status/{id}`, `POST /v1/submissions/kill/{id}`; the master's `GET /json/`
 * (workers, apps, drivers) and a worker's `GET /log?driverId=…&logType=stderr` (plain text).
 */
import { ToolError } from '../core/errors.js';

export interface CreateSubmissionRequest {
  action: 'CreateSubmissionRequest';
  appResource: string;
  mainClass: string;
  appArgs: string[];
  sparkProperties: Record<string, string>;
  environmentVariables: Record<string, string>;
  clientSparkVersion: string;
}

export interface SubmissionResponse {
  action?: string;
  success?: boolean;
  submissionId?: string;
  driverState?: string;
  workerId?: string;
  workerHostPort?: string;
  message?: string;
  serverSparkVersion?: string;
}

export interface MasterState {
  url?: string;
  status?: string;
  workers?: Array<{ id: string; webuiaddress?: string; state: string }>;
  activeapps?: MasterApp[];
  completedapps?: MasterApp[];
  activedrivers?: MasterDriver[];
  completeddrivers?: MasterDriver[];
}

export interface MasterApp {
  id: string;
  name: string;
  cores: number;
  memoryperexecutor?: number;
  memoryperslave?: number;
  submitdate?: string;
  starttime?: number;
  state: string;
  duration?: number;
}

export interface MasterDriver {
  id: string;
  state: string;
  worker?: string;
  mainclass?: string;
  starttime?: string;
}

const TIMEOUT_MS = 15_000;

export class SparkRestClient {
  constructor(
    readonly restUrl: string,
    readonly uiUrl: string | undefined,
  ) {}

  create(request: CreateSubmissionRequest, signal: AbortSignal): Promise<SubmissionResponse> {
    return this.call('POST', `${this.restUrl}/v1/submissions/create`, signal, request);
  }

  status(id: string, signal: AbortSignal): Promise<SubmissionResponse> {
    return this.call('GET', `${this.restUrl}/v1/submissions/status/${encodeURIComponent(id)}`, signal);
  }

  kill(id: string, signal: AbortSignal): Promise<SubmissionResponse> {
    return this.call('POST', `${this.restUrl}/v1/submissions/kill/${encodeURIComponent(id)}`, signal);
  }

  async master(signal: AbortSignal): Promise<MasterState> {
    if (!this.uiUrl) {
      throw new ToolError('config', 'spark.ui_url (the master web UI) is not set', {
        hint: '`datastack stack up spark` sets it in the stack profile; or set spark.ui_url in datastack.yaml',
      });
    }
    return this.call('GET', `${this.uiUrl.replace(/\/+$/, '')}/json/`, signal);
  }

  /** A slice of a driver's stderr/stdout from its worker's UI, and the log's whole length. */
  async driverLog(
    workerUi: string,
    driverId: string,
    type: 'stderr' | 'stdout',
    offset: number,
    signal: AbortSignal,
  ): Promise<{ text: string; end: number; total: number }> {
    const url = `${workerUi.replace(/\/+$/, '')}/log?driverId=${encodeURIComponent(driverId)}&logType=${type}&offset=${offset}&byteLength=1048576`;
    const response = await this.fetch(url, { method: 'GET' }, signal);
    const body = await response.text();
    // "==== Bytes 0-1234 of 1234 of /path/stderr ====\n" then the bytes.
    const header = /^==== Bytes (\d+)-(\d+) of (\d+) of .*? ====\n?/.exec(body);
    if (!response.ok || !header) return { text: '', end: offset, total: offset };
    return { text: body.slice(header[0].length), end: Number(header[2]), total: Number(header[3]) };
  }

  private async call<T>(method: string, url: string, signal: AbortSignal, body?: unknown): Promise<T> {
    const response = await this.fetch(
      url,
      {
        method,
        headers: { 'Content-Type': 'application/json;charset=UTF-8' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      },
      signal,
    );
    const text = await response.text();
    let parsed: T & { message?: string };
    try {
      parsed = JSON.parse(text) as T & { message?: string };
    } catch {
      throw new ToolError('unavailable', `${url} answered HTTP ${response.status} without JSON`, {
        hint: 'Is that a Spark master with spark.master.rest.enabled=true? `datastack stack status`',
      });
    }
    if (!response.ok) {
      throw new ToolError(
        'query_error',
        `Spark REST API (HTTP ${response.status}): ${parsed.message ?? text.slice(0, 300)}`,
      );
    }
    return parsed;
  }

  private async fetch(url: string, init: RequestInit, signal: AbortSignal): Promise<Response> {
    try {
      return await fetch(url, {
        ...init,
        signal: AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]),
      });
    } catch (error) {
      if (signal.aborted) throw new ToolError('aborted', 'Cancelled', { cause: error });
      throw new ToolError('unavailable', `Spark at ${new URL(url).origin} did not answer`, {
        hint: 'Is the master running? `datastack stack status` (start it with `datastack stack up spark`)',
        cause: error,
      });
    }
  }
}
