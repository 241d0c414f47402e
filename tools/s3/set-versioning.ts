import { z } from 'zod';
import { defineTool } from '../core/types.js';
import { bucketField } from './names.js';
import { openStore } from './store.js';

const Input = z.object({
  bucket: bucketField(),
  status: z
    .enum(['enabled', 'suspended'])
    .describe('enabled keeps every version of every object; suspended stops adding versions'),
});

const Output = z.object({
  bucket: z.string().describe('Bucket'),
  previous: z
    .enum(['enabled', 'suspended', 'off'])
    .describe('Versioning before the call (off = never enabled)'),
  status: z.enum(['enabled', 'suspended']).describe('Versioning now'),
});

export const s3SetVersioning = defineTool({
  name: 's3_set_versioning',
  title: 'Set bucket versioning',
  description:
    'Turn object versioning of a bucket on (enabled) or pause it (suspended). Existing versions are kept either way.',
  toolset: 's3',
  positional: ['bucket', 'status'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const store = await openStore(ctx);
    const previous = await store.getVersioning(input.bucket);
    await store.setVersioning(input.bucket, input.status === 'enabled');
    return { bucket: input.bucket, previous, status: input.status };
  },
  toText(output) {
    return `Versioning of ${output.bucket}: ${output.previous} → ${output.status}.`;
  },
});
