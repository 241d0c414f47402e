import { z } from 'zod';
import { defineTool } from '../core/types.js';
import { mlflowClient } from './connect.js';
import { getRegisteredModel, setAlias } from './registry.js';
import { AliasName, ModelName } from './schemas.js';

const Input = z.object({
  name: ModelName,
  alias: AliasName,
  model_version: z
    .union([z.string().regex(/^\d+$/), z.number().int().min(1)])
    .describe('Version number the alias should point at'),
});

const Output = z.object({
  name: z.string().describe('Registered model'),
  alias: z.string().describe('Alias set'),
  version: z.string().describe('Version it now points at'),
  previous_version: z.string().optional().describe('Version it pointed at before, when it moved'),
});

export const mlflowSetAlias = defineTool({
  name: 'mlflow_set_alias',
  title: 'Set model alias',
  description:
    'Point an alias (staging, champion…) of a registered model at a version; moves it if it exists.',
  toolset: 'mlflow',
  positional: ['name', 'alias', 'model_version'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const client = await mlflowClient(ctx);
    const version = String(input.model_version);
    // Read first, so the answer says what the alias pointed at before it moved.
    const before = (await getRegisteredModel(client, input.name, ctx.signal))?.aliases?.find(
      (a) => a.alias === input.alias,
    );
    await setAlias(client, { name: input.name, alias: input.alias, version }, ctx.signal);
    return {
      name: input.name,
      alias: input.alias,
      version,
      ...(before && before.version !== version ? { previous_version: before.version } : {}),
    };
  },
  toText: (o) =>
    `${o.name}@${o.alias} → version ${o.version}${o.previous_version ? ` (was ${o.previous_version})` : ''}.`,
});
