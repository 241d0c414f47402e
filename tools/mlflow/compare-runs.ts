import { z } from 'zod';
import { defineTool } from '../core/types.js';
import { buildComparison, CompareOptions, CompareOutput, compareText } from './compare-report.js';
import { mlflowClient } from './connect.js';
import { getRuns } from './lookup.js';
import { RunId } from './schemas.js';

const Input = z.object({
  run_ids: z.array(RunId).min(2).max(200).describe('Runs to compare (two or more)'),
  ...CompareOptions,
});

export const mlflowCompareRuns = defineTool({
  name: 'mlflow_compare_runs',
  title: 'Compare MLflow runs',
  description:
    'Compare runs side by side: only the params that differ, every metric, the best run for a metric marked (higher is better unless the name says loss/error/rmse…; overridable), a bar chart, optionally an HTML chart.',
  toolset: 'mlflow',
  aliases: ['compare'],
  positional: ['run_ids'],
  input: Input,
  output: CompareOutput,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const client = await mlflowClient(ctx);
    const runs = await getRuns(client, input.run_ids, ctx.signal);
    return buildComparison(runs, input, ctx);
  },
  toText: compareText,
});
