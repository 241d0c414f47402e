import { z } from 'zod';
import { defineTool, type ToolContext } from '../core/types.js';
import { nessieApiUrl, tableCommits } from './nessie-log.js';
import { onRef, parseTable, RefField, TableField, type TableName } from './names.js';
import { RestCatalog } from './rest-client.js';
import { snapshotLine, SnapshotOut, snapshotOut, type SnapshotSummary } from './snapshots.js';

const Input = z.object({
  table: TableField,
  ref: RefField,
  limit: z.number().int().min(1).max(500).default(20).describe('Most snapshots to return, newest first'),
});

const Output = z.object({
  table: z.string().describe('namespace.table'),
  ref: z.string().optional().describe('Nessie branch or tag whose history was read'),
  current_snapshot_id: z.string().optional().describe('The snapshot the table is at now'),
  snapshots: z.array(SnapshotOut).describe('Snapshots, newest first'),
  refs: z
    .record(z.string(), z.string())
    .optional()
    .describe('Iceberg refs (branches and tags inside the table) → snapshot id'),
  more: z.boolean().describe('True when older snapshots were left out'),
  source: z
    .enum(['nessie_log', 'table_metadata'])
    .describe('Where the history came from: Nessie’s commit log or the table metadata'),
});

export const icebergListSnapshots = defineTool({
  name: 'iceberg_list_snapshots',
  title: 'List Iceberg snapshots',
  description:
    'Snapshot history of an Iceberg table, newest first: id, time, operation, rows added and total, and the Nessie commit. Use an id with iceberg_query_table for time travel.',
  toolset: 'iceberg',
  positional: ['table'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const catalog = await RestCatalog.open(ctx, input.ref);
    const table = parseTable(input.table);
    const loaded = await catalog.loadTable(table.namespace, table.name, catalog.nessie ? undefined : 'all');
    const metadata = loaded.metadata;
    const currentId = metadata['current-snapshot-id'];
    const refs = Object.fromEntries(
      Object.entries(metadata.refs ?? {}).map(([name, r]) => [name, String(r['snapshot-id'])]),
    );
    const base = {
      table: input.table,
      ...(catalog.ref ? { ref: catalog.ref } : {}),
      ...(currentId !== undefined && currentId !== null && String(currentId) !== '-1'
        ? { current_snapshot_id: String(currentId) }
        : {}),
      ...(Object.keys(refs).length > 0 ? { refs } : {}),
    };
    if (catalog.nessie) {
      const { snapshots, more } = await nessieSnapshots(ctx, catalog, table, input.limit);
      return { ...base, snapshots, more, source: 'nessie_log' as const };
    }
    const all = [...(metadata.snapshots ?? [])].sort((a, b) => b['timestamp-ms'] - a['timestamp-ms']);
    return {
      ...base,
      snapshots: all.slice(0, input.limit).map((s) => snapshotOut(s)),
      more: all.length > input.limit,
      source: 'table_metadata' as const,
    };
  },
  toText(output) {
    const n = output.snapshots.length;
    const head = `${output.table}${onRef(output.ref)}: ${n}${output.more ? '+' : ''} snapshot${n === 1 ? '' : 's'}, newest first${output.current_snapshot_id ? ` (current ${output.current_snapshot_id})` : ''}`;
    return [head, ...output.snapshots.map(snapshotLine)].join('\n');
  },
});

/** Each Nessie commit of the table, with its snapshot read from the table as of that commit. */
async function nessieSnapshots(ctx: ToolContext, catalog: RestCatalog, table: TableName, limit: number) {
  ctx.log.debug(`reading the commit log of ${table.full} from ${nessieApiUrl(ctx, catalog)}`);
  const { commits, more } = await tableCommits(ctx, catalog, table, limit);
  const snapshots: SnapshotSummary[] = new Array<SnapshotSummary>(commits.length);
  let next = 0;
  const worker = async () => {
    while (next < commits.length) {
      const index = next++;
      const commit = commits[index];
      if (!commit) continue;
      const parent = commits[index + 1]?.snapshotId;
      // `name#hash`: Nessie's Iceberg REST reads the table as of that commit.
      const loaded = await catalog.loadTable(table.namespace, `${table.name}#${commit.hash}`);
      const snapshot = (loaded.metadata.snapshots ?? []).find(
        (s) => String(s['snapshot-id']) === commit.snapshotId,
      );
      snapshots[index] = snapshot
        ? snapshotOut(snapshot, {
            commit: commit.hash,
            committedAt: commit.time,
            ...(parent ? { parent } : {}),
          })
        : {
            snapshot_id: commit.snapshotId,
            timestamp: commit.time,
            commit: commit.hash,
            committed_at: commit.time,
            ...(parent ? { parent_id: parent } : {}),
          };
      ctx.progress({
        done: snapshots.filter(Boolean).length,
        total: commits.length,
        message: 'snapshots read',
      });
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return { snapshots, more };
}
