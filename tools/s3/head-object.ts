import { z } from 'zod';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';
import { bucketField, keyField } from './names.js';
import { formatBytes, ObjectSummarySchema, VersionIdField } from './schemas.js';
import { openStore } from './store.js';

const Input = z.object({
  bucket: bucketField(),
  key: keyField(),
  version_id: VersionIdField,
});

const Output = ObjectSummarySchema.extend({
  bucket: z.string().describe('Bucket'),
  content_type: z.string().optional().describe('Content-Type'),
  version_id: z.string().optional().describe('Version id (versioned buckets)'),
  metadata: z.record(z.string(), z.string()).optional().describe('User metadata (x-amz-meta-*)'),
});

export const s3HeadObject = defineTool({
  name: 's3_head_object',
  title: 'Object details',
  description: 'Size, ETag, content type, version and metadata of one object, without downloading it.',
  toolset: 's3',
  aliases: ['head', 'stat'],
  positional: ['bucket', 'key'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const store = await openStore(ctx);
    const ref = {
      bucket: input.bucket,
      key: input.key,
      ...(input.version_id ? { version_id: input.version_id } : {}),
    };
    return { bucket: input.bucket, ...(await store.head(ref)) };
  },
  toText(output) {
    const facts = [
      formatBytes(output.size),
      output.last_modified && `modified ${output.last_modified}`,
      output.etag && `etag ${output.etag}`,
      output.content_type,
      output.version_id && `version ${output.version_id}`,
      output.storage_class,
    ].filter(Boolean);
    const head = `${output.bucket}/${output.key}: ${facts.join(', ')}`;
    const meta = Object.entries(output.metadata ?? {}).map(([k, v]) => `${k}: ${v}`);
    return meta.length > 0 ? `${head}\n${fenceUntrusted('object metadata', meta.join('\n'))}` : head;
  },
});
