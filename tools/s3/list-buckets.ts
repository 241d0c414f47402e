import { z } from 'zod';
import { defineTool } from '../core/types.js';
import { openStore } from './store.js';

const Input = z.object({});

const Output = z.object({
  location: z.string().describe('The S3 endpoint, or the lake folder on the local profile'),
  buckets: z
    .array(
      z.object({
        name: z.string().describe('Bucket name'),
        created: z.string().optional().describe('Creation time, ISO 8601'),
      }),
    )
    .describe('Buckets, by name'),
  count: z.number().describe('How many buckets'),
});

export const s3ListBuckets = defineTool({
  name: 's3_list_buckets',
  title: 'List buckets',
  description: 'List the buckets of the S3 store (or of the local lake folder).',
  toolset: 's3',
  aliases: ['buckets'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(_input, ctx) {
    const store = await openStore(ctx);
    const buckets = await store.listBuckets();
    return { location: store.location, buckets, count: buckets.length };
  },
  toText(output) {
    if (output.count === 0) return `No buckets at ${output.location}.`;
    return `${output.count} bucket${output.count === 1 ? '' : 's'} at ${output.location}: ${output.buckets.map((b) => b.name).join(', ')}`;
  },
});
