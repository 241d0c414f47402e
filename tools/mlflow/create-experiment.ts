import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool } from '../core/types.js';
import { mlflowClient } from './connect.js';

const Input = z.object({
  name: z.string().min(1).max(500).describe('Name of the new experiment'),
  tags: z.record(z.string(), z.string()).optional().describe('Tags to set on it, e.g. {"team": "ml"}'),
});

const Output = z.object({
  experiment_id: z.string().describe('Id of the new experiment'),
  name: z.string().describe('Its name'),
});

export const mlflowCreateExperiment = defineTool({
  name: 'mlflow_create_experiment',
  title: 'Create MLflow experiment',
  description: 'Create an experiment on the MLflow server. Fails if the name is taken.',
  toolset: 'mlflow',
  positional: ['name'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: true },
  async run(input, ctx) {
    const client = await mlflowClient(ctx);
    try {
      const created = await client.request<{ experiment_id: string }>('POST', 'experiments/create', {
        body: {
          name: input.name,
          tags: Object.entries(input.tags ?? {}).map(([key, value]) => ({ key, value })),
        },
        signal: ctx.signal,
      });
      return { experiment_id: created.experiment_id, name: input.name };
    } catch (error) {
      if (error instanceof ToolError && error.code === 'conflict') {
        throw new ToolError(
          'conflict',
          `An experiment named "${input.name}" already exists (or is deleted but not purged)`,
          {
            hint: 'Pick another name, or find it with `datastack mlflow list-experiments --include-deleted`',
          },
        );
      }
      throw error;
    }
  },
  toText: (output) => `Created experiment ${output.experiment_id}.`,
});
