/** Output schemas shared by the pipeline tools, defined once. */
import { z } from 'zod';

export const StageResult = z.object({
  name: z.string().describe('Stage name'),
  status: z
    .enum(['succeeded', 'failed', 'skipped', 'cancelled', 'not_run', 'queued', 'running', 'upstream_failed'])
    .describe(
      'succeeded, failed, skipped (unchanged since its last success), cancelled, not_run (after a failure or before --from); on Airflow also its task states',
    ),
  reason: z.string().optional().describe('Why it ran or was skipped'),
  duration_ms: z.number().optional().describe('How long it ran'),
  log: z.string().optional().describe('Its log file, relative to the workspace'),
  error_lines: z
    .array(z.string())
    .optional()
    .describe('The last lines of a failed stage (untrusted output of the stage)'),
  mlflow_run_id: z.string().optional().describe('Its MLflow run with --track-all'),
});
export type StageResult = z.infer<typeof StageResult>;

export const StageView = z.object({
  name: z.string().describe('Stage name'),
  kind: z.string().describe('python, command, notebook, spark or embulk'),
  run: z.string().describe('What it runs: the script, module or command'),
  inputs: z.array(z.string()).describe('Files it reads'),
  outputs: z.array(z.string()).describe('Files it writes'),
  params: z.record(z.string(), z.unknown()).optional().describe('Its params'),
  needs: z.array(z.string()).describe('Stages it runs after'),
  template: z.string().optional().describe('Template it was written from'),
  last_status: z.string().optional().describe('State of its last run: succeeded, failed, cancelled'),
  last_run: z.string().optional().describe('When and where its last run ended'),
});
export type StageView = z.infer<typeof StageView>;
