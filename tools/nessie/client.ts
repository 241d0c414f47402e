/**
 * A thin client for Nessie's REST API v2 on fetch: timeouts joined with the tool's abort signal,
 * a bearer token when configured, paging, and every HTTP failure turned into a ToolError a person
 * can act on. Tools get it with `nessieClient(ctx)`; one per Nessie URL lives in the client pool.
 */
import { ToolError } from '../core/errors.js';
import { callService } from '../core/service-call.js';
import type { ToolContext } from '../core/types.js';
import { describeRef, shortHash, type ApiReference } from './model.js';

export interface NessieClientOptions {
  /** Nessie's base URL: `http://host:19120`, `…/api/v2` or `…/api/v1` (v2 is always used). */
  url: string;
  token?: string | undefined;
  timeoutMs?: number;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /**
   * A write pinned at `name@hash`: a 409 then means the reference moved, and the error says where
   * it is now (one more read) instead of Nessie's raw message.
   */
  pin?: { name: string; hash: string };
  /** Said after a 404, e.g. which tool lists what exists. */
  notFoundHint?: string;
}

export interface Page<T> {
  items: T[];
  more: boolean;
  token?: string;
}

interface NessieErrorBody {
  status?: number;
  message?: string;
  errorCode?: string;
}

const STATUS_HINT = 'Check it with `datastack stack status`';

export class NessieClient {
  readonly base: string;
  private readonly token: string | undefined;
  private readonly timeoutMs: number;

  constructor(options: NessieClientOptions) {
    this.base = apiBase(options.url);
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const { status, text } = await callService(
      {
        method,
        url: `${this.base}/${path}`,
        query: options.query,
        json: options.body,
        authorization: this.token ? `Bearer ${this.token}` : undefined,
        signal: options.signal,
      },
      {
        service: 'Nessie',
        base: this.base,
        timeoutMs: this.timeoutMs,
        timeoutCode: 'unavailable',
        timeoutHint: `Is it overloaded or stuck? ${STATUS_HINT}`,
        unreachableHint: STATUS_HINT,
      },
    );
    if (status >= 200 && status < 300) return (text ? parseJson(text) : undefined) as T;
    throw await this.httpError(status, text, options);
  }

  get<T>(path: string, options?: RequestOptions): Promise<T> {
    return this.request<T>('GET', path, options);
  }

  /** The reference `name` as it is now (type and head hash). */
  async getReference(name: string, signal?: AbortSignal): Promise<ApiReference> {
    const body = await this.get<{ reference: ApiReference }>(`trees/${refPath(name)}`, {
      ...(signal ? { signal } : {}),
      notFoundHint: 'See the references that exist with nessie_list_references',
    });
    return body.reference;
  }

