import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool, type ToolContext } from '../core/types.js';
import { sqlString } from '../query/duckdb-client.js';
import { formatCount } from '../query/format.js';
import { querySql } from '../query/run-sql.js';
import { idText } from './json.js';
import { tableCommits } from './nessie-log.js';
import { onRef, parseTable, RefField, TableField, type TableName } from './names.js';
import { pyicebergCatalog, runIcebergIo } from './python-runner.js';
import { RestCatalog } from './rest-client.js';

const Input = z.object({
  table: TableField,
  ref: RefField,
  snapshot_id: z
    .string()
    .regex(/^\d{1,19}$/, 'a snapshot id is digits')
    .optional()
    .describe('Read the table as of this snapshot (from iceberg_list_snapshots), as text'),
  as_of: z
    .string()
    .refine((v) => !Number.isNaN(Date.parse(v)), 'not a date-time')
    .optional()
    .describe(
      "Read the table as it was at this time, ISO 8601, e.g. '2026-01-31T12:00:00Z' (on Nessie: as of the branch's commits)",
    ),
  columns: z.array(z.string().min(1)).optional().describe('Columns to read (default: all)'),
  row_filter: z
    .string()
    .optional()
    .describe('pyiceberg row filter, e.g. "weather == \'rain\' and temp_max > 20"'),
  limit: z.number().int().min(1).optional().describe('Most rows to read from the table into the result file'),
  max_rows: z
    .number()
    .int()
    .min(0)
    .max(10_000)
    .optional()
    .describe('Rows to show (default: query.max_rows, 50)'),
});

type TableQueryInput = z.infer<typeof Input>;

const Output = z.object({
  table: z.string().describe('namespace.table'),
  ref: z.string().optional().describe('Nessie branch or tag read'),
  snapshot_id: z.string().optional().describe('The snapshot read; absent for a table with no data'),
  commit: z.string().optional().describe('Nessie commit the snapshot was read at (time travel on Nessie)'),
  columns: z
    .array(z.object({ name: z.string().describe('Column name'), type: z.string().describe('DuckDB type') }))
    .describe('Result schema'),
  row_count: z.number().describe('Rows read in all (in the result file)'),
  rows: z.array(z.record(z.string(), z.unknown())).describe('The first rows, keyed by column'),
  truncated: z.boolean().describe('True when row_count is more than the rows shown'),
  result_file: z.string().describe('Workspace path of the Parquet file holding every row read'),
  elapsed_ms: z.number().describe('Time the read took, in milliseconds'),
});

type TableQueryOutput = z.infer<typeof Output>;

export const icebergQueryTable = defineTool({
  name: 'iceberg_query_table',
  title: 'Read Iceberg table',
  description:
    'Read an Iceberg table now, at a snapshot_id or an as_of time (time travel), or on a Nessie branch; optional columns and row_filter. Writes all rows to a Parquet file, shows the first.',
  toolset: 'iceberg',
  positional: ['table'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  run: readTable,
  toText(output) {
    const at = output.snapshot_id
      ? ` at snapshot ${output.snapshot_id}${output.commit ? ` (Nessie commit ${output.commit.slice(0, 12)})` : ''}`
      : ' (no snapshot: empty table)';
    const head = `${output.table}${onRef(output.ref)}${at}: ${formatCount(output.row_count)} rows read, all in ${output.result_file}`;
    const { table: _t, ref: _r, snapshot_id: _s, commit: _c, ...preview } = output;
    return `${head}\n${querySql.toText?.(preview) ?? ''}`;
  },
});

interface ScanAnswer {
  rows: number;
  snapshot_id?: unknown;
}

async function readTable(input: TableQueryInput, ctx: ToolContext): Promise<TableQueryOutput> {
  const started = performance.now();
  if (input.snapshot_id && input.as_of) {
    throw new ToolError('invalid_input', 'Give snapshot_id or as_of, not both');
  }
  const catalog = await RestCatalog.open(ctx, input.ref);
  const table = parseTable(input.table);
  await catalog.loadTable(table.namespace, table.name);
  const travel = await timeTravel(ctx, catalog, table, input);

  const out = ctx.sink.allocate(`iceberg-${table.name}`, 'parquet');
  const answer = await runIcebergIo<ScanAnswer>(ctx, {
    op: 'scan',
    catalog: pyicebergCatalog(ctx, travel.ref),
    table: [...table.namespace, table.name],
    out,
    ...(travel.snapshotId ? { snapshot_id: travel.snapshotId } : {}),
    ...(travel.asOfMs !== undefined ? { as_of_ms: travel.asOfMs } : {}),
    ...(input.row_filter ? { row_filter: input.row_filter } : {}),
    ...(input.columns ? { columns: input.columns } : {}),
    ...(input.limit ? { limit: input.limit } : {}),
  });
  const preview = (await querySql.run(
    {
      sql: `select * from ${sqlString(out)}`,
      ...(input.max_rows !== undefined ? { max_rows: input.max_rows } : {}),
    },
    ctx,
  )) as Pick<TableQueryOutput, 'columns' | 'row_count' | 'rows' | 'truncated'>;
  const snapshot = idText(answer.snapshot_id);
  return {
    table: input.table,
    ...(catalog.ref ? { ref: catalog.ref } : {}),
    ...(snapshot ? { snapshot_id: snapshot } : {}),
    ...(travel.commit ? { commit: travel.commit } : {}),
    columns: preview.columns,
    row_count: preview.row_count,
    rows: preview.rows,
    truncated: preview.truncated,
    result_file: ctx.workspace.display(out),
    elapsed_ms: Math.round(performance.now() - started),
  };
}

interface Travel {
  /** Reference pyiceberg opens: the branch, or `branch@hash` for a past Nessie commit. */
  ref: string | undefined;
  snapshotId?: string;
  asOfMs?: number;
  commit?: string;
}

/**
 * On Nessie a past snapshot is read at the commit that made it (Nessie serves one snapshot per
 * commit); elsewhere pyiceberg picks it from the table metadata.
 */
async function timeTravel(
  ctx: ToolContext,
  catalog: RestCatalog,
  table: TableName,
  input: TableQueryInput,
): Promise<Travel> {
  const asOfMs = input.as_of ? Date.parse(input.as_of) : undefined;
  if (!catalog.nessie || (!input.snapshot_id && asOfMs === undefined)) {
    return {
      ref: catalog.ref,
      ...(input.snapshot_id ? { snapshotId: input.snapshot_id } : {}),
      ...(asOfMs !== undefined ? { asOfMs } : {}),
    };
  }
  const { commits } = await tableCommits(ctx, catalog, table, 10_000);
  const hit = input.snapshot_id
    ? commits.find((c) => c.snapshotId === input.snapshot_id)
    : commits.find((c) => Date.parse(c.time) <= (asOfMs ?? 0));
  if (!hit) {
    const what = input.snapshot_id
      ? `snapshot ${input.snapshot_id}`
      : `a snapshot at or before ${input.as_of}`;
    throw new ToolError('not_found', `${table.full}${onRef(catalog.ref)} has no ${what}`, {
      hint: `See its snapshots with \`datastack iceberg list-snapshots ${table.full}${catalog.ref ? ` --ref ${catalog.ref}` : ''}\``,
    });
  }
  return { ref: `${catalog.ref ?? 'main'}@${hit.hash}`, snapshotId: hit.snapshotId, commit: hit.hash };
}
