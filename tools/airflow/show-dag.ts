import { z } from 'zod';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';
import { airflowClient } from './connect.js';
import { dagPath, getDag, getTasks } from './dags.js';
import type { ApiDagRun } from './model.js';
import { DagId, RunSummary } from './schemas.js';

const Input = z.object({
  dag_id: DagId,
  runs: z.number().int().min(0).max(100).default(5).describe('How many of its latest runs to show'),
});

const Task = z.object({
  task_id: z.string().describe('Task id'),
  operator: z.string().optional().describe('Its operator (BashOperator, @task, ...)'),
  upstream: z.array(z.string()).describe('Tasks that must finish before it'),
  downstream: z.array(z.string()).describe('Tasks that wait for it'),
  trigger_rule: z
    .string()
    .optional()
    .describe('When it runs given its upstream (shown when not all_success)'),
  retries: z.number().optional().describe('Retries after a failure (shown when not 0)'),
});

const Output = z.object({
  dag_id: z.string().describe('DAG id'),
  paused: z.boolean().describe('Paused DAGs are not scheduled; their triggered runs wait queued'),
  schedule: z.string().optional().describe("Airflow's summary of its timetable"),
  file: z.string().optional().describe('Its file, relative to the DAG folder'),
  last_parsed: z.string().optional().describe('When the DAG processor last read the file'),
  has_import_errors: z.boolean().optional().describe('True when its file no longer parses'),
  tasks: z.array(Task).describe('Its tasks, upstream ones first'),
  recent_runs: z.array(RunSummary).describe('Its latest runs, newest first'),
});

export const airflowShowDag = defineTool({
  name: 'airflow_show_dag',
  title: 'Show an Airflow DAG',
  description:
    "One DAG: its tasks in dependency order with each one's upstream and downstream tasks and operator, whether it is paused, and its latest runs.",
  toolset: 'airflow',
  aliases: ['dag'],
  positional: ['dag_id'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const client = await airflowClient(ctx);
    const [dag, tasks, runs] = await Promise.all([
      getDag(client, input.dag_id, ctx.signal),
      getTasks(client, input.dag_id, ctx.signal),
      input.runs === 0
        ? Promise.resolve({ dag_runs: [] as ApiDagRun[] })
        : client.get<{ dag_runs: ApiDagRun[] }>(`${dagPath(input.dag_id)}/dagRuns`, {
            query: { limit: input.runs, order_by: '-run_after' },
            signal: ctx.signal,
          }),
    ]);
    const upstream = new Map<string, string[]>();
    for (const task of tasks) {
      for (const down of task.downstream_task_ids ?? [])
        upstream.set(down, [...(upstream.get(down) ?? []), task.task_id]);
    }
    return {
      dag_id: dag.dag_id,
      paused: dag.is_paused,
      ...(dag.timetable_summary ? { schedule: dag.timetable_summary } : {}),
      ...(dag.relative_fileloc ? { file: dag.relative_fileloc } : {}),
      ...(dag.last_parsed_time ? { last_parsed: dag.last_parsed_time } : {}),
      ...(dag.has_import_errors ? { has_import_errors: true } : {}),
      tasks: inDependencyOrder(
        tasks.map((task) => task.task_id),
        upstream,
      ).map((id) => {
        const task = tasks.find((t) => t.task_id === id)!;
        return {
          task_id: id,
          ...(task.operator_name ? { operator: task.operator_name } : {}),
          upstream: (upstream.get(id) ?? []).sort(),
          downstream: [...(task.downstream_task_ids ?? [])].sort(),
          ...(task.trigger_rule && task.trigger_rule !== 'all_success'
            ? { trigger_rule: task.trigger_rule }
            : {}),
          ...(task.retries ? { retries: task.retries } : {}),
        };
      }),
      recent_runs: runs.dag_runs.map((run) => ({
        dag_id: run.dag_id,
        run_id: run.dag_run_id,
        state: run.state,
        ...(run.start_date ? { start_date: run.start_date } : {}),
        ...(run.end_date ? { end_date: run.end_date } : {}),
      })),
    };
  },
  toText(output) {
    const tasks = output.tasks.map(
      (t) =>
        `  ${t.task_id} (${t.operator ?? '?'})${t.upstream.length ? ` after ${t.upstream.join(', ')}` : ''}${t.trigger_rule ? ` [${t.trigger_rule}]` : ''}`,
    );
    const runs = output.recent_runs.map((r) => `  ${r.run_id}: ${r.state}`);
    const body = [
      `${output.dag_id}: ${output.paused ? 'paused' : 'active'}, ${output.schedule ?? 'no schedule'}, file ${output.file ?? '?'}${output.has_import_errors ? ' (IMPORT ERRORS)' : ''}`,
      `tasks:\n${tasks.join('\n') || '  (none)'}`,
      `recent runs:\n${runs.join('\n') || '  (none)'}`,
    ].join('\n');
    return fenceUntrusted('DAG structure from its file', body);
  },
});

/** Kahn's order (ties by id), so a reader sees each task after the ones it waits for. */
function inDependencyOrder(ids: string[], upstream: Map<string, string[]>): string[] {
  const done = new Set<string>();
  const order: string[] = [];
  const remaining = [...ids].sort();
  while (remaining.length > 0) {
    const index = remaining.findIndex((id) => (upstream.get(id) ?? []).every((up) => done.has(up)));
    // A cycle cannot parse in Airflow; still, never loop forever on odd data.
    const [next] = remaining.splice(index === -1 ? 0 : index, 1);
    done.add(next!);
    order.push(next!);
  }
  return order;
}
