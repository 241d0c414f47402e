import { z } from 'zod';
import { defineTool } from '../core/types.js';
import { runEmbulk } from './run-embulk.js';

const Input = z.object({
  config: z.string().min(1).describe("Workspace path of the Embulk config, e.g. 'embulk/sales.yml'"),
});

export const RunOutput = z.object({
  config: z.string().describe('The config that ran'),
  rows: z.number().describe('Records written, counted in the output files'),
  files: z.array(z.string()).describe('Files Embulk wrote (workspace paths)'),
  log: z.string().describe('Workspace path of the full Embulk log'),
  seconds: z.number().describe('Wall time of the Embulk run'),
  landed: z
    .object({
      s3_uris: z.array(z.string()).describe('Objects uploaded'),
      iceberg_table: z.string().optional().describe('Iceberg table loaded'),
      iceberg_rows: z.number().optional().describe('Rows appended to it'),
      snapshot_id: z.string().optional().describe('The table snapshot of the load'),
    })
    .optional()
    .describe('Where the output landed after the run (datastack.land in the config)'),
});

export function runText(o: z.infer<typeof RunOutput>): string {
  return [
    `Embulk wrote ${o.rows} rows to ${o.files.join(', ') || 'no file'} in ${o.seconds.toFixed(1)} s (log: ${o.log})`,
    ...(o.landed?.s3_uris.length ? [`uploaded: ${o.landed.s3_uris.join(', ')}`] : []),
    ...(o.landed?.iceberg_table
      ? [`loaded ${o.landed.iceberg_rows ?? 0} rows into ${o.landed.iceberg_table}`]
      : []),
  ].join('\n');
}

export const embulkRun = defineTool({
  name: 'embulk_run',
  title: 'Run Embulk load',
  description:
    'Run an Embulk config (embulk run): reads the input, writes the output files, then lands them in S3 or an Iceberg table when the config says so. Failures report Embulk’s error lines and the log path.',
  toolset: 'embulk',
  positional: ['config'],
  input: Input,
  output: RunOutput,
  // Writes files and may upload or append to a table; never replaces anything.
  annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: true },
  toText: runText,
  run: (input, ctx) => runEmbulk(ctx, input.config),
});
