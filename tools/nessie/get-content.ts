import { z } from 'zod';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';
import { nessieClient, refPath } from './client.js';
import {
  ContentSummary,
  Hash,
  KeyInput,
  RefName,
  formatKey,
  keyToPathString,
  parseKey,
  summarizeContent,
  type ApiContent,
  type ApiReference,
} from './model.js';

const Input = z.object({
  key: KeyInput.describe("Content key, elements joined by '.', e.g. 'sales.orders'"),
  ref: RefName.optional().describe('Branch or tag to read (default: the default branch)'),
  hash: Hash.optional().describe('Commit of `ref` to read instead of its head (time travel)'),
});

const Output = z.object({
  key: z.string().describe('Content key'),
  ref: z.string().describe('The reference read'),
  hash: z.string().describe('The commit read'),
  content: ContentSummary.describe('The content: type, id and, for Iceberg, metadata location and snapshot'),
});

export const nessieGetContent = defineTool({
  name: 'nessie_get_content',
  title: 'Get Nessie content',
  description:
    "One key's content on a branch, tag or commit: type, content id and, for an Iceberg table, its metadata location and snapshot id.",
  toolset: 'nessie',
  aliases: ['show'],
  positional: ['key', 'ref'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const nessie = await nessieClient(ctx);
    const ref = input.ref ?? ctx.config.nessie?.default_branch ?? 'main';
    const elements = parseKey(input.key);
    const body = await nessie.get<{ content: ApiContent; effectiveReference?: ApiReference }>(
      `trees/${refPath(ref, input.hash)}/contents/${encodeURIComponent(keyToPathString(elements))}`,
      { signal: ctx.signal, notFoundHint: `See the keys on \`${ref}\` with nessie_list_entries` },
    );
    return {
      key: formatKey(elements),
      ref,
      hash: body.effectiveReference?.hash ?? input.hash ?? '',
      content: summarizeContent(body.content),
    };
  },
  toText(output) {
    const fields = Object.entries(output.content)
      .map(([name, value]) => `${name}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
      .join('\n');
    return `${output.key} on ${output.ref} at ${output.hash}\n${fenceUntrusted('content', fields)}`;
  },
});
