/**
 * A fetch-based client of the Iceberg REST catalog API (apache/iceberg open-api/rest-catalog-open-api.yaml),
 * as Nessie serves it at `/iceberg` or any other REST catalog does.
 *
 * Every session starts with `GET /v1/config` and uses the `prefix` the server hands back (from
 * `overrides`, else `defaults`), already URL-encoded. On Nessie the branch is chosen the way its
 * docs say: by putting the reference in the path before `/v1/config` (`/iceberg/dev/v1/config`),
 * and Nessie answers with the prefix for it: `dev`, or `dev%7Cwarehouse` when a warehouse is named
 * (`{ref}|{warehouse}`). A `/` in a branch name travels as 0x1F, Nessie's own encoding
 * (`agent/s1` → `agent%1Fs1`). Nessie marks itself with the `nessie.is-nessie-catalog` override.
 */
import { effectiveRef, type RefAccess } from '../nessie/work-branch.js';
import type { ToolContext } from '../core/types.js';
import { ToolError } from '../core/errors.js';
import { catalogError, networkError } from './errors.js';
import { parseJsonLossless } from './json.js';
import type { LoadTableResult, Props, TableIdentifierJson } from './metadata.js';

export type { Id, IcebergField, LoadTableResult, Props, Snapshot, TableMetadata } from './metadata.js';

export interface CatalogSettings {
  url: string;
  warehouse?: string;
  token?: string;
}

interface ConfigResponse {
  defaults?: Props;
  overrides?: Props;
}

const REQUEST_TIMEOUT_MS = 30_000;
const NAMESPACE_SEPARATOR = '\x1f';

/** Settings from the profile, or the error that says how to get a catalog. */
export function catalogSettings(ctx: ToolContext): CatalogSettings {
  const section = ctx.config.iceberg;
  if (!section?.url) {
    throw new ToolError('config', 'No Iceberg REST catalog is configured (iceberg.url)', {
      hint: 'Start the local lake with `datastack stack up`, then run with `--profile stack`; or set iceberg.url in datastack.yaml',
    });
  }
  return {
    url: section.url.replace(/\/+$/, ''),
    ...(section.warehouse ? { warehouse: section.warehouse } : {}),
    ...(section.token ? { token: section.token } : {}),
  };
}

