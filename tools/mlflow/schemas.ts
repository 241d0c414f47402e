/** zod shapes shared by the mlflow tools (and `experiment compare`/`show`): defined once here. */
import { z } from 'zod';
import { isoTime, latestMetrics, toRecord, type ApiRun } from './model.js';

export const Paging = {
  page_token: z.string().optional().describe("Token from a previous call's next_page_token, to continue"),
};

export const More = {
  more: z.boolean().describe('True when there is more than was returned'),
  next_page_token: z.string().optional().describe('Pass as page_token to get the next page'),
};

export const RunId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'an MLflow run id: letters, digits, - and _')
  .describe('MLflow run id (32 hex characters)');

export const ModelName = z.string().min(1).max(256).describe('Registered model name');
export const AliasName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_-]{0,254}$/, 'an alias: a letter or _ first, then letters, digits, _ and -')
  .describe('Alias, e.g. staging, champion');

export const Direction = z
  .enum(['max', 'min'])
  .describe(
    'max: higher is better; min: lower is better (default: min for loss/error/rmse/mae/… names, else max)',
  );

export const RunSummary = z.object({
  run_id: z.string().describe('Run id'),
  run_name: z.string().optional().describe('Run name'),
  experiment_id: z.string().describe('Experiment id'),
  status: z.string().describe('RUNNING, FINISHED, FAILED, KILLED or SCHEDULED'),
  start_time: z.string().optional().describe('Start, ISO-8601'),
  end_time: z.string().optional().describe('End, ISO-8601'),
  metrics: z
    .record(z.string(), z.number().nullable())
    .describe('Latest value of each metric (null for NaN/inf)'),
  params: z.record(z.string(), z.string()).describe('Params as logged'),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const ModelVersionOut = z.object({
  name: z.string().describe('Registered model name'),
  version: z.string().describe('Version number'),
  run_id: z.string().optional().describe('Run the version came from'),
  source: z.string().optional().describe('Artifact URI of the model files'),
  status: z.string().optional().describe('READY, PENDING_REGISTRATION or FAILED_REGISTRATION'),
  created: z.string().optional().describe('Creation time, ISO-8601'),
  aliases: z.array(z.string()).optional().describe('Aliases pointing at this version'),
});
export type ModelVersionOut = z.infer<typeof ModelVersionOut>;

export function toRunSummary(run: ApiRun): RunSummary {
  const metrics: Record<string, number | null> = {};
  for (const [key, value] of Object.entries(latestMetrics(run)))
    metrics[key] = Number.isFinite(value) ? value : null;
  const start = isoTime(run.info.start_time);
  const end = isoTime(run.info.end_time);
  return {
    run_id: run.info.run_id,
    ...(run.info.run_name ? { run_name: run.info.run_name } : {}),
    experiment_id: run.info.experiment_id,
    status: run.info.status,
    ...(start ? { start_time: start } : {}),
    ...(end ? { end_time: end } : {}),
    metrics,
    params: toRecord(run.data.params),
  };
}
