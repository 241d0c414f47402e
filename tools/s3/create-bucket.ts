import { z } from 'zod';
import { defineTool } from '../core/types.js';
import { newBucketField } from './names.js';
import { openStore } from './store.js';

const Input = z.object({
  bucket: newBucketField('New bucket name: 3-63 lowercase letters, digits, dots or hyphens'),
  versioning: z.boolean().default(false).describe('Turn on object versioning (S3 only)'),
});

const Output = z.object({
  bucket: z.string().describe('Bucket name'),
  created: z.boolean().describe('False when it already existed (and is yours)'),
  versioning: z.boolean().describe('Whether versioning was turned on'),
  location: z.string().describe('The S3 endpoint or lake folder'),
});

export const s3CreateBucket = defineTool({
  name: 's3_create_bucket',
  title: 'Create bucket',
  description:
    'Create a bucket (a folder of the lake on the local profile); optionally with versioning on. No error if it already exists.',
  toolset: 's3',
  aliases: ['mb'],
  positional: ['bucket'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const store = await openStore(ctx);
    const { created } = await store.createBucket(input.bucket);
    if (input.versioning) await store.setVersioning(input.bucket, true);
    return { bucket: input.bucket, created, versioning: input.versioning, location: store.location };
  },
  toText(output) {
    const what = output.created ? 'Created bucket' : 'Bucket already existed:';
    return `${what} ${output.bucket} at ${output.location}${output.versioning ? ', versioning on' : ''}.`;
  },
});
