import { z } from 'zod';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';
import { bucketField } from './names.js';
import { formatBytes, plural, shortTime } from './schemas.js';
import { openStore } from './store.js';

const Input = z.object({
  bucket: bucketField(),
  prefix: z.string().default('').describe('Only keys starting with this (a full key lists its history)'),
  max_keys: z.number().int().min(1).max(1000).default(200).describe('Versions to return'),
  key_marker: z.string().optional().describe('next_key_marker of a previous call, to continue'),
  version_id_marker: z.string().optional().describe('next_version_id_marker of a previous call, to continue'),
});

const Output = z.object({
  bucket: z.string().describe('Bucket'),
  versions: z
    .array(
      z.object({
        key: z.string().describe('Object key'),
        version_id: z.string().describe('Version id'),
        is_latest: z.boolean().describe('The current version of the key'),
        delete_marker: z.boolean().describe('A deletion, not data'),
        size: z.number().optional().describe('Size in bytes'),
        last_modified: z.string().optional().describe('When this version was written, ISO 8601'),
        etag: z.string().optional().describe('ETag'),
      }),
    )
    .describe('Versions, newest first per key'),
  count: z.number().describe('Versions on this page'),
  next_key_marker: z.string().optional().describe('Pass as key_marker to continue'),
  next_version_id_marker: z.string().optional().describe('Pass as version_id_marker to continue'),
});

export const s3ListObjectVersions = defineTool({
  name: 's3_list_object_versions',
  title: 'List object versions',
  description:
    'Versions and delete markers of the objects under a prefix in a versioned bucket, newest first per key.',
  toolset: 's3',
  aliases: ['versions'],
  positional: ['bucket', 'prefix'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const store = await openStore(ctx);
    const page = await store.listVersions(input.bucket, {
      maxKeys: input.max_keys,
      ...(input.prefix ? { prefix: input.prefix } : {}),
      ...(input.key_marker ? { keyMarker: input.key_marker } : {}),
      ...(input.version_id_marker ? { versionIdMarker: input.version_id_marker } : {}),
    });
    return { bucket: input.bucket, count: page.versions.length, ...page };
  },
  toText(output) {
    if (output.count === 0) return `No versions in ${output.bucket} under that prefix.`;
    const head = `${plural(output.count, 'version')} in ${output.bucket}.`;
    const more = output.next_key_marker
      ? `\nMore: key_marker=${output.next_key_marker}${output.next_version_id_marker ? ` version_id_marker=${output.next_version_id_marker}` : ''}`
      : '';
    const lines = output.versions.map((v) =>
      [
        v.key,
        v.version_id,
        v.delete_marker ? 'delete marker' : formatBytes(v.size ?? 0),
        shortTime(v.last_modified),
        v.is_latest ? 'latest' : '',
      ]
        .filter(Boolean)
        .join('  '),
    );
    return `${head}${more}\n${fenceUntrusted('object keys', lines.join('\n'))}`;
  },
});
