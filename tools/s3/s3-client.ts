/**
 * The shared S3Client of a run, created on first use from the profile's `s3` section. The AWS SDK
 * is imported here, only when an S3 tool runs: never on the CLI's start-up path.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { BuildMiddleware, MetadataBearer } from '@smithy/types';
import type { ToolContext } from '../core/types.js';

type S3Config = NonNullable<ToolContext['config']['s3']>;

/** Connecting longer than this means the endpoint is not there. */
const CONNECT_TIMEOUT_MS = 5_000;
/** A socket idle this long is dead; generous, since a slow server may take a while per part. */
const IDLE_TIMEOUT_MS = 120_000;

export function s3Location(s3: S3Config): string {
  return s3.endpoint ? s3.endpoint.replace(/\/+$/, '') : `AWS S3 (${s3.region})`;
}

/** Credential values to keep out of every message. */
export function s3Secrets(ctx: ToolContext): string[] {
  const s3 = ctx.config.s3;
  const own = [s3?.access_key_id, s3?.secret_access_key].filter((v): v is string =>
    Boolean(v && v.length >= 4),
  );
  return [...ctx.config.secrets, ...own];
}

export function getS3Client(ctx: ToolContext): Promise<S3Client> {
  const s3 = ctx.config.s3;
  if (!s3) throw new Error('getS3Client called without an s3 section');
  return ctx.clients.get(
    's3',
    async () => {
      // The SDK warns on every run under Node < 22 about its releases after January 2027; Node 20
      // is our floor (package.json engines) and the upgrade is the project's call, not each
      // user's. The SDK reads this switch only from the environment.
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
      const { S3Client: Client } = await import('@aws-sdk/client-s3');
      const client = new Client({
        region: s3.region,
        forcePathStyle: s3.force_path_style,
        maxAttempts: 3,
        // With `Expect: 100-continue` (the SDK's default for bodies over 2 MB) the Node handler
        // opens a fresh, non-keep-alive connection per part and waits a round trip before each
        // body: uploads to a local server ran at less than half speed. A rejected part now costs
        // its bytes on the wire, which is cheap next to that.
        expectContinueHeader: false,
        requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: IDLE_TIMEOUT_MS },
        ...(s3.endpoint
          ? {
              endpoint: s3.endpoint,
              // S3-compatible servers (MinIO, moto, Ceph) differ in their support of the SDK's
              // default CRC checksums; send them only where the API requires them.
              requestChecksumCalculation: 'WHEN_REQUIRED' as const,
              responseChecksumValidation: 'WHEN_REQUIRED' as const,
            }
          : {}),
        ...(s3.access_key_id && s3.secret_access_key
          ? { credentials: { accessKeyId: s3.access_key_id, secretAccessKey: s3.secret_access_key } }
          : {}),
      });
      client.middlewareStack.add(skipPayloadHashWhenChecksummed, {
        step: 'build',
        priority: 'low',
        name: 'datastackSkipPayloadHash',
      });
      return client;
    },
    (client) => client.destroy(),
  );
}

/**
 * A part that carries a CRC32 the server verifies needs no SHA-256 of its body in the signature
 * too (what the SDKs do over HTTPS): hashing every byte again on the event loop cost a fifth of
 * an upload's CPU.
 */
const skipPayloadHashWhenChecksummed: BuildMiddleware<object, MetadataBearer> = (next) => (args) => {
  const request = args.request as { headers?: Record<string, string> };
  if (request.headers?.['x-amz-checksum-crc32'] && !request.headers['x-amz-content-sha256']) {
    request.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
  }
  return next(args);
};
