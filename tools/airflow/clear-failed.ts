import { z } from 'zod';
import { defineTool } from '../core/types.js';
import { airflowClient } from './connect.js';
import { clearFailed } from './runs.js';
import { DagId } from './schemas.js';

const Input = z.object({
  dag_id: DagId,
  run_id: z.string().min(1).max(250).optional().describe('Only this run (default: every run of the DAG)'),
  task_ids: z.array(z.string().min(1)).optional().describe('Only these tasks (default: every failed task)'),
  dry_run: z.boolean().default(false).describe('Only list what would be cleared'),
});

const Output = z.object({
  dag_id: z.string().describe('DAG id'),
  dry_run: z.boolean().describe('True when nothing was cleared'),
  cleared: z
    .array(
      z.object({
        task_id: z.string().describe('Task id'),
        run_id: z.string().describe('Its run'),
        map_index: z.number().int().optional().describe('Index of a mapped task instance'),
        state: z.string().nullable().describe('Its state before clearing'),
      }),
    )
    .describe('The failed task instances cleared (or that would be): the scheduler runs them again'),
});

export const airflowClearFailed = defineTool({
  name: 'airflow_clear_failed',
  title: 'Clear failed Airflow tasks',
  description:
    'Clears the failed and upstream-failed task instances of a DAG (one run, or all), so Airflow runs them again; their runs go back to queued. The failed tries stay in the logs. Use dry_run to see what it would clear.',
  toolset: 'airflow',
  action: 'clear-failed',
  positional: ['dag_id', 'run_id'],
  input: Input,
  output: Output,
  // Destructive: the failed state (what a person would look at) is replaced and the tasks rerun.
  annotations: { readOnly: false, destructive: true, idempotent: false, openWorld: true },
  confirmSummary: (input) =>
    `Clear the failed tasks of DAG ${input.dag_id}${input.run_id ? ` run ${input.run_id}` : ' in every run'}${input.task_ids?.length ? ` (${input.task_ids.join(', ')})` : ''}: Airflow will run them again`,
  async run(input, ctx) {
    const client = await airflowClient(ctx);
    const cleared = await clearFailed(client, input.dag_id, {
      runId: input.run_id,
      taskIds: input.task_ids,
      dryRun: input.dry_run,
      signal: ctx.signal,
    });
    return {
      dag_id: input.dag_id,
      dry_run: input.dry_run,
      cleared: cleared.map((t) => ({
        task_id: t.task_id,
        run_id: t.dag_run_id,
        ...(t.map_index >= 0 ? { map_index: t.map_index } : {}),
        state: t.state,
      })),
    };
  },
  toText(output) {
    if (output.cleared.length === 0) return `No failed tasks to clear in ${output.dag_id}`;
    const list = output.cleared.map((t) => `  ${t.run_id} ${t.task_id} (${t.state ?? 'none'})`).join('\n');
    return `${output.dry_run ? 'Would clear' : 'Cleared'} ${output.cleared.length} task instance(s) of ${output.dag_id}:\n${list}`;
  },
});
