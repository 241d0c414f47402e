/** The result of a tracked training, as `experiment run` returns it and a model reads it. */
import { z } from 'zod';
import type { ToolContext } from '../core/types.js';
import type { TrainingResult } from './tracked-training.js';

export const Provenance = z.object({
  commit: z.string().optional().describe('git commit the code ran at'),
  dirty: z.boolean().optional().describe('Tracked files had uncommitted changes'),
  branch: z.string().optional().describe('git branch'),
  data: z
    .array(z.object({ path: z.string().describe('DVC-tracked output'), md5: z.string().describe('Its DVC md5') }))
    .describe('Data versions (DVC)'),
  nessie_ref: z.string().optional().describe('Nessie reference the data came from'),
  nessie_hash: z.string().optional().describe('Nessie commit hash of that reference'),
  env_lock: z.string().describe('sha256 of the environment lock (pins only)'),
  datastack_version: z.string().describe('DataStack version'),
});

export const MetricComparison = z.object({
  metric: z.string().describe('Metric'),
  value: z.number().describe('This run'),
  baseline: z.number().describe('The baseline run'),
  delta: z.number().describe('value - baseline'),
  verdict: z.enum(['better', 'worse', 'same']).describe('By the metric direction (losses and errors: lower is better)'),
});

export const RunSummary = z.object({
  run_id: z.string().describe('MLflow run id'),
  run_name: z.string().optional().describe('MLflow run name'),
  experiment: z.string().describe('MLflow experiment'),
  experiment_id: z.string().describe('MLflow experiment id'),
  status: z.string().describe('Run status (FINISHED)'),
  tracking_uri: z.string().describe('MLflow server'),
  metrics: z.record(z.string(), z.number()).describe('Final metrics'),
  metrics_logged_by_script: z.array(z.string()).optional().describe('Metrics the training logged to MLflow itself'),
  params: z.number().describe('Params logged (the flattened effective config)'),
  artifacts: z.array(z.string()).describe('Artifacts uploaded'),
  provenance: Provenance.describe('What made the run: code, data, environment'),
  run_folder: z.string().describe('Local folder with the effective config, train.log and lock'),
  log_file: z.string().describe('Full training log'),
  duration_s: z.number().describe('Training and logging time in seconds'),
  comparison: z
    .object({ baseline: z.string().describe('Which run is the baseline'), metrics: z.array(MetricComparison).describe('Shared metrics') })
    .optional()
    .describe('Against --compare-with'),
  warnings: z.array(z.string()).optional().describe('Things worth a look'),
});

export type RunSummaryOutput = z.infer<typeof RunSummary>;

export function runSummary(
  result: TrainingResult,
  where: { experiment: string; trackingUri: string; ctx: ToolContext },
): RunSummaryOutput {
  const { run } = result;
  const tags = Object.fromEntries((run.data.tags ?? []).map((t) => [t.key, t.value]));
  const nessie = result.data.find((d) => d.nessie)?.nessie;
  return {
    run_id: run.info.run_id,
    ...(run.info.run_name ? { run_name: run.info.run_name } : {}),
    experiment: where.experiment,
    experiment_id: run.info.experiment_id,
    status: run.info.status,
    tracking_uri: where.trackingUri,
    metrics: result.metrics,
    ...(result.loggedByScript.length ? { metrics_logged_by_script: result.loggedByScript } : {}),
    params: run.data.params?.length ?? 0,
    artifacts: result.artifacts,
    provenance: {
      ...(result.git
        ? { commit: result.git.commit, dirty: result.git.dirty, ...(result.git.branch ? { branch: result.git.branch } : {}) }
        : {}),
      data: result.data.map(({ path, md5 }) => ({ path, md5 })),
      ...(nessie?.ref ? { nessie_ref: nessie.ref } : {}),
      ...(nessie?.hash ? { nessie_hash: nessie.hash } : {}),
      env_lock: result.envLock,
      datastack_version: tags['datastack.version'] ?? 'unknown',
    },
    run_folder: where.ctx.workspace.display(result.runDir),
    log_file: where.ctx.workspace.display(result.logFile),
    duration_s: Math.round(result.durationMs / 100) / 10,
  };
}

/** Compact text: the run, its metrics, the comparison and the warnings. */
export function summarise(output: RunSummaryOutput & { wandb_run?: string | undefined }): string {
  const lines = [
    `Run ${output.run_id}${output.run_name ? ` (${output.run_name})` : ''} in experiment ${output.experiment}: ${output.status} in ${output.duration_s} s`,
    `metrics: ${Object.entries(output.metrics)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
    `code: ${output.provenance.commit ? `${output.provenance.commit.slice(0, 12)}${output.provenance.dirty ? ' (dirty)' : ''}` : 'no git'}; data: ${
      output.provenance.data.map((d) => `${d.path}@${d.md5.slice(0, 8)}`).join(', ') || 'no DVC outputs'
    }; env lock ${output.provenance.env_lock.slice(0, 12)}`,
  ];
  if (output.comparison) {
    lines.push(`vs ${output.comparison.baseline}:`);
    for (const m of output.comparison.metrics) {
      lines.push(`  ${m.metric}: ${m.value} vs ${m.baseline} (${m.delta >= 0 ? '+' : ''}${m.delta}, ${m.verdict})`);
    }
  }
  if (output.wandb_run) lines.push(`W&B offline run: ${output.wandb_run}`);
  for (const warning of output.warnings ?? []) lines.push(`warning: ${warning}`);
  lines.push(`log: ${output.log_file}`);
  return lines.join('\n');
}
