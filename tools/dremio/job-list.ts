/**
 * Jobs as Dremio reports them. The REST API has no job listing, so recent jobs come from the
 * documented system table `sys.jobs_recent` (Dremio 24.3+; older servers have `sys.jobs`, which
 * holds the running ones), queried like any other SQL; one job comes from `GET /api/v3/job/{id}`.
 * Docs: https://docs.dremio.com/current/reference/sql/system-tables/jobs_recent, …/api/job.
 */
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import { dremioClient } from './connect.js';
import { readResults, runJob } from './jobs.js';
import type { JobsOutput } from './list-jobs.js';
import type { ApiJobStatus } from './model.js';

type Job = JobsOutput['jobs'][number];

const LIST_TIMEOUT_MS = 60_000;

export async function jobById(id: string, ctx: ToolContext): Promise<Job> {
  const client = await dremioClient(ctx);
  const status = await client.get<ApiJobStatus>(`job/${encodeURIComponent(id)}`, {
    signal: ctx.signal,
    notFoundHint: 'List recent jobs with `datastack dremio jobs` (dremio_jobs)',
  });
  const error = status.errorMessage || status.cancellationReason;
  return dropEmpty({
    job_id: id,
    state: status.jobState,
    rows: status.jobState === 'COMPLETED' ? status.rowCount : undefined,
    error: error || undefined,
    query_type: status.queryType,
    submitted: status.startedAt,
    finished: status.endedAt,
  });
}

export async function recentJobs(
  input: { state?: string | undefined; limit: number },
  ctx: ToolContext,
): Promise<Job[]> {
  try {
    return await listFrom('sys.jobs_recent', input, ctx);
  } catch (error) {
    if (!(error instanceof ToolError) || error.code !== 'query_error' || !/jobs_recent/i.test(error.message))
      throw error;
    ctx.log.debug('sys.jobs_recent is not there (Dremio before 24.3?): listing sys.jobs');
    return listFrom('sys.jobs', input, ctx);
  }
}

async function listFrom(
  table: string,
  input: { state?: string | undefined; limit: number },
  ctx: ToolContext,
): Promise<Job[]> {
  const client = await dremioClient(ctx);
  // The state was checked to be a bare word by the input schema: safe inside the quotes.
  const where = input.state ? `WHERE status = '${input.state.toUpperCase()}'` : '';
  // One more row than asked: this listing is itself a job and is dropped from its own answer.
  const sql = `SELECT job_id, status, query_type, user_name, submitted_ts, final_state_ts, rows_returned, error_msg, query
FROM ${table} ${where}
ORDER BY submitted_ts DESC
LIMIT ${input.limit + 1}`;
  const job = await runJob(client, sql, {
    signal: ctx.signal,
    timeoutMs: LIST_TIMEOUT_MS,
    progress: ctx.progress,
    log: ctx.log,
  });
  const read = await readResults(client, job.id, {
    rowCount: job.rowCount,
    keep: input.limit + 1,
    readAll: false,
    signal: ctx.signal,
    progress: () => {},
  });
  return read.rows
    .filter((row) => row.job_id !== job.id)
    .slice(0, input.limit)
    .map((row) =>
      dropEmpty({
        job_id: String(row.job_id),
        state: String(row.status),
        rows: typeof row.rows_returned === 'number' ? row.rows_returned : undefined,
        error: text(row.error_msg),
        user: text(row.user_name),
        query_type: text(row.query_type),
        submitted: text(row.submitted_ts),
        // Dremio shows the epoch as the final time of a job that has not ended.
        finished: /^1970-01-01/.test(text(row.final_state_ts) ?? '') ? undefined : text(row.final_state_ts),
        sql: text(row.query),
      }),
    );
}

function text(value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function dropEmpty<T extends Record<string, unknown>>(job: T): Job {
  return Object.fromEntries(Object.entries(job).filter(([, v]) => v !== undefined && v !== '')) as Job;
}
