import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';
import { mlflowClient } from './connect.js';
import { toVersionOut, versionLine } from './model-versions.js';
import { getRegisteredModel, searchModelVersions } from './registry.js';
import { ModelName, ModelVersionOut, More, Paging } from './schemas.js';

const Input = z.object({
  name: ModelName,
  limit: z.number().int().min(1).max(200).default(50).describe('Most versions to return, newest first'),
  ...Paging,
});

const Output = z.object({
  name: z.string().describe('Registered model'),
  aliases: z.record(z.string(), z.string()).describe('Every alias of the model and the version it points at'),
  versions: z.array(ModelVersionOut).describe('Versions, newest first'),
  ...More,
});

export const mlflowListModelVersions = defineTool({
  name: 'mlflow_list_model_versions',
  title: 'List model versions',
  description: 'Versions of a registered model, newest first, with their run, source, status and aliases.',
  toolset: 'mlflow',
  aliases: ['versions'],
  positional: ['name'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const client = await mlflowClient(ctx);
    const model = await getRegisteredModel(client, input.name, ctx.signal);
    if (!model) {
      throw new ToolError('not_found', `No registered model named "${input.name}"`, {
        hint: 'Register one from a run with `datastack mlflow register-model RUN_ID NAME`',
      });
    }
    const page = await searchModelVersions(client, input.name, {
      limit: input.limit,
      pageToken: input.page_token,
      signal: ctx.signal,
    });
    return {
      name: input.name,
      aliases: Object.fromEntries((model.aliases ?? []).map((a) => [a.alias, a.version])),
      versions: page.versions.map((v) => toVersionOut(v, model)),
      more: Boolean(page.nextPageToken),
      ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
    };
  },
  toText(output) {
    const more = output.more ? `\nMore: call again with page_token "${output.next_page_token}".` : '';
    return `${output.versions.length} version(s) of ${output.name}\n${fenceUntrusted('model versions', output.versions.map(versionLine).join('\n'))}${more}`;
  },
});
