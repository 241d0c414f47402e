import { z } from 'zod';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';
import { datasetColumns, resolveDataset } from '../query/dataset.js';
import { withConnection } from '../query/duckdb-client.js';
import { formatCount } from '../query/format.js';
import { onRef, parseTable, RefField, TableField } from './names.js';
import { RestCatalog } from './rest-client.js';
import { currentSchema, mapDuckDbType, partitionSpec, schemaJson } from './schema.js';
import { writeDataset } from './write-data.js';

const Input = z.object({
  table: TableField,
  dataset: z
    .string()
    .min(1)
    .describe(
      "Workspace path of a CSV, Parquet or JSON file whose schema the table takes, e.g. 'data/sales.csv'",
    ),
  partition_by: z
    .string()
    .optional()
    .describe(
      'Partition field: a column, or day(col), month(col), year(col), hour(col), bucket(16, col), truncate(4, col)',
    ),
  properties: z
    .record(z.string(), z.string())
    .optional()
    .describe('Table properties, e.g. { "write.parquet.compression-codec": "zstd" }'),
  load: z.boolean().default(false).describe('Also append the dataset’s rows after creating the table'),
  ref: RefField,
});

const Output = z.object({
  table: z.string().describe('namespace.table'),
  dataset: z.string().describe('The file the schema came from'),
  columns: z
    .array(
      z.object({
        name: z.string().describe('Column name'),
        type: z.string().describe('Iceberg type'),
        source_type: z.string().describe('DuckDB type read from the file'),
      }),
    )
    .describe('The table’s schema'),
  partition: z.string().optional().describe('The partition field, as transform(column)'),
  location: z.string().describe('Where the catalog put the table'),
  loaded_rows: z.number().optional().describe('Rows appended (with load)'),
  snapshot_id: z.string().optional().describe('Snapshot of the load (with load)'),
  ref: z.string().optional().describe('Nessie branch it was created on'),
});

export const icebergCreateTable = defineTool({
  name: 'iceberg_create_table',
  title: 'Create Iceberg table from a dataset',
  description:
    'Create an Iceberg table whose schema DuckDB infers from a local CSV/Parquet/JSON file (on a Nessie branch when ref is given); optional partitioning; load=true also appends the rows.',
  toolset: 'iceberg',
  positional: ['table', 'dataset'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: true },
  async run(input, ctx) {
    const table = parseTable(input.table);
    const dataset = resolveDataset(ctx, input.dataset);
    const columns = (await withConnection(ctx, (connection) => datasetColumns(connection, dataset))).map(
      (c) => mapDuckDbType(c.name, c.type),
    );
    const partition = input.partition_by ? partitionSpec(input.partition_by, columns) : undefined;
    const catalog = await RestCatalog.open(ctx, input.ref, 'write');
    const created = await catalog.createTable(table.namespace, {
      name: table.name,
      schema: schemaJson(columns),
      ...(partition ? { 'partition-spec': partition.spec } : {}),
      properties: input.properties ?? {},
      // Optional in the spec, required by Nessie's request parser.
      'stage-create': false,
    });
    const out = {
      table: input.table,
      dataset: dataset.display,
      columns: columns.map((c) => ({ name: c.name, type: c.iceberg, source_type: c.source })),
      ...(partition ? { partition: partition.label } : {}),
      location: created.metadata.location,
      ...(catalog.ref ? { ref: catalog.ref } : {}),
    };
    if (!input.load) return out;
    const written = await writeDataset(ctx, {
      table,
      ref: catalog.ref,
      dataset: input.dataset,
      mode: 'append',
      fields: currentSchema(created.metadata),
    });
    return {
      ...out,
      loaded_rows: written.rows,
      ...(written.snapshot_id ? { snapshot_id: written.snapshot_id } : {}),
    };
  },
  toText(output) {
    const lines = [
      `Created ${output.table}${onRef(output.ref)} from ${output.dataset} at ${output.location}${output.partition ? `, partitioned by ${output.partition}` : ''}`,
    ];
    if (output.loaded_rows !== undefined)
      lines.push(`Loaded ${formatCount(output.loaded_rows)} rows (snapshot ${output.snapshot_id ?? '?'})`);
    lines.push(fenceUntrusted('column names', output.columns.map((c) => `${c.name} ${c.type}`).join('\n')));
    return lines.join('\n');
  },
});
