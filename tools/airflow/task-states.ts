import { z } from 'zod';
import { defineTool } from '../core/types.js';
import { airflowClient } from './connect.js';
import { getRun, listTaskInstances } from './runs.js';
import { DagId, RunId, RunSummary, statesLine, TaskState, taskState } from './schemas.js';

const Input = z.object({ dag_id: DagId, run_id: RunId });

const Output = z.object({
  run: RunSummary.describe('The run'),
  tasks: z.array(TaskState).describe("Each task instance's state and latest try"),
});

export const airflowTaskStates = defineTool({
  name: 'airflow_task_states',
  title: "Airflow run's task states",
  description:
    "A DAG run's state and each task instance's state, try number and times. Use it to find a failed task whose log to read.",
  toolset: 'airflow',
  aliases: ['tasks'],
  positional: ['dag_id', 'run_id'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const client = await airflowClient(ctx);
    const [run, tasks] = await Promise.all([
      getRun(client, input.dag_id, input.run_id, ctx.signal),
      listTaskInstances(client, input.dag_id, input.run_id, ctx.signal),
    ]);
    return {
      run: {
        dag_id: run.dag_id,
        run_id: run.dag_run_id,
        state: run.state,
        ...(run.start_date ? { start_date: run.start_date } : {}),
        ...(run.end_date ? { end_date: run.end_date } : {}),
        ...(run.conf && Object.keys(run.conf).length > 0 ? { conf: run.conf } : {}),
      },
      tasks: tasks.map(taskState),
    };
  },
  toText: (output) =>
    `${output.run.dag_id} ${output.run.run_id}: ${output.run.state}\n${statesLine(output.tasks)}`,
});
