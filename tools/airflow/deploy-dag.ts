import { basename } from 'node:path';
import { z } from 'zod';
import { defineTool } from '../core/types.js';
import { airflowClient } from './connect.js';
import { getTasks } from './dags.js';
import { deployDag, waitForDagParsed } from './deploy.js';
import { DagId } from './schemas.js';

const Input = z.object({
  file: z.string().min(1).describe('The DAG file (.py) in the workspace'),
  dag_id: DagId.optional().describe(
    'The DAG id the file defines: wait until Airflow has parsed it (default: the file name without .py)',
  ),
  name: z.string().max(250).optional().describe('Its name in the DAG folder (default: its own name)'),
  timeout_s: z
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(120)
    .describe('Most seconds to wait for Airflow to parse it'),
});

const Output = z.object({
  dag_id: z.string().describe('The DAG, now known to Airflow'),
  path: z.string().describe('Where the file was put'),
  paused: z.boolean().describe('Paused DAGs run only after airflow_unpause'),
  tasks: z.number().int().optional().describe('How many tasks it has'),
});

export const airflowDeployDag = defineTool({
  name: 'airflow_deploy_dag',
  title: 'Deploy a DAG file to Airflow',
  description:
    "Copies a DAG file into Airflow's DAG folder (airflow.dags_folder) and waits until Airflow has parsed this version; a file that does not parse fails with Airflow's import error. Replaces a file of the same name.",
  toolset: 'airflow',
  action: 'deploy',
  positional: ['file'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const client = await airflowClient(ctx);
    const source = ctx.workspace.resolve(input.file);
    const dagId = input.dag_id ?? basename(source).replace(/\.py$/, '');
    const deployed = deployDag(client, source, input.name ?? basename(source));
    ctx.progress({ done: 0, message: `waiting for Airflow to parse ${deployed.relativePath}` });
    const dag = await waitForDagParsed(client, dagId, {
      since: deployed.deployedAt,
      relativePath: deployed.relativePath,
      timeoutMs: input.timeout_s * 1000,
      signal: ctx.signal,
    });
    const tasks = await getTasks(client, dagId, ctx.signal);
    return { dag_id: dag.dag_id, path: deployed.path, paused: dag.is_paused, tasks: tasks.length };
  },
  toText: (output) =>
    `Deployed ${output.dag_id} (${output.tasks ?? '?'} tasks, ${output.paused ? 'paused' : 'active'}) to ${output.path}`,
});
