import { z } from 'zod';
import { defineTool, type ToolContext } from '../core/types.js';
import { mlflowClient } from './connect.js';
import { deleteAlias, getVersionByAlias } from './registry.js';
import { AliasName, ModelName } from './schemas.js';

const Input = z.object({
  name: ModelName,
  alias: AliasName,
  dry_run: z.boolean().default(false).describe('Only say which version the alias points at'),
});
type Input = z.infer<typeof Input>;

const Output = z.object({
  name: z.string().describe('Registered model'),
  alias: z.string().describe('The alias'),
  version: z.string().describe('Version it pointed at'),
  deleted: z.boolean().describe('False on a dry run'),
});

async function target(input: Input, ctx: ToolContext): Promise<string> {
  const client = await mlflowClient(ctx);
  return (await getVersionByAlias(client, input.name, input.alias, ctx.signal)).version;
}

export const mlflowDeleteAlias = defineTool({
  name: 'mlflow_delete_alias',
  title: 'Delete model alias',
  description:
    'Remove an alias from a registered model. Anything loading models:/NAME@ALIAS (a serving job, a deploy) stops finding it.',
  toolset: 'mlflow',
  positional: ['name', 'alias'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: true, idempotent: false, openWorld: true },
  async confirmSummary(input, ctx) {
    const version = await target(input, ctx);
    return `Remove alias ${input.name}@${input.alias} (now version ${version}): models:/${input.name}@${input.alias} will stop resolving`;
  },
  async run(input, ctx) {
    // Read again rather than trusting the question: the answer must say what was really removed.
    const version = await target(input, ctx);
    if (!input.dry_run) await deleteAlias(await mlflowClient(ctx), input.name, input.alias, ctx.signal);
    return { name: input.name, alias: input.alias, version, deleted: !input.dry_run };
  },
  toText: (o) =>
    o.deleted
      ? `Removed ${o.name}@${o.alias} (was version ${o.version}).`
      : `Dry run: would remove ${o.name}@${o.alias} (version ${o.version}).`,
});
