/**
 * A fetch that threw (no HTTP answer at all), as a ToolError that names the service, says what
 * went wrong in words (refused, unknown host, cut off, too slow) and what to do next. Every REST
 * client (Nessie, MLflow, Airflow, Dremio…) reports its network failures through this.
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
