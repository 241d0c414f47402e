/**
 * A thin client for Airflow 3's REST API v2 (`/api/v2/…`) on fetch. Auth is a JWT from
 * `POST /auth/token {username, password}` (the v1 API and basic auth are gone in Airflow 3), or a
 * token from the profile; on a 401 the token is fetched again once, since tokens expire (24 h by
 * default). Every failure becomes a ToolError that says what to do next.
 * Docs: https://airflow.apache.org/docs/apache-airflow/stable/stable-rest-api-ref.html
 */
import { ToolError } from '../core/errors.js';
import { callService } from '../core/service-call.js';

export interface AirflowClientOptions {
  /** The API server, e.g. `http://127.0.0.1:8080` (a trailing `/api/v2` is tolerated). */
  url: string;
  username?: string | undefined;
  password?: string | undefined;
  /** A JWT issued elsewhere; replaced by a login when it is refused and credentials are known. */
  token?: string | undefined;
  /** Where the DAG processor reads DAG files (deployDag copies there). */
  dagsFolder?: string | undefined;
  timeoutMs?: number;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | readonly string[] | undefined>;
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** Said after a 404, e.g. which tool lists what exists. */
  notFoundHint?: string;
}

const CREDENTIALS_HINT =
  'Set airflow.username and airflow.password (AIRFLOW_USERNAME, AIRFLOW_PASSWORD); for the local standalone `datastack stack up airflow` writes them to the "stack" profile';

export class AirflowClient {
  readonly base: string;
  readonly dagsFolder: string | undefined;
  private readonly options: AirflowClientOptions;
  private readonly timeoutMs: number;
  /** The token in use, or the login in flight, shared by parallel calls so they log in once. */
  private token: Promise<string | undefined> | undefined;

  constructor(options: AirflowClientOptions) {
    this.base = options.url.replace(/\/+$/, '').replace(/\/api\/v2$/, '');
    this.dagsFolder = options.dagsFolder;
    this.options = options;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    if (options.token) this.token = Promise.resolve(options.token);
  }

