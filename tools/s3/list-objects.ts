import { z } from 'zod';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';
import { bucketField } from './names.js';
import { formatBytes, formatCount, ObjectSummarySchema, shortTime } from './schemas.js';
import { openStore } from './store.js';

/** Beyond the page shown, keys are only counted, up to this many more pages of 1,000. */
const COUNT_PAGES = 20;

const Input = z.object({
  bucket: bucketField(),
  prefix: z.string().default('').describe("Only keys starting with this, e.g. 'raw/2024/'"),
  delimiter: z
    .string()
    .default('')
    .describe("Group keys by this (usually '/') into common prefixes, like folders"),
  max_keys: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(200)
    .describe('Entries to return (the rest are counted)'),
  continuation_token: z.string().optional().describe('next_token of a previous call, to continue'),
});

const Output = z.object({
  bucket: z.string().describe('Bucket listed'),
  prefix: z.string().describe('Prefix listed'),
  objects: z.array(ObjectSummarySchema).describe('Objects on this page, by key'),
  common_prefixes: z
    .array(z.string().describe('A common prefix'))
    .describe("Prefixes grouped by the delimiter ('folders')"),
  shown: z.number().describe('Entries on this page (objects + common prefixes)'),
  total: z.number().describe('Entries from this page on, counted; a lower bound when total_exact is false'),
  total_exact: z.boolean().describe('False when counting stopped early'),
  total_bytes: z.number().describe('Bytes of the objects counted'),
  next_token: z.string().optional().describe('Pass as continuation_token for the next page'),
});

export const s3ListObjects = defineTool({
  name: 's3_list_objects',
  title: 'List objects',
  description:
    "List objects in a bucket under a prefix; delimiter '/' groups keys into folders. Returns max_keys entries, the total count, and next_token to continue.",
  toolset: 's3',
  aliases: ['ls'],
  positional: ['bucket', 'prefix'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const store = await openStore(ctx);
    const listing = { prefix: input.prefix, delimiter: input.delimiter };
    const page = await store.list(input.bucket, {
      ...listing,
      maxKeys: input.max_keys,
      ...(input.continuation_token ? { token: input.continuation_token } : {}),
    });
    let total = page.objects.length + page.prefixes.length;
    let totalBytes = page.objects.reduce((sum, o) => sum + o.size, 0);
    let token = page.next_token;
    for (let n = 0; token && n < COUNT_PAGES && !ctx.signal.aborted; n++) {
      const more = await store.list(input.bucket, { ...listing, maxKeys: 1000, token });
      total += more.objects.length + more.prefixes.length;
      totalBytes += more.objects.reduce((sum, o) => sum + o.size, 0);
      token = more.next_token;
      ctx.progress({ done: total, message: 'counting keys' });
    }
    return {
      bucket: input.bucket,
      prefix: input.prefix,
      objects: page.objects,
      common_prefixes: page.prefixes,
      shown: page.objects.length + page.prefixes.length,
      total,
      total_exact: token === undefined,
      total_bytes: totalBytes,
      ...(page.next_token ? { next_token: page.next_token } : {}),
    };
  },
  toText(output) {
    const where = `${output.bucket}/${output.prefix}`;
    if (output.total === 0) return `Nothing under ${where}.`;
    const total = `${output.total_exact ? '' : 'more than '}${formatCount(output.total)}`;
    const parts = [
      output.shown < output.total || !output.total_exact
        ? `${where}: showing ${formatCount(output.shown)} of ${total} entries (${formatBytes(output.total_bytes)} counted).`
        : `${where}: ${formatCount(output.shown)} ${output.shown === 1 ? 'entry' : 'entries'} (${formatBytes(output.total_bytes)}).`,
    ];
    if (output.next_token) parts.push(`More: continuation_token=${output.next_token}`);
    const lines = [
      ...output.common_prefixes.map((p) => `${p} (prefix)`),
      ...output.objects.map((o) => `${o.key}  ${formatBytes(o.size)}  ${shortTime(o.last_modified)}`),
    ];
    return `${parts.join('\n')}\n${fenceUntrusted('object keys', lines.join('\n'))}`;
  },
});
