import { z } from 'zod';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';
import { formatCount } from '../query/format.js';
import { onRef, parseTable, RefField, TableField } from './names.js';
import { RestCatalog, type TableMetadata } from './rest-client.js';
import { currentSchema, typeText } from './schema.js';
import { snapshotLine, SnapshotOut, snapshotOut } from './snapshots.js';

const Input = z.object({
  table: TableField,
  ref: RefField,
});

const Output = z.object({
  table: z.string().describe('namespace.table'),
  ref: z.string().optional().describe('Nessie branch or tag that was read'),
  location: z.string().describe('Base location of the table’s files'),
  format_version: z.number().describe('Iceberg table format version'),
  uuid: z.string().describe('Table UUID'),
  columns: z
    .array(
      z.object({
        id: z.number().describe('Field id'),
        name: z.string().describe('Column name'),
        type: z.string().describe('Iceberg type, e.g. long, string, decimal(10, 2), timestamptz'),
        required: z.boolean().describe('True when NULLs are not allowed'),
      }),
    )
    .describe('Current schema'),
  partition_spec: z
    .array(
      z.object({
        name: z.string().describe('Partition field name'),
        source: z.string().describe('Source column'),
        transform: z.string().describe('identity, day, bucket[16], ...'),
      }),
    )
    .describe('Default partition spec; empty when unpartitioned'),
  sort_order: z
    .array(
      z.object({
        source: z.string().describe('Source column'),
        transform: z.string().describe('Transform'),
        direction: z.string().describe('asc or desc'),
        null_order: z.string().describe('nulls-first or nulls-last'),
      }),
    )
    .describe('Default sort order; empty when unsorted'),
  properties: z.record(z.string(), z.string()).describe('Table properties'),
  current_snapshot: SnapshotOut.optional().describe(
    'The current snapshot; absent while the table has no data',
  ),
  metadata_location: z.string().optional().describe('Current metadata file'),
});

export const icebergDescribeTable = defineTool({
  name: 'iceberg_describe_table',
  title: 'Describe Iceberg table',
  description:
    'Schema, partition spec, sort order, properties, location and current snapshot of an Iceberg table, on a Nessie branch when ref is given.',
  toolset: 'iceberg',
  positional: ['table'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const catalog = await RestCatalog.open(ctx, input.ref);
    const table = parseTable(input.table);
    const loaded = await catalog.loadTable(table.namespace, table.name);
    const described = describeMetadata(loaded.metadata);
    return {
      table: input.table,
      ...(catalog.ref ? { ref: catalog.ref } : {}),
      ...described,
      ...(loaded['metadata-location'] ? { metadata_location: loaded['metadata-location'] } : {}),
    };
  },
  toText(output) {
    const lines = [
      `${output.table}${onRef(output.ref)}: Iceberg v${output.format_version}, ${output.columns.length} columns at ${output.location}`,
    ];
    if (output.partition_spec.length > 0)
      lines.push(
        `partitioned by ${output.partition_spec.map((p) => `${p.transform}(${p.source})`).join(', ')}`,
      );
    if (output.sort_order.length > 0)
      lines.push(`sorted by ${output.sort_order.map((s) => `${s.source} ${s.direction}`).join(', ')}`);
    lines.push(
      output.current_snapshot
        ? `current snapshot: ${snapshotLine(output.current_snapshot)}`
        : 'no snapshot yet (empty table)',
    );
    const props = Object.entries(output.properties);
    if (props.length > 0) lines.push(`${formatCount(props.length)} properties`);
    const schema = output.columns
      .map((c) => `${c.name} ${c.type}${c.required ? ' NOT NULL' : ''}`)
      .join('\n');
    lines.push(fenceUntrusted('column names', schema));
    return lines.join('\n');
  },
});

export function describeMetadata(metadata: TableMetadata) {
  const fields = currentSchema(metadata);
  const nameOf = (id: number) => fields.find((f) => f.id === id)?.name ?? `#${id}`;
  const spec = (metadata['partition-specs'] ?? []).find((s) => s['spec-id'] === metadata['default-spec-id']);
  const order = (metadata['sort-orders'] ?? []).find(
    (o) => o['order-id'] === metadata['default-sort-order-id'],
  );
  const currentId = metadata['current-snapshot-id'];
  const current = (metadata.snapshots ?? []).find((s) => String(s['snapshot-id']) === String(currentId));
  return {
    location: metadata.location,
    format_version: metadata['format-version'],
    uuid: metadata['table-uuid'],
    columns: fields.map((f) => ({ id: f.id, name: f.name, type: typeText(f.type), required: f.required })),
    partition_spec: (spec?.fields ?? []).map((p) => ({
      name: p.name,
      source: nameOf(p['source-id']),
      transform: p.transform,
    })),
    sort_order: (order?.fields ?? []).map((s) => ({
      source: nameOf(s['source-id']),
      transform: s.transform,
      direction: s.direction,
      null_order: s['null-order'],
    })),
    properties: metadata.properties ?? {},
    ...(current ? { current_snapshot: snapshotOut(current) } : {}),
  };
}
