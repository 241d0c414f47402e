/** `datastack experiment show RUN`: one run with its provenance, grouped and labelled. */
import { z } from 'zod';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';
import { formatMetric } from '../mlflow/compare.js';
import { mlflowClient } from '../mlflow/connect.js';
import { readRunDetails, RunDetails } from '../mlflow/run-details.js';
import { RunId } from '../mlflow/schemas.js';
import { Provenance, provenanceOf } from './provenance-view.js';

const Input = z.object({
  run_id: RunId.describe('The run to show'),
  artifact_limit: z.number().int().min(0).max(1000).default(100).describe('Most artifact entries to list'),
});

const Output = RunDetails.omit({ tags: true }).extend({
  provenance: Provenance.describe('What made the run: code, data, lake, environment, invocation'),
  tags: z.record(z.string(), z.string()).describe('Other tags (provenance and MLflow bookkeeping left out)'),
});
type Output = z.infer<typeof Output>;

export const experimentShow = defineTool({
  name: 'experiment_show',
  title: 'Show experiment run',
  description:
    'One training run: params, metrics, artifacts and its provenance (git commit/branch/dirty, DVC data md5s, Nessie ref/hash, environment lock hash, DataStack version, config and command).',
  toolset: 'experiment',
  action: 'show',
  positional: ['run_id'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const client = await mlflowClient(ctx);
    const details = await readRunDetails(client, input.run_id, {
      artifactLimit: input.artifact_limit,
      signal: ctx.signal,
    });
    const { tags, artifacts, artifacts_truncated, ...run } = details;
    const { provenance, other } = provenanceOf(tags);
    // Provenance right after params and metrics: the terminal shows fields in this order.
    return { ...run, provenance, tags: other, artifacts, artifacts_truncated };
  },
  toText: showText,
});

function showText(run: Output): string {
  const kv = (record: Record<string, string | number | null> | undefined) =>
    Object.entries(record ?? {})
      .map(([k, v]) => `  ${k}: ${typeof v === 'number' ? formatMetric(v) : String(v)}`)
      .join('\n') || '  (none)';
  const p = run.provenance;
  const body = [
    `name: ${run.run_name ?? '-'}`,
    `metrics:\n${kv(run.metrics)}`,
    `params:\n${kv(run.params)}`,
    `code:\n${kv(p.code)}`,
    `data:\n${p.data.map((d) => `  ${d.path}: md5 ${d.md5}`).join('\n') || '  (none)'}`,
    `lake:\n${kv(p.lake)}`,
    `environment:\n${kv(p.environment)}`,
    `invocation:\n${kv(p.invocation)}`,
    `other tags:\n${kv(run.tags)}`,
    `artifacts${run.artifacts_truncated ? ' (first ones)' : ''}:\n${run.artifacts.map((a) => `  ${a.path}${a.is_dir ? '/' : ''}`).join('\n') || '  (none)'}`,
  ].join('\n');
  const missing = p.missing.length ? `\nNo provenance recorded for: ${p.missing.join(', ')}.` : '';
  return `Run ${run.run_id} (experiment ${run.experiment_id}): ${run.status}, ${run.start_time ?? '?'} → ${run.end_time ?? '…'}${missing}\n${fenceUntrusted('run data (names, params, tags)', body)}`;
}
