import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';
import { airflowClient } from './connect.js';
import { readTaskLog } from './logs.js';
import type { ApiTaskInstance } from './model.js';
import { runPath } from './runs.js';
import { DagId, RunId } from './schemas.js';

const Input = z.object({
  dag_id: DagId,
  run_id: RunId,
  task_id: z.string().min(1).max(250).describe('Task id, as airflow_task_states shows it'),
  try_number: z.number().int().min(1).optional().describe("Which try's log (default: the latest)"),
  map_index: z.number().int().min(0).optional().describe('For a mapped task: which instance'),
  max_lines: z
    .number()
    .int()
    .min(1)
    .max(5000)
    .default(200)
    .describe('Most lines returned, the last ones (errors come last)'),
  to_file: z
    .boolean()
    .default(false)
    .describe('Also write the whole log to a file under .datastack/results/'),
});

const Output = z.object({
  dag_id: z.string().describe('DAG id'),
  run_id: z.string().describe('Run id'),
  task_id: z.string().describe('Task id'),
  try_number: z.number().int().describe('The try whose log this is'),
  total_lines: z.number().int().describe('Lines in the whole log'),
  lines: z.array(z.string()).describe('The log, one line per event: its last max_lines lines'),
  truncated: z.boolean().describe('True when earlier lines were left out'),
  file: z.string().optional().describe('The whole log, when to_file was asked for'),
  server_log: z.string().optional().describe('Where the log lives on the Airflow host'),
});

export const airflowTaskLogs = defineTool({
  name: 'airflow_task_logs',
  title: "Airflow task's log",
  description:
    'The log of one task try in a DAG run (the latest try by default), its last lines capped; the whole log to a file on request. Use it after airflow_wait or airflow_task_states shows a failure.',
  toolset: 'airflow',
  action: 'task-logs',
  aliases: ['logs'],
  positional: ['dag_id', 'run_id', 'task_id'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const client = await airflowClient(ctx);
    let tryNumber = input.try_number;
    if (tryNumber === undefined) {
      const instance = await client.get<ApiTaskInstance>(
        `${runPath(input.dag_id, input.run_id)}/taskInstances/${encodeURIComponent(input.task_id)}${input.map_index === undefined ? '' : `/${input.map_index}`}`,
        {
          signal: ctx.signal,
          notFoundHint: "See the run's tasks with `datastack airflow task-states DAG RUN_ID`",
        },
      );
      // A task that has not run yet has try 0 and no log.
      tryNumber = Math.max(1, instance.try_number);
    }
    const log = await readTaskLog(
      client,
      {
        dagId: input.dag_id,
        runId: input.run_id,
        taskId: input.task_id,
        tryNumber,
        mapIndex: input.map_index ?? -1,
      },
      ctx.signal,
    );
    let file: string | undefined;
    if (input.to_file) {
      file = ctx.sink.allocate(`airflow-${input.dag_id}-${input.task_id}`, 'log');
      writeFileSync(file, `${log.lines.join('\n')}\n`);
    }
    const lines = log.lines.slice(-input.max_lines);
    return {
      dag_id: input.dag_id,
      run_id: input.run_id,
      task_id: input.task_id,
      try_number: tryNumber,
      total_lines: log.lines.length,
      lines,
      truncated: lines.length < log.lines.length,
      ...(file ? { file } : {}),
      ...(log.serverPath ? { server_log: log.serverPath } : {}),
    };
  },
  toText(output) {
    const head = `${output.dag_id} ${output.run_id} ${output.task_id} try ${output.try_number}: ${output.total_lines} lines${output.truncated ? ` (last ${output.lines.length} shown)` : ''}`;
    const file = output.file ? `\nwhole log: ${output.file}` : '';
    return `${head}\n${fenceUntrusted('task log', output.lines.join('\n'))}${file}`;
  },
});
