/**
 * What a submission leaves behind: one JSON record per run in `.datastack/spark/runs/`, so
 * spark_status, spark_logs and spark_applications find a run by its application id, submission
 * id or run id after the driver (and its UI) are gone.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import { sparkDir } from './session.js';

export const RunState = z
  .enum(['SUBMITTED', 'RUNNING', 'FINISHED', 'FAILED', 'KILLED', 'ERROR', 'UNKNOWN'])
  .describe('FINISHED (exit 0), FAILED (non-zero exit), KILLED (cancelled), ERROR (could not launch)');
export type RunState = z.infer<typeof RunState>;

export const SparkRun = z.object({
  run_id: z.string().describe("DataStack's id of the submission (names its log file)"),
  app_id: z.string().optional().describe('Spark application id (local-… or app-…)'),
  submission_id: z.string().optional().describe('Standalone driver id (driver-…), for cluster runs'),
  mode: z
    .enum(['local', 'cluster'])
    .describe('local: spark-submit here; cluster: REST submission to a standalone master'),
  master: z.string().describe('Master URL the job ran against'),
  file: z.string().describe('The PySpark file that was submitted'),
  ref: z.string().optional().describe('Nessie branch the lake catalog was bound to'),
  state: RunState,
  exit_code: z.number().optional().describe('Exit code of spark-submit (local runs)'),
  started_at: z.string().describe('ISO time of the submission'),
  duration_ms: z.number().optional().describe('Wall time until the run ended'),
  log: z.string().describe('Workspace path of the full driver log'),
  ui_url: z.string().optional().describe('Driver UI while it runs (monitoring REST API under /api/v1)'),
  rest_url: z.string().optional().describe('REST submission API used (cluster runs)'),
  conf: z
    .record(z.string(), z.string())
    .optional()
    .describe('Spark properties of the session, secrets removed'),
  metrics_file: z
    .string()
    .optional()
    .describe('Where the job may write its own metrics as JSON (env DATASTACK_SPARK_METRICS_FILE)'),
  event_log: z.string().optional().describe('Event log file of the application, read by spark_applications'),
  error_lines: z
    .array(z.string())
    .optional()
    .describe('The lines that say why it failed (untrusted log text)'),
});
export type SparkRun = z.infer<typeof SparkRun>;

export function newRunId(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `run-${stamp}-${randomBytes(3).toString('hex')}`;
}

export function saveRun(ctx: ToolContext, run: SparkRun): void {
  writeFileSync(join(sparkDir(ctx, 'runs'), `${run.run_id}.json`), JSON.stringify(run, null, 1));
}

export function listRuns(ctx: ToolContext): SparkRun[] {
  const dir = sparkDir(ctx, 'runs');
  const runs: SparkRun[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const parsed = SparkRun.safeParse(safeJson(join(dir, name)));
    if (parsed.success) runs.push(parsed.data);
  }
  return runs.sort((a, b) => b.started_at.localeCompare(a.started_at));
}

/** A run by run id, app id or submission id; undefined when DataStack did not submit it. */
export function findRun(ctx: ToolContext, id: string): SparkRun | undefined {
  const direct = join(sparkDir(ctx, 'runs'), `${id}.json`);
  if (existsSync(direct)) {
    const parsed = SparkRun.safeParse(safeJson(direct));
    if (parsed.success) return parsed.data;
  }
  return listRuns(ctx).find((run) => run.app_id === id || run.submission_id === id);
}

export function requireRun(ctx: ToolContext, id: string): SparkRun {
  const run = findRun(ctx, id);
  if (!run) {
    throw new ToolError('not_found', `No Spark run "${id}" was submitted from this project`, {
      hint: 'List them with `datastack spark applications`',
    });
  }
  return run;
}

function safeJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** Where the bootstrap announces the application (datastack_spark_boot.py). */
const MARKER = '[datastack-spark] ';

export function parseMarker(line: string): { app_id?: string; ui_url?: string } | undefined {
  const at = line.indexOf(MARKER);
  if (at < 0) return undefined;
  try {
    const value = JSON.parse(line.slice(at + MARKER.length)) as { app_id?: string; ui_url?: string | null };
    return {
      ...(value.app_id ? { app_id: value.app_id } : {}),
      ...(value.ui_url ? { ui_url: value.ui_url } : {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * The lines of a driver log that say why a job failed: the last Python traceback, else the
 * exception lines of the JVM. Capped: the full log is a file away.
 */
export function errorLines(log: string, max = 25): string[] {
  const lines = log.split(/\r?\n/);
  const start = lines.map((l) => l.startsWith('Traceback (most recent call last)')).lastIndexOf(true);
  if (start >= 0) {
    const block: string[] = [];
    for (const line of lines.slice(start)) {
      // A traceback ends at its first log4j line after the exception message.
      if (block.length > 1 && /^\d\d\/\d\d\/\d\d \d\d:\d\d:\d\d /.test(line)) break;
      block.push(line);
    }
    return block.length > max ? [...block.slice(0, 3), '…', ...block.slice(-(max - 4))] : block;
  }
  const picked = lines.filter((l) => /(Exception|Error)[:\s]|\bERROR\b/.test(l) && !/\bINFO\b/.test(l));
  return picked.slice(-max);
}

/** Tail of a log file, capped in characters. */
export function readTail(path: string, maxChars: number): { text: string; truncated: boolean; size: number } {
  if (!existsSync(path)) return { text: '', truncated: false, size: 0 };
  const text = readFileSync(path, 'utf8');
  return text.length > maxChars
    ? { text: text.slice(-maxChars), truncated: true, size: text.length }
    : { text, truncated: false, size: text.length };
}
