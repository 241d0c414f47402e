import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';
import { ANALYSES } from './cells-common.js';
import { failureText, FailureSchema } from './execute-notebook.js';
import { planNotebook, writeNotebook } from './build.js';
import { runNotebook } from './runner.js';

const Input = z.object({
  analysis: z
    .enum(ANALYSES)
    .describe('eda, feature-engineering, modeling, evaluation or debug (the last three need target)'),
  dataset: z.string().min(1).describe("Workspace path of a CSV, Parquet or JSON file, e.g. 'data/sales.csv'"),
  target: z
    .string()
    .min(1)
    .optional()
    .describe('Column to predict; its data decides classification or regression'),
  task: z
    .enum(['classification', 'regression'])
    .optional()
    .describe('Override the task type decided from the target'),
  model: z
    .string()
    .min(1)
    .optional()
    .describe(
      "evaluation/debug: a .joblib/.pkl model file in the workspace, or a run description such as 'random forest, max_depth=8'",
    ),
  out: z
    .string()
    .min(1)
    .optional()
    .describe('Notebook path (default notebooks/<analysis>-<dataset stem>.ipynb)'),
  force: z.boolean().default(false).describe('Overwrite the notebook if it exists'),
  execute: z
    .boolean()
    .default(false)
    .describe('Run it headless with Jupyter (nbclient) and save the outputs'),
  timeout_seconds: z
    .number()
    .int()
    .min(10)
    .max(7200)
    .default(600)
    .describe('Per-cell time limit when executing'),
});

const Output = z.object({
  path: z.string().describe('The notebook, relative to the workspace'),
  analysis: z.enum(ANALYSES).describe('Kind of notebook'),
  dataset: z.string().describe('Dataset path relative to the workspace'),
  rows: z.number().describe('Rows in the dataset'),
  cells: z.number().describe('Cells in the notebook (markdown and code)'),
  columns: z
    .array(
      z.object({
        name: z.string().describe('Column name'),
        role: z
          .enum(['numeric', 'categorical', 'text', 'date', 'dropped'])
          .describe('How the notebook uses it'),
        note: z.string().optional().describe('Why it is left out, or how it is read'),
      }),
    )
    .describe('Every column of the dataset and its role'),
  target: z.string().optional().describe('Target column'),
  task: z.enum(['classification', 'regression']).optional().describe('Task type, from the target data'),
  time_column: z.string().optional().describe('The time index, when there is one'),
  model_file: z.string().optional().describe('Where the modeling notebook saves its best model when run'),
  executed: z.boolean().describe('Whether the notebook was run'),
  executed_cells: z.number().optional().describe('Code cells that ran without error'),
  errors: z.array(FailureSchema).optional().describe('The failing cell, when a run failed'),
  elapsed_ms: z.number().describe('Time taken, in milliseconds'),
});

export const notebookGenerate = defineTool({
  name: 'notebook_generate',
  title: 'Generate notebook',
  description:
    "Writes a Jupyter notebook (eda, feature-engineering, modeling, evaluation, debug) for a dataset's real columns, with explanations; optionally executes it headless. Never overwrites without force.",
  toolset: 'notebook',
  positional: ['dataset'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: false },
  async run(input, ctx) {
    const started = performance.now();
    const planned = await planNotebook(ctx, input);
    try {
      writeNotebook(planned, input.force);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      throw new ToolError('invalid_input', `${ctx.workspace.display(planned.path)} already exists`, {
        hint: 'Pass force: true (--force) to overwrite it',
      });
    }
    const { plan } = planned;
    const run = input.execute
      ? await runNotebook(ctx, planned.path, { timeoutSeconds: input.timeout_seconds, save: true })
      : undefined;
    return {
      path: ctx.workspace.display(planned.path),
      analysis: input.analysis,
      dataset: plan.facts.dataset.display,
      rows: plan.facts.rows,
      cells: planned.cells.length,
      columns: plan.facts.columns.map((c) => ({
        name: c.name,
        role: c.role,
        ...(c.note ? { note: c.note } : {}),
      })),
      ...(plan.target ? { target: plan.target.name } : {}),
      ...(plan.task ? { task: plan.task } : {}),
      ...(plan.facts.time ? { time_column: plan.facts.time } : {}),
      ...(plan.modelOutDisplay ? { model_file: plan.modelOutDisplay } : {}),
      executed: run !== undefined,
      ...(run ? { executed_cells: run.executed } : {}),
      ...(run?.failure ? { errors: [run.failure] } : {}),
      elapsed_ms: Math.round(performance.now() - started),
    };
  },
  toText(output) {
    const roles = ['numeric', 'categorical', 'text', 'date', 'dropped'] as const;
    const byRole = roles
      .map((role) => {
        const list = output.columns.filter((c) => c.role === role).map((c) => c.name);
        return list.length ? `${role}: ${list.join(', ')}` : '';
      })
      .filter(Boolean)
      .join('\n');
    const head = [
      `Wrote ${output.path}: ${output.analysis} notebook, ${output.cells} cells, for ${output.dataset} (${output.rows} rows)`,
      output.task ? `task ${output.task}` : '',
      output.executed
        ? output.errors?.length
          ? `executed: FAILED after ${output.executed_cells ?? 0} cells`
          : `executed: ${output.executed_cells ?? 0} code cells ran without error`
        : 'not executed (execute: true, or `datastack notebook execute PATH`)',
      output.model_file ? `running it saves the model to ${output.model_file}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    const columns = fenceUntrusted(
      'column names',
      [output.target ? `target: ${output.target}` : '', byRole].filter(Boolean).join('\n'),
    );
    const failure = output.errors?.[0] ? `\n${failureText(output.errors[0])}` : '';
    return `${head}\n${columns}${failure}`;
  },
});
