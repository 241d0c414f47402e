import { z } from 'zod';
import { defineTool } from '../core/types.js';
import { nessieClient } from './client.js';
import { More, Paging, RefOut, RefType, toRefOut, type ApiReference } from './model.js';

const Input = z.object({
  type: RefType.optional().describe('Only branches or only tags (default: both)'),
  limit: z.number().int().min(1).max(1000).default(100).describe('Most references to return'),
  ...Paging,
});

const Output = z.object({
  references: z.array(RefOut).describe('Branches and tags, each with the commit hash it points at'),
  ...More,
});

export const nessieListReferences = defineTool({
  name: 'nessie_list_references',
  title: 'List Nessie references',
  description: 'Branches and tags of the Nessie catalog with the commit hash each points at. Filter by type.',
  toolset: 'nessie',
  aliases: ['refs'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const nessie = await nessieClient(ctx);
    const page = await nessie.pages<ApiReference>('trees', 'references', {
      query: { filter: input.type ? `refType == '${input.type.toUpperCase()}'` : undefined },
      limit: input.limit,
      pageToken: input.page_token,
      signal: ctx.signal,
    });
    return {
      references: page.items.map(toRefOut),
      more: page.more,
      ...(page.token ? { next_page_token: page.token } : {}),
    };
  },
  toText(output) {
    const lines = output.references.map((ref) => `${ref.type} ${ref.name} ${ref.hash}`);
    if (lines.length === 0) lines.push('No references.');
    if (output.more) lines.push(`More references: call again with page_token "${output.next_page_token}".`);
    return lines.join('\n');
  },
});
