/**
 * Reading Dremio's catalog: `GET /api/v3/catalog` (the root: spaces, sources, the user's home),
 * `GET /api/v3/catalog/by-path/{a}/{b}` and `GET /api/v3/catalog/{id}` (one entity, with its
 * children when it is a container, its fields when it is a dataset).
 * Docs: https://docs.dremio.com/current/reference/api/catalog/.
 */
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import type { CatalogOutput } from './browse-catalog.js';
import type { DremioClient } from './client.js';
import { dremioClient } from './connect.js';
import type { ApiCatalogEntity, ApiCatalogItem } from './model.js';
import { byPathUrl, formatDremioPath, parseDremioPath } from './path.js';

const BROWSE_HINT = 'See what exists with `datastack dremio catalog` (dremio_catalog), from the root down';

export async function browseCatalog(path: string | undefined, ctx: ToolContext): Promise<CatalogOutput> {
  const client = await dremioClient(ctx);
  if (!path) {
    const root = await client.get<{ data: ApiCatalogItem[] }>('catalog', { signal: ctx.signal });
    return { path: '', kind: 'root', entries: (root.data ?? []).map(entry) };
  }
  const entity = await entityByPath(client, parseDremioPath(path), ctx.signal);
  const kind = entity.entityType;
  if (kind === 'dataset') {
    return { path: formatDremioPath(entityPath(entity)), kind, entries: [] };
  }
  return { path: formatDremioPath(entityPath(entity)), kind, entries: (entity.children ?? []).map(entry) };
}

export function entityByPath(
  client: DremioClient,
  segments: string[],
  signal: AbortSignal,
): Promise<ApiCatalogEntity> {
  return client.get<ApiCatalogEntity>(byPathUrl(segments), {
    signal,
    notFoundHint: `Nothing at ${formatDremioPath(segments)}. ${BROWSE_HINT}`,
  });
}

export function entityById(client: DremioClient, id: string, signal: AbortSignal): Promise<ApiCatalogEntity> {
  return client.get<ApiCatalogEntity>(`catalog/${encodeURIComponent(id)}`, {
    signal,
    notFoundHint: `No catalog entity has id ${id}. ${BROWSE_HINT}`,
  });
}

/** Spaces, sources and homes carry a name; folders and datasets a path. */
export function entityPath(entity: ApiCatalogEntity): string[] {
  if (entity.path && entity.path.length > 0) return entity.path;
  if (entity.name) return [entity.name];
  throw new ToolError('unavailable', `Dremio returned catalog entity ${entity.id} without a path or name`);
}

function entry(item: ApiCatalogItem): CatalogOutput['entries'][number] {
  return {
    name: item.path.at(-1) ?? '',
    path: formatDremioPath(item.path),
    kind: itemKind(item),
    id: item.id,
  };
}

function itemKind(item: ApiCatalogItem): string {
  if (item.type === 'CONTAINER') return (item.containerType ?? 'container').toLowerCase();
  if (item.type === 'FILE') return 'file';
  return item.datasetType === 'VIRTUAL' ? 'view' : 'table';
}