  /**
   * Reads pages of a v2 listing until `limit` items (or the end). Nessie decides its page sizes,
   * so a page is kept whole rather than cut, which would lose the items its token skips.
   */
  async pages<T>(
    path: string,
    field: string,
    options: { query?: Query; limit: number; pageToken?: string | undefined; signal?: AbortSignal },
  ): Promise<Page<T> & { body: Record<string, unknown> }> {
    const items: T[] = [];
    let token = options.pageToken;
    let body: Record<string, unknown> = {};
    for (;;) {
      body = await this.get<Record<string, unknown>>(path, {
        query: { ...options.query, 'max-records': options.limit - items.length, 'page-token': token },
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const got = (body[field] as T[] | null) ?? [];
      items.push(...got);
      const next = typeof body.token === 'string' && body.hasMore === true ? body.token : undefined;
      if (!next) return { items, more: false, body };
      token = next;
      // An empty page with a token would loop forever: hand the token back instead.
      if (items.length >= options.limit || got.length === 0) return { items, more: true, token, body };
    }
  }

  private async httpError(status: number, text: string, options: RequestOptions): Promise<ToolError> {
    let body: NessieErrorBody = {};
    try {
      body = JSON.parse(text) as NessieErrorBody;
    } catch {
      body = { message: text.slice(0, 300) };
    }
    const message = body.message || `HTTP ${status}`;
    switch (status) {
      case 400:
        return new ToolError('invalid_input', `Nessie rejected the request: ${message}`);
      case 401:
      case 403:
        return new ToolError('unauthorized', `Nessie at ${this.base} refused access: ${message}`, {
          hint: 'Set nessie.token in the profile to a token Nessie accepts',
        });
      case 404:
        return new ToolError(
          'not_found',
          message,
          options.notFoundHint ? { hint: options.notFoundHint } : {},
        );
      case 409:
        return this.conflictError(body, message, options);
      default:
        return new ToolError('unavailable', `Nessie at ${this.base} failed (HTTP ${status}): ${message}`, {
          hint: `Retry later; if it persists, ${STATUS_HINT} and its logs (\`datastack stack logs nessie\`)`,
        });
    }
  }

  private async conflictError(
    body: NessieErrorBody,
    message: string,
    options: RequestOptions,
  ): Promise<ToolError> {
    if (body.errorCode === 'REFERENCE_ALREADY_EXISTS') {
      return new ToolError('conflict', message, {
        hint: 'Pick another name, or delete the existing reference first',
      });
    }
    const pin = options.pin;
    if (pin && body.errorCode === 'REFERENCE_CONFLICT') {
      const now = await this.getReference(pin.name, options.signal).catch(() => undefined);
      if (now && now.hash !== pin.hash)
        return movedError({ type: now.type, name: pin.name }, pin.hash, now.hash ?? '?');
    }
    return new ToolError('conflict', message, { hint: 'Read the current state again, then retry' });
  }
}

/** The error of a write pinned at a hash the reference has left. */
export function movedError(ref: { type: string; name: string }, expected: string, now: string): ToolError {
  return new ToolError('conflict', `${describeRef(ref)} moved since you read it (now at ${now})`, {
    hint: `It was expected at ${shortHash(expected)}; look at what changed (nessie_log), then retry with the new hash`,
  });
}

/** `nessie.url` in any of its usual spellings → the v2 API root. */
export function apiBase(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  if (/\/api\/v2$/.test(trimmed)) return trimmed;
  if (/\/api\/v1$/.test(trimmed)) return trimmed.replace(/v1$/, 'v2');
  if (/\/api$/.test(trimmed)) return `${trimmed}/v2`;
  return `${trimmed}/api/v2`;
}

/**
 * A reference in a URL path, as Nessie's own client writes it (Util.toPathStringRef): `name@hash`;
 * a name holding '/' always ends in '@' so the server can tell where it stops.
 */
export function refPath(name: string, hash?: string): string {
  const text = hash ? `${name}@${hash}` : name.includes('/') ? `${name}@` : name;
  return encodeURIComponent(text).replace(/%2F/gi, '/').replace(/%40/g, '@');
}

/**
 * JSON.parse, except that integers too long for a double (Iceberg snapshot ids are random 63-bit
 * numbers) are kept exactly, as strings. Strings in the text are skipped over, never rewritten.
 */
export function parseJson(text: string): unknown {
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip a string literal, honouring backslash escapes.
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      const match = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      const literal = match?.[0] ?? '';
      if (/^-?\d{16,}$/.test(literal) && !Number.isSafeInteger(Number(literal))) {
        out += `${text.slice(last, i)}"${literal}"`;
        last = i + literal.length;
      }
      i += Math.max(literal.length - 1, 0);
    }
  }
  return JSON.parse(last === 0 ? text : out + text.slice(last));
}

/** The Nessie client of the context's profile; a ToolError('config') when the profile has none. */
export function nessieClient(ctx: ToolContext): Promise<NessieClient> {
  const section = ctx.config.nessie;
  if (!section) {
    return Promise.reject(
      new ToolError('config', `No Nessie is configured in profile "${ctx.config.profile}"`, {
        hint: 'Start the local services with `datastack stack up`, then run with `--profile stack` (or add nessie.url to datastack.yaml)',
      }),
    );
  }
  return ctx.clients.get(`nessie:${section.url}`, () =>
    Promise.resolve(new NessieClient({ url: section.url, token: section.token })),
  );
}
