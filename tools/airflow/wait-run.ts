import { z } from 'zod';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool, type ToolContext } from '../core/types.js';
import type { AirflowClient } from './client.js';
import { airflowClient } from './connect.js';
import { readTaskLog } from './logs.js';
import type { ApiTaskInstance } from './model.js';
import { waitForRun } from './runs.js';
import { DagId, RunId, RunSummary, statesLine, TaskState, taskState } from './schemas.js';

const Input = z.object({
  dag_id: DagId,
  run_id: RunId,
  timeout_s: z
    .number()
    .int()
    .min(1)
    .max(24 * 3600)
    .default(1800)
    .describe('Stop following after this many seconds (the run itself goes on)'),
  poll_s: z.number().min(0.5).max(60).default(2).describe('Seconds between looks at the run'),
  error_lines: z
    .number()
    .int()
    .min(1)
    .max(200)
    .default(20)
    .describe("Most error lines to show per failed task's log"),
});

const FailedTask = z.object({
  task_id: z.string().describe('The failed task'),
  try_number: z.number().int().describe('Its failed try'),
  error_lines: z
    .array(z.string())
    .describe('Its log lines at error level with their exception (or its last lines)'),
  server_log: z.string().optional().describe('Where its whole log lives on the Airflow host'),
});

const Output = z.object({
  outcome: z
    .enum(['success', 'failed', 'timeout', 'stopped_following'])
    .describe('How the run ended; timeout and stopped_following leave it running on Airflow'),
  run: RunSummary.describe('The run as last seen'),
  tasks: z.array(TaskState).describe("Each task instance's state as last seen"),
  failed_tasks: z
    .array(FailedTask)
    .optional()
    .describe('For a failed run: each failed task and its error lines'),
});
type Output = z.infer<typeof Output>;

export const airflowWait = defineTool({
  name: 'airflow_wait',
  title: 'Wait for an Airflow DAG run',
  description:
    "Follows a DAG run until it succeeds or fails, reporting task state changes as progress. A failed run comes back with each failed task's error lines. On timeout or Ctrl-C it stops following; the run goes on.",
  toolset: 'airflow',
  action: 'wait',
  positional: ['dag_id', 'run_id'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const client = await airflowClient(ctx);
    const followed = await waitForRun(client, input.dag_id, input.run_id, {
      timeoutMs: input.timeout_s * 1000,
      pollMs: input.poll_s * 1000,
      signal: ctx.signal,
      onChange(changes, tasks) {
        const finished = tasks.filter((t) => t.state && !ACTIVE.has(t.state)).length;
        ctx.progress({
          done: finished,
          total: tasks.length,
          message: changes.map((c) => `${c.task_id} ${c.from ?? 'none'} → ${c.to ?? 'none'}`).join('; '),
        });
      },
    });
    const { run, tasks } = followed;
    const outcome: Output['outcome'] =
      followed.outcome === 'finished'
        ? run.state === 'success'
          ? 'success'
          : 'failed'
        : followed.outcome === 'timeout'
          ? 'timeout'
          : 'stopped_following';
    const failed =
      outcome === 'failed'
        ? await failedTasks(client, input.dag_id, input.run_id, tasks, input.error_lines, ctx)
        : [];
    return {
      outcome,
      run: {
        dag_id: run.dag_id,
        run_id: run.dag_run_id,
        state: run.state,
        ...(run.start_date ? { start_date: run.start_date } : {}),
        ...(run.end_date ? { end_date: run.end_date } : {}),
      },
      tasks: tasks.map(taskState),
      ...(failed.length > 0 ? { failed_tasks: failed } : {}),
    };
  },
  toText(output) {
    const head = `${output.run.dag_id} ${output.run.run_id}: ${HEADS[output.outcome]} (run ${output.run.state})\n${statesLine(output.tasks)}`;
    const failed = (output.failed_tasks ?? []).map((task) => {
      const where = task.server_log ? `\nwhole log: ${task.server_log}` : '';
      return `${task.task_id} (try ${task.try_number}) failed:\n${fenceUntrusted('task log lines', task.error_lines.join('\n'))}${where}`;
    });
    return [head, ...failed].join('\n');
  },
});

const ACTIVE = new Set([
  'running',
  'queued',
  'scheduled',
  'up_for_retry',
  'up_for_reschedule',
  'deferred',
  'restarting',
]);

const HEADS: Record<Output['outcome'], string> = {
  success: 'succeeded',
  failed: 'FAILED',
  timeout: 'still going when the timeout passed; it goes on in Airflow (follow it again with airflow_wait)',
  stopped_following:
    'stopped following (Ctrl-C); the run goes on in Airflow (follow it again with airflow_wait)',
};

/** The failed tasks' error lines, read from their logs (one read each, in parallel). */
async function failedTasks(
  client: AirflowClient,
  dagId: string,
  runId: string,
  tasks: ApiTaskInstance[],
  max: number,
  ctx: ToolContext,
): Promise<Array<z.infer<typeof FailedTask>>> {
  const failed = tasks.filter((t) => t.state === 'failed');
  return Promise.all(
    failed.map(async (task) => {
      const where = {
        dagId,
        runId,
        taskId: task.task_id,
        tryNumber: task.try_number,
        mapIndex: task.map_index,
      };
      try {
        const log = await readTaskLog(client, where, ctx.signal);
        const lines = log.errorLines.length > 0 ? log.errorLines : log.lines;
        return {
          task_id: task.task_id,
          try_number: task.try_number,
          error_lines: lines.slice(-max),
          ...(log.serverPath ? { server_log: log.serverPath } : {}),
        };
      } catch (error) {
        // The run's outcome matters more than one unreadable log.
        return {
          task_id: task.task_id,
          try_number: task.try_number,
          error_lines: [`(its log could not be read: ${(error as Error).message})`],
        };
      }
    }),
  );
}
