import { z } from 'zod';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';
import { airflowClient } from './connect.js';
import { listDags } from './dags.js';

const Input = z.object({
  pattern: z
    .string()
    .max(250)
    .optional()
    .describe(
      'Only DAG ids matching this SQL LIKE pattern (`%sales%`); a plain word matches anywhere in the id',
    ),
  paused: z.boolean().optional().describe('Only paused (true) or only active (false) DAGs'),
  limit: z.number().int().min(1).max(1000).default(100).describe('Most DAGs to list, by id'),
});

const Dag = z.object({
  dag_id: z.string().describe('DAG id'),
  paused: z.boolean().describe('Paused DAGs are not scheduled; their triggered runs wait queued'),
  schedule: z.string().optional().describe("When it runs by itself (Airflow's summary of its timetable)"),
  tags: z.array(z.string()).optional().describe('Tags set in the DAG file'),
  file: z.string().optional().describe('Its file, relative to the DAG folder'),
  last_parsed: z.string().optional().describe('When the DAG processor last read the file'),
  has_import_errors: z
    .boolean()
    .optional()
    .describe('True when its file no longer parses (see airflow_import_errors)'),
  description: z.string().optional().describe("The DAG's description"),
});

const Output = z.object({
  dags: z.array(Dag).describe('DAGs, by id'),
  total: z.number().int().describe('How many DAGs match in all (more than listed when limited)'),
});

export const airflowListDags = defineTool({
  name: 'airflow_list_dags',
  title: 'List Airflow DAGs',
  description:
    'The DAGs Airflow knows: id, paused or not, schedule, tags, file and last parse. Use it to find the dag_id to show, trigger or pause.',
  toolset: 'airflow',
  aliases: ['dags', 'ls'],
  positional: ['pattern'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const client = await airflowClient(ctx);
    const pattern = input.pattern && !/[%_]/.test(input.pattern) ? `%${input.pattern}%` : input.pattern;
    const { dags, total } = await listDags(client, {
      pattern,
      paused: input.paused,
      limit: input.limit,
      signal: ctx.signal,
    });
    return {
      total,
      dags: dags.map((dag) => ({
        dag_id: dag.dag_id,
        paused: dag.is_paused,
        ...(dag.timetable_summary ? { schedule: dag.timetable_summary } : {}),
        ...(dag.tags?.length ? { tags: dag.tags.map((tag) => tag.name) } : {}),
        ...(dag.relative_fileloc ? { file: dag.relative_fileloc } : {}),
        ...(dag.last_parsed_time ? { last_parsed: dag.last_parsed_time } : {}),
        ...(dag.has_import_errors ? { has_import_errors: true } : {}),
        ...(dag.description ? { description: dag.description } : {}),
      })),
    };
  },
  toText(output) {
    if (output.dags.length === 0)
      return 'No DAGs (a new file in the DAG folder needs a few seconds to be parsed)';
    const lines = output.dags.map((dag) =>
      [
        dag.dag_id,
        dag.paused ? 'paused' : 'active',
        dag.schedule ?? 'no schedule',
        dag.file ?? '',
        dag.has_import_errors ? 'IMPORT ERRORS' : '',
        dag.tags?.length ? `tags: ${dag.tags.join(',')}` : '',
        dag.description ?? '',
      ]
        .filter(Boolean)
        .join(' | '),
    );
    const more =
      output.total > output.dags.length ? `\n(${output.total - output.dags.length} more: raise limit)` : '';
    return `${output.dags.length} DAGs:\n${fenceUntrusted('DAG metadata from the DAG files', lines.join('\n'))}${more}`;
  },
});
