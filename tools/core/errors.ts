/**
 * Expected failures of a tool. Every face turns a ToolError into something a person or the
 * model can act on: the CLI prints `error: message` and the hint, MCP and the agent return an
 * `isError` result. Anything else thrown by a tool is a bug and is reported as `internal`.
 */

export type ToolErrorCode =
  | 'invalid_input' // arguments do not match the schema, or a value is out of range
  | 'not_found' // a file, table, run, branch... that does not exist
  | 'conflict' // someone else changed the thing since it was read
  | 'refused' // the user (or policy) declined a destructive call
  | 'read_only' // a write attempted in read-only mode
  | 'outside_workspace' // a path escapes the workspace root
  | 'unavailable' // a service is down or unreachable
  | 'timeout'
  | 'aborted' // Ctrl-C or an abort signal
  | 'unauthorized'
  | 'config' // the configuration is missing or wrong
  | 'query_error' // the engine rejected the query
  | 'internal';

/** Recoverable errors are worth another try with different input; fatal ones are not. */
const FATAL_CODES: ReadonlySet<ToolErrorCode> = new Set(['internal', 'config', 'unauthorized', 'aborted']);

export interface ToolErrorOptions {
  hint?: string;
  cause?: unknown;
  recoverable?: boolean;
}

export class ToolError extends Error {
  override readonly name = 'ToolError';
  readonly code: ToolErrorCode;
  readonly hint: string | undefined;
  readonly recoverable: boolean;

  constructor(code: ToolErrorCode, message: string, options: ToolErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.recoverable = options.recoverable ?? !FATAL_CODES.has(code);
  }

  /** One line for stderr or a model: "message (hint)". */
  toLine(): string {
    return this.hint ? `${this.message}. ${this.hint}` : this.message;
  }

  toJSON(): { code: ToolErrorCode; message: string; hint?: string; recoverable: boolean } {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint ? { hint: this.hint } : {}),
      recoverable: this.recoverable,
    };
  }
}

export function isToolError(error: unknown): error is ToolError {
  return error instanceof ToolError;
}

/** Wraps an unknown failure; keeps ToolErrors, names aborts, and marks the rest internal. */
export function toToolError(error: unknown): ToolError {
  if (error instanceof ToolError) return error;
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'APIUserAbortError')) {
    return new ToolError('aborted', 'Cancelled', { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ToolError('internal', message, {
    cause: error,
    hint: 'This looks like a bug in DataStack; rerun with DATASTACK_DEBUG=1 for the stack trace',
  });
}
