/**
 * `runEmbulk(ctx, configFile, options)`: one Embulk load, as `embulk_run`, `data ingest` and
 * pipeline stages run it. Checks the config, fetches an S3 source, runs Embulk, counts the rows
 * written, and lands the files in S3 or the lake when the config says so.
 */
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import { readEmbulkConfig } from './config-file.js';
import { fetchSource, landOutput, type Landed } from './land.js';
import { execEmbulk, writtenFiles, type EmbulkOptions } from './runner.js';

export interface EmbulkRunResult {
  /** Workspace path of the config that ran. */
  config: string;
  /** Records written, counted in the output files (CSV formatter: one header line each). */
  rows: number;
  /** Workspace paths of the files Embulk wrote. */
  files: string[];
  /** Workspace path of the full Embulk log. */
  log: string;
  seconds: number;
  landed?: Landed;
}

export async function runEmbulk(
  ctx: ToolContext,
  configFile: string,
  options: EmbulkOptions = {},
): Promise<EmbulkRunResult> {
  const path = ctx.workspace.resolve(configFile);
  const display = ctx.workspace.display(path);
  const config = await readEmbulkConfig(path, display);
  const extras = config.datastack ?? {};
  if (extras.fetch) await fetchSource(ctx, extras.fetch);
  const stem = options.logName ?? display.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
  const exec = await execEmbulk(ctx, 'run', [path], { ...options, logName: stem });
  // Embulk names them as the config does: relative to the workspace root it ran in.
  const files = writtenFiles(exec.lines).map((f) => resolve(ctx.workspace.root, f));
  const header = (config.out.formatter as { header_line?: unknown } | undefined)?.header_line !== false;
  let rows = 0;
  for (const file of files) rows += Math.max(0, (await countCsvRecords(file)) - (header ? 1 : 0));
  const landed = extras.land?.s3 ? await landOutput(ctx, files, extras.land) : undefined;
  if (extras.land?.s3 && !files.length) {
    throw new ToolError('not_found', 'Embulk wrote no file to land', {
      hint: `See the log: ${ctx.workspace.display(exec.logPath)}`,
    });
  }
  return {
    config: display,
    rows,
    files: files.map((f) => ctx.workspace.display(f)),
    log: ctx.workspace.display(exec.logPath),
    seconds: exec.seconds,
    ...(landed ? { landed } : {}),
  };
}

/** Records in a CSV file: newlines outside double quotes, plus a last line without one. */
export async function countCsvRecords(file: string): Promise<number> {
  let records = 0;
  let quoted = false;
  let pending = false;
  for await (const chunk of createReadStream(file)) {
    for (const byte of chunk as Buffer) {
      if (byte === 0x22) quoted = !quoted;
      else if (byte === 0x0a && !quoted) {
        records += 1;
        pending = false;
        continue;
      }
      if (byte !== 0x0d) pending = true;
    }
  }
  return records + (pending ? 1 : 0);
}
