import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, relative } from 'node:path';
import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool, type ToolContext } from '../core/types.js';
import { bucketField, joinKey, keyProblem } from './names.js';
import { formatBytes, plural } from './schemas.js';
import { openStore } from './store.js';
import { byteProgress, PARTIAL_MARK } from './transfer.js';

const MIB = 1024 * 1024;
/** Objects listed in the result; the rest are counted. */
const LISTED = 100;

const Input = z.object({
  path: z.string().min(1).describe('Workspace path of a file, or of a folder to upload recursively'),
  bucket: bucketField('Target bucket'),
  key: z
    .string()
    .default('')
    .describe("For a file: its key (default: file name; ending '/' = prefix). For a folder: key prefix"),
  part_size_mib: z.number().int().min(5).max(5120).default(8).describe('Multipart part size in MiB'),
  concurrency: z.number().int().min(1).max(32).default(4).describe('Parts (or small files) uploaded at once'),
  content_type: z.string().optional().describe('Content-Type (default: from the file extension)'),
});

const Uploaded = z.object({
  key: z.string().describe('Object key'),
  size: z.number().describe('Size in bytes'),
  etag: z.string().optional().describe('ETag; "-N" suffix = N parts'),
  version_id: z.string().optional().describe('Version id (versioned buckets)'),
  parts: z.number().describe('Parts uploaded (1 = single PUT)'),
});

const Output = z.object({
  bucket: z.string().describe('Target bucket'),
  count: z.number().describe('Files uploaded'),
  bytes: z.number().describe('Bytes uploaded'),
  seconds: z.number().describe('Wall time'),
  objects: z.array(Uploaded).describe(`The uploaded objects (the first ${LISTED})`),
});

type UploadInput = z.infer<typeof Input>;
type UploadedObject = z.infer<typeof Uploaded>;
interface Job {
  file: string;
  key: string;
  size: number;
}

const CONTENT_TYPES: Record<string, string> = {
  '.csv': 'text/csv',
  '.tsv': 'text/tab-separated-values',
  '.json': 'application/json',
  '.jsonl': 'application/x-ndjson',
  '.ndjson': 'application/x-ndjson',
  '.parquet': 'application/vnd.apache.parquet',
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.html': 'text/html',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gz': 'application/gzip',
  '.zip': 'application/zip',
};

/** The files to upload and their keys: one file, or every regular file under a folder. */
async function plan(input: UploadInput, ctx: ToolContext): Promise<Job[]> {
  const source = ctx.workspace.resolve(input.path);
  const info = await stat(source).catch(() => undefined);
  if (!info)
    throw new ToolError('not_found', `No file or folder at ${input.path}`, {
      hint: 'Give a path inside the workspace',
    });
  if (info.isFile()) {
    const key = !input.key || input.key.endsWith('/') ? `${input.key}${basename(source)}` : input.key;
    return [{ file: source, key, size: info.size }];
  }
  const jobs: Job[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      // Links are skipped: following them could upload files from outside the workspace.
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && !entry.name.startsWith(PARTIAL_MARK)) {
        jobs.push({
          file: full,
          key: joinKey(input.key, relative(source, full)),
          size: (await stat(full)).size,
        });
      }
    }
  };
  await walk(source);
  if (jobs.length === 0)
    throw new ToolError('invalid_input', `The folder ${input.path} holds no files to upload`);
  return jobs.sort((a, b) => (a.key < b.key ? -1 : 1));
}

async function upload(input: UploadInput, ctx: ToolContext) {
  const jobs = await plan(input, ctx);
  const bad = jobs.find((job) => keyProblem(job.key));
  if (bad) throw new ToolError('invalid_input', `Key "${bad.key}" ${keyProblem(bad.key)}`);
  const store = await openStore(ctx);
  const partSize = input.part_size_mib * MIB;
  const total = jobs.reduce((sum, job) => sum + job.size, 0);
  const report = byteProgress(ctx, total);
  const started = performance.now();
  const inFlight = new Map<Job, number>();
  let finished = 0;
  const done: UploadedObject[] = [];

  const one = async (job: Job, queueSize: number) => {
    if (ctx.signal.aborted) throw new ToolError('aborted', 'Cancelled');
    inFlight.set(job, 0);
    const type = input.content_type ?? CONTENT_TYPES[extname(job.file).toLowerCase()];
    const result = await store.putFile(input.bucket, job.key, job.file, {
      partSize,
      queueSize,
      signal: ctx.signal,
      ...(type ? { contentType: type } : {}),
      onBytes: (loaded) => {
        inFlight.set(job, loaded);
        report(
          finished + [...inFlight.values()].reduce((a, b) => a + b, 0),
          jobs.length === 1 ? job.key : `${done.length}/${jobs.length} files`,
        );
      },
    });
    inFlight.delete(job);
    finished += job.size;
    done.push({ key: job.key, size: job.size, ...result });
    report(
      finished + [...inFlight.values()].reduce((a, b) => a + b, 0),
      `${done.length}/${jobs.length} files`,
    );
  };

  // Big files one at a time, each with `concurrency` parts in flight; small ones `concurrency` at
  // a time. Either way at most about part size × concurrency bytes are held in memory.
  for (const job of jobs.filter((j) => j.size > partSize)) await one(job, input.concurrency);
  await pool(
    jobs.filter((j) => j.size <= partSize),
    input.concurrency,
    (job) => one(job, 1),
  );
  const objects = done.sort((a, b) => (a.key < b.key ? -1 : 1));
  return {
    bucket: input.bucket,
    count: objects.length,
    bytes: total,
    seconds: Math.round((performance.now() - started) / 10) / 100,
    objects: objects.slice(0, LISTED),
  };
}

/** Runs `run` over `items`, `size` at a time; after a failure takes no new item, lets the running ones finish (and clean up), then throws it. */
async function pool<T>(items: readonly T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failure) {
      try {
        await run(items[next++] as T);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  if (failure) throw failure.error;
}

export const s3Upload = defineTool({
  name: 's3_upload',
  title: 'Upload to S3',
  description:
    'Upload a workspace file, or a folder recursively under a key prefix; existing keys are overwritten. Multipart and concurrent for big files; nothing partial is left on failure.',
  toolset: 's3',
  aliases: ['put'],
  positional: ['path', 'bucket', 'key'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: true, openWorld: true },
  run: upload,
  toText(output) {
    const rate = output.seconds > 0 ? `, ${formatBytes(output.bytes / output.seconds)}/s` : '';
    const head = `Uploaded ${plural(output.count, 'file')} (${formatBytes(output.bytes)}) to ${output.bucket} in ${output.seconds}s${rate}.`;
    const lines = output.objects
      .slice(0, 20)
      .map((o) => `${o.key}  ${formatBytes(o.size)}${o.parts > 1 ? `  ${o.parts} parts` : ''}`);
    if (output.count > lines.length) lines.push(`… and ${plural(output.count - lines.length, 'more file')}`);
    return [head, ...lines].join('\n');
  },
});
