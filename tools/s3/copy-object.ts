import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool } from '../core/types.js';
import { bucketField, bucketName, keyField } from './names.js';
import { formatBytes, VersionIdField } from './schemas.js';
import { openStore } from './store.js';

/** A single CopyObject call copies at most 5 GiB. */
const MAX_COPY = 5 * 1024 ** 3;

const Input = z.object({
  bucket: bucketField('Source bucket'),
  key: keyField('Source key'),
  to_key: keyField('Target key'),
  to_bucket: bucketName().optional().describe('Target bucket (default: the source bucket)'),
  version_id: VersionIdField,
});

const Output = z.object({
  from: z.string().describe('Source bucket/key'),
  to: z.string().describe('Target bucket/key'),
  size: z.number().describe('Bytes copied'),
  etag: z.string().optional().describe('ETag of the new object'),
  version_id: z.string().optional().describe('Version id of the new object (versioned buckets)'),
});

export const s3CopyObject = defineTool({
  name: 's3_copy_object',
  title: 'Copy object',
  description:
    'Copy an object (up to 5 GiB) to another key or bucket, server side. Overwrites the target key.',
  toolset: 's3',
  aliases: ['cp'],
  positional: ['bucket', 'key', 'to_key'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const store = await openStore(ctx);
    const from = {
      bucket: input.bucket,
      key: input.key,
      ...(input.version_id ? { version_id: input.version_id } : {}),
    };
    const to = { bucket: input.to_bucket ?? input.bucket, key: input.to_key };
    const source = await store.head(from);
    if (source.size > MAX_COPY) {
      throw new ToolError(
        'invalid_input',
        `${input.bucket}/${input.key} is ${formatBytes(source.size)}; one copy call takes at most 5 GiB`,
        {
          hint: 'Download it and upload it again with s3_upload (multipart)',
        },
      );
    }
    const copied = await store.copy(from, to);
    return { from: `${from.bucket}/${from.key}`, to: `${to.bucket}/${to.key}`, size: source.size, ...copied };
  },
  toText(output) {
    return `Copied ${output.from} to ${output.to} (${formatBytes(output.size)}).`;
  },
});
