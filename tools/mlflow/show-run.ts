import { z } from 'zod';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';
import { formatMetric } from './compare.js';
import { mlflowClient } from './connect.js';
import { readRunDetails, RunDetails } from './run-details.js';
import { RunId } from './schemas.js';

const Input = z.object({
  run_id: RunId,
  artifact_limit: z.number().int().min(0).max(1000).default(100).describe('Most artifact entries to list'),
});

export const mlflowShowRun = defineTool({
  name: 'mlflow_show_run',
  title: 'Show MLflow run',
  description: 'One run: status, times, params, latest metrics, tags and its artifact files.',
  toolset: 'mlflow',
  aliases: ['run'],
  positional: ['run_id'],
  input: Input,
  output: RunDetails,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const client = await mlflowClient(ctx);
    return readRunDetails(client, input.run_id, { artifactLimit: input.artifact_limit, signal: ctx.signal });
  },
  toText: runText,
});

export function runText(run: RunDetails): string {
  const head = `Run ${run.run_id} in experiment ${run.experiment_id}: ${run.status}, ${run.start_time ?? '?'} → ${run.end_time ?? '…'}`;
  const section = (title: string, record: Record<string, string | number | null>) =>
    `${title}:\n${
      Object.entries(record)
        .map(([k, v]) => `  ${k} = ${typeof v === 'number' ? formatMetric(v) : String(v)}`)
        .join('\n') || '  (none)'
    }`;
  const artifacts = run.artifacts.map((a) => `  ${a.path}${a.is_dir ? '/' : ` (${a.size ?? '?'} B)`}`);
  const body = [
    `name: ${run.run_name ?? '-'}`,
    section('metrics', run.metrics),
    section('params', run.params),
    section('tags', run.tags),
    `artifacts${run.artifacts_truncated ? ' (first ones)' : ''}:\n${artifacts.join('\n') || '  (none)'}`,
  ].join('\n');
  return `${head}\n${fenceUntrusted('run data (names, params, tags)', body)}`;
}
