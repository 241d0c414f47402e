/**
 * An application's jobs, stages and executors: from the monitoring REST API of its driver UI
 * (`/api/v1/applications/{id}/jobs|stages|executors`) while it runs, else from the event log the
 * driver wrote (DataStack turns event logging on for every session), which is the same data a
 * history server would serve. Both become one shape.
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';

export const AppDetails = z.object({
  app_id: z.string().describe('Spark application id'),
  name: z.string().optional().describe('Application name'),
  source: z
    .enum(['driver-ui', 'event-log'])
    .describe('Where this came from: the live driver UI or the event log'),
  duration_ms: z.number().optional().describe('Application wall time, when it has ended'),
  jobs: z
    .array(
      z.object({
        job_id: z.number().describe('Job id'),
        status: z.string().describe('SUCCEEDED, FAILED, RUNNING'),
        stage_ids: z.array(z.number()).describe('Stages of the job'),
        duration_ms: z.number().optional().describe('Job wall time'),
      }),
    )
    .describe('Jobs, in order'),
  stages: z
    .array(
      z.object({
        stage_id: z.number().describe('Stage id'),
        name: z.string().describe('Stage name (the call site)'),
        status: z.string().describe('COMPLETE, FAILED, ACTIVE'),
        num_tasks: z.number().describe('Tasks in the stage'),
        input_records: z.number().describe('Records read'),
        output_records: z.number().describe('Records written'),
        executor_run_time_ms: z.number().describe('Summed task run time'),
        failure: z.string().optional().describe('Why it failed (untrusted)'),
      }),
    )
    .describe('Stages, in order'),
  executors: z
    .array(
      z.object({
        id: z.string().describe('driver or an executor number'),
        host: z.string().describe('host:port'),
        cores: z.number().describe('Cores it had'),
      }),
    )
    .describe('Executors (and the driver)'),
  metrics: z
    .record(z.string(), z.number())
    .describe(
      'Totals: jobs, failed_jobs, stages, tasks, input_records, output_records, executor_run_time_ms',
    ),
});
export type AppDetails = z.infer<typeof AppDetails>;

type Json = Record<string, unknown>;

export async function fromDriverUi(
  uiUrl: string,
  appId: string,
  signal: AbortSignal,
): Promise<AppDetails | undefined> {
  const base = `${uiUrl.replace(/\/+$/, '')}/api/v1/applications/${encodeURIComponent(appId)}`;
  const get = async (path: string) => {
    try {
      const response = await fetch(`${base}${path}`, {
        signal: AbortSignal.any([signal, AbortSignal.timeout(5_000)]),
      });
      return response.ok ? ((await response.json()) as Json[]) : undefined;
    } catch {
      return undefined;
    }
  };
  const [jobs, stages, executors] = await Promise.all([get('/jobs'), get('/stages'), get('/executors')]);
  if (!jobs || !stages || !executors) return undefined;
  const details: AppDetails = {
    app_id: appId,
    source: 'driver-ui',
    jobs: jobs
      .map((j) => ({
        job_id: num(j.jobId),
        status: String(j.status),
        stage_ids: (j.stageIds as number[] | undefined) ?? [],
        ...span(j.submissionTime, j.completionTime),
      }))
      .sort((a, b) => a.job_id - b.job_id),
    stages: stages
      .map((s) => ({
        stage_id: num(s.stageId),
        name: String(s.name),
        status: String(s.status),
        num_tasks: num(s.numTasks),
        input_records: num(s.inputRecords),
        output_records: num(s.outputRecords),
        executor_run_time_ms: num(s.executorRunTime),
        ...(s.failureReason ? { failure: str(s.failureReason).slice(0, 500) } : {}),
      }))
      .sort((a, b) => a.stage_id - b.stage_id),
    executors: executors.map((e) => ({
      id: String(e.id),
      host: String(e.hostPort),
      cores: num(e.totalCores),
    })),
    metrics: {},
  };
  details.metrics = totals(details);
  return details;
}

/** Reads a (plain, uncompressed) event log: one JSON event per line. */
export function fromEventLog(path: string): AppDetails | undefined {
  const file = existsSync(path) ? path : existsSync(`${path}.inprogress`) ? `${path}.inprogress` : undefined;
  if (!file) return undefined;
  let appId = '';
  let name: string | undefined;
  let start: number | undefined;
  let end: number | undefined;
  const jobs = new Map<number, AppDetails['jobs'][number] & { started?: number }>();
  const stages = new Map<number, AppDetails['stages'][number]>();
  const executors: AppDetails['executors'] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    let event: Json;
    try {
      event = JSON.parse(line) as Json;
    } catch {
      continue; // the last line of a log still being written
    }
    switch (event.Event) {
      case 'SparkListenerApplicationStart':
        appId = str(event['App ID']);
        name = str(event['App Name']);
        start = num(event.Timestamp);
        break;
      case 'SparkListenerApplicationEnd':
        end = num(event.Timestamp);
        break;
      case 'SparkListenerJobStart':
        jobs.set(num(event['Job ID']), {
          job_id: num(event['Job ID']),
          status: 'RUNNING',
          stage_ids: (event['Stage IDs'] as number[] | undefined) ?? [],
          started: num(event['Submission Time']),
        });
        break;
      case 'SparkListenerJobEnd': {
        const job = jobs.get(num(event['Job ID']));
        if (!job) break;
        const result = (event['Job Result'] as Json | undefined)?.Result;
        job.status = result === 'JobSucceeded' ? 'SUCCEEDED' : 'FAILED';
        if (job.started !== undefined) job.duration_ms = num(event['Completion Time']) - job.started;
        break;
      }
      case 'SparkListenerStageCompleted': {
        const info = (event['Stage Info'] ?? {}) as Json;
        const accumulables = (info.Accumulables as Json[] | undefined) ?? [];
        const metric = (key: string) => num(accumulables.find((a) => a.Name === key)?.Value);
        const failure = info['Failure Reason'];
        stages.set(num(info['Stage ID']), {
          stage_id: num(info['Stage ID']),
          name: str(info['Stage Name']),
          status: failure ? 'FAILED' : 'COMPLETE',
          num_tasks: num(info['Number of Tasks']),
          input_records: metric('internal.metrics.input.recordsRead'),
          output_records: metric('internal.metrics.output.recordsWritten'),
          executor_run_time_ms: metric('internal.metrics.executorRunTime'),
          ...(failure ? { failure: str(failure).slice(0, 500) } : {}),
        });
        break;
      }
      case 'SparkListenerExecutorAdded': {
        const info = (event['Executor Info'] ?? {}) as Json;
        executors.push({
          id: String(event['Executor ID']),
          host: str(info.Host),
          cores: num(info['Total Cores']),
        });
        break;
      }
      case 'SparkListenerBlockManagerAdded': {
        const id = (event['Block Manager ID'] ?? {}) as Json;
        if (id['Executor ID'] === 'driver')
          executors.push({ id: 'driver', host: `${String(id.Host)}:${String(id.Port)}`, cores: 0 });
        break;
      }
    }
  }
  const details: AppDetails = {
    app_id: appId,
    ...(name ? { name } : {}),
    source: 'event-log',
    ...(start !== undefined && end !== undefined ? { duration_ms: end - start } : {}),
    jobs: [...jobs.values()].map(({ started: _started, ...job }) => job).sort((a, b) => a.job_id - b.job_id),
    stages: [...stages.values()].sort((a, b) => a.stage_id - b.stage_id),
    executors,
    metrics: {},
  };
  details.metrics = totals(details);
  return details;
}

function totals(details: AppDetails): Record<string, number> {
  const sum = (pick: (s: AppDetails['stages'][number]) => number) =>
    details.stages.reduce((n, s) => n + pick(s), 0);
  return {
    jobs: details.jobs.length,
    failed_jobs: details.jobs.filter((j) => j.status === 'FAILED').length,
    stages: details.stages.length,
    tasks: sum((s) => s.num_tasks),
    input_records: sum((s) => s.input_records),
    output_records: sum((s) => s.output_records),
    executor_run_time_ms: sum((s) => s.executor_run_time_ms),
  };
}

/** Text of a JSON scalar; objects (never expected here) become ''. */
function str(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : '';
}

function num(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : 0;
}

function span(from: unknown, to: unknown): { duration_ms?: number } {
  if (typeof from !== 'string' || typeof to !== 'string') return {};
  // The monitoring API's dates: 2024-01-01T10:00:00.000GMT
  const ms = Date.parse(to.replace('GMT', 'Z')) - Date.parse(from.replace('GMT', 'Z'));
  return Number.isFinite(ms) ? { duration_ms: ms } : {};
}
