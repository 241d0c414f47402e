import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool, type ToolContext } from '../core/types.js';
import { bucketField, keyField } from './names.js';
import { formatBytes, VersionIdField } from './schemas.js';
import { openStore } from './store.js';
import { byteProgress, partialName } from './transfer.js';

const Input = z.object({
  bucket: bucketField(),
  key: keyField(),
  path: z
    .string()
    .optional()
    .describe("Workspace file or folder to write to (default: the key's file name in the workspace)"),
  version_id: VersionIdField,
  overwrite: z.boolean().default(false).describe('Replace the file if it exists'),
});

const Output = z.object({
  bucket: z.string().describe('Bucket'),
  key: z.string().describe('Object key'),
  path: z.string().describe('Workspace path written'),
  bytes: z.number().describe('Bytes written'),
  etag: z.string().optional().describe('ETag of the object downloaded'),
  version_id: z.string().optional().describe('Version downloaded (versioned buckets)'),
  seconds: z.number().describe('Wall time'),
});

type DownloadInput = z.infer<typeof Input>;

/** The file to write: `path` itself, or the key's file name inside `path` when it is a folder. */
async function destination(input: DownloadInput, ctx: ToolContext): Promise<string> {
  const name = input.key.split('/').filter(Boolean).at(-1) ?? 'object';
  const given = input.path ?? name;
  const resolved = ctx.workspace.resolve(given);
  const info = await stat(resolved).catch(() => undefined);
  const target =
    info?.isDirectory() || given.endsWith('/') ? ctx.workspace.resolve(join(resolved, name)) : resolved;
  const existing = target === resolved ? info : await stat(target).catch(() => undefined);
  if (existing?.isDirectory())
    throw new ToolError('conflict', `${ctx.workspace.display(target)} is a folder`);
  if (existing && !input.overwrite) {
    throw new ToolError('conflict', `${ctx.workspace.display(target)} already exists`, {
      hint: 'Pass overwrite to replace it, or give another path',
    });
  }
  return target;
}

export const s3Download = defineTool({
  name: 's3_download',
  title: 'Download from S3',
  description:
    'Download one object to a workspace file. The file appears whole or not at all; existing files are kept unless overwrite.',
  toolset: 's3',
  aliases: ['get'],
  positional: ['bucket', 'key', 'path'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const target = await destination(input, ctx);
    const store = await openStore(ctx);
    await mkdir(dirname(target), { recursive: true });
    const temp = partialName(target);
    const started = performance.now();
    let report: ((done: number) => void) | undefined;
    try {
      const info = await store.getFile(
        {
          bucket: input.bucket,
          key: input.key,
          ...(input.version_id ? { version_id: input.version_id } : {}),
        },
        temp,
        {
          signal: ctx.signal,
          onSize: (size) => (report = byteProgress(ctx, size)),
          onBytes: (loaded) => report?.(loaded),
        },
      );
      const written = (await stat(temp)).size;
      await rename(temp, target);
      return {
        bucket: input.bucket,
        key: input.key,
        path: ctx.workspace.display(target),
        bytes: written,
        ...(info.etag ? { etag: info.etag } : {}),
        ...(info.version_id ? { version_id: info.version_id } : {}),
        seconds: Math.round((performance.now() - started) / 10) / 100,
      };
    } finally {
      await rm(temp, { force: true });
    }
  },
  toText(output) {
    return `Downloaded ${output.bucket}/${output.key} (${formatBytes(output.bytes)}) to ${output.path} in ${output.seconds}s.`;
  },
});
