import { z } from 'zod';
import { defineTool } from '../core/types.js';
import { airflowClient } from './connect.js';
import { getDag } from './dags.js';
import { triggerRun } from './runs.js';
import { DagId, RunSummary } from './schemas.js';

const Input = z.object({
  dag_id: DagId,
  conf: z
    .record(z.string(), z.unknown())
    .default({})
    .describe(
      'Run configuration the tasks read as dag_run.conf (a JSON object on the CLI: --conf \'{"date": "2025-01-01"}\')',
    ),
  run_id: z
    .string()
    .min(1)
    .max(250)
    .regex(/^[A-Za-z0-9_.:+-]+$/)
    .optional()
    .describe("The new run's id (default: Airflow's manual__<time>); must be new for this DAG"),
  note: z.string().max(1000).optional().describe('A note shown with the run in the Airflow UI'),
});

const Output = RunSummary.extend({
  paused: z.boolean().describe('The DAG is paused: the run stays queued until it is unpaused'),
});

export const airflowTrigger = defineTool({
  name: 'airflow_trigger',
  title: 'Trigger an Airflow DAG run',
  description:
    'Starts a manual run of a DAG now, with an optional conf object. Returns the run id at once; follow it with airflow_wait.',
  toolset: 'airflow',
  action: 'trigger',
  positional: ['dag_id'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: true },
  async run(input, ctx) {
    const client = await airflowClient(ctx);
    const dag = await getDag(client, input.dag_id, ctx.signal);
    const run = await triggerRun(client, input.dag_id, {
      conf: input.conf,
      runId: input.run_id,
      note: input.note,
      signal: ctx.signal,
    });
    return {
      dag_id: run.dag_id,
      run_id: run.dag_run_id,
      state: run.state,
      ...(run.conf && Object.keys(run.conf).length > 0 ? { conf: run.conf } : {}),
      paused: dag.is_paused,
    };
  },
  toText(output) {
    const waiting = output.paused
      ? ` The DAG is paused: the run waits until \`datastack airflow unpause ${output.dag_id}\`.`
      : '';
    return `Triggered ${output.dag_id} run ${output.run_id} (${output.state}).${waiting} Follow it with airflow_wait.`;
  },
});
