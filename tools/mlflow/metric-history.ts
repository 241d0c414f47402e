import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool } from '../core/types.js';
import { formatMetric } from './compare.js';
import { mlflowClient } from './connect.js';
import { isoTime, latestMetrics, toNumber } from './model.js';
import { metricHistory } from './run-data.js';
import { RunId } from './schemas.js';

const Input = z.object({
  run_id: RunId,
  metric: z.string().min(1).describe('Metric name, e.g. val_loss'),
  limit: z.number().int().min(1).max(25_000).default(1000).describe('Most points to return, by step'),
});

const Point = z.object({
  step: z.number().describe('Training step (0 when none was logged)'),
  value: z.number().nullable().describe('Value (null for NaN/inf)'),
  time: z.string().optional().describe('When it was logged, ISO-8601'),
});

const Output = z.object({
  run_id: z.string().describe('The run'),
  metric: z.string().describe('The metric'),
  points: z.array(Point).describe('Values by step, then time'),
  truncated: z.boolean().describe('True when there are more points than returned'),
  min: z.number().optional().describe('Smallest value'),
  max: z.number().optional().describe('Largest value'),
  last: z.number().optional().describe('Last value'),
});

export const mlflowMetricHistory = defineTool({
  name: 'mlflow_metric_history',
  title: 'MLflow metric history',
  description: "Every logged value of one run's metric by step (a learning curve), with min, max and last.",
  toolset: 'mlflow',
  aliases: ['history'],
  positional: ['run_id', 'metric'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const client = await mlflowClient(ctx);
    const { points, truncated } = await metricHistory(client, input.run_id, input.metric, {
      limit: input.limit,
      signal: ctx.signal,
    });
    if (points.length === 0) {
      // An empty history does not say whether the run exists, nor which metrics it has.
      const run = await client.getRun(input.run_id, ctx.signal);
      const names = Object.keys(latestMetrics(run)).sort();
      throw new ToolError('not_found', `Run ${input.run_id} has no metric "${input.metric}"`, {
        hint: names.length ? `Its metrics: ${names.slice(0, 30).join(', ')}` : 'The run logged no metrics',
      });
    }
    const sorted = points
      .map((p) => ({ step: Number(p.step ?? 0), value: toNumber(p.value), timestamp: Number(p.timestamp) }))
      .sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
    const finite = sorted.map((p) => p.value).filter(Number.isFinite);
    const last = sorted.at(-1)?.value;
    return {
      run_id: input.run_id,
      metric: input.metric,
      points: sorted.map((p) => {
        const time = isoTime(p.timestamp);
        return { step: p.step, value: Number.isFinite(p.value) ? p.value : null, ...(time ? { time } : {}) };
      }),
      truncated,
      ...(finite.length ? { min: Math.min(...finite), max: Math.max(...finite) } : {}),
      ...(last !== undefined && Number.isFinite(last) ? { last } : {}),
    };
  },
  toText(output) {
    // A long curve is thinned to 50 points for the model: the shape survives, the tokens do not add up.
    const every = Math.max(1, Math.ceil(output.points.length / 50));
    const shown = output.points.filter((_, i) => i % every === 0 || i === output.points.length - 1);
    const f = (v: number | null | undefined) => (typeof v === 'number' ? formatMetric(v) : 'n/a');
    return [
      `${output.metric} of run ${output.run_id}: ${output.points.length} point(s)${output.truncated ? ' (more not read)' : ''}; min ${f(output.min)}, max ${f(output.max)}, last ${f(output.last)}`,
      `step:value${every > 1 ? ` (every ${every}th)` : ''}: ${shown.map((p) => `${p.step}:${f(p.value)}`).join(' ')}`,
    ].join('\n');
  },
});
