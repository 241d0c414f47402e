import { z } from 'zod';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';
import { RunState } from './runs.js';

const Input = z.object({
  id: z.string().min(1).describe('Submission id (driver-…), application id or DataStack run id'),
});

const Output = z.object({
  id: z.string().describe('The id asked about'),
  state: RunState,
  submission_id: z.string().optional().describe('Standalone driver id'),
  app_id: z.string().optional().describe('Spark application id'),
  worker: z.string().optional().describe('Worker the driver runs on'),
  duration_ms: z.number().optional().describe('Wall time, when it has ended'),
  log: z.string().optional().describe('Workspace path of the driver log'),
  message: z
    .string()
    .optional()
    .describe("The master's message, e.g. the exception of a failed launch (untrusted)"),
});

export const sparkStatus = defineTool({
  name: 'spark_status',
  title: 'Spark job status',
  description:
    'State of a Spark submission (standalone REST API status/{id}) or of a run DataStack submitted: SUBMITTED, RUNNING, FINISHED, FAILED, KILLED, ERROR.',
  toolset: 'spark',
  positional: ['id'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const [{ findRun }, { restClient }] = await Promise.all([
      import('./runs.js'),
      import('./submit-cluster.js'),
    ]);
    const run = findRun(ctx, input.id);
    const submission = run?.submission_id ?? (input.id.startsWith('driver-') ? input.id : undefined);
    const base = {
      id: input.id,
      ...(run?.app_id ? { app_id: run.app_id } : {}),
      ...(run?.duration_ms !== undefined ? { duration_ms: run.duration_ms } : {}),
      ...(run ? { log: run.log } : {}),
    };
    if (!submission) {
      const { requireRun } = await import('./runs.js');
      return { ...base, state: requireRun(ctx, input.id).state };
    }
    const status = await restClient(ctx, run?.master).status(submission, ctx.signal);
    const state = RunState.safeParse(status.driverState);
    return {
      ...base,
      submission_id: submission,
      state: state.success ? state.data : 'UNKNOWN',
      ...(status.workerHostPort ? { worker: status.workerHostPort } : {}),
      ...(status.message ? { message: status.message.slice(0, 2000) } : {}),
    };
  },
  toText: (out) =>
    [
      `${out.id}: ${out.state}${out.duration_ms !== undefined ? ` (${(out.duration_ms / 1000).toFixed(1)} s)` : ''}`,
      out.app_id ? `application: ${out.app_id}` : '',
      out.worker ? `worker: ${out.worker}` : '',
      out.log ? `log: ${out.log}` : '',
      out.message ? fenceUntrusted('Spark master message', out.message) : '',
    ]
      .filter(Boolean)
      .join('\n'),
});
