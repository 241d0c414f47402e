/**
 * The DVC remote a push, pull or status talks to: its name, URL and S3 endpoint from DVC's own
 * config, and a quick probe of the endpoint first. DVC retries an unreachable endpoint for many
 * seconds and then reports "unexpected error"; the probe fails in one with the endpoint named.
 */
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import { DvcFailed, lastLines, runDvc } from './dvc.js';

export interface RemoteInfo {
  name: string;
  url: string;
  endpoint?: string;
}

const PROBE_TIMEOUT_MS = 3_000;

async function configValue(ctx: ToolContext, key: string): Promise<string | undefined> {
  try {
    const value = (await runDvc(ctx, ['config', key])).stdout.trim();
    return value || undefined;
  } catch {
    return undefined;
  }
}

/** The named remote, or the default one; undefined when the project has none. */
export async function findRemote(ctx: ToolContext, name?: string): Promise<RemoteInfo | undefined> {
  const chosen = name ?? (await configValue(ctx, 'core.remote'));
  if (!chosen) return undefined;
  const url = await configValue(ctx, `remote.${chosen}.url`);
  if (!url) return undefined;
  const endpoint = await configValue(ctx, `remote.${chosen}.endpointurl`);
  return { name: chosen, url, ...(endpoint ? { endpoint } : {}) };
}

export async function requireRemote(ctx: ToolContext, name?: string): Promise<RemoteInfo> {
  const remote = await findRemote(ctx, name);
  if (remote) return remote;
  throw new ToolError(
    'config',
    name ? `There is no DVC remote named ${name}` : 'No default DVC remote is set',
    {
      hint: 'Add one on the profile’s S3: `datastack data remote s3://BUCKET/dvc` (the bucket must exist: `datastack s3 create-bucket BUCKET`)',
      recoverable: true,
    },
  );
}

export function unreachable(remote: RemoteInfo, reason: string, cause?: unknown): ToolError {
  const where = remote.endpoint ?? remote.url;
  return new ToolError(
    'unavailable',
    `The DVC remote ${remote.name} (${remote.url}) at ${where} is unreachable: ${reason}`,
    {
      ...(cause ? { cause } : {}),
      hint: 'Is the S3 server running? `datastack stack up s3` starts the local one; `datastack data remote URL --endpoint …` points the remote elsewhere',
    },
  );
}

/** Any HTTP answer will do: S3 answers an anonymous GET with 403 or a listing. */
export async function probeRemote(remote: RemoteInfo, ctx: ToolContext): Promise<void> {
  if (!remote.endpoint) return;
  const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(PROBE_TIMEOUT_MS)]);
  try {
    const response = await fetch(remote.endpoint, { method: 'HEAD', signal });
    await response.body?.cancel();
  } catch (error) {
    if (ctx.signal.aborted) throw new ToolError('aborted', 'Cancelled', { cause: error });
    const cause = (error as { cause?: { code?: string } }).cause;
    throw unreachable(remote, cause?.code ?? (error as Error).message, error);
  }
}

/** A failed push/pull/status against the remote, as an error that says which part failed. */
export function remoteError(error: unknown, remote: RemoteInfo, what: string): ToolError {
  if (error instanceof ToolError) return error;
  if (!(error instanceof DvcFailed))
    return new ToolError('internal', `${what}: ${String(error)}`, { cause: error });
  const text = lastLines(error.stderr || error.stdout, 6).replace(/^ERROR: (unexpected error - )?/gm, '');
  if (/Could not connect|Connection refused|EndpointConnectionError/i.test(text)) {
    return unreachable(remote, text.split('\n')[0] ?? '', error);
  }
  if (/locate credentials|AccessDenied|InvalidAccessKeyId|SignatureDoesNotMatch|Forbidden/i.test(text)) {
    return new ToolError(
      'unauthorized',
      `${what}: the remote ${remote.name} refused the credentials: ${text}`,
      {
        cause: error,
        hint: 'Write the profile’s keys again with `datastack data remote URL` (they go to .dvc/config.local)',
        recoverable: true,
      },
    );
  }
  if (/NoSuchBucket|bucket does not exist/i.test(text)) {
    return new ToolError('not_found', `${what}: the bucket of ${remote.url} does not exist`, {
      cause: error,
      hint: 'Create it with `datastack s3 create-bucket BUCKET`',
    });
  }
  return new ToolError('unavailable', `${what}: ${text}`, { cause: error, hint: 'Read DVC’s message above' });
}
