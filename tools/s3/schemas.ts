/** Zod shapes and text helpers shared by several s3 tools (each field described once). */
import { z } from 'zod';
import { formatBytes, formatCount } from '../query/format.js';

export { formatBytes, formatCount };

export const ObjectSummarySchema = z.object({
  key: z.string().describe('Object key'),
  size: z.number().describe('Size in bytes'),
  last_modified: z.string().optional().describe('Last modified, ISO 8601'),
  etag: z.string().optional().describe('ETag; a "-N" suffix means a multipart upload of N parts'),
  storage_class: z.string().optional().describe('Storage class'),
});

export const VersionIdField = z
  .string()
  .min(1)
  .optional()
  .describe('A specific object version (versioned buckets)');

/** `2024-05-01T10:22:13.000Z` → `2024-05-01 10:22`: enough for a reader, fewer tokens. */
export function shortTime(iso: string | undefined): string {
  return iso ? iso.slice(0, 16).replace('T', ' ') : '';
}

export function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}
