/** airflow_pause (and, through pauseTool, airflow_unpause): one PATCH, the server's answer returned. */
import { z } from 'zod';
import { defineTool, type AnyTool } from '../core/types.js';
import { airflowClient } from './connect.js';
import { setPaused } from './dags.js';
import { DagId } from './schemas.js';

const Input = z.object({ dag_id: DagId });
const Output = z.object({
  dag_id: z.string().describe('DAG id'),
  paused: z.boolean().describe('Its state on the server now'),
});

export function pauseTool(paused: boolean): AnyTool {
  const verb = paused ? 'pause' : 'unpause';
  return defineTool({
    name: `airflow_${verb}`,
    title: paused ? 'Pause an Airflow DAG' : 'Unpause an Airflow DAG',
    description: paused
      ? 'Pauses a DAG: the scheduler starts no new runs of it (running tasks finish; triggered runs wait queued).'
      : 'Unpauses a DAG: its schedule and queued runs go ahead.',
    toolset: 'airflow',
    action: verb,
    positional: ['dag_id'],
    input: Input,
    output: Output,
    annotations: { readOnly: false, destructive: false, idempotent: true, openWorld: true },
    async run(input, ctx) {
      const client = await airflowClient(ctx);
      const dag = await setPaused(client, input.dag_id, paused, ctx.signal);
      return { dag_id: dag.dag_id, paused: dag.is_paused };
    },
    toText: (output) => `${output.dag_id} is ${output.paused ? 'paused' : 'active'}`,
  });
}

export const airflowPause = pauseTool(true);
