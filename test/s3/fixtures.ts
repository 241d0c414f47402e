/**
 * Helpers for the s3 tests: workspaces on the `local` profile (the lake folder backend) or on a
 * profile pointing at the real S3 server (moto) that `datastack stack up` code starts, a raw SDK
 * client to check the world independently of the tools, and bucket names no other test uses.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import {
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  S3Client,
  AbortMultipartUploadCommand,
} from '@aws-sdk/client-s3';
import { ensureServices, type ServiceEndpoints } from '../helpers/services.js';
import { makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';

export { call, callError } from '../query/fixtures.js';

/** A bucket name unique to this run: the S3 server is shared by every test file. */
export function bucketName(label: string): string {
  return `ds-${label}-${randomBytes(4).toString('hex')}`;
}

export interface S3TestEnv {
  services: ServiceEndpoints;
  /** An SDK client of our own, to check what the tools did. */
  raw: S3Client;
}

export async function s3Env(): Promise<S3TestEnv> {
  // The SDK's notice about Node 22 (see tools/s3/s3-client.ts) would clutter every test log.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const services = await ensureServices(['s3']);
  const raw = new S3Client({
    endpoint: services.s3.endpoint,
    region: services.s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: services.s3.accessKeyId, secretAccessKey: services.s3.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return { services, raw };
}

/** A workspace whose default profile (`stack`) points at the test S3 server. */
export function s3Workspace(env: S3TestEnv): TempWorkspace {
  return makeWorkspace({ 'datastack.yaml': env.services.datastackYaml });
}

/** Multipart uploads still open in `bucket` (optionally for one key). */
export async function openUploads(raw: S3Client, bucket: string, key?: string) {
  const out = await raw.send(
    new ListMultipartUploadsCommand({ Bucket: bucket, ...(key ? { Prefix: key } : {}) }),
  );
  return (out.Uploads ?? []).filter((u) => !key || u.Key === key);
}

/** Removes a test bucket with everything in it (versions and open uploads too). */
export async function dropBucket(raw: S3Client, bucket: string): Promise<void> {
  try {
    for (const upload of await openUploads(raw, bucket)) {
      await raw.send(
        new AbortMultipartUploadCommand({ Bucket: bucket, Key: upload.Key, UploadId: upload.UploadId }),
      );
    }
    for (;;) {
      const page = await raw.send(new ListObjectVersionsCommand({ Bucket: bucket }));
      const items = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({
        Key: v.Key,
        VersionId: v.VersionId,
      }));
      if (items.length === 0) break;
      await raw.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: items } }));
    }
    await raw.send(new DeleteBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if ((error as { name?: string }).name !== 'NoSuchBucket') throw error;
  }
}

/** Writes `bytes` of pseudo-random data (not compressible, not all equal) to `path`. */
export async function writeRandomFile(path: string, bytes: number): Promise<void> {
  const out = createWriteStream(path);
  const block = randomBytes(1024 * 1024);
  for (let written = 0; written < bytes;) {
    const size = Math.min(block.length, bytes - written);
    // Vary each MiB so parts differ.
    block.writeUInt32BE(written >>> 0, 0);
    if (!out.write(block.subarray(0, size))) await once(out, 'drain');
    written += size;
  }
  out.end();
  await once(out, 'finish');
}
