/**
 * One file into S3 with @aws-sdk/lib-storage: a single PUT when it fits in one part, else a
 * multipart upload with `queueSize` parts in flight. On failure or abort no multipart upload of
 * ours is left behind: lib-storage aborts its own (leavePartsOnError false), and we wait for its
 * in-flight requests to settle, then list the key's multipart uploads and abort any that remain.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { networkCode } from './errors.js';
import type { PutOptions, PutResult } from './store.js';

/** Sends the Upload makes are tracked here, so we know when its background work is over. */
interface SendTracker {
  client: S3Client;
  idle(): Promise<void>;
}

/**
 * Wraps `client` so every send is tracked, and sends that carry data (`cancellable`) are cancelled
 * at once on abort; the others must run, since they clean up.
 */
function trackSends(
  client: S3Client,
  signal: AbortSignal,
  cancellable: (command: unknown) => boolean,
): SendTracker {
  const pending = new Set<Promise<unknown>>();
  const tracked = Object.create(client) as S3Client;
  const send = (command: unknown, options?: Record<string, unknown>): Promise<unknown> => {
    const extra = cancellable(command) ? { abortSignal: signal } : {};
    const sent = (client.send as (c: unknown, o?: unknown) => Promise<unknown>)(command, {
      ...options,
      ...extra,
    });
    pending.add(sent);
    const forget = () => pending.delete(sent);
    sent.then(forget, forget);
    return sent;
  };
  Object.defineProperty(tracked, 'send', { value: send });
  return {
    client: tracked,
    async idle() {
      // lib-storage sends its AbortMultipartUpload after its part uploads settle: loop until quiet.
      for (let round = 0; round < 50; round++) {
        if (pending.size === 0) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          if (pending.size === 0) return;
        }
        await Promise.allSettled([...pending]);
      }
    },
  };
}

export async function uploadFile(
  client: S3Client,
  bucket: string,
  key: string,
  file: string,
  options: PutOptions,
  warn: (message: string) => void,
): Promise<PutResult> {
  const [{ Upload }, sdk, { size }] = await Promise.all([
    import('@aws-sdk/lib-storage'),
    import('@aws-sdk/client-s3'),
    stat(file),
  ]);
  if (options.signal.aborted) throw abortError();
  const started = Date.now();
  const cancel = new AbortController();
  const tracker = trackSends(
    client,
    cancel.signal,
    (command) => command instanceof sdk.UploadPartCommand || command instanceof sdk.PutObjectCommand,
  );
  // Bigger reads than the 64 KiB default: fewer chunks to stitch into each part.
  const body = createReadStream(file, { highWaterMark: Math.min(options.partSize, 1024 * 1024) });
  const upload = new Upload({
    client: tracker.client,
    params: {
      Bucket: bucket,
      Key: key,
      Body: body,
      ContentLength: size,
      // A CRC32 per part, checked by the server: integrity end to end, and servers given none
      // compute a full-object CRC64 themselves on completion (moto: seconds for 512 MiB).
      ChecksumAlgorithm: 'CRC32',
      ...contentType(options),
    },
    partSize: options.partSize,
    queueSize: options.queueSize,
    leavePartsOnError: false,
  });
  upload.on('httpUploadProgress', (progress) => {
    if (progress.loaded !== undefined) options.onBytes(Math.min(progress.loaded, size));
  });
  const onAbort = () => {
    cancel.abort();
    void upload.abort();
  };
  options.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await upload.done();
    options.onBytes(size);
    return {
      ...(result.ETag ? { etag: result.ETag } : {}),
      // moto answers "null" on unversioned buckets, where S3 says nothing.
      ...(result.VersionId && result.VersionId !== 'null' ? { version_id: result.VersionId } : {}),
      parts: Math.max(1, size > options.partSize ? Math.ceil(size / options.partSize) : 1),
    };
  } catch (error) {
    cancel.abort();
    await tracker.idle();
    // lib-storage starts a multipart upload only for more than one part.
    if (size > options.partSize) {
      await sweepMultipartUploads(client, bucket, key, { uploadId: upload.uploadId, since: started }, warn);
    }
    throw error;
  } finally {
    options.signal.removeEventListener('abort', onAbort);
    body.destroy();
  }
}

/** Clock skew allowed between us and the server when recognising an upload we started. */
const SKEW_MS = 5 * 60_000;

/**
 * Aborts multipart uploads of `key` that are ours: the one whose id we know, and any begun since
 * we started (its CreateMultipartUpload answer may never have reached us).
 */
export async function sweepMultipartUploads(
  client: S3Client,
  bucket: string,
  key: string,
  ours: { uploadId: string | undefined; since: number },
  warn: (message: string) => void,
): Promise<number> {
  const { ListMultipartUploadsCommand, AbortMultipartUploadCommand } = await import('@aws-sdk/client-s3');
  let aborted = 0;
  try {
    const listed = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: key }));
    for (const found of listed.Uploads ?? []) {
      if (found.Key !== key || !found.UploadId) continue;
      const mine =
        found.UploadId === ours.uploadId || (found.Initiated?.getTime() ?? 0) >= ours.since - SKEW_MS;
      if (!mine) continue;
      await client.send(
        new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: found.UploadId }),
      );
      aborted += 1;
    }
  } catch (error) {
    const name = (error as { name?: string }).name;
    // Nothing can be left in a bucket that is not there.
    if (name === 'NoSuchUpload' || name === 'NoSuchBucket') return aborted;
    const reason = networkCode(error) ? 'the server cannot be reached' : (name ?? 'error');
    warn(
      `Could not check for a leftover multipart upload of ${bucket}/${key} (${reason}); if one was started it keeps its parts until aborted`,
    );
  }
  return aborted;
}

function contentType(options: PutOptions): { ContentType?: string } {
  return options.contentType ? { ContentType: options.contentType } : {};
}

function abortError(): Error {
  return Object.assign(new Error('Upload aborted.'), { name: 'AbortError' });
}
