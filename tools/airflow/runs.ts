/**
 * DAG runs: trigger one, read its task instances, follow it to the end, clear its failed tasks.
 * Shared by the tools and by `pipeline run --environment airflow`.
 */
import { ToolError } from '../core/errors.js';
import type { AirflowClient } from './client.js';
import { dagPath } from './dags.js';
import { pause } from './deploy.js';
import { FINISHED_RUN_STATES, type ApiDagRun, type ApiTaskInstance } from './model.js';

const PAGE = 100;
const RUNS_HINT =
  "List the DAG's task states with `datastack airflow task-states DAG RUN_ID`; runs are shown in the Airflow UI";

export const runPath = (dagId: string, runId: string) =>
  `${dagPath(dagId)}/dagRuns/${encodeURIComponent(runId)}`;

export interface TriggerOptions {
  conf?: Record<string, unknown> | undefined;
  /** Default: Airflow's `manual__<time>`. */
  runId?: string | undefined;
  note?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** A manual run now; `logical_date: null` lets two runs start in the same second. */
export function triggerRun(
  client: AirflowClient,
  dagId: string,
  options: TriggerOptions = {},
): Promise<ApiDagRun> {
  return client.request<ApiDagRun>('POST', `${dagPath(dagId)}/dagRuns`, {
    body: {
      logical_date: null,
      conf: options.conf ?? {},
      ...(options.runId ? { dag_run_id: options.runId } : {}),
      ...(options.note ? { note: options.note } : {}),
    },
    signal: options.signal,
    notFoundHint: 'List DAGs with `datastack airflow list-dags`; a new file needs a few seconds to be parsed',
  });
}

export function getRun(
  client: AirflowClient,
  dagId: string,
  runId: string,
  signal?: AbortSignal,
): Promise<ApiDagRun> {
  return client.get<ApiDagRun>(runPath(dagId, runId), { signal, notFoundHint: RUNS_HINT });
}

export async function listTaskInstances(
  client: AirflowClient,
  dagId: string,
  runId: string,
  signal?: AbortSignal,
): Promise<ApiTaskInstance[]> {
  const all: ApiTaskInstance[] = [];
  let total = Infinity;
  while (all.length < total) {
    const page = await client.get<{ task_instances: ApiTaskInstance[]; total_entries: number }>(
      `${runPath(dagId, runId)}/taskInstances`,
      { query: { limit: PAGE, offset: all.length }, signal, notFoundHint: RUNS_HINT },
    );
    all.push(...page.task_instances);
    total = page.total_entries;
    if (page.task_instances.length === 0) break;
  }
  return all;
}

export interface TaskChange {
  task_id: string;
  map_index: number;
  from: string | null;
  to: string | null;
}

export interface WaitOptions {
  timeoutMs?: number;
  pollMs?: number;
  /** Aborting stops the following, not the run. */
  signal?: AbortSignal | undefined;
  /** Called with the task instances whose state changed since the last poll. */
  onChange?: (changes: TaskChange[], tasks: ApiTaskInstance[], run: ApiDagRun) => void;
}

export interface FollowedRun {
  run: ApiDagRun;
  tasks: ApiTaskInstance[];
  /** `finished`: the run ended (success or failed); else the run goes on without us. */
  outcome: 'finished' | 'timeout' | 'interrupted';
}

/** Polls a run until it ends, the timeout passes or the signal fires (never throws for those). */
export async function waitForRun(
  client: AirflowClient,
  dagId: string,
  runId: string,
  options: WaitOptions = {},
): Promise<FollowedRun> {
  const timeoutMs = options.timeoutMs ?? 30 * 60_000;
  const started = Date.now();
  const seen = new Map<string, string | null>();
  let run = await getRun(client, dagId, runId, options.signal);
  let tasks: ApiTaskInstance[] = [];
  for (;;) {
    try {
      tasks = await listTaskInstances(client, dagId, runId, options.signal);
      // Read after the tasks: a run seen finished then has its tasks' final states.
      run = await getRun(client, dagId, runId, options.signal);
    } catch (error) {
      if (options.signal?.aborted) return { run, tasks, outcome: 'interrupted' };
      throw error;
    }
    const changes: TaskChange[] = [];
    for (const task of tasks) {
      const key = `${task.task_id}[${task.map_index}]`;
      const before = seen.has(key) ? (seen.get(key) ?? null) : undefined;
      if (before !== task.state) {
        changes.push({
          task_id: task.task_id,
          map_index: task.map_index,
          from: before ?? null,
          to: task.state,
        });
        seen.set(key, task.state);
      }
    }
    if (changes.length > 0) options.onChange?.(changes, tasks, run);
    if (FINISHED_RUN_STATES.has(run.state)) return { run, tasks, outcome: 'finished' };
    if (Date.now() - started >= timeoutMs) return { run, tasks, outcome: 'timeout' };
    try {
      await pause(options.pollMs ?? 2_000, options.signal);
    } catch (error) {
      if (error instanceof ToolError && error.code === 'aborted')
        return { run, tasks, outcome: 'interrupted' };
      throw error;
    }
  }
}

export interface ClearedTask {
  task_id: string;
  dag_run_id: string;
  state: string | null;
  map_index: number;
}

/**
 * Clears the failed (and upstream-failed) task instances of a DAG, of one run or of all, so the
 * scheduler runs them again; `dryRun` only lists them. Their runs go back to queued.
 */
export async function clearFailed(
  client: AirflowClient,
  dagId: string,
  options: {
    runId?: string | undefined;
    taskIds?: string[] | undefined;
    dryRun: boolean;
    signal?: AbortSignal | undefined;
  },
): Promise<ClearedTask[]> {
  const body = await client.request<{ task_instances: Array<ApiTaskInstance & { dag_run_id: string }> }>(
    'POST',
    `${dagPath(dagId)}/clearTaskInstances`,
    {
      body: {
        // Airflow's default is a dry run: always say which.
        dry_run: options.dryRun,
        only_failed: true,
        reset_dag_runs: true,
        ...(options.runId ? { dag_run_id: options.runId } : {}),
        ...(options.taskIds?.length ? { task_ids: options.taskIds } : {}),
      },
      signal: options.signal,
      notFoundHint: RUNS_HINT,
    },
  );
  return body.task_instances.map((t) => ({
    task_id: t.task_id,
    dag_run_id: t.dag_run_id,
    state: t.state,
    map_index: t.map_index,
  }));
}
