/** DAG-level calls shared by the tools and by pipelines: list, read, tasks, pause, import errors. */
import type { AirflowClient } from './client.js';
import type { ApiDag, ApiImportError, ApiTask } from './model.js';

const PAGE = 100;
const LIST_HINT = 'List DAGs with `datastack airflow list-dags`; a new file needs a few seconds to be parsed';

export const dagPath = (dagId: string) => `dags/${encodeURIComponent(dagId)}`;

export interface ListDagsOptions {
  /** SQL LIKE pattern on the id (`%sales%`), as Airflow takes it. */
  pattern?: string | undefined;
  paused?: boolean | undefined;
  limit: number;
  signal?: AbortSignal | undefined;
}

/** Reads pages of 100 until `limit` DAGs or the end; `total` is Airflow's count of matches. */
export async function listDags(
  client: AirflowClient,
  options: ListDagsOptions,
): Promise<{ dags: ApiDag[]; total: number }> {
  const dags: ApiDag[] = [];
  let total = 0;
  do {
    const page = await client.get<{ dags: ApiDag[]; total_entries: number }>('dags', {
      query: {
        limit: Math.min(PAGE, options.limit - dags.length),
        offset: dags.length,
        order_by: 'dag_id',
        dag_id_pattern: options.pattern,
        paused: options.paused,
      },
      signal: options.signal,
    });
    dags.push(...page.dags);
    total = page.total_entries;
    if (page.dags.length === 0) break;
  } while (dags.length < Math.min(options.limit, total));
  return { dags, total };
}

export function getDag(client: AirflowClient, dagId: string, signal?: AbortSignal): Promise<ApiDag> {
  return client.get<ApiDag>(dagPath(dagId), { signal, notFoundHint: LIST_HINT });
}

export async function getTasks(
  client: AirflowClient,
  dagId: string,
  signal?: AbortSignal,
): Promise<ApiTask[]> {
  const body = await client.get<{ tasks: ApiTask[] }>(`${dagPath(dagId)}/tasks`, {
    signal,
    notFoundHint: LIST_HINT,
  });
  return body.tasks;
}

export function setPaused(
  client: AirflowClient,
  dagId: string,
  paused: boolean,
  signal?: AbortSignal,
): Promise<ApiDag> {
  return client.request<ApiDag>('PATCH', dagPath(dagId), {
    query: { update_mask: ['is_paused'] },
    body: { is_paused: paused },
    signal,
    notFoundHint: LIST_HINT,
  });
}

/** Every current import error (one per DAG file that does not parse), newest first. */
export async function listImportErrors(
  client: AirflowClient,
  signal?: AbortSignal,
): Promise<ApiImportError[]> {
  const errors: ApiImportError[] = [];
  let total = Infinity;
  while (errors.length < total) {
    const page = await client.get<{ import_errors: ApiImportError[]; total_entries: number }>(
      'importErrors',
      {
        query: { limit: PAGE, offset: errors.length, order_by: '-timestamp' },
        signal,
      },
    );
    errors.push(...page.import_errors);
    total = page.total_entries;
    if (page.import_errors.length === 0) break;
  }
  return errors;
}

/** The traceback's last lines: where Python says what went wrong. */
export function errorTail(stackTrace: string, lines = 6): string {
  return stackTrace.trimEnd().split('\n').slice(-lines).join('\n');
}
