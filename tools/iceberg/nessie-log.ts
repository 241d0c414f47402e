/**
 * A table's snapshot history on a Nessie branch. Nessie's Iceberg REST returns only the snapshot
 * of the branch's current commit (its docs: "Nessie will always return only the Iceberg table
 * snapshot that corresponds to the Nessie commit"), so older snapshots are found in the Nessie
 * commit log (API v2 `GET /trees/{ref}/history`, CEL-filtered on the table's key, with
 * `fetch=ALL` for the operations): each commit that PUT the table carries its snapshot id and
 * metadata location, and the table at that commit loads as `ref@hash`.
 */
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import { STATUS_HINT } from './errors.js';
import { parseJsonLossless } from './json.js';
import type { TableName } from './names.js';
import type { RestCatalog } from './rest-client.js';

export interface TableCommit {
  hash: string;
  /** ISO commit time. */
  time: string;
  message: string;
  snapshotId: string;
  metadataLocation: string;
}

interface LogEntry {
  commitMeta: { hash: string; commitTime: string; message: string };
  operations?: Array<{
    type: string;
    key: { elements: string[] };
    content?: { type: string; id: string; snapshotId?: number | string; metadataLocation?: string };
  }>;
}

const PAGE = 100;

export function nessieApiUrl(ctx: ToolContext, catalog: RestCatalog): string {
  const configured = ctx.config.nessie?.url;
  if (configured) return configured.replace(/\/+$/, '');
  const core = catalog.properties['nessie.core-base-uri'];
  if (core) return `${core.replace(/\/+$/, '')}/v2`;
  return catalog.settings.url.replace(/\/iceberg$/, '/api/v2');
}

/**
 * The commits of `ref` that gave the table a snapshot, newest first, up to `limit`. Stops where
 * the table was dropped or replaced by another table of the same name.
 */
export async function tableCommits(
  ctx: ToolContext,
  catalog: RestCatalog,
  table: TableName,
  limit: number,
): Promise<{ commits: TableCommit[]; more: boolean }> {
  const api = nessieApiUrl(ctx, catalog);
  const ref = catalog.ref ?? ctx.config.nessie?.default_branch ?? 'main';
  const elements = [...table.namespace, table.name];
  const key = elements.join('.');
  const commits: TableCommit[] = [];
  let contentId: string | undefined;
  let token: string | undefined;
  for (;;) {
    const url = new URL(`${api}/trees/${encodeURIComponent(ref)}/history`);
    url.searchParams.set('filter', `operations.exists(op, op.key == '${key}')`);
    url.searchParams.set('fetch', 'ALL');
    url.searchParams.set('max-records', String(PAGE));
    if (token) url.searchParams.set('page-token', token);
    const page = await getJson<{ logEntries?: LogEntry[]; hasMore?: boolean; token?: string }>(ctx, url, api);
    for (const entry of page.logEntries ?? []) {
      const op = entry.operations?.find((o) => o.key.elements.join('\0') === elements.join('\0'));
      if (!op || op.type !== 'PUT' || op.content?.type !== 'ICEBERG_TABLE') return { commits, more: false };
      contentId ??= op.content.id;
      if (op.content.id !== contentId) return { commits, more: false };
      const snapshotId = String(op.content.snapshotId ?? -1);
      if (snapshotId.startsWith('-')) continue;
      if (commits.length >= limit) return { commits, more: true };
      commits.push({
        hash: entry.commitMeta.hash,
        time: entry.commitMeta.commitTime,
        message: entry.commitMeta.message,
        snapshotId,
        metadataLocation: op.content.metadataLocation ?? '',
      });
    }
    if (!page.hasMore || !page.token) return { commits, more: false };
    token = page.token;
  }
}

async function getJson<T>(ctx: ToolContext, url: URL, api: string): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = ctx.config.nessie?.token ?? ctx.config.iceberg?.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers,
      signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(30_000)]),
    });
  } catch (error) {
    if (ctx.signal.aborted) throw new ToolError('aborted', 'Cancelled', { cause: error });
    throw new ToolError('unavailable', `Nessie at ${api} could not be reached for the commit log`, {
      hint: STATUS_HINT,
      cause: error,
    });
  }
  const text = await response.text();
  if (!response.ok) {
    let said = text.slice(0, 300);
    try {
      said = (JSON.parse(text) as { message?: string }).message ?? said;
    } catch {
      // not JSON: keep the text
    }
    const code =
      response.status === 404 ? 'not_found' : response.status >= 500 ? 'unavailable' : 'invalid_input';
    throw new ToolError(code, `Nessie's commit log failed (HTTP ${response.status}): ${said}`, {
      hint: code === 'unavailable' ? STATUS_HINT : 'Check the branch name',
    });
  }
  return parseJsonLossless(text) as T;
}
