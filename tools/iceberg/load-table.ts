import { rmSync } from 'node:fs';
import { z } from 'zod';
import { defineTool, type ToolContext } from '../core/types.js';
import { formatCount } from '../query/format.js';
import { onRef, parseTable, RefField, TableField } from './names.js';
import { RestCatalog } from './rest-client.js';
import { currentSchema } from './schema.js';
import { snapshotOut } from './snapshots.js';
import { stageDataset, writeDataset } from './write-data.js';

const Input = z.object({
  table: TableField,
  dataset: z
    .string()
    .min(1)
    .describe(
      "Workspace path of a CSV, Parquet or JSON file whose columns match the table, e.g. 'data/sales.csv'",
    ),
  mode: z
    .enum(['append', 'overwrite'])
    .default('append')
    .describe('append adds rows; overwrite replaces all rows (older snapshots stay readable)'),
  ref: RefField,
  dry_run: z
    .boolean()
    .default(false)
    .describe('Check the file against the table and count its rows; write nothing'),
});

type LoadInput = z.infer<typeof Input>;

const Output = z.object({
  table: z.string().describe('namespace.table'),
  dataset: z.string().describe('The file loaded, relative to the workspace'),
  mode: z.enum(['append', 'overwrite']).describe('How it was written'),
  rows: z.number().describe('Rows written (or that would be, on a dry run)'),
  dry_run: z.boolean().describe('True when nothing was written'),
  snapshot_id: z.string().optional().describe('The new current snapshot'),
  previous_snapshot_id: z.string().optional().describe('The snapshot before the write, for time travel back'),
  total_records: z.number().optional().describe('Rows in the table after the write'),
  ref: z.string().optional().describe('Nessie branch written to'),
});

export const icebergLoadTable = defineTool({
  name: 'iceberg_load_table',
  title: 'Load data into Iceberg table',
  description:
    'Append or overwrite a local CSV/Parquet/JSON file into an existing Iceberg table (on a Nessie branch when ref is given), through pyiceberg, as one atomic commit.',
  toolset: 'iceberg',
  positional: ['table', 'dataset'],
  input: Input,
  output: Output,
  // overwrite replaces every row, so the tool is destructive; invokeTool then confirms appends too.
  annotations: { readOnly: false, destructive: true, idempotent: false, openWorld: true },
  confirmSummary: (input, ctx) => confirmText(input, ctx),
  async run(input, ctx) {
    const catalog = await RestCatalog.open(ctx, input.ref, 'write');
    const table = parseTable(input.table);
    const loaded = await catalog.loadTable(table.namespace, table.name);
    const fields = currentSchema(loaded.metadata);
    const ref = catalog.ref ? { ref: catalog.ref } : {};
    if (input.dry_run) {
      const staged = await stageDataset(ctx, input.dataset, fields);
      rmSync(staged.path, { force: true });
      return {
        table: input.table,
        dataset: staged.dataset,
        mode: input.mode,
        rows: staged.rows,
        dry_run: true,
        ...ref,
      };
    }
    const result = await writeDataset(ctx, {
      table,
      ref: catalog.ref,
      dataset: input.dataset,
      mode: input.mode,
      fields,
    });
    return { table: input.table, mode: input.mode, dry_run: false, ...result, ...ref };
  },
  toText(output) {
    if (output.dry_run) {
      return `Dry run: ${output.dataset} fits ${output.table}; ${formatCount(output.rows)} rows would be ${output.mode === 'append' ? 'appended' : 'written over the current rows'}${onRef(output.ref)}`;
    }
    const total =
      output.total_records === undefined ? '' : `, ${formatCount(output.total_records)} rows in all`;
    const verb = output.mode === 'append' ? 'Appended' : 'Overwrote with';
    const before = output.previous_snapshot_id ? `; previous snapshot ${output.previous_snapshot_id}` : '';
    return `${verb} ${formatCount(output.rows)} rows from ${output.dataset} into ${output.table}${onRef(output.ref)}${total}. New snapshot ${output.snapshot_id ?? '?'}${before}`;
  },
});

async function confirmText(input: LoadInput, ctx: ToolContext): Promise<string> {
  const where = `${input.table}${onRef(input.ref)}`;
  if (input.mode === 'append')
    return `Append the rows of ${input.dataset} to ${where} (adds a snapshot; nothing is lost)`;
  let current = '';
  try {
    const catalog = await RestCatalog.open(ctx, input.ref, 'read');
    const table = parseTable(input.table);
    const { metadata } = await catalog.loadTable(table.namespace, table.name);
    const snap = (metadata.snapshots ?? []).find(
      (s) => String(s['snapshot-id']) === String(metadata['current-snapshot-id']),
    );
    const rows = snap ? snapshotOut(snap).total_records : 0;
    if (rows !== undefined) current = ` (its ${formatCount(rows)} current rows)`;
  } catch {
    // The summary is best effort; run() reports a missing table properly.
  }
  return `Replace every row of ${where}${current} with the rows of ${input.dataset}; older snapshots stay readable by time travel`;
}
