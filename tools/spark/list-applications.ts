import { join } from 'node:path';
import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';
import { AppDetails } from './monitoring.js';

const Input = z.object({
  app_id: z
    .string()
    .optional()
    .describe(
      'An application (or run / submission id) to show its jobs, stages and executors; none lists applications',
    ),
  limit: z.number().int().min(1).max(200).default(20).describe('Most applications to list'),
});

const AppSummary = z.object({
  app_id: z.string().optional().describe('Spark application id'),
  run_id: z.string().optional().describe('DataStack run id, for runs DataStack submitted'),
  submission_id: z.string().optional().describe('Standalone driver id'),
  name: z.string().describe('Application or file name'),
  state: z.string().describe('State as last known'),
  source: z
    .enum(['datastack', 'master'])
    .describe('datastack: a run record of this project; master: the cluster'),
  started_at: z.string().optional().describe('ISO start time'),
  duration_ms: z.number().optional().describe('Wall time'),
});

const Output = z.object({
  applications: z.array(AppSummary).optional().describe('Recent applications, newest first'),
  application: AppDetails.optional().describe('One application in detail'),
});

export const sparkApplications = defineTool({
  name: 'spark_applications',
  title: 'Spark applications',
  description:
    "List recent Spark applications (this project's runs and the cluster master's), or one application's jobs, stages and executors from its driver's monitoring REST API (running) or its event log (ended).",
  toolset: 'spark',
  aliases: ['apps'],
  positional: ['app_id'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const [{ findRun, listRuns }, { fromDriverUi, fromEventLog }, { sparkDir }] = await Promise.all([
      import('./runs.js'),
      import('./monitoring.js'),
      import('./session.js'),
    ]);
    if (input.app_id) {
      const run = findRun(ctx, input.app_id);
      const appId = run?.app_id ?? input.app_id;
      const live = run?.ui_url ? await fromDriverUi(run.ui_url, appId, ctx.signal) : undefined;
      const details = live ?? fromEventLog(run?.event_log ?? join(sparkDir(ctx, 'events'), appId));
      if (!details) {
        throw new ToolError('not_found', `No driver UI or event log for application "${appId}"`, {
          hint: run
            ? `It may not have started; see \`datastack spark logs ${run.run_id}\``
            : 'List applications with `datastack spark applications`',
        });
      }
      return { application: details };
    }
    const applications: Array<z.infer<typeof AppSummary>> = listRuns(ctx)
      .slice(0, input.limit)
      .map((run) => ({
        ...(run.app_id ? { app_id: run.app_id } : {}),
        run_id: run.run_id,
        ...(run.submission_id ? { submission_id: run.submission_id } : {}),
        name: run.file,
        state: run.state,
        source: 'datastack' as const,
        started_at: run.started_at,
        ...(run.duration_ms !== undefined ? { duration_ms: run.duration_ms } : {}),
      }));
    if (ctx.config.spark.ui_url) {
      const { restClient } = await import('./submit-cluster.js');
      const master = await restClient(ctx)
        .master(ctx.signal)
        .catch(() => undefined);
      const known = new Set(applications.map((a) => a.app_id));
      for (const app of [...(master?.activeapps ?? []), ...(master?.completedapps ?? [])]) {
        if (known.has(app.id)) continue;
        applications.push({
          app_id: app.id,
          name: app.name,
          state: app.state,
          source: 'master',
          ...(app.starttime ? { started_at: new Date(app.starttime).toISOString() } : {}),
          ...(app.duration !== undefined ? { duration_ms: app.duration } : {}),
        });
      }
    }
    return { applications: applications.slice(0, input.limit) };
  },
  toText: (out) => {
    if (out.application) {
      const a = out.application;
      const body = [
        `jobs: ${a.jobs.map((j) => `${j.job_id} ${j.status}${j.duration_ms !== undefined ? ` ${j.duration_ms} ms` : ''}`).join('; ') || '-'}`,
        `stages: ${a.stages.map((s) => `${s.stage_id} ${s.status} ${s.num_tasks} tasks "${s.name}"${s.failure ? ` failure: ${s.failure}` : ''}`).join('; ') || '-'}`,
        `executors: ${a.executors.map((e) => `${e.id}@${e.host} (${e.cores} cores)`).join(', ') || '-'}`,
      ].join('\n');
      return `${a.app_id}${a.name ? ` (${a.name})` : ''} from the ${a.source}: ${Object.entries(a.metrics)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}\n${fenceUntrusted('Spark stage names and failures', body)}`;
    }
    const rows = (out.applications ?? []).map(
      (a) =>
        `${a.app_id ?? '-'}  ${a.state}  ${a.run_id ?? a.source}  ${a.name}${a.duration_ms !== undefined ? `  ${a.duration_ms} ms` : ''}`,
    );
    return rows.length ? rows.join('\n') : 'No Spark applications yet';
  },
});
