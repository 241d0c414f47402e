/** The shape and the compact text of a Dremio query's answer (cheap to import: no client). */
import { z } from 'zod';
import { fenceUntrusted } from '../core/fence.js';
import { formatCount, toCsv } from '../query/format.js';

export const DremioSqlOutput = z.object({
  job_id: z.string().describe('Dremio job id: `datastack dremio jobs --job-id ID` shows it again'),
  columns: z
    .array(
      z.object({
        name: z.string().describe('Column name'),
        type: z.string().describe('Dremio type, e.g. BIGINT, VARCHAR, DECIMAL(10,2)'),
      }),
    )
    .describe('Result schema'),
  row_count: z.number().describe('Rows in the whole result'),
  rows: z
    .array(z.record(z.string(), z.unknown()))
    .describe('The first rows, keyed by column, as Dremio returned them'),
  truncated: z.boolean().describe('True when row_count is more than the rows returned'),
  result_file: z.string().optional().describe('Workspace path of the saved full result (with save_as)'),
  elapsed_ms: z.number().describe('Time from submission to the last row read, in milliseconds'),
});

export type DremioSqlResult = z.infer<typeof DremioSqlOutput>;

/** The compact answer for the model: counts, the job, and the rows fenced as untrusted data. */
export function dremioSqlText(output: DremioSqlResult): string {
  const shown = output.rows.length;
  const total = output.row_count;
  const lines = [
    `${formatCount(total)} row${total === 1 ? '' : 's'}, ${output.columns.length} column${output.columns.length === 1 ? '' : 's'} (Dremio job ${output.job_id}, ${output.elapsed_ms} ms)`,
  ];
  if (output.truncated) {
    const where = output.result_file ? `full result: ${output.result_file}` : 'full result: save_as=parquet';
    lines.push(`Showing ${formatCount(shown)} of ${formatCount(total)} rows; ${where}`);
  } else if (output.result_file) {
    lines.push(`Saved to ${output.result_file}`);
  }
  if (output.columns.length > 0) {
    const schema = output.columns.map((c) => `${c.name} ${c.type}`).join(', ');
    const names = output.columns.map((c) => c.name);
    const csv = shown > 0 ? toCsv(names, output.rows) : '(no rows)';
    lines.push(fenceUntrusted('query results', `schema: ${schema}\n${csv}`));
  }
  return lines.join('\n');
}
