import type { AnyTool } from '../core/types.js';
import { s3CopyObject } from './copy-object.js';
import { s3CreateBucket } from './create-bucket.js';
import { s3DeleteBucket } from './delete-bucket.js';
import { s3DeleteObjects } from './delete-objects.js';
import { s3Download } from './download-object.js';
import { s3HeadObject } from './head-object.js';
import { s3ListBuckets } from './list-buckets.js';
import { s3ListObjectVersions } from './list-object-versions.js';
import { s3ListObjects } from './list-objects.js';
import { s3Presign } from './presign-url.js';
import { s3SetVersioning } from './set-versioning.js';
import { s3Upload } from './upload-files.js';

export const s3Tools: readonly AnyTool[] = [
  s3ListBuckets,
  s3ListObjects,
  s3HeadObject,
  s3Upload,
  s3Download,
  s3CopyObject,
  s3Presign,
  s3CreateBucket,
  s3SetVersioning,
  s3ListObjectVersions,
  s3DeleteObjects,
  s3DeleteBucket,
];
