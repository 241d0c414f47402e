/**
 * Bucket and key rules, checked by zod before any call, so a bad name is `invalid_input` with the
 * rule it breaks instead of a round trip and an opaque 400. New buckets follow today's S3 naming
 * rules; existing ones may be legacy names (uppercase, underscores), so lookups are more lenient.
 */
import { z } from 'zod';

/** Why `name` cannot be a new bucket, or undefined when it can. */
export function newBucketNameProblem(name: string): string | undefined {
  const lenient = bucketNameProblem(name);
  if (lenient) return lenient;
  if (name.length < 3 || name.length > 63) return 'must be 3 to 63 characters long';
  if (!/^[a-z0-9.-]+$/.test(name)) return 'may hold only lowercase letters, digits, dots and hyphens';
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return 'must start and end with a letter or a digit';
  if (name.includes('..')) return 'may not hold two dots in a row';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return 'may not look like an IP address';
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name) || /(-s3alias|--ol-s3|\.mrap|--x-s3)$/.test(name)) {
    return 'uses a prefix or suffix S3 reserves (xn--, sthree-, -s3alias, --ol-s3, --x-s3)';
  }
  return undefined;
}

/** Why `name` cannot be any bucket (legacy ones included), or undefined when it can. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.includes('/')) return "holds a '/': give the bucket alone and the key (or prefix) separately";
  if (name.length > 255) return 'is longer than 255 characters';
  if (!/^[A-Za-z0-9._-]+$/.test(name)) return 'may hold only letters, digits, dots, hyphens and underscores';
  if (/^\.+$/.test(name)) return 'cannot be only dots';
  return undefined;
}

/** Why `key` cannot be an object key, or undefined when it can. */
export function keyProblem(key: string): string | undefined {
  if (key.length === 0) return 'is empty';
  if (Buffer.byteLength(key, 'utf8') > 1024) return 'is longer than 1024 bytes';
  if (key.includes('\0')) return 'holds a NUL character';
  return undefined;
}

function checked(problem: (value: string) => string | undefined, what: string) {
  return z.string().superRefine((value, ctx) => {
    const reason = problem(value);
    if (reason) ctx.addIssue({ code: 'custom', message: `${what} "${value.slice(0, 80)}" ${reason}` });
  });
}

/** An existing bucket's name, undescribed (for wrappers such as `.optional()` to describe). */
export const bucketName = () => checked(bucketNameProblem, 'Bucket name');

/** An existing bucket's name. */
export const bucketField = (description = 'Bucket name') => bucketName().describe(description);

/** The name of a bucket to create: S3's naming rules. */
export const newBucketField = (description: string) =>
  checked(newBucketNameProblem, 'Bucket name').describe(description);

export const keyField = (description = 'Object key, e.g. raw/sales.csv') =>
  checked(keyProblem, 'Key').describe(description);

/** The key an uploaded file gets under `prefix`: folder-relative path with `/` separators. */
export function joinKey(prefix: string, relativePath: string): string {
  const rel = relativePath
    .split(/[\\/]+/)
    .filter(Boolean)
    .join('/');
  if (!prefix) return rel;
  return prefix.endsWith('/') ? `${prefix}${rel}` : `${prefix}/${rel}`;
}
