/**
 * `datastack experiment compare --runs N --metric accuracy`: the last N runs of the project's
 * experiment (or the given run ids), compared by the same logic as `mlflow compare-runs`.
 */
import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool } from '../core/types.js';
import { buildComparison, CompareOptions, CompareOutput, compareText } from '../mlflow/compare-report.js';
import { mlflowClient } from '../mlflow/connect.js';
import { getRuns } from '../mlflow/lookup.js';
import { experimentIdFor, projectExperimentName } from '../mlflow/project-experiment.js';
import { RunId } from '../mlflow/schemas.js';

const Input = z.object({
  runs: z.number().int().min(2).max(5000).default(5).describe('Compare the last N runs of the experiment'),
  run_ids: z.array(RunId).max(5000).optional().describe('Compare exactly these runs instead'),
  experiment: z
    .string()
    .optional()
    .describe(
      'Experiment name (default: mlflow.experiment of the profile, else configs/experiment.yaml, else the folder name)',
    ),
  filter: z
    .string()
    .optional()
    .describe('MLflow filter on the runs, e.g. "attributes.status = \'FINISHED\'" (with --runs)'),
  ...CompareOptions,
});

const Output = CompareOutput.extend({
  experiment: z.string().optional().describe('Experiment the runs were taken from (with --runs)'),
});

export const experimentCompare = defineTool({
  name: 'experiment_compare',
  title: 'Compare experiment runs',
  description:
    "Compare the project experiment's last N runs (or given run ids): differing params, all metrics, best run for a metric marked, bar chart; --out writes an HTML chart.",
  toolset: 'experiment',
  action: 'compare',
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const client = await mlflowClient(ctx);
    if (input.run_ids?.length) {
      if (input.run_ids.length < 2) {
        throw new ToolError('invalid_input', 'Comparing needs two runs or more', {
          hint: 'Give more --run-ids, or use `datastack experiment show RUN` for one run',
        });
      }
      return buildComparison(await getRuns(client, input.run_ids, ctx.signal), input, ctx);
    }
    const experiment = input.experiment
      ? { name: input.experiment, from: '--experiment' }
      : await projectExperimentName(ctx);
    const id = await experimentIdFor(client, experiment, ctx.signal);
    const { runs } = await client.searchRuns({
      experimentIds: [id],
      filter: input.filter,
      orderBy: ['attributes.start_time DESC'],
      limit: input.runs,
      signal: ctx.signal,
    });
    if (runs.length === 0) {
      throw new ToolError(
        'not_found',
        `Experiment "${experiment.name}" has no runs${input.filter ? ' matching the filter' : ''}`,
        {
          hint: 'Train one with `datastack experiment run`',
        },
      );
    }
    return { experiment: experiment.name, ...buildComparison(runs, input, ctx) };
  },
  toText: compareText,
});
