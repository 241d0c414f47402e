import { z } from 'zod';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';
import { mlflowClient } from './connect.js';
import { toVersionOut, versionLine } from './model-versions.js';
import { getVersionByAlias } from './registry.js';
import { AliasName, ModelName, ModelVersionOut } from './schemas.js';

const Input = z.object({ name: ModelName, alias: AliasName });

const Output = z.object({
  alias: z.string().describe('The alias read'),
  version: ModelVersionOut.describe('The version it points at'),
  uri: z.string().describe('Model URI to load or serve it: models:/NAME@ALIAS'),
});

export const mlflowGetAlias = defineTool({
  name: 'mlflow_get_alias',
  title: 'Get model by alias',
  description: 'The model version an alias (staging, champion…) points at, with its run and source.',
  toolset: 'mlflow',
  positional: ['name', 'alias'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const client = await mlflowClient(ctx);
    const version = await getVersionByAlias(client, input.name, input.alias, ctx.signal);
    return {
      alias: input.alias,
      version: toVersionOut(version),
      uri: `models:/${input.name}@${input.alias}`,
    };
  },
  toText: (o) =>
    `${o.uri} is version ${o.version.version}\n${fenceUntrusted('model version', versionLine(o.version))}`,
});
