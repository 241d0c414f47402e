/**
 * The object store the s3 tools talk to, written once for two backends: a real S3 endpoint
 * (MinIO, moto, AWS) when the profile has an `s3` section, and a folder of the workspace
 * (`<lake.root>/<bucket>/<key>`) on the `local` profile. Backends throw ToolErrors a person can
 * act on; tools only shape inputs and outputs.
 */
import type { ToolContext } from '../core/types.js';

export interface BucketInfo {
  name: string;
  created?: string;
}

export interface ObjectSummary {
  key: string;
  size: number;
  last_modified?: string;
  etag?: string;
  storage_class?: string;
}

export interface ObjectInfo extends ObjectSummary {
  content_type?: string;
  version_id?: string;
  metadata?: Record<string, string>;
}

export interface ListOptions {
  prefix?: string;
  delimiter?: string;
  /** Where to continue: a token from a previous page. */
  token?: string;
  maxKeys: number;
}

export interface ListPage {
  objects: ObjectSummary[];
  prefixes: string[];
  /** Present when more entries follow. */
  next_token?: string;
}

export interface VersionEntry {
  key: string;
  version_id: string;
  is_latest: boolean;
  delete_marker: boolean;
  size?: number;
  last_modified?: string;
  etag?: string;
}

export interface VersionPage {
  versions: VersionEntry[];
  next_key_marker?: string;
  next_version_id_marker?: string;
}

export interface TransferOptions {
  signal: AbortSignal;
  /** Bytes of this object transferred so far (cumulative). */
  onBytes: (loaded: number) => void;
  /** A download's size, once known (before the first byte). */
  onSize?: (size: number) => void;
}

export interface PutOptions extends TransferOptions {
  /** Bytes per part of a multipart upload. */
  partSize: number;
  /** Parts in flight at once. */
  queueSize: number;
  contentType?: string;
}

export interface PutResult {
  etag?: string;
  version_id?: string;
  /** Parts of a multipart upload; 1 for a single PUT. */
  parts: number;
}

export interface ObjectRef {
  bucket: string;
  key: string;
  version_id?: string;
}

export interface DeleteResult {
  deleted: string[];
  failed: Array<{ key: string; message: string }>;
}

export type PresignMethod = 'GET' | 'PUT';

export interface ObjectStore {
  readonly kind: 's3' | 'local';
  /** Where the objects live, for messages: an endpoint URL or a workspace folder. */
  readonly location: string;
  listBuckets(): Promise<BucketInfo[]>;
  /** False when the bucket was already there (and is ours). */
  createBucket(bucket: string): Promise<{ created: boolean }>;
  deleteBucket(bucket: string): Promise<void>;
  list(bucket: string, options: ListOptions): Promise<ListPage>;
  head(ref: ObjectRef): Promise<ObjectInfo>;
  putFile(bucket: string, key: string, file: string, options: PutOptions): Promise<PutResult>;
  /** Writes the object to `file` (the caller picks a temporary name and renames it). */
  getFile(ref: ObjectRef, file: string, options: TransferOptions): Promise<ObjectInfo>;
  copy(from: ObjectRef, to: ObjectRef): Promise<{ etag?: string; version_id?: string }>;
  deleteObjects(
    bucket: string,
    refs: ReadonlyArray<{ key: string; version_id?: string }>,
  ): Promise<DeleteResult>;
  presign(ref: ObjectRef, method: PresignMethod, expiresIn: number): Promise<string>;
  getVersioning(bucket: string): Promise<'enabled' | 'suspended' | 'off'>;
  setVersioning(bucket: string, enabled: boolean): Promise<void>;
  listVersions(
    bucket: string,
    options: { prefix?: string; keyMarker?: string; versionIdMarker?: string; maxKeys: number },
  ): Promise<VersionPage>;
}

/** The store for this context's profile: S3 when configured, else the workspace lake folder. */
export async function openStore(ctx: ToolContext): Promise<ObjectStore> {
  if (ctx.config.s3) {
    const { createS3Store } = await import('./s3-store.js');
    return createS3Store(ctx);
  }
  const { createLocalStore } = await import('./local-store.js');
  return createLocalStore(ctx);
}
