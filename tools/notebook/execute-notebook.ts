import { statSync } from 'node:fs';
import { extname } from 'node:path';
import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';
import { runNotebook, type CellFailure } from './runner.js';

export const FailureSchema = z.object({
  cell: z.number().describe('Index of the failing cell among all cells, from 0'),
  ename: z.string().describe('Python exception name'),
  evalue: z.string().describe('Exception message'),
  traceback: z.string().describe('Traceback, colours removed (end kept when long)'),
  source: z.string().describe("Start of the failing cell's code"),
});

const Input = z.object({
  notebook: z.string().min(1).describe("Workspace path of an .ipynb file, e.g. 'notebooks/eda-sales.ipynb'"),
  timeout_seconds: z.number().int().min(10).max(7200).default(600).describe('Per-cell time limit'),
  save: z.boolean().default(true).describe('Write the outputs into the notebook (false: only report)'),
});

const Output = z.object({
  path: z.string().describe('The notebook, relative to the workspace'),
  ok: z.boolean().describe('Every code cell ran without error'),
  cells: z.number().describe('Code cells in the notebook'),
  executed_cells: z.number().describe('Code cells that ran without error'),
  error: FailureSchema.optional().describe('The first failing cell'),
  saved: z.boolean().describe('Outputs were written into the notebook'),
  elapsed_ms: z.number().describe('Time taken, in milliseconds'),
});

export const notebookExecute = defineTool({
  name: 'notebook_execute',
  title: 'Execute notebook',
  description:
    'Runs a Jupyter notebook headless (nbclient, in the notebook folder), saves its outputs, and reports the first failing cell with its error.',
  toolset: 'notebook',
  positional: ['notebook'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: false },
  async run(input, ctx) {
    const path = ctx.workspace.resolve(input.notebook);
    const display = ctx.workspace.display(path);
    let isFile = false;
    try {
      isFile = statSync(path).isFile();
    } catch {
      throw new ToolError('not_found', `Notebook not found: ${display}`, {
        hint: 'Write one with `datastack generate notebook --analysis eda --dataset FILE`',
      });
    }
    if (!isFile || extname(path).toLowerCase() !== '.ipynb') {
      throw new ToolError('invalid_input', `Not a notebook: ${display}`, { hint: 'Give an .ipynb file' });
    }
    const run = await runNotebook(ctx, path, { timeoutSeconds: input.timeout_seconds, save: input.save });
    return {
      path: display,
      ok: !run.failure,
      cells: run.cells,
      executed_cells: run.executed,
      ...(run.failure ? { error: run.failure } : {}),
      saved: input.save,
      elapsed_ms: run.elapsedMs,
    };
  },
  toText(output) {
    const head = output.ok
      ? `${output.path}: all ${output.cells} code cells ran without error (${output.elapsed_ms} ms)${output.saved ? '; outputs saved' : ''}`
      : `${output.path}: FAILED; ${output.executed_cells} of ${output.cells} code cells ran before the error${output.saved ? '; outputs so far saved' : ''}`;
    return output.error ? `${head}\n${failureText(output.error)}` : head;
  },
});

/** The failing cell, fenced: notebook output is data from the user's code, not instructions. */
export function failureText(failure: CellFailure): string {
  const body = [
    `cell ${failure.cell}: ${failure.ename}: ${failure.evalue}`,
    'code:',
    failure.source,
    'traceback (end):',
    failure.traceback.split('\n').slice(-15).join('\n'),
  ].join('\n');
  return fenceUntrusted('notebook error output', body);
}
