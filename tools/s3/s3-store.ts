/** The ObjectStore over a real S3 endpoint (MinIO, moto, AWS), through @aws-sdk/client-s3. */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { ToolContext } from '../core/types.js';
import { noSuchBucket, noSuchKey, s3Fault, type FaultPlace } from './errors.js';
import { getS3Client, s3Location, s3Secrets } from './s3-client.js';
import { uploadFile } from './s3-upload.js';
import { byteCounter } from './transfer.js';
import { bucketExists, locationConstraint, objectInfo, refParams, versionPage } from './s3-shapes.js';
import type { ObjectRef, ObjectStore } from './store.js';

export async function createS3Store(ctx: ToolContext): Promise<ObjectStore> {
  const s3 = ctx.config.s3;
  if (!s3) throw new Error('createS3Store called without an s3 section');
  const location = s3Location(s3);
  const secrets = s3Secrets(ctx);
  const place = (bucket?: string, key?: string): FaultPlace => ({
    location,
    secrets,
    ...(bucket ? { bucket } : {}),
    ...(key ? { key } : {}),
  });
  const [sdk, client] = await Promise.all([import('@aws-sdk/client-s3'), getS3Client(ctx)]);
  const opts = () => ({ abortSignal: ctx.signal });

  /** Runs one call and words its failure. */
  async function call<T>(where: FaultPlace, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw s3Fault(error, where);
    }
  }

  /** A 404 on an object may mean the bucket is missing: ask, so the message names the right thing. */
  async function missingObject(ref: ObjectRef, error: unknown): Promise<Error> {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const name = (error as { name?: string }).name;
    if (status !== 404 || name === 'NoSuchBucket') return s3Fault(error, place(ref.bucket, ref.key));
    const bucketThere = await bucketExists(client, sdk, ref.bucket);
    return bucketThere
      ? noSuchKey(place(ref.bucket, ref.key), ref.version_id, error)
      : noSuchBucket(place(ref.bucket), error);
  }

  return {
    kind: 's3',
    location,

    listBuckets: () =>
      call(place(), async () => {
        const out = await client.send(new sdk.ListBucketsCommand({}), opts());
        return (out.Buckets ?? []).map((b) => ({
          name: b.Name ?? '',
          ...(b.CreationDate ? { created: b.CreationDate.toISOString() } : {}),
        }));
      }),

    createBucket: (bucket) =>
      call(place(bucket), async () => {
        try {
          await client.send(
            new sdk.CreateBucketCommand({ Bucket: bucket, ...locationConstraint(s3.region) }),
            opts(),
          );
          return { created: true };
        } catch (error) {
          if ((error as { name?: string }).name === 'BucketAlreadyOwnedByYou') return { created: false };
          throw error;
        }
      }),

    deleteBucket: (bucket) =>
      call(place(bucket), async () => {
        await client.send(new sdk.DeleteBucketCommand({ Bucket: bucket }), opts());
      }),

    list: (bucket, options) =>
      call(place(bucket), async () => {
        const out = await client.send(
          new sdk.ListObjectsV2Command({
            Bucket: bucket,
            MaxKeys: options.maxKeys,
            ...(options.prefix ? { Prefix: options.prefix } : {}),
            ...(options.delimiter ? { Delimiter: options.delimiter } : {}),
            ...(options.token ? { ContinuationToken: options.token } : {}),
          }),
          opts(),
        );
        return {
          objects: (out.Contents ?? []).map((o) => ({
            key: o.Key ?? '',
            size: o.Size ?? 0,
            ...(o.LastModified ? { last_modified: o.LastModified.toISOString() } : {}),
            ...(o.ETag ? { etag: o.ETag } : {}),
            ...(o.StorageClass ? { storage_class: o.StorageClass } : {}),
          })),
          prefixes: (out.CommonPrefixes ?? []).map((p) => p.Prefix ?? '').filter(Boolean),
          ...(out.IsTruncated && out.NextContinuationToken ? { next_token: out.NextContinuationToken } : {}),
        };
      }),

    async head(ref) {
      try {
        const out = await client.send(new sdk.HeadObjectCommand(refParams(ref)), opts());
        return objectInfo(ref, out);
      } catch (error) {
        throw await missingObject(ref, error);
      }
    },

    putFile: (bucket, key, file, options) =>
      call(place(bucket, key), () => uploadFile(client, bucket, key, file, options, (m) => ctx.log.warn(m))),

    async getFile(ref, file, options) {
      let out;
      try {
        out = await client.send(new sdk.GetObjectCommand(refParams(ref)), { abortSignal: options.signal });
      } catch (error) {
        throw await missingObject(ref, error);
      }
      const info = objectInfo(ref, out);
      options.onSize?.(info.size);
      await call(place(ref.bucket, ref.key), () =>
        pipeline(out.Body as Readable, byteCounter(options.onBytes), createWriteStream(file), {
          signal: options.signal,
        }),
      );
      return info;
    },

    async copy(from, to) {
      const source = `${from.bucket}/${encodeURIComponent(from.key).replace(/%2F/g, '/')}`;
      try {
        const out = await client.send(
          new sdk.CopyObjectCommand({
            Bucket: to.bucket,
            Key: to.key,
            CopySource: from.version_id
              ? `${source}?versionId=${encodeURIComponent(from.version_id)}`
              : source,
          }),
          opts(),
        );
        return {
          ...(out.CopyObjectResult?.ETag ? { etag: out.CopyObjectResult.ETag } : {}),
          ...(out.VersionId && out.VersionId !== 'null' ? { version_id: out.VersionId } : {}),
        };
      } catch (error) {
        const name = (error as { name?: string }).name;
        // Which bucket is missing: the source or the target?
        if (name === 'NoSuchBucket' && !(await bucketExists(client, sdk, from.bucket)))
          throw noSuchBucket(place(from.bucket), error);
        if (name === 'NoSuchKey' || name === 'NoSuchVersion')
          throw noSuchKey(place(from.bucket, from.key), from.version_id, error);
        throw s3Fault(error, place(to.bucket, to.key));
      }
    },

    deleteObjects: (bucket, refs) =>
      call(place(bucket), async () => {
        const deleted: string[] = [];
        const failed: Array<{ key: string; message: string }> = [];
        for (let i = 0; i < refs.length; i += 1000) {
          const batch = refs.slice(i, i + 1000);
          const out = await client.send(
            new sdk.DeleteObjectsCommand({
              Bucket: bucket,
              Delete: {
                Quiet: false,
                Objects: batch.map((r) => ({
                  Key: r.key,
                  ...(r.version_id ? { VersionId: r.version_id } : {}),
                })),
              },
            }),
            opts(),
          );
          for (const d of out.Deleted ?? []) if (d.Key) deleted.push(d.Key);
          for (const e of out.Errors ?? [])
            failed.push({ key: e.Key ?? '', message: `${e.Code ?? 'Error'}: ${e.Message ?? ''}` });
        }
        return { deleted, failed };
      }),

    presign: (ref, method, expiresIn) =>
      call(place(ref.bucket, ref.key), async () => {
        const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner');
        const command =
          method === 'GET'
            ? new sdk.GetObjectCommand(refParams(ref))
            : new sdk.PutObjectCommand({ Bucket: ref.bucket, Key: ref.key });
        return getSignedUrl(client, command, { expiresIn });
      }),

    getVersioning: (bucket) =>
      call(place(bucket), async () => {
        const out = await client.send(new sdk.GetBucketVersioningCommand({ Bucket: bucket }), opts());
        return out.Status === 'Enabled' ? 'enabled' : out.Status === 'Suspended' ? 'suspended' : 'off';
      }),

    setVersioning: (bucket, enabled) =>
      call(place(bucket), async () => {
        await client.send(
          new sdk.PutBucketVersioningCommand({
            Bucket: bucket,
            VersioningConfiguration: { Status: enabled ? 'Enabled' : 'Suspended' },
          }),
          opts(),
        );
      }),

    listVersions: (bucket, options) =>
      call(place(bucket), async () => {
        const out = await client.send(
          new sdk.ListObjectVersionsCommand({
            Bucket: bucket,
            MaxKeys: options.maxKeys,
            ...(options.prefix ? { Prefix: options.prefix } : {}),
            ...(options.keyMarker ? { KeyMarker: options.keyMarker } : {}),
            ...(options.versionIdMarker ? { VersionIdMarker: options.versionIdMarker } : {}),
          }),
          opts(),
        );
        return versionPage(out);
      }),
  };
}
