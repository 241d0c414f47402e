/**
 * A thin client for Dremio's REST API v3 on fetch. Auth is a personal access token
 * (`Authorization: Bearer <PAT>`) or a username and password exchanged at `POST /apiv2/login` for a
 * session token (`Authorization: _dremio<token>`), renewed once when Dremio answers 401 (sessions
 * expire). Every HTTP failure becomes a ToolError that says what to do next.
 * Docs: https://docs.dremio.com/current/reference/api/ (Authentication), …/api/sql, …/api/job.
 */
import { ToolError } from '../core/errors.js';
import { callService } from '../core/service-call.js';
import type { ApiError } from './model.js';

export interface DremioClientOptions {
  /** Base URL, e.g. `http://127.0.0.1:9047` (a trailing `/api/v3` is tolerated). */
  url: string;
  token?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
  /** Per-request limit; long jobs are polled, so no single request should take long. */
  timeoutMs?: number;
}

export type Query = Record<string, string | number | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Said after a 404, e.g. which tool shows what exists. */
  notFoundHint?: string;
}

const CREDENTIALS_HINT =
  'Set dremio.token to a personal access token (DREMIO_TOKEN), or dremio.username and dremio.password (DREMIO_USERNAME, DREMIO_PASSWORD)';

export class DremioClient {
  readonly base: string;
  private readonly options: DremioClientOptions;
  private readonly timeoutMs: number;
  /** The login in flight or done, shared by parallel calls so they log in once. */
  private session: Promise<string> | undefined;

  constructor(options: DremioClientOptions) {
    this.base = options.url.replace(/\/+$/, '').replace(/\/api\/v3$/, '');
    this.options = options;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** Calls `/api/v3/{path}`; a 401 on a session token logs in again and retries once. */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    let auth = await this.authorization(options.signal);
    let response = await this.send(method, `api/v3/${path}`, options, auth);
    if (response.status === 401 && this.usesLogin()) {
      this.session = undefined;
      auth = await this.authorization(options.signal);
      response = await this.send(method, `api/v3/${path}`, options, auth);
    }
    if (response.status >= 200 && response.status < 300) {
      return (response.text ? parseJson(response.text, this.base) : undefined) as T;
    }
    throw this.httpError(response.status, response.text, options);
  }

  get<T>(path: string, options?: RequestOptions): Promise<T> {
    return this.request<T>('GET', path, options);
  }

  post<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('POST', path, { ...options, body });
  }

  private usesLogin(): boolean {
    return !this.options.token && Boolean(this.options.username);
  }

  private async authorization(signal: AbortSignal | undefined): Promise<string | undefined> {
    if (this.options.token) return `Bearer ${this.options.token}`;
    if (!this.options.username) return undefined;
    this.session ??= this.login(signal);
    try {
      return `_dremio${await this.session}`;
    } catch (error) {
      this.session = undefined;
      throw error;
    }
  }

  private async login(signal: AbortSignal | undefined): Promise<string> {
    const body = { userName: this.options.username, password: this.options.password ?? '' };
    const response = await this.send(
      'POST',
      'apiv2/login',
      { body, ...(signal ? { signal } : {}) },
      undefined,
    );
    if (response.status === 401 || response.status === 403) {
      throw new ToolError(
        'unauthorized',
        `Dremio at ${this.base} refused the login of "${this.options.username}": ${errorText(response.text, response.status)}`,
        { hint: `Check the username and password. ${CREDENTIALS_HINT}` },
      );
    }
    if (response.status < 200 || response.status >= 300)
      throw this.httpError(response.status, response.text, {});
    const token = (parseJson(response.text, this.base) as { token?: unknown }).token;
    if (typeof token !== 'string' || token === '') {
      throw new ToolError('unavailable', `Dremio at ${this.base} answered the login without a token`, {
        hint: 'Is dremio.url the Dremio coordinator (port 9047)?',
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
        service: 'Dremio',
        base: this.base,
        timeoutMs: this.timeoutMs,
        timeoutCode: 'unavailable',
        timeoutHint: 'Is the coordinator overloaded or stuck? Retry later',
        unreachableHint:
          'Check dremio.url (DREMIO_URL) in the profile and that Dremio is up (`datastack doctor`)',
      },
    );
  }

  private httpError(status: number, text: string, options: RequestOptions): ToolError {
    const message = errorText(text, status);
    switch (status) {
      case 400:
        return new ToolError('invalid_input', `Dremio rejected the request: ${message}`);
      case 401:
        return new ToolError('unauthorized', `Dremio at ${this.base} refused the credentials: ${message}`, {
          hint: this.options.token
            ? `The token may be expired or revoked. ${CREDENTIALS_HINT}`
            : CREDENTIALS_HINT,
        });
      case 403:
        return new ToolError('unauthorized', `Dremio at ${this.base} does not allow this: ${message}`, {
          hint: 'Ask a Dremio admin for the privilege, or use another user',
        });
      case 404:
        return new ToolError(
          'not_found',
          message,
          options.notFoundHint ? { hint: options.notFoundHint } : {},
        );
      default:
        return new ToolError('unavailable', `Dremio at ${this.base} failed (HTTP ${status}): ${message}`, {
          hint: 'Retry later; if it persists, look at the Dremio server log',
        });
    }
  }
}

function errorText(text: string, status: number): string {
  try {
    const body = JSON.parse(text) as ApiError;
    if (body.errorMessage) return body.errorMessage;
  } catch {
    // Not JSON (a proxy's HTML page, say): show its start.
  }
  return text.trim().slice(0, 300) || `HTTP ${status}`;
}

function parseJson(text: string, base: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ToolError('unavailable', `Dremio at ${base} answered with something that is not JSON`, {
      cause: error,
      hint: 'Is dremio.url the Dremio coordinator (port 9047), not a proxy or another service?',
    });
  }
}
