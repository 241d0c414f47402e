import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool } from '../core/types.js';

const Input = z.object({
  id: z.string().min(1).describe('Submission id (driver-…) or a DataStack run id of a cluster run'),
  dry_run: z.boolean().default(false).describe('Say what would be killed without killing it'),
});

const Output = z.object({
  submission_id: z.string().describe('The driver that was (or would be) killed'),
  killed: z.boolean().describe('True when the master accepted the kill'),
  message: z.string().optional().describe("The master's answer"),
  dry_run: z.boolean().optional().describe('True when nothing was done'),
});

export const sparkKill = defineTool({
  name: 'spark_kill',
  title: 'Kill a Spark job',
  description:
    'Kill a running Spark driver on a standalone cluster (REST API kill/{id}); its work so far is lost. Local runs stop with Ctrl-C of the submitting command.',
  toolset: 'spark',
  positional: ['id'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: true, idempotent: true, openWorld: true },
  confirmSummary: (input) => `Kill Spark driver ${input.id}: the job stops and its unfinished work is lost`,
  async run(input, ctx) {
    const [{ findRun }, { restClient }] = await Promise.all([
      import('./runs.js'),
      import('./submit-cluster.js'),
    ]);
    const run = findRun(ctx, input.id);
    if (run?.mode === 'local') {
      throw new ToolError('invalid_input', `${input.id} ran locally (spark-submit), not on a cluster`, {
        hint: 'A local job stops with Ctrl-C (or the abort) of the command that submitted it',
      });
    }
    const submission = run?.submission_id ?? input.id;
    if (!submission.startsWith('driver-')) {
      throw new ToolError('not_found', `No cluster submission "${input.id}"`, {
        hint: 'Give the driver-… id that spark_submit returned (`datastack spark applications` lists them)',
      });
    }
    if (input.dry_run) return { submission_id: submission, killed: false, dry_run: true };
    const answer = await restClient(ctx, run?.master).kill(submission, ctx.signal);
    return {
      submission_id: submission,
      killed: answer.success === true,
      ...(answer.message ? { message: answer.message } : {}),
    };
  },
  toText: (out) =>
    out.dry_run
      ? `Would kill ${out.submission_id}`
      : `${out.submission_id}: ${out.killed ? 'kill accepted' : 'not killed'}${out.message ? ` (${out.message})` : ''}`,
});
