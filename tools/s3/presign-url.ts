import { z } from 'zod';
import { defineTool } from '../core/types.js';
import { bucketField, keyField } from './names.js';
import { VersionIdField } from './schemas.js';
import { openStore } from './store.js';

/** SigV4 presigned URLs live at most 7 days. */
const MAX_EXPIRY = 7 * 24 * 3600;

const Input = z.object({
  bucket: bucketField(),
  key: keyField(),
  method: z.enum(['GET', 'PUT']).default('GET').describe('GET to download, PUT to upload'),
  expires_in: z
    .number()
    .int()
    .min(1)
    .max(MAX_EXPIRY)
    .default(3600)
    .describe('Seconds the URL stays valid (max 604800 = 7 days)'),
  version_id: VersionIdField,
});

const Output = z.object({
  url: z.string().describe('The presigned URL'),
  method: z.enum(['GET', 'PUT']).describe('HTTP method it allows'),
  expires_at: z.string().describe('Expiry time, ISO 8601'),
});

export const s3Presign = defineTool({
  name: 's3_presign',
  title: 'Presigned URL',
  description:
    'A time-limited URL that lets anyone holding it GET (download) or PUT (upload) one object without credentials.',
  toolset: 's3',
  positional: ['bucket', 'key'],
  input: Input,
  output: Output,
  // Signing is local and changes nothing, but a PUT URL hands out write access: not read-only.
  annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: true },
  async run(input, ctx) {
    const store = await openStore(ctx);
    const ref = {
      bucket: input.bucket,
      key: input.key,
      ...(input.version_id && input.method === 'GET' ? { version_id: input.version_id } : {}),
    };
    const url = await store.presign(ref, input.method, input.expires_in);
    return {
      url,
      method: input.method,
      expires_at: new Date(Date.now() + input.expires_in * 1000).toISOString(),
    };
  },
  toText(output) {
    return `${output.method} URL, valid until ${output.expires_at}:\n${output.url}`;
  },
});
