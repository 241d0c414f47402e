/**
 * Iceberg REST failures → ToolErrors a person or the model can act on. The catalog answers with
 * `{error: {message, type, code}}` (IcebergErrorResponse); Nessie adds NoSuchReferenceException
 * (HTTP 400) for a branch that does not exist.
 */
import { ToolError, type ToolErrorCode } from '../core/errors.js';

export const STATUS_HINT =
  'Is it running? Check with `datastack stack status` (start it with `datastack stack up`)';
const NAMESPACES_HINT = 'See the namespaces with `datastack iceberg list-namespaces`';
const BRANCH_HINT = 'Create the branch first (`datastack nessie create-branch`), or pick an existing one';

interface ErrorPlace {
  /** The catalog's base URL. */
  url: string;
  /** What was asked for, e.g. `table lake.weather`. */
  what: string;
  ref: string | undefined;
}

interface IcebergErrorBody {
  error?: { message?: string; type?: string; code?: number };
}

export function catalogError(status: number, body: unknown, place: ErrorPlace): ToolError {
  const detail = (body as IcebergErrorBody | undefined)?.error;
  const type = detail?.type ?? '';
  const said = detail?.message ?? (typeof body === 'string' ? body.slice(0, 300) : `HTTP ${status}`);
  const on = place.ref ? ` on ${place.ref}` : '';

  if (type === 'NoSuchReferenceException' || /Named reference '.*' not found/.test(said)) {
    return new ToolError('not_found', `Branch or tag ${place.ref ?? ''} does not exist in Nessie (${said})`, {
      hint: BRANCH_HINT,
    });
  }
  if (status === 404 || type.startsWith('NoSuch')) {
    const hint =
      type === 'NoSuchNamespaceException' || /namespace/i.test(said)
        ? NAMESPACES_HINT
        : `See the tables with \`datastack iceberg list-tables NAMESPACE${place.ref ? ` --ref ${place.ref}` : ''}\``;
    return new ToolError('not_found', `${capital(place.what)} not found${on}: ${said}`, { hint });
  }
  if (status === 409) {
    if (type === 'NamespaceNotEmptyException' || /not empty/i.test(said)) {
      return new ToolError('conflict', `${capital(place.what)} is not empty${on}: ${said}`, {
        hint: 'Drop its tables first (`datastack iceberg drop-table`)',
      });
    }
    if (type === 'AlreadyExistsException' || /already exists/i.test(said)) {
      return new ToolError('conflict', `${capital(place.what)} already exists${on}`, {
        hint: 'Pick another name, or use the existing one',
      });
    }
    return new ToolError('conflict', `${capital(place.what)} changed concurrently${on}: ${said}`, {
      hint: 'Read it again and retry',
    });
  }
  if (status === 401 || status === 403) {
    return new ToolError(
      'unauthorized',
      `The catalog at ${place.url} refused access to ${place.what}: ${said}`,
      {
        hint: 'Set iceberg.token in datastack.yaml (or the profile) to a valid bearer token',
      },
    );
  }
  if (/Warehouse '.*' is not known/.test(said)) {
    return new ToolError('config', `The catalog at ${place.url} does not know that warehouse: ${said}`, {
      hint: 'Fix iceberg.warehouse in the profile (or remove it to use the default warehouse)',
    });
  }
  // Nessie answers a body it cannot parse with a 500 that says 400.
  if (status === 400 || status === 406 || status === 422 || /^HTTP 400 Bad Request/.test(said)) {
    return new ToolError('invalid_input', `The catalog rejected the request for ${place.what}: ${said}`, {
      hint: 'Check the names and arguments',
    });
  }
  const code: ToolErrorCode = 'unavailable';
  return new ToolError(
    code,
    `The Iceberg catalog at ${place.url} failed on ${place.what} (HTTP ${status}): ${said}`,
    {
      hint: STATUS_HINT,
    },
  );
}

/** fetch() itself failed: refused, reset, DNS, timeout or our own abort. */
export function networkError(error: unknown, url: string, signal: AbortSignal): ToolError {
  if (signal.aborted) return new ToolError('aborted', 'Cancelled', { cause: error });
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') {
    return new ToolError('timeout', `The Iceberg catalog at ${url} did not answer in time`, {
      hint: STATUS_HINT,
      cause: error,
    });
  }
  const code = err.cause?.code ?? '';
  const what =
    code === 'ECONNREFUSED'
      ? 'refused the connection'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'has a host name that does not resolve'
        : `could not be reached (${code || err.cause?.message || err.message || 'network error'})`;
  return new ToolError('unavailable', `The Iceberg catalog at ${url} ${what}`, {
    hint: STATUS_HINT,
    cause: error,
  });
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
