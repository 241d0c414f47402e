import { z } from 'zod';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';
import { airflowClient } from './connect.js';
import { errorTail, listImportErrors } from './dags.js';

const Input = z.object({
  file: z
    .string()
    .max(1000)
    .optional()
    .describe("Only this DAG file's error (its path in the DAG folder, or just its name)"),
  full: z.boolean().default(false).describe('The whole traceback instead of its last lines'),
});

const Output = z.object({
  errors: z
    .array(
      z.object({
        file: z.string().describe('The DAG file, relative to the DAG folder'),
        when: z.string().describe('When the DAG processor last failed to parse it'),
        error: z.string().describe("Python's traceback (its last lines unless full)"),
      }),
    )
    .describe('One entry per DAG file that does not parse, newest first'),
});

export const airflowImportErrors = defineTool({
  name: 'airflow_import_errors',
  title: 'Airflow DAG import errors',
  description:
    "DAG files Airflow cannot parse, each with Python's error. A DAG missing from airflow_list_dags after a deploy is usually here.",
  toolset: 'airflow',
  action: 'import-errors',
  positional: ['file'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const client = await airflowClient(ctx);
    const wanted = input.file?.replace(/^\.?\//, '');
    const errors = (await listImportErrors(client, ctx.signal)).filter(
      (error) => !wanted || error.filename === wanted || error.filename.endsWith(`/${wanted}`),
    );
    return {
      errors: errors.map((error) => ({
        file: error.filename,
        when: error.timestamp,
        error: input.full ? error.stack_trace.trimEnd() : errorTail(error.stack_trace),
      })),
    };
  },
  toText(output) {
    if (output.errors.length === 0) return 'No import errors: every DAG file parses';
    const body = output.errors.map((e) => `${e.file} (${e.when}):\n${e.error}`).join('\n\n');
    return `${output.errors.length} DAG file(s) do not parse:\n${fenceUntrusted('Python tracebacks of DAG files', body)}`;
  },
});
