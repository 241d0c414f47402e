import { z } from 'zod';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';
import { formatMetric } from './compare.js';
import { mlflowClient } from './connect.js';
import { experimentIds } from './lookup.js';
import { experimentIdFor, projectExperimentName } from './project-experiment.js';
import { More, Paging, RunSummary, toRunSummary } from './schemas.js';

const Input = z.object({
  experiments: z
    .array(z.string())
    .optional()
    .describe("Experiment names or ids to search (default: the project's experiment)"),
  filter: z
    .string()
    .optional()
    .describe(
      "MLflow filter, e.g. \"metrics.accuracy > 0.9 and params.model = 'rf' and attributes.status = 'FINISHED'\"",
    ),
  order_by: z
    .array(z.string())
    .optional()
    .describe('Sort keys, e.g. ["metrics.accuracy DESC"] (default: newest first)'),
  limit: z.number().int().min(1).max(1000).default(20).describe('Most runs to return'),
  ...Paging,
});

const Output = z.object({
  experiment_ids: z.array(z.string()).describe('Experiments searched'),
  runs: z.array(RunSummary).describe('Matching runs in the asked order'),
  ...More,
});
type Output = z.infer<typeof Output>;

export const mlflowSearchRuns = defineTool({
  name: 'mlflow_search_runs',
  title: 'Search MLflow runs',
  description:
    "Runs of one or more experiments (default: the project's) matching an MLflow filter, ordered, with their metrics and params. Paginated.",
  toolset: 'mlflow',
  aliases: ['runs'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const client = await mlflowClient(ctx);
    const ids = input.experiments?.length
      ? await experimentIds(client, input.experiments, ctx.signal)
      : [await experimentIdFor(client, await projectExperimentName(ctx), ctx.signal)];
    const page = await client.searchRuns({
      experimentIds: ids,
      filter: input.filter,
      orderBy: input.order_by?.length ? input.order_by : ['attributes.start_time DESC'],
      limit: input.limit,
      pageToken: input.page_token,
      signal: ctx.signal,
    });
    return {
      experiment_ids: ids,
      runs: page.runs.map(toRunSummary),
      more: Boolean(page.nextPageToken),
      ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
    };
  },
  toText: searchText,
});

/** Each run on one line; at most 12 metrics and params each so a wide run stays one line. */
function searchText(output: Output): string {
  const pairs = (record: Record<string, string | number | null>) =>
    Object.entries(record)
      .slice(0, 12)
      .map(([k, v]) => `${k}=${typeof v === 'number' ? formatMetric(v) : String(v)}`)
      .join(' ');
  const lines = output.runs.map(
    (r) =>
      `${r.run_id} ${r.run_name ?? '-'} ${r.status} ${r.start_time?.slice(0, 19) ?? ''} | metrics: ${pairs(r.metrics)} | params: ${pairs(r.params)}`,
  );
  const more = output.more ? `\nMore runs: call again with page_token "${output.next_page_token}".` : '';
  return `${output.runs.length} run(s)\n${fenceUntrusted('run data (names, params)', lines.join('\n'))}${more}`;
}
