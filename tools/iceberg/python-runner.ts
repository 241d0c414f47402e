/**
 * Runs tools/iceberg/python/iceberg_io.py (pyiceberg) in the shared venv: one JSON request on
 * stdin (it carries the S3 keys, so they never show in a process list), one JSON answer on
 * stdout, progress lines on stderr. The catalog is opened the way Nessie documents for
 * pyiceberg: the branch goes into the URI (`…/iceberg/dev`), since pyiceberg ignores `prefix`.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ToolError, type ToolErrorCode } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import { runChild } from './child.js';
import { STATUS_HINT } from './errors.js';
import { parseJsonLossless } from './json.js';
import { ensurePyiceberg } from './python-env.js';
import { catalogSettings, refSegment } from './rest-client.js';

const CODES: ReadonlySet<string> = new Set<ToolErrorCode>([
  'invalid_input',
  'not_found',
  'conflict',
  'unavailable',
  'unauthorized',
  'aborted',
  'timeout',
  'internal',
]);

const HINTS: Partial<Record<ToolErrorCode, string>> = {
  unavailable: STATUS_HINT,
  conflict: 'Another writer committed first and nothing of this write was kept; run it again',
  invalid_input:
    'Compare the file with the table: `datastack iceberg describe-table TABLE` and `datastack query describe FILE`',
  not_found: 'See the tables with `datastack iceberg list-tables NAMESPACE`',
  unauthorized: 'Check iceberg.token and the s3 keys in the profile',
};

/** Where the script lives: beside this module when run from source, in the repo's tools/ from dist/. */
function scriptPath(): string {
  const candidates = [
    new URL('./python/iceberg_io.py', import.meta.url),
    new URL('../../../tools/iceberg/python/iceberg_io.py', import.meta.url),
  ].map((url) => fileURLToPath(url));
  const found = candidates.find((path) => existsSync(path));
  if (!found)
    throw new ToolError('internal', `iceberg_io.py is missing (looked in ${candidates.join(', ')})`);
  return found;
}

/**
 * pyiceberg catalog properties for a branch (`ref`, optionally pinned as `ref@hash`), with the
 * profile's S3 settings. The catalog's own overrides (Nessie sends its S3 endpoint) still win.
 */
export function pyicebergCatalog(ctx: ToolContext, ref?: string): { properties: Record<string, string> } {
  const settings = catalogSettings(ctx);
  const properties: Record<string, string> = {
    uri: ref ? `${settings.url}/${refSegment(ref)}` : settings.url,
  };
  if (settings.warehouse) properties.warehouse = settings.warehouse;
  if (settings.token) properties.token = settings.token;
  const s3 = ctx.config.s3;
  if (s3) {
    if (s3.endpoint) properties['s3.endpoint'] = s3.endpoint;
    if (s3.region) properties['s3.region'] = s3.region;
    if (s3.access_key_id) properties['s3.access-key-id'] = s3.access_key_id;
    if (s3.secret_access_key) properties['s3.secret-access-key'] = s3.secret_access_key;
    properties['s3.force-virtual-addressing'] = s3.force_path_style ? 'false' : 'true';
  }
  return { properties };
}

interface Answer {
  ok: boolean;
  error?: { kind?: string; message?: string };
  [key: string]: unknown;
}

export async function runIcebergIo<T>(ctx: ToolContext, request: Record<string, unknown>): Promise<T> {
  const python = await ensurePyiceberg(ctx);
  const result = await runChild(python, [scriptPath()], {
    signal: ctx.signal,
    input: JSON.stringify(request),
    onStderrLine(line) {
      if (line.startsWith('{"progress"')) {
        try {
          const { progress } = JSON.parse(line) as {
            progress: { done: number; total?: number; message?: string };
          };
          ctx.progress(progress);
          return true;
        } catch {
          // not a progress line after all: log it
        }
      }
      ctx.log.debug(`iceberg_io: ${line}`);
      return false;
    },
  });
  let answer: Answer;
  try {
    answer = parseJsonLossless(result.stdout) as Answer;
  } catch {
    throw new ToolError(
      'internal',
      `The pyiceberg helper failed (exit ${result.code}): ${result.stderrTail.slice(-5).join(' | ')}`,
      {
        hint: 'Rerun with DATASTACK_DEBUG=1 to see its output',
      },
    );
  }
  if (!answer.ok) {
    const kind = answer.error?.kind ?? 'internal';
    const code = (CODES.has(kind) ? kind : 'internal') as ToolErrorCode;
    const hint = HINTS[code];
    throw new ToolError(code, answer.error?.message ?? 'pyiceberg failed', hint ? { hint } : {});
  }
  return answer as T;
}
