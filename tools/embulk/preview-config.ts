import { z } from 'zod';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';
import { readEmbulkConfig } from './config-file.js';

const Input = z.object({
  config: z.string().min(1).describe("Workspace path of the Embulk config, e.g. 'embulk/sales.yml'"),
  limit: z.number().int().min(1).max(500).default(20).describe('Rows to return at most'),
});

const Output = z.object({
  config: z.string().describe('The config previewed'),
  columns: z
    .array(z.object({ name: z.string().describe('Column'), type: z.string().describe('Embulk type') }))
    .describe('Columns as Embulk parsed them'),
  rows: z
    .array(z.record(z.string(), z.string().describe('Value as Embulk prints it')))
    .describe('The first rows, column → value, as parsed (untrusted data)'),
  sampled: z.number().describe('Rows Embulk read for the preview (its sample of the input)'),
  log: z.string().describe('Workspace path of the Embulk log'),
});

/** The table `embulk preview` prints: `| name:type | … |` then one `| value | … |` line per row. */
export function parsePreviewTable(lines: readonly string[]): {
  columns: { name: string; type: string }[];
  rows: string[][];
} {
  const cells = lines
    .filter((line) => line.startsWith('|') && line.trimEnd().endsWith('|'))
    .map((line) =>
      line
        .trim()
        .slice(1, -1)
        .split(' | ')
        .map((cell) => cell.trim()),
    );
  const [header, ...rows] = cells;
  const columns = (header ?? []).map((cell) => {
    const at = cell.lastIndexOf(':');
    return { name: cell.slice(0, at), type: cell.slice(at + 1) };
  });
  return { columns, rows };
}

export const embulkPreview = defineTool({
  name: 'embulk_preview',
  title: 'Preview Embulk load',
  description:
    'Parse the first rows of an Embulk config’s input (embulk preview) and show them with the column types, writing nothing.',
  toolset: 'embulk',
  positional: ['config'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
  toText: (o) =>
    [
      `${o.config}: ${o.columns.map((c) => `${c.name}:${c.type}`).join(', ')} (${o.sampled} rows sampled, showing ${o.rows.length})`,
      fenceUntrusted(
        'rows previewed by Embulk',
        o.rows.map((r) => o.columns.map((c) => r[c.name] ?? '').join('\t')).join('\n'),
      ),
    ].join('\n'),
  async run(input, ctx) {
    const path = ctx.workspace.resolve(input.config);
    const display = ctx.workspace.display(path);
    const config = await readEmbulkConfig(path, display);
    const [{ fetchSource }, { execEmbulk }] = await Promise.all([import('./land.js'), import('./runner.js')]);
    if (config.datastack?.fetch) await fetchSource(ctx, config.datastack.fetch);
    const stem = display.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
    const exec = await execEmbulk(ctx, 'preview', [path], { logName: stem });
    const table = parsePreviewTable(exec.lines);
    return {
      config: display,
      columns: table.columns,
      rows: table.rows
        .slice(0, input.limit)
        .map((row) => Object.fromEntries(table.columns.map((c, i) => [c.name, row[i] ?? '']))),
      sampled: table.rows.length,
      log: ctx.workspace.display(exec.logPath),
    };
  },
});
