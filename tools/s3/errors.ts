/**
 * S3 failures in words a person can act on. Messages name the endpoint, bucket and key, never a
 * credential: known secrets are scrubbed from whatever the server or the SDK said.
 */
import { scrubSecrets } from '../core/config.js';
import { ToolError } from '../core/errors.js';

export interface FaultPlace {
  /** Endpoint URL or lake folder. */
  location: string;
  bucket?: string;
  key?: string;
  /** Values that must never appear in a message (access key id, secret). */
  secrets: readonly string[];
}

export const STATUS_HINT =
  'Is it running? Check with `datastack stack status` (start it with `datastack stack up s3`)';
export const BUCKETS_HINT = 'See the buckets with `datastack s3 list-buckets`';

export function noSuchBucket(place: FaultPlace, cause?: unknown): ToolError {
  return new ToolError('not_found', `Bucket "${place.bucket}" does not exist at ${place.location}`, {
    hint: `${BUCKETS_HINT}, or create it with \`datastack s3 create-bucket ${place.bucket}\``,
    cause,
  });
}

export function noSuchKey(place: FaultPlace, versionId?: string, cause?: unknown): ToolError {
  const version = versionId ? ` (version ${versionId})` : '';
  const parent = place.key?.includes('/') ? place.key.slice(0, place.key.lastIndexOf('/') + 1) : '';
  return new ToolError('not_found', `Object "${place.key}"${version} not found in bucket "${place.bucket}"`, {
    hint: `See what is there with \`datastack s3 list-objects ${place.bucket}${parent ? ` --prefix ${parent}` : ''}\``,
    cause,
  });
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_SOCKET',
]);

interface ErrorLike {
  name?: string;
  code?: string;
  message?: string;
  errors?: unknown[];
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/** The network error code anywhere in an error, its AggregateError members or its causes. */
export function networkCode(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== 'object' || depth > 4) return undefined;
  const e = error as ErrorLike;
  if (e.code && NETWORK_CODES.has(e.code)) return e.code;
  if (e.name === 'TimeoutError') return 'ETIMEDOUT';
  for (const inner of e.errors ?? []) {
    const code = networkCode(inner, depth + 1);
    if (code) return code;
  }
  return networkCode(e.cause, depth + 1);
}

/** Any failure of an S3 call → a ToolError. ToolErrors pass through unchanged. */
export function s3Fault(error: unknown, place: FaultPlace): ToolError {
  if (error instanceof ToolError) return error;
  const e = (error ?? {}) as ErrorLike;
  const name = e.name ?? '';
  const status = e.$metadata?.httpStatusCode;
  const said = scrubSecrets(e.message || name || 'no details', place.secrets);

  if (name === 'AbortError') return new ToolError('aborted', 'Cancelled', { cause: error });
  const net = networkCode(error);
  if (net) {
    const what =
      net === 'ECONNREFUSED'
        ? 'refused the connection'
        : net === 'ETIMEDOUT'
          ? 'did not answer in time'
          : net === 'ENOTFOUND' || net === 'EAI_AGAIN'
            ? 'has a host name that does not resolve'
            : `dropped the connection (${net})`;
    return new ToolError('unavailable', `S3 at ${place.location} ${what}`, {
      hint: STATUS_HINT,
      cause: error,
    });
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(said)) {
    return new ToolError('config', 'No S3 credentials are configured', {
      hint: 'Set s3.access_key_id and s3.secret_access_key in datastack.yaml (or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)',
      cause: error,
    });
  }
  switch (name) {
    case 'NoSuchBucket':
      return noSuchBucket(place, error);
    case 'NoSuchKey':
    case 'NoSuchVersion':
      return noSuchKey(place, undefined, error);
    case 'NotFound':
      return place.key ? noSuchKey(place, undefined, error) : noSuchBucket(place, error);
    case 'BucketAlreadyExists':
      return new ToolError('conflict', `Bucket name "${place.bucket}" is taken by another account`, {
        hint: 'Bucket names are global on AWS: choose another name',
        cause: error,
      });
    case 'BucketNotEmpty':
      return new ToolError('conflict', `Bucket "${place.bucket}" is not empty`, {
        hint: `Delete its objects first (\`datastack s3 delete-objects ${place.bucket} --prefix ""\`), or pass force`,
        cause: error,
      });
    case 'InvalidBucketName':
      return new ToolError('invalid_input', `"${place.bucket}" is not a valid bucket name: ${said}`, {
        cause: error,
      });
    case 'AccessDenied':
    case 'InvalidAccessKeyId':
    case 'SignatureDoesNotMatch':
    case 'ExpiredToken':
    case 'InvalidToken':
    case 'AllAccessDisabled':
      return new ToolError(
        'unauthorized',
        `S3 at ${place.location} refused access${target(place)} (${name})`,
        {
          hint: 'Check s3.access_key_id and s3.secret_access_key (`datastack config show`) and the bucket policy',
          cause: error,
        },
      );
  }
  if (status === 403) {
    return new ToolError('unauthorized', `S3 at ${place.location} refused access${target(place)}`, {
      hint: 'Check the credentials and the bucket policy (`datastack config show`)',
      cause: error,
    });
  }
  if (status !== undefined && status >= 500) {
    return new ToolError('unavailable', `S3 at ${place.location} failed${target(place)}: ${said}`, {
      hint: `Try again; if it persists, ${STATUS_HINT.charAt(0).toLowerCase()}${STATUS_HINT.slice(1)}`,
      cause: error,
    });
  }
  if (status !== undefined && status >= 400) {
    return new ToolError(
      'invalid_input',
      `S3 at ${place.location} rejected the request${target(place)}: ${name}: ${said}`,
      {
        cause: error,
      },
    );
  }
  return new ToolError('internal', `S3 call failed${target(place)}: ${said}`, {
    hint: 'This looks like a bug in DataStack; rerun with DATASTACK_DEBUG=1 for the stack trace',
    cause: error,
  });
}

function target(place: FaultPlace): string {
  if (place.bucket && place.key) return ` to ${place.bucket}/${place.key}`;
  if (place.bucket) return ` to bucket ${place.bucket}`;
  return '';
}
