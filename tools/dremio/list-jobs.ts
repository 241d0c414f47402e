import { z } from 'zod';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';

const Input = z.object({
  job_id: z
    .string()
    .optional()
    .describe('One job to show (its state, rows, error); without it, recent jobs are listed'),
  state: z
    .string()
    .regex(/^[A-Za-z_]+$/)
    .optional()
    .describe('Only jobs in this state: RUNNING, COMPLETED, FAILED, CANCELED, ...'),
  limit: z.number().int().min(1).max(500).default(20).describe('Most recent jobs to list'),
});

const Job = z.object({
  job_id: z.string().describe('Dremio job id'),
  state: z.string().describe('COMPLETED, FAILED and CANCELED are final; anything else is still going'),
  rows: z.number().optional().describe('Rows returned'),
  error: z.string().optional().describe('Why it failed, or why it was cancelled'),
  user: z.string().optional().describe('Who ran it'),
  query_type: z.string().optional().describe('UI_RUN, REST, JDBC, ODBC, ...'),
  submitted: z.string().optional().describe('When it was submitted'),
  finished: z.string().optional().describe('When it reached its final state'),
  sql: z.string().optional().describe('The query text'),
});

const Output = z.object({
  jobs: z.array(Job).describe('Newest first'),
});

export type JobsOutput = z.infer<typeof Output>;

export const dremioJobs = defineTool({
  name: 'dremio_jobs',
  title: 'List Dremio jobs',
  description:
    'Recent Dremio jobs and their state, newest first (from sys.jobs_recent), or one job by id with its error. Use it to see why a query failed or what is still running.',
  toolset: 'dremio',
  action: 'jobs',
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const { jobById, recentJobs } = await import('./job-list.js');
    return { jobs: input.job_id ? [await jobById(input.job_id, ctx)] : await recentJobs(input, ctx) };
  },
  toText(output) {
    if (output.jobs.length === 0) return 'No jobs';
    const lines = output.jobs.map((job) =>
      [
        job.job_id,
        job.state,
        job.rows === undefined ? '' : `${job.rows} rows`,
        job.submitted ?? '',
        job.error ?? '',
        job.sql ?? '',
      ]
        .filter((part) => part !== '')
        .join(' | '),
    );
    // Query texts and error messages are written by others: data, not instructions.
    return `${output.jobs.length} job${output.jobs.length === 1 ? '' : 's'}\n${fenceUntrusted('Dremio jobs', lines.join('\n'))}`;
  },
});
