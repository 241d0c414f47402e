/**
 * The HTTP call every REST client (Nessie, MLflow, Airflow, Dremio…) makes, and what a fetch that
 * threw (no HTTP answer at all) becomes: a ToolError that names the service, says what went wrong
 * in words (refused, unknown host, cut off, too slow) and what to do next.
 */
import { ToolError } from './errors.js';

export interface FetchFailureContext {
  /** `Nessie`, `MLflow at`: the message starts with `${service} at ${base}`. */
  service: string;
  base: string;
  timeoutMs: number;
  /** The caller's signal: when it fired, this is a cancellation, not a failure. */
  callerSignal?: AbortSignal | undefined;
  /** What to do when the server is too slow. */
  timeoutHint: string;
  /** What to do when it cannot be reached. */
  unreachableHint: string;
  /** Some clients report a slow server as `unavailable` (retry later), others as `timeout`. */
  timeoutCode?: 'timeout' | 'unavailable';
}

export function fetchFailure(error: unknown, context: FetchFailureContext): ToolError {
  if (context.callerSignal?.aborted) return new ToolError('aborted', 'Cancelled', { cause: error });
  const where = `${context.service} at ${context.base}`;
  const name = (error as { name?: string }).name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new ToolError(
      context.timeoutCode ?? 'timeout',
      `${where} did not answer within ${context.timeoutMs / 1000} s`,
      { cause: error, hint: context.timeoutHint },
    );
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code;
  const what =
    code === 'ECONNREFUSED'
      ? 'refused the connection: is it running?'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'cannot be resolved: is the host name right?'
        : code === 'ECONNRESET' || code === 'UND_ERR_SOCKET'
          ? 'closed the connection mid-call: did it stop?'
          : `cannot be reached (${code ?? cause?.message ?? (error as Error).message})`;
  return new ToolError('unavailable', `${where} ${what}`, { cause: error, hint: context.unreachableHint });
}

export type QueryValue = string | number | boolean | readonly string[] | undefined;

export interface ServiceCall {
  method: string;
  /** The full URL, without the query. */
  url: string;
  /** Undefined values are left out; an array repeats the parameter (`?state=a&state=b`). */
  query?: Record<string, QueryValue> | undefined;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is (an artifact upload), with its content type. */
  bytes?: { content: Uint8Array; type: string };
  authorization?: string | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * One HTTP call of a REST client: the query, JSON headers, the client's timeout joined with the
 * caller's signal, and a failed fetch turned into a ToolError (see fetchFailure). Any HTTP answer
 * comes back as status and text, for the client to read its own error format.
 */
export async function callService(
  call: ServiceCall,
  failure: Omit<FetchFailureContext, 'callerSignal'>,
): Promise<{ status: number; ok: boolean; text: string }> {
  const url = new URL(call.url);
  for (const [name, value] of Object.entries(call.query ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value))
      for (const item of value as readonly string[]) url.searchParams.append(name, item);
    else url.searchParams.set(name, String(value));
  }
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (call.authorization) headers.Authorization = call.authorization;
  const init: RequestInit = { method: call.method, headers };
  if (call.bytes) {
    headers['Content-Type'] = call.bytes.type;
    init.body = call.bytes.content;
  } else if (call.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(call.json);
  }
  const timeout = AbortSignal.timeout(failure.timeoutMs);
  init.signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
  try {
    const response = await fetch(url, init);
    return { status: response.status, ok: response.ok, text: await response.text() };
  } catch (error) {
    throw fetchFailure(error, { ...failure, callerSignal: call.signal });
  }
}
