import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';

const Input = z.object({
  path: z
    .string()
    .optional()
    .describe('Dataset path as in Dremio SQL: Samples."samples.dremio.com"."zips.json"'),
  id: z.string().optional().describe('Catalog id instead of a path (dremio_catalog lists ids)'),
});

const Output = z.object({
  path: z.string().describe('Full path of the dataset, ready for SQL'),
  id: z.string().describe('Catalog id'),
  kind: z.string().describe('table (physical dataset) or view (virtual dataset)'),
  fields: z
    .array(
      z.object({
        name: z.string().describe('Column name'),
        type: z.string().describe('Dremio type, e.g. VARCHAR, DECIMAL(10,2)'),
      }),
    )
    .describe('Columns in order'),
  sql: z.string().optional().describe('For a view: the SQL that defines it'),
});

export const dremioDescribe = defineTool({
  name: 'dremio_describe',
  title: 'Describe a Dremio dataset',
  description: "A Dremio table's or view's columns and types (and a view's SQL), by path or catalog id.",
  toolset: 'dremio',
  action: 'describe',
  positional: ['path'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    if (!input.path === !input.id) {
      throw new ToolError('invalid_input', 'Give the dataset path or its id (one of them)', {
        hint: 'e.g. `datastack dremio describe Samples."samples.dremio.com"."zips.json"`',
      });
    }
    const [{ dremioClient }, catalog, { typeText }, { formatDremioPath, parseDremioPath }] =
      await Promise.all([
        import('./connect.js'),
        import('./catalog.js'),
        import('./model.js'),
        import('./path.js'),
      ]);
    const client = await dremioClient(ctx);
    const entity = input.path
      ? await catalog.entityByPath(client, parseDremioPath(input.path), ctx.signal)
      : await catalog.entityById(client, input.id ?? '', ctx.signal);
    const path = formatDremioPath(catalog.entityPath(entity));
    if (entity.entityType !== 'dataset') {
      throw new ToolError('invalid_input', `${path} is a ${entity.entityType}, not a dataset`, {
        hint: `List what it holds with \`datastack dremio catalog '${path}'\` (dremio_catalog)`,
      });
    }
    return {
      path,
      id: entity.id,
      kind: entity.type === 'VIRTUAL_DATASET' ? 'view' : 'table',
      fields: (entity.fields ?? []).map((f, i) => ({ name: f.name ?? `column${i}`, type: typeText(f.type) })),
      ...(entity.sql ? { sql: entity.sql } : {}),
    };
  },
  toText(output) {
    const columns = output.fields.map((f) => `${f.name} ${f.type}`).join('\n');
    const body = output.sql ? `${columns}\nview SQL: ${output.sql}` : columns;
    return `${output.kind} ${output.path} (${output.fields.length} columns)\n${fenceUntrusted('dataset schema', body)}`;
  },
});
