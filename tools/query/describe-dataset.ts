import { z } from 'zod';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';
import { datasetColumns, datasetRowCount, resolveDataset } from './dataset.js';
import { withConnection } from './duckdb-client.js';
import { formatBytes, formatCount } from './format.js';

const Input = z.object({
  dataset: z.string().min(1).describe("Workspace path of a CSV, Parquet or JSON file, e.g. 'data/sales.csv'"),
});

const Output = z.object({
  dataset: z.string().describe('Path relative to the workspace'),
  format: z.enum(['csv', 'parquet', 'json']).describe('File format'),
  bytes: z.number().describe('File size in bytes'),
  row_count: z.number().describe('Rows in the file (exact)'),
  columns: z
    .array(z.object({ name: z.string().describe('Column name'), type: z.string().describe('DuckDB type') }))
    .describe('Columns in file order, with the types DuckDB reads them as'),
});

export const queryDescribe = defineTool({
  name: 'query_describe',
  title: 'Describe dataset',
  description: 'Schema (columns and types), row count, format and size of one CSV, Parquet or JSON file.',
  toolset: 'query',
  positional: ['dataset'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
  async run(input, ctx) {
    const dataset = resolveDataset(ctx, input.dataset);
    return withConnection(ctx, async (connection) => {
      const columns = await datasetColumns(connection, dataset);
      ctx.progress({ done: 1, total: 2, message: 'counting rows' });
      const rowCount = await datasetRowCount(connection, dataset);
      return {
        dataset: dataset.display,
        format: dataset.format,
        bytes: dataset.bytes,
        row_count: rowCount,
        columns,
      };
    });
  },
  toText(output) {
    const head = `${output.dataset}: ${output.format}, ${formatBytes(output.bytes)}, ${formatCount(output.row_count)} rows, ${output.columns.length} columns`;
    const schema = output.columns.map((c) => `${c.name} ${c.type}`).join('\n');
    return `${head}\n${fenceUntrusted('column names', schema)}`;
  },
});
