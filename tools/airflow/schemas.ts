/** Schemas shared by the Airflow tools, defined once. */
import { z } from 'zod';
import type { ApiTaskInstance } from './model.js';

export const DagId = z
  .string()
  .min(1)
  .max(250)
  .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only (Airflow dag_id rules)')
  .describe('DAG id, as `airflow_list_dags` shows it');

export const RunId = z
  .string()
  .min(1)
  .max(250)
  .describe('DAG run id, e.g. manual__2025-01-01T00:00:00+00:00');

export const TaskState = z.object({
  task_id: z.string().describe('Task id'),
  map_index: z
    .number()
    .int()
    .optional()
    .describe('Index of a mapped task instance; absent for unmapped tasks'),
  state: z
    .string()
    .nullable()
    .describe(
      'success, failed, upstream_failed, skipped, running, queued, scheduled, up_for_retry, ... (null: not yet scheduled)',
    ),
  try_number: z.number().int().describe('Latest try (1 for the first); task logs are per try'),
  start_date: z.string().optional().describe('When the latest try started'),
  end_date: z.string().optional().describe('When it ended'),
  duration_s: z.number().optional().describe('Seconds the latest try took'),
});
export type TaskState = z.infer<typeof TaskState>;

export const RunSummary = z.object({
  dag_id: z.string().describe('DAG id'),
  run_id: z.string().describe('Run id'),
  state: z.string().describe('queued, running, success or failed'),
  start_date: z.string().optional().describe('When it started running'),
  end_date: z.string().optional().describe('When it ended'),
  conf: z.record(z.string(), z.unknown()).optional().describe('The conf it was triggered with'),
});

export function taskState(task: ApiTaskInstance): TaskState {
  return {
    task_id: task.task_id,
    ...(task.map_index >= 0 ? { map_index: task.map_index } : {}),
    state: task.state,
    try_number: task.try_number,
    ...(task.start_date ? { start_date: task.start_date } : {}),
    ...(task.end_date ? { end_date: task.end_date } : {}),
    ...(typeof task.duration === 'number' ? { duration_s: Math.round(task.duration * 10) / 10 } : {}),
  };
}

/** `hello success, check failed (try 2)`: a run's tasks on one line. */
export function statesLine(tasks: readonly TaskState[]): string {
  return tasks
    .map(
      (t) =>
        `${t.task_id}${t.map_index === undefined ? '' : `[${t.map_index}]`} ${t.state ?? 'none'}${t.try_number > 1 ? ` (try ${t.try_number})` : ''}`,
    )
    .join(', ');
}
