/**
 * Builds an Embulk config from a guessed parser and where the data should go. Paths are workspace
 * relative: Embulk runs in the workspace root, so the config works wherever the project is.
 */
import type { EmbulkConfig, Fetch, Land } from './config-file.js';
import type { CsvParser } from './sniff.js';

export interface ConfigPlan {
  /** Workspace-relative file or folder (ending '/') the input reads. */
  input: string;
  parser: CsvParser | { type: 'json' };
  /** Workspace-relative folder Embulk writes into. */
  outputDir: string;
  /** File name stem of the output. */
  name: string;
  land?: Land;
  fetch?: Fetch;
}

export function buildConfig(plan: ConfigPlan): EmbulkConfig {
  const columns = plan.parser.type === 'csv' ? plan.parser.columns : [];
  // Dates keep their own format on the way out, so the output reads back as the input did.
  const columnOptions = Object.fromEntries(
    columns.filter((c) => c.type === 'timestamp' && c.format).map((c) => [c.name, { format: c.format }]),
  );
  const datastack = {
    ...(plan.land && (plan.land.s3 || plan.land.iceberg) ? { land: plan.land } : {}),
    ...(plan.fetch ? { fetch: plan.fetch } : {}),
  };
  return {
    in: { type: 'file', path_prefix: plan.input, parser: { ...plan.parser } },
    out: {
      type: 'file',
      path_prefix: `${plan.outputDir.replace(/\/$/, '')}/${plan.name}.`,
      file_ext: 'csv',
      formatter: {
        type: 'csv',
        header_line: true,
        delimiter: ',',
        newline: 'LF',
        default_timestamp_format: '%Y-%m-%d %H:%M:%S',
        ...(Object.keys(columnOptions).length ? { column_options: columnOptions } : {}),
      },
    },
    // One task, one file: loads into a table or a bucket want one object per run.
    exec: { max_threads: 1, min_output_tasks: 1 },
    ...(Object.keys(datastack).length ? { datastack } : {}),
  };
}
