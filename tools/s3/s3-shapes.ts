/** Between the SDK's shapes and the store's: parameters out, plain objects back. */
import type { BucketLocationConstraint, ListObjectVersionsCommandOutput, S3Client } from '@aws-sdk/client-s3';
import type { ObjectInfo, ObjectRef, VersionEntry, VersionPage } from './store.js';

export type Sdk = typeof import('@aws-sdk/client-s3');

export async function bucketExists(client: S3Client, sdk: Sdk, bucket: string): Promise<boolean> {
  try {
    await client.send(new sdk.HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch (error) {
    return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 404;
  }
}

export function refParams(ref: ObjectRef) {
  return { Bucket: ref.bucket, Key: ref.key, ...(ref.version_id ? { VersionId: ref.version_id } : {}) };
}

/** us-east-1 is the default location and must not be named; every other region must be. */
export function locationConstraint(region: string) {
  return region === 'us-east-1'
    ? {}
    : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } };
}

interface HeadLike {
  ContentLength?: number | undefined;
  LastModified?: Date | undefined;
  ETag?: string | undefined;
  ContentType?: string | undefined;
  VersionId?: string | undefined;
  StorageClass?: string | undefined;
  Metadata?: Record<string, string> | undefined;
}

export function objectInfo(ref: ObjectRef, out: HeadLike): ObjectInfo {
  return {
    key: ref.key,
    size: out.ContentLength ?? 0,
    ...(out.LastModified ? { last_modified: out.LastModified.toISOString() } : {}),
    ...(out.ETag ? { etag: out.ETag } : {}),
    ...(out.ContentType ? { content_type: out.ContentType } : {}),
    ...(out.VersionId ? { version_id: out.VersionId } : {}),
    ...(out.StorageClass ? { storage_class: out.StorageClass } : {}),
    ...(out.Metadata && Object.keys(out.Metadata).length > 0 ? { metadata: out.Metadata } : {}),
  };
}

export function versionPage(out: ListObjectVersionsCommandOutput): VersionPage {
  const versions: VersionEntry[] = [
    ...(out.Versions ?? []).map((v) => ({
      key: v.Key ?? '',
      version_id: v.VersionId ?? 'null',
      is_latest: v.IsLatest ?? false,
      delete_marker: false,
      ...(v.Size !== undefined ? { size: v.Size } : {}),
      ...(v.LastModified ? { last_modified: v.LastModified.toISOString() } : {}),
      ...(v.ETag ? { etag: v.ETag } : {}),
    })),
    ...(out.DeleteMarkers ?? []).map((m) => ({
      key: m.Key ?? '',
      version_id: m.VersionId ?? 'null',
      is_latest: m.IsLatest ?? false,
      delete_marker: true,
      ...(m.LastModified ? { last_modified: m.LastModified.toISOString() } : {}),
    })),
  ];
  // S3 sends versions and delete markers as two lists; a reader wants one history per key.
  versions.sort((a, b) =>
    a.key === b.key ? (b.last_modified ?? '').localeCompare(a.last_modified ?? '') : a.key < b.key ? -1 : 1,
  );
  return {
    versions,
    ...(out.IsTruncated && out.NextKeyMarker ? { next_key_marker: out.NextKeyMarker } : {}),
    ...(out.IsTruncated && out.NextVersionIdMarker
      ? { next_version_id_marker: out.NextVersionIdMarker }
      : {}),
  };
}