  /** Calls `/api/v2/{path}`; a 401 fetches a new token and retries once. */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const tokenUsed = this.token;
    let response = await this.send(method, `api/v2/${path}`, options, await this.bearer(options.signal));
    if (refusedToken(response) && this.canLogIn()) {
      // Parallel calls may all see the same expired token: the first renews it, the rest reuse.
      if (this.token === tokenUsed) this.token = undefined;
      response = await this.send(method, `api/v2/${path}`, options, await this.bearer(options.signal));
    }
    if (response.status >= 200 && response.status < 300) {
      return (response.text ? this.parse(response.text) : undefined) as T;
    }
    throw this.httpError(response.status, response.text, options);
  }

  get<T>(path: string, options?: RequestOptions): Promise<T> {
    return this.request<T>('GET', path, options);
  }

  /** Drops the token in use, as if it had expired: the next call logs in again. */
  forgetToken(replacement?: string): void {
    this.token = replacement === undefined ? undefined : Promise.resolve(replacement);
  }

  private canLogIn(): boolean {
    return Boolean(this.options.username && this.options.password);
  }

  private async bearer(signal: AbortSignal | undefined): Promise<string | undefined> {
    if (!this.token && this.canLogIn()) this.token = this.login(signal);
    const pending = this.token;
    try {
      const token = await pending;
      return token ? `Bearer ${token}` : undefined;
    } catch (error) {
      if (this.token === pending) this.token = undefined;
      throw error;
    }
  }

  private async login(signal: AbortSignal | undefined): Promise<string> {
    const body = { username: this.options.username, password: this.options.password };
    const response = await this.send('POST', 'auth/token', { body, signal }, undefined);
    if (response.status === 401 || response.status === 403) {
      throw new ToolError(
        'unauthorized',
        `Airflow at ${this.base} refused the login of "${this.options.username}": ${detailText(response.text, response.status)}`,
        { hint: `Check the username and password. ${CREDENTIALS_HINT}` },
      );
    }
    if (response.status < 200 || response.status >= 300)
      throw this.httpError(response.status, response.text, {});
    const token = (this.parse(response.text) as { access_token?: unknown }).access_token;
    if (typeof token !== 'string' || token === '') {
      throw new ToolError('unavailable', `Airflow at ${this.base} answered the login without a token`, {
        hint: 'Is airflow.url the Airflow 3 API server? Airflow 2 has no /auth/token',
      });
    }
    return token;
  }

  private send(
    method: string,
    path: string,
    options: RequestOptions,
    auth: string | undefined,
  ): Promise<{ status: number; text: string }> {
    return callService(
      {
        method,
        url: `${this.base}/${path}`,
        query: options.query,
        json: options.body,
        authorization: auth,
        signal: options.signal,
      },
      {
        service: 'Airflow',
        base: this.base,
        timeoutMs: this.timeoutMs,
        timeoutHint: 'Is it overloaded or stuck? Check it with `datastack stack status airflow`',
        unreachableHint:
          'Start the local one with `datastack stack up airflow` (then use --profile stack), or set airflow.url (AIRFLOW_URL) to a running API server',
      },
    );
  }

  private parse(text: string): unknown {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new ToolError('unavailable', `Airflow at ${this.base} answered with something that is not JSON`, {
        cause: error,
        hint: 'Is airflow.url the Airflow API server (port 8080 by default), not a proxy or another service?',
      });
    }
  }

  private credentialsRefused(message: string): ToolError {
    return new ToolError('unauthorized', `Airflow at ${this.base} refused the credentials: ${message}`, {
      hint:
        this.options.token && !this.canLogIn()
          ? `The token may have expired. ${CREDENTIALS_HINT}`
          : CREDENTIALS_HINT,
    });
  }

  private httpError(status: number, text: string, options: RequestOptions): ToolError {
    const message = detailText(text, status);
    switch (status) {
      case 400:
      case 422:
        return new ToolError('invalid_input', `Airflow rejected the request: ${message}`);
      case 401:
        return this.credentialsRefused(message);
      case 403:
        if (message === 'Invalid JWT token') return this.credentialsRefused(message);
        return new ToolError(
          'unauthorized',
          `Airflow at ${this.base} does not allow this for "${this.options.username ?? 'this token'}": ${message}`,
          { hint: 'Use a user whose role allows it (the simple auth manager: role admin or op)' },
        );
      case 404:
        return new ToolError(
          'not_found',
          message,
          options.notFoundHint ? { hint: options.notFoundHint } : {},
        );
      case 409:
        return new ToolError('conflict', `Airflow: ${message}`);
      default:
        return new ToolError('unavailable', `Airflow at ${this.base} failed (HTTP ${status}): ${message}`, {
          hint: 'Retry later; if it persists, see `datastack stack logs airflow` or the API server log',
        });
    }
  }
}

/**
 * Airflow answers 401 "Token Expired" for an expired token, and 403 "Invalid JWT token" for one it
 * cannot verify (signed before its secret changed): a fresh login cures both.
 */
function refusedToken(response: { status: number; text: string }): boolean {
  return (
    response.status === 401 ||
    (response.status === 403 && detailText(response.text, 403) === 'Invalid JWT token')
  );
}

/** FastAPI's `{"detail": "…"}`, or its validation list `{"detail": [{loc, msg}]}`. */
function detailText(text: string, status: number): string {
  try {
    const detail = (JSON.parse(text) as { detail?: unknown }).detail;
    if (typeof detail === 'string') return detail;
    if (Array.isArray(detail)) {
      return detail
        .map((item: { loc?: unknown[]; msg?: string }) => `${(item.loc ?? []).join('.')}: ${item.msg ?? ''}`)
        .join('; ');
    }
    if (detail && typeof detail === 'object') return JSON.stringify(detail).slice(0, 300);
  } catch {
    // Not JSON (a proxy's HTML page, say): show its start.
  }
  return text.trim().slice(0, 300) || `HTTP ${status}`;
}
