import { z } from 'zod';
import { defineTool, type ToolContext } from '../core/types.js';
import { formatCount } from '../query/format.js';
import { onRef, parseTable, RefField, TableField } from './names.js';
import { RestCatalog } from './rest-client.js';
import { snapshotOut } from './snapshots.js';

const Input = z.object({
  table: TableField,
  ref: RefField,
  purge: z.boolean().default(false).describe('Also ask the catalog to delete the data and metadata files'),
  dry_run: z.boolean().default(false).describe('Only check the table exists and say what would be dropped'),
});

type DropInput = z.infer<typeof Input>;

const Output = z.object({
  table: z.string().describe('namespace.table'),
  dropped: z.boolean().describe('True when it was dropped (false on a dry run)'),
  purge: z.boolean().describe('Whether file deletion was requested'),
  rows: z.number().optional().describe('Rows the table held at its current snapshot'),
  ref: z.string().optional().describe('Nessie branch it was dropped on'),
});

export const icebergDropTable = defineTool({
  name: 'iceberg_drop_table',
  title: 'Drop Iceberg table',
  description:
    'Drop an Iceberg table from the catalog (on a Nessie branch when ref is given); purge also asks to delete its files. On Nessie, other branches keep it.',
  toolset: 'iceberg',
  positional: ['table'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: true, idempotent: false, openWorld: true },
  confirmSummary: async (input, ctx) => {
    const rows = await currentRows(input, ctx).catch(() => undefined);
    const held = rows === undefined ? '' : ` (${formatCount(rows)} rows)`;
    return `Drop table ${input.table}${held}${onRef(input.ref)}${input.purge ? ' and delete its files' : ''}`;
  },
  async run(input, ctx) {
    const catalog = await RestCatalog.open(ctx, input.ref, 'write');
    const table = parseTable(input.table);
    const loaded = await catalog.loadTable(table.namespace, table.name);
    const rows = rowsOf(loaded.metadata);
    if (!input.dry_run) await catalog.dropTable(table.namespace, table.name, input.purge);
    return {
      table: input.table,
      dropped: !input.dry_run,
      purge: input.purge,
      ...(rows !== undefined ? { rows } : {}),
      ...(catalog.ref ? { ref: catalog.ref } : {}),
    };
  },
  toText(output) {
    const rows = output.rows === undefined ? '' : ` (${formatCount(output.rows)} rows)`;
    return output.dropped
      ? `Dropped ${output.table}${rows}${onRef(output.ref)}${output.purge ? ', files purged' : ''}`
      : `Dry run: would drop ${output.table}${rows}${onRef(output.ref)}; nothing dropped`;
  },
});

async function currentRows(input: DropInput, ctx: ToolContext): Promise<number | undefined> {
  const catalog = await RestCatalog.open(ctx, input.ref, 'read');
  const table = parseTable(input.table);
  return rowsOf((await catalog.loadTable(table.namespace, table.name)).metadata);
}

function rowsOf(metadata: Awaited<ReturnType<RestCatalog['loadTable']>>['metadata']): number | undefined {
  const current = (metadata.snapshots ?? []).find(
    (s) => String(s['snapshot-id']) === String(metadata['current-snapshot-id']),
  );
  return current ? (snapshotOut(current).total_records ?? undefined) : 0;
}
