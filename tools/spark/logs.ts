import { z } from 'zod';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';

const Input = z.object({
  id: z.string().min(1).describe('DataStack run id, application id or submission id'),
  max_chars: z
    .number()
    .int()
    .min(200)
    .max(200_000)
    .default(8_000)
    .describe('Characters of the log tail to return'),
  errors_only: z.boolean().default(false).describe('Only the lines that say why the job failed'),
});

const Output = z.object({
  log: z.string().describe('Workspace path of the full driver log'),
  state: z.string().describe('State of the run'),
  size: z.number().describe('Characters in the whole log'),
  truncated: z.boolean().describe('True when only the tail is returned'),
  text: z.string().describe('The log tail, or the error lines (untrusted)'),
});

export const sparkLogs = defineTool({
  name: 'spark_logs',
  title: 'Spark driver log',
  description:
    'The driver log of a Spark run DataStack submitted (local or cluster): its tail, capped, or only its error lines.',
  toolset: 'spark',
  positional: ['id'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
  async run(input, ctx) {
    const { errorLines, readTail, requireRun } = await import('./runs.js');
    const run = requireRun(ctx, input.id);
    const tail = readTail(ctx.workspace.resolve(run.log), input.errors_only ? 1_000_000 : input.max_chars);
    const text = input.errors_only ? errorLines(tail.text).join('\n') : tail.text;
    return {
      log: run.log,
      state: run.state,
      size: tail.size,
      truncated: input.errors_only || tail.truncated,
      text,
    };
  },
  toText: (out) =>
    `${out.log} (${out.state}, ${out.size} chars${out.truncated ? ', tail' : ''})\n${fenceUntrusted('Spark driver log', out.text || '(empty)')}`,
});