/** A reference as one path segment, the way Nessie reads it back (`/` as 0x1F). */
export function refSegment(ref: string): string {
  return encodeURIComponent(ref.replace(/\//g, NAMESPACE_SEPARATOR));
}

export function namespacePath(levels: readonly string[]): string {
  return encodeURIComponent(levels.join(NAMESPACE_SEPARATOR));
}

/** One catalog, bound to one Nessie reference (or to the catalog's only state elsewhere). */
export class RestCatalog {
  readonly settings: CatalogSettings;
  readonly nessie: boolean;
  /** The branch or tag the calls use; on Nessie always known (the default branch when not given). */
  readonly ref: string | undefined;
  readonly prefix: string;
  /** defaults < overrides, as the server sent them. */
  readonly properties: Props;
  private readonly signal: AbortSignal;

  constructor(settings: CatalogSettings, config: ConfigResponse, signal: AbortSignal) {
    this.settings = settings;
    this.signal = signal;
    this.properties = { ...(config.defaults ?? {}), ...(config.overrides ?? {}) };
    this.nessie = this.properties['nessie.is-nessie-catalog'] === 'true';
    const branch = this.properties['nessie.default-branch.name'];
    this.ref = branch ? branch.split(NAMESPACE_SEPARATOR).join('/') : undefined;
    this.prefix = this.properties.prefix ?? '';
  }

  /**
   * Reads `/v1/config` (for `ref` on Nessie) and returns a catalog bound to it. Without a ref, an
   * agent's writes go to its working branch, and its reads see that branch once it exists.
   */
  static async open(ctx: ToolContext, requested?: string, access: RefAccess = 'read'): Promise<RestCatalog> {
    const settings = catalogSettings(ctx);
    const ref = await effectiveRef(ctx, requested, access);
    // `/v1/config` does not change while a process runs: ask once per catalog and reference.
    const config = (at: string | undefined) =>
      ctx.clients.get(`iceberg:config:${settings.url}|${settings.warehouse ?? ''}|${at ?? ''}`, () =>
        fetchConfig(settings, at, ctx.signal),
      );
    const base = await config(undefined);
    const probe = new RestCatalog(settings, base, ctx.signal);
    if (!ref) return probe;
    if (!probe.nessie) {
      throw new ToolError(
        'invalid_input',
        `The catalog at ${settings.url} is not Nessie, so it has no branches`,
        {
          hint: 'Drop the ref argument, or point iceberg.url at Nessie’s /iceberg endpoint',
        },
      );
    }
    return new RestCatalog(settings, await config(ref), ctx.signal);
  }

  /** Path under `/v1/{prefix}/`. */
  private path(rest: string): string {
    return `${this.settings.url}/v1/${this.prefix ? `${this.prefix}/` : ''}${rest}`;
  }

  async request<T>(
    method: string,
    rest: string,
    options: { query?: Record<string, string | undefined>; body?: unknown; what: string },
  ): Promise<T> {
    const url = new URL(this.path(rest));
    for (const [key, value] of Object.entries(options.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, value);
    const response = await send(this.settings, url, method, options.body, this.signal);
    if (response.status === 204) return undefined as T;
    const body = await readBody(response);
    if (!response.ok)
      throw catalogError(response.status, body, {
        url: this.settings.url,
        what: options.what,
        ref: this.ref,
      });
    return body as T;
  }

  /** Follows `next-page-token` until `limit` items or the end; `more` tells whether some were left. */
  async list<T>(
    rest: string,
    key: string,
    what: string,
    limit: number,
    query: Record<string, string | undefined> = {},
  ): Promise<{ items: T[]; more: boolean }> {
    const items: T[] = [];
    let token: string | undefined;
    for (;;) {
      const page = await this.request<Record<string, unknown>>('GET', rest, {
        query: { ...query, ...(token ? { pageToken: token } : {}) },
        what,
      });
      items.push(...((page[key] as T[] | undefined) ?? []));
      const next = page['next-page-token'];
      token = typeof next === 'string' && next !== '' ? next : undefined;
      if (!token || items.length >= limit)
        return { items: items.slice(0, limit), more: items.length > limit || token !== undefined };
    }
  }

  listNamespaces(parent: string[] | undefined, limit: number) {
    const query = parent ? { parent: parent.join(NAMESPACE_SEPARATOR) } : {};
    return this.list<string[]>('namespaces', 'namespaces', 'listing namespaces', limit, query);
  }

  createNamespace(levels: string[], properties: Props) {
    return this.request<{ namespace: string[]; properties?: Props }>('POST', 'namespaces', {
      body: { namespace: levels, properties },
      what: `creating namespace ${levels.join('.')}`,
    });
  }

  loadNamespace(levels: string[]) {
    return this.request<{ namespace: string[]; properties?: Props }>(
      'GET',
      `namespaces/${namespacePath(levels)}`,
      {
        what: `namespace ${levels.join('.')}`,
      },
    );
  }

  dropNamespace(levels: string[]) {
    return this.request<void>('DELETE', `namespaces/${namespacePath(levels)}`, {
      what: `namespace ${levels.join('.')}`,
    });
  }

  listTables(levels: string[], limit: number) {
    return this.list<TableIdentifierJson>(
      `namespaces/${namespacePath(levels)}/tables`,
      'identifiers',
      `tables of ${levels.join('.')}`,
      limit,
    );
  }

  loadTable(levels: string[], name: string, snapshots?: 'all' | 'refs') {
    return this.request<LoadTableResult>('GET', tablePath(levels, name), {
      query: { snapshots },
      what: `table ${[...levels, name].join('.')}`,
    });
  }

  createTable(levels: string[], body: Record<string, unknown>) {
    return this.request<LoadTableResult>('POST', `namespaces/${namespacePath(levels)}/tables`, {
      body,
      what: `table ${[...levels, String(body.name)].join('.')}`,
    });
  }

  dropTable(levels: string[], name: string, purge: boolean) {
    return this.request<void>('DELETE', tablePath(levels, name), {
      query: { purgeRequested: purge ? 'true' : undefined },
      what: `table ${[...levels, name].join('.')}`,
    });
  }
}

function tablePath(levels: readonly string[], name: string): string {
  return `namespaces/${namespacePath(levels)}/tables/${encodeURIComponent(name)}`;
}

async function fetchConfig(
  settings: CatalogSettings,
  ref: string | undefined,
  signal: AbortSignal,
): Promise<ConfigResponse> {
  const url = new URL(`${settings.url}${ref ? `/${refSegment(ref)}` : ''}/v1/config`);
  if (settings.warehouse) url.searchParams.set('warehouse', settings.warehouse);
  const response = await send(settings, url, 'GET', undefined, signal);
  const body = await readBody(response);
  if (!response.ok || typeof body !== 'object' || body === null) {
    if (response.status === 404 || typeof body !== 'object' || body === null) {
      throw new ToolError(
        'config',
        `No Iceberg REST catalog answers at ${settings.url} (GET /v1/config gave HTTP ${response.status})`,
        {
          hint: 'Check iceberg.url: for Nessie it is http://HOST:19120/iceberg (see `datastack config show`)',
        },
      );
    }
    throw catalogError(response.status, body, { url: settings.url, what: 'the catalog configuration', ref });
  }
  return body;
}

async function send(
  settings: CatalogSettings,
  url: URL,
  method: string,
  body: unknown,
  signal: AbortSignal,
): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (settings.token) headers.Authorization = `Bearer ${settings.token}`;
  try {
    return await fetch(url, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
    });
  } catch (error) {
    throw networkError(error, settings.url, signal);
  }
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return parseJsonLossless(text);
  } catch {
    return text;
  }
}
