import { z } from 'zod';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';
import { nessieClient, refPath } from './client.js';
import {
  ContentSummary,
  Hash,
  KeyInput,
  More,
  Paging,
  RefName,
  contentLine,
  formatKey,
  keyToPathString,
  parseKey,
  summarizeContent,
  type ApiContent,
  type ApiKey,
  type ApiReference,
} from './model.js';

const Input = z.object({
  from: RefName.optional().describe('Reference to compare from, the "before" (default: the default branch)'),
  to: RefName.describe('Reference to compare to, the "after", e.g. \'agent/clean-sales\''),
  from_hash: Hash.optional().describe('Commit of `from` to use instead of its head'),
  to_hash: Hash.optional().describe('Commit of `to` to use instead of its head'),
  prefix: KeyInput.optional().describe("Only keys under this namespace, e.g. 'sales'"),
  limit: z.number().int().min(1).max(1000).default(100).describe('Most changed keys to return'),
  ...Paging,
});

const Change = z.object({
  key: z.string().describe("Content key, elements joined by '.'"),
  change: z
    .enum(['added', 'removed', 'changed'])
    .describe('What happened to the key going from `from` to `to`'),
  before: ContentSummary.optional().describe('Content on `from` (absent when added)'),
  after: ContentSummary.optional().describe('Content on `to` (absent when removed)'),
});

const Output = z.object({
  from: z
    .object({ name: z.string().describe('Reference'), hash: z.string().describe('Commit compared') })
    .describe('The "before" side'),
  to: z
    .object({ name: z.string().describe('Reference'), hash: z.string().describe('Commit compared') })
    .describe('The "after" side'),
  changes: z.array(Change).describe('Keys whose content differs'),
  ...More,
});

interface ApiDiffEntry {
  key: ApiKey;
  from?: ApiContent | null;
  to?: ApiContent | null;
}

export const nessieDiff = defineTool({
  name: 'nessie_diff',
  title: 'Diff Nessie references',
  description:
    'Content keys (tables, views, namespaces) added, removed or changed between two branches, tags or commits.',
  toolset: 'nessie',
  positional: ['to', 'from'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const nessie = await nessieClient(ctx);
    const from = input.from ?? ctx.config.nessie?.default_branch ?? 'main';
    const page = await nessie.pages<ApiDiffEntry>(
      `trees/${refPath(from, input.from_hash)}/diff/${refPath(input.to, input.to_hash)}`,
      'diffs',
      {
        query: { 'prefix-key': input.prefix ? keyToPathString(parseKey(input.prefix)) : undefined },
        limit: input.limit,
        pageToken: input.page_token,
        signal: ctx.signal,
      },
    );
    const side = (ref: unknown, name: string) => ({
      name,
      hash: (ref as ApiReference | undefined)?.hash ?? '',
    });
    const changes = page.items.map((entry) => {
      const before = entry.from ? summarizeContent(entry.from) : undefined;
      const after = entry.to ? summarizeContent(entry.to) : undefined;
      const change: 'added' | 'removed' | 'changed' = !before ? 'added' : !after ? 'removed' : 'changed';
      return {
        key: formatKey(entry.key),
        change,
        ...(before ? { before } : {}),
        ...(after ? { after } : {}),
      };
    });
    return {
      from: side(page.body.effectiveFromReference, from),
      to: side(page.body.effectiveToReference, input.to),
      changes,
      more: page.more,
      ...(page.token ? { next_page_token: page.token } : {}),
    };
  },
  toText(output) {
    const head = `${output.to.name} vs ${output.from.name}: ${output.changes.length}${output.more ? '+' : ''} changed key(s)`;
    if (output.changes.length === 0) return `${head}.`;
    const lines = output.changes.map((c) => {
      if (c.change === 'changed' && c.before && c.after) {
        return `changed ${c.key}: ${contentLine(c.before)} -> ${contentLine(c.after)}`;
      }
      const content = c.after ?? c.before;
      return `${c.change} ${c.key}${content ? `: ${contentLine(content)}` : ''}`;
    });
    const more = output.more ? `\nMore changes: call again with page_token "${output.next_page_token}".` : '';
    return `${head}\n${fenceUntrusted('content keys', lines.join('\n'))}${more}`;
  },
});
