import { z } from 'zod';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';
import { nessieClient, refPath } from './client.js';
import {
  Hash,
  KeyInput,
  More,
  Paging,
  RefName,
  formatKey,
  keyToPathString,
  parseKey,
  type ApiKey,
  type ApiReference,
} from './model.js';

const CONTENT_TYPES = ['ICEBERG_TABLE', 'ICEBERG_VIEW', 'NAMESPACE', 'DELTA_LAKE_TABLE', 'UDF'] as const;

const Input = z.object({
  ref: RefName.optional().describe('Branch or tag to list (default: the default branch)'),
  hash: Hash.optional().describe('Commit of `ref` to list instead of its head (time travel)'),
  prefix: KeyInput.optional().describe("Only keys under this namespace, e.g. 'sales'"),
  content_type: z.enum(CONTENT_TYPES).optional().describe('Only entries of this content type'),
  limit: z.number().int().min(1).max(1000).default(200).describe('Most entries to return'),
  ...Paging,
});

const Output = z.object({
  ref: z.string().describe('The reference listed'),
  hash: z.string().describe('The commit listed'),
  entries: z
    .array(
      z.object({
        key: z.string().describe("Content key, elements joined by '.'"),
        type: z.string().describe('Content type, e.g. ICEBERG_TABLE or NAMESPACE'),
      }),
    )
    .describe('Content keys in key order'),
  ...More,
});

interface ApiEntry {
  type: string;
  name: ApiKey;
}

export const nessieListEntries = defineTool({
  name: 'nessie_list_entries',
  title: 'List Nessie entries',
  description:
    'Content keys (tables, views, namespaces) and their types on a branch, tag or commit. Optional namespace prefix and type filter.',
  toolset: 'nessie',
  aliases: ['ls'],
  positional: ['ref'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const nessie = await nessieClient(ctx);
    const ref = input.ref ?? ctx.config.nessie?.default_branch ?? 'main';
    const page = await nessie.pages<ApiEntry>(`trees/${refPath(ref, input.hash)}/entries`, 'entries', {
      query: {
        'prefix-key': input.prefix ? keyToPathString(parseKey(input.prefix)) : undefined,
        // A CEL filter; the value comes from the enum above, never from free text.
        filter: input.content_type ? `entry.contentType == '${input.content_type}'` : undefined,
      },
      limit: input.limit,
      pageToken: input.page_token,
      signal: ctx.signal,
    });
    const effective = page.body.effectiveReference as ApiReference | undefined;
    return {
      ref,
      hash: effective?.hash ?? input.hash ?? '',
      entries: page.items.map((entry) => ({ key: formatKey(entry.name), type: entry.type })),
      more: page.more,
      ...(page.token ? { next_page_token: page.token } : {}),
    };
  },
  toText(output) {
    const head = `${output.entries.length}${output.more ? '+' : ''} entries on ${output.ref} at ${output.hash}`;
    if (output.entries.length === 0) return `${head}.`;
    const lines = output.entries.map((e) => `${e.type} ${e.key}`).join('\n');
    const more = output.more ? `\nMore entries: call again with page_token "${output.next_page_token}".` : '';
    return `${head}\n${fenceUntrusted('content keys', lines)}${more}`;
  },
});
