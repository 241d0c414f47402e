/**
 * A task try's log. Airflow 3 serves it as structured events (`{timestamp, level, event, …}`),
 * in pages linked by a continuation token; DataStack renders one line per event.
 */
import type { AirflowClient } from './client.js';
import type { ApiLogEvent } from './model.js';
import { runPath } from './runs.js';

/** Pages read at most: a runaway task's log must not fill memory. */
const MAX_PAGES = 50;

export interface TaskLog {
  lines: string[];
  /** Lines logged at level error or above, with their exception: what went wrong. */
  errorLines: string[];
  /** Where the log lives on the Airflow host, when Airflow says so. */
  serverPath?: string;
}

export async function readTaskLog(
  client: AirflowClient,
  where: { dagId: string; runId: string; taskId: string; tryNumber: number; mapIndex?: number },
  signal?: AbortSignal,
): Promise<TaskLog> {
  const path = `${runPath(where.dagId, where.runId)}/taskInstances/${encodeURIComponent(where.taskId)}/logs/${where.tryNumber}`;
  const events: ApiLogEvent[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const body = await client.get<{ content: ApiLogEvent[] | string; continuation_token?: string | null }>(
      path,
      {
        query: { full_content: true, map_index: where.mapIndex ?? -1, token },
        signal,
        notFoundHint: "See the task's tries with `datastack airflow task-states DAG RUN_ID`",
      },
    );
    // Older servers and some log handlers answer with one string.
    if (typeof body.content === 'string')
      events.push(...body.content.split('\n').map((event) => ({ event })));
    else events.push(...body.content);
    if (!body.continuation_token || body.continuation_token === token) break;
    token = body.continuation_token;
  }
  return renderEvents(events);
}

export function renderEvents(events: readonly ApiLogEvent[]): TaskLog {
  const lines: string[] = [];
  const errorLines: string[] = [];
  let serverPath: string | undefined;
  let inSourceDetails = false;
  for (const event of events) {
    const text = String(event.event ?? '');
    // Airflow wraps the log's origin in a "::group::Log message source details" block.
    if (text === '::group::Log message source details') inSourceDetails = true;
    else if (inSourceDetails && text === '::endgroup::') inSourceDetails = false;
    else if (inSourceDetails) serverPath ??= text;
    if (inSourceDetails || text.startsWith('::group::') || text === '::endgroup::') continue;
    const level = (event.level ?? '').toUpperCase();
    const time = event.timestamp ? event.timestamp.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';
    const head = [time, level].filter(Boolean).join(' ');
    const line = head ? `${head} ${text}` : text;
    const exceptions = (event.error_detail ?? []).map((detail) => {
      const frame = detail.frames?.at(-1);
      const at = frame ? ` (at ${frame.filename ?? '?'}:${frame.lineno ?? '?'} in ${frame.name ?? '?'})` : '';
      return `  ${detail.exc_type ?? 'Exception'}: ${detail.exc_value ?? ''}${at}`;
    });
    lines.push(line, ...exceptions);
    if (level === 'ERROR' || level === 'CRITICAL' || exceptions.length > 0)
      errorLines.push(line, ...exceptions);
  }
  return { lines, errorLines, ...(serverPath ? { serverPath } : {}) };
}
