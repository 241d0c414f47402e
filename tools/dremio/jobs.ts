/**
 * A Dremio query is a job: `POST /api/v3/sql` answers with its id at once, `GET /api/v3/job/{id}`
 * says how it goes, and `GET /api/v3/job/{id}/results` hands the rows out 500 at a time (Dremio
 * refuses larger pages). A job left behind keeps a Dremio engine busy, so when the caller gives up
 * (Ctrl-C, an abort, the timeout) the job is cancelled on the server before the error is thrown.
 * Docs: https://docs.dremio.com/current/reference/api/sql, …/api/job, …/api/job/job-results.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ToolError } from '../core/errors.js';
import type { Logger, ProgressReporter } from '../core/types.js';
import type { DremioClient } from './client.js';
import { FINAL_JOB_STATES, type ApiField, type ApiJobResults, type ApiJobStatus } from './model.js';

/** Dremio's largest results page. */
export const PAGE_LIMIT = 500;
const FIRST_POLL_MS = 100;
const MAX_POLL_MS = 2_000;
const CANCEL_TIMEOUT_MS = 10_000;

export interface JobOptions {
  /** Where unqualified names resolve, e.g. ['Samples', 'samples.dremio.com']. */
  context?: readonly string[] | undefined;
  signal: AbortSignal;
  timeoutMs: number;
  progress: ProgressReporter;
  log: Logger;
}

export interface CompletedJob {
  id: string;
  rowCount: number;
}

const SQL_HINT =
  'Fix the SQL (Dremio dialect; quote names with dots: Source.folder."file.csv"). Browse with dremio_catalog, see columns with dremio_describe';

/** Submits `sql`, polls with backoff until the job ends, and returns it when COMPLETED. */
export async function runJob(client: DremioClient, sql: string, options: JobOptions): Promise<CompletedJob> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = AbortSignal.any([options.signal, deadline]);
  const body = {
    sql,
    ...(options.context && options.context.length > 0 ? { context: options.context } : {}),
  };
  let id: string;
  try {
    ({ id } = await client.post<{ id: string }>('sql', body, { signal }));
  } catch (error) {
    throw signal.aborted ? givenUp(error, options, undefined) : error;
  }
  options.progress({ done: 0, message: `Dremio job ${id} submitted` });

  let status: ApiJobStatus;
  try {
    status = await pollUntilFinal(client, id, signal, options.progress);
  } catch (error) {
    if (!signal.aborted) throw error;
    await cancelJob(client, id, options.log);
    throw givenUp(error, options, id);
  }
  return finished(id, status);
}

async function pollUntilFinal(
  client: DremioClient,
  id: string,
  signal: AbortSignal,
  progress: ProgressReporter,
): Promise<ApiJobStatus> {
  let delay = FIRST_POLL_MS;
  for (let polls = 1; ; polls += 1) {
    const status = await client.get<ApiJobStatus>(`job/${encodeURIComponent(id)}`, { signal });
    if (FINAL_JOB_STATES.has(status.jobState)) return status;
    progress({ done: polls, message: `Dremio job ${id} ${status.jobState.toLowerCase()}` });
    await sleep(delay, undefined, { signal });
    delay = Math.min(delay * 1.5, MAX_POLL_MS);
  }
}

function finished(id: string, status: ApiJobStatus): CompletedJob {
  if (status.jobState === 'COMPLETED') return { id, rowCount: status.rowCount ?? 0 };
  if (status.jobState === 'FAILED') {
    throw new ToolError(
      'query_error',
      `Dremio job ${id} failed: ${firstLines(status.errorMessage || 'no error message')}`,
      {
        hint: SQL_HINT,
      },
    );
  }
  const reason = status.cancellationReason || 'no reason given';
  throw new ToolError('aborted', `Dremio job ${id} was cancelled on the server: ${reason}`, {
    hint: 'A user, a queue limit or an engine restart cancelled it; run it again (`datastack dremio jobs` shows recent jobs)',
    recoverable: true,
  });
}

/** The error for a job the caller gave up on: by abort (Ctrl-C) or, failing that, by the timeout. */
function givenUp(error: unknown, options: JobOptions, id: string | undefined): ToolError {
  const cancelled = id ? `; Dremio job ${id} was cancelled too` : '';
  if (options.signal.aborted) return new ToolError('aborted', `Cancelled${cancelled}`, { cause: error });
  return new ToolError(
    'timeout',
    `Dremio did not finish the query within ${options.timeoutMs / 1000} s${cancelled}`,
    {
      cause: error,
      hint: 'Give it longer with timeout_s, or narrow the query (filters, LIMIT)',
    },
  );
}

/** Best effort: a cancel that fails is logged, not thrown, so the caller's own error wins. */
export async function cancelJob(client: DremioClient, id: string, log: Logger): Promise<void> {
  try {
    await client.post(
      `job/${encodeURIComponent(id)}/cancel`,
      {},
      { signal: AbortSignal.timeout(CANCEL_TIMEOUT_MS) },
    );
    log.info(`Cancelled Dremio job ${id}`);
  } catch (error) {
    log.warn(`Could not cancel Dremio job ${id}: ${(error as Error).message}`);
  }
}

export interface ReadOptions {
  /** Rows the job has (its rowCount). */
  rowCount: number;
  /** Rows to keep in memory for the answer. */
  keep: number;
  /** Read every row (for a result file), not only those kept. */
  readAll: boolean;
  signal: AbortSignal;
  progress: ProgressReporter;
  /** Called with every page read, in order (writes the result file). */
  onPage?: (rows: ReadonlyArray<Record<string, unknown>>, schema: readonly ApiField[]) => Promise<void>;
}

export interface ReadResult {
  schema: ApiField[];
  rows: Array<Record<string, unknown>>;
  /** Rows read from Dremio in all (more than kept when readAll). */
  read: number;
}

/** Pages through a COMPLETED job's results, `PAGE_LIMIT` rows per request. */
export async function readResults(
  client: DremioClient,
  id: string,
  options: ReadOptions,
): Promise<ReadResult> {
  const wanted = options.readAll ? options.rowCount : Math.min(options.keep, options.rowCount);
  const rows: Array<Record<string, unknown>> = [];
  let schema: ApiField[] = [];
  let offset = 0;
  // One request even for an empty result or max_rows 0: it carries the schema.
  do {
    const limit = Math.max(1, Math.min(PAGE_LIMIT, wanted - offset));
    const page = await client.get<ApiJobResults>(`job/${encodeURIComponent(id)}/results`, {
      query: { offset, limit },
      signal: options.signal,
    });
    schema = page.schema ?? schema;
    const got = (page.rows ?? []).slice(0, Math.max(0, wanted - offset));
    if (got.length === 0) break;
    if (rows.length < options.keep) rows.push(...got.slice(0, options.keep - rows.length));
    await options.onPage?.(got, schema);
    offset += got.length;
    options.progress({ done: offset, total: wanted, message: 'rows fetched from Dremio' });
  } while (offset < wanted);
  return { schema, rows, read: offset };
}

function firstLines(text: string, count = 6): string {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(0, count)
    .join('\n');
}
