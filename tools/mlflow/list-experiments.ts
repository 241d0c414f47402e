import { z } from 'zod';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';
import { mlflowClient } from './connect.js';
import { isoTime, toRecord } from './model.js';
import { searchExperiments } from './run-data.js';
import { More, Paging } from './schemas.js';

const Input = z.object({
  name: z.string().optional().describe('Only experiments whose name contains this text (case-insensitive)'),
  filter: z
    .string()
    .optional()
    .describe('MLflow experiment filter, e.g. "tags.team = \'ml\'" (ANDed with name)'),
  include_deleted: z.boolean().default(false).describe('Also list deleted experiments'),
  limit: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(50)
    .describe('Most experiments to return, recently updated first'),
  ...Paging,
});

const Experiment = z.object({
  experiment_id: z.string().describe('Experiment id'),
  name: z.string().describe('Experiment name'),
  lifecycle_stage: z.string().optional().describe('active or deleted'),
  artifact_location: z.string().optional().describe('Where its runs store artifacts'),
  updated: z.string().optional().describe('Last update, ISO-8601'),
  tags: z
    .record(z.string(), z.string())
    .optional()
    .describe('Experiment tags (mlflow.* system tags left out)'),
});

const Output = z.object({
  experiments: z.array(Experiment).describe('Experiments, recently updated first'),
  ...More,
});

export const mlflowListExperiments = defineTool({
  name: 'mlflow_list_experiments',
  title: 'List MLflow experiments',
  description:
    'Experiments on the MLflow server, recently updated first; filter by name substring or an MLflow filter. Paginated.',
  toolset: 'mlflow',
  aliases: ['experiments'],
  positional: ['name'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const client = await mlflowClient(ctx);
    const clauses = [
      input.name ? `name ILIKE '%${input.name.replace(/'/g, "\\'")}%'` : undefined,
      input.filter,
    ].filter(Boolean);
    const page = await searchExperiments(client, {
      filter: clauses.join(' AND ') || undefined,
      limit: input.limit,
      pageToken: input.page_token,
      includeDeleted: input.include_deleted,
      signal: ctx.signal,
    });
    const experiments = page.experiments.map((e) => {
      const tags = Object.fromEntries(
        Object.entries(toRecord(e.tags)).filter(([k]) => !k.startsWith('mlflow.')),
      );
      const updated = isoTime(e.last_update_time);
      return {
        experiment_id: e.experiment_id,
        name: e.name,
        ...(e.lifecycle_stage ? { lifecycle_stage: e.lifecycle_stage } : {}),
        ...(e.artifact_location ? { artifact_location: e.artifact_location } : {}),
        ...(updated ? { updated } : {}),
        ...(Object.keys(tags).length ? { tags } : {}),
      };
    });
    return {
      experiments,
      more: Boolean(page.nextPageToken),
      ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
    };
  },
  toText(output) {
    const lines = output.experiments.map(
      (e) =>
        `${e.experiment_id} ${e.name}${e.lifecycle_stage === 'deleted' ? ' (deleted)' : ''} ${e.updated?.slice(0, 19) ?? ''}`,
    );
    const more = output.more ? `\nMore: call again with page_token "${output.next_page_token}".` : '';
    return `${output.experiments.length} experiment(s)\n${fenceUntrusted('experiment names', lines.join('\n'))}${more}`;
  },
});
