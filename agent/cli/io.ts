/**
 * The terminal streams, the environment and the exit codes of the CLI, in one place so that tests
 * can run `main` in-process with their own writers, and every command fails the same way.
 */
import type { ToolErrorCode } from '../../tools/core/errors.js';

export interface Writer {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CliIO {
  stdout: Writer;
  stderr: Writer;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

let pipeGuarded = false;

/** The real streams. Only the bin uses them; tests hand `main` their own. */
export function processIO(): CliIO {
  if (!pipeGuarded) {
    pipeGuarded = true;
    // `datastack … | head` closes the pipe early: that is the reader's choice, not a crash.
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

/** Documented in `datastack --help`; scripts branch on them. */
export const EXIT = {
  ok: 0,
  /** A tool, a check or a service failed, or a destructive call was not approved. */
  failure: 1,
  /** Unknown command or flag, a bad value, a missing argument, a config that does not load. */
  usage: 2,
  /** Ctrl-C. */
  interrupted: 130,
} as const;

export const EXIT_CODES_HELP = `Exit codes:
  0    success
  1    the tool, check or service failed, or a destructive call was not approved
  2    usage error: unknown command or flag, invalid or missing argument, bad configuration
  3    chat / ask: no Anthropic API key configured
  130  interrupted (Ctrl-C)`;

/** What every failure is reduced to before it is printed: the shape of ToolError.toJSON(). */
export interface CliError {
  code: ToolErrorCode | 'usage';
  message: string;
  hint?: string;
  recoverable?: boolean;
}

export function exitCodeFor(code: CliError['code']): number {
  // As in chat and ask (agent/setup.ts): a config that does not load is the caller's to fix.
  if (code === 'usage' || code === 'invalid_input' || code === 'config') return EXIT.usage;
  if (code === 'aborted') return EXIT.interrupted;
  return EXIT.failure;
}

/**
 * One `error:` line (and a `hint:` line) on stderr; with --json also `{"error": …}` on stdout so a
 * script reading stdout always gets JSON.
 */
export function reportError(io: CliIO, error: CliError, json: boolean, debugStack?: string): number {
  const message = error.message.replace(/^error:\s*/i, '');
  io.stderr.write(`error: ${oneLine(message)}\n`);
  if (error.hint) io.stderr.write(`hint: ${error.hint}\n`);
  if (debugStack && io.env.DATASTACK_DEBUG === '1') io.stderr.write(`${debugStack}\n`);
  if (json) io.stdout.write(`${JSON.stringify({ error: { ...error, message } })}\n`);
  return exitCodeFor(error.code);
}

/** The program-wide flags, as commander parses them (`--read-only` → readOnly). */
export interface CliGlobals {
  profile?: string;
  cwd?: string;
  json?: boolean;
  yes?: boolean;
  readOnly?: boolean;
}

/** Tables fit a terminal (a pty may report 0 columns); piped output is never cut (scripts use --json). */
export function outputWidth(io: CliIO): number {
  return io.stdout.isTTY ? io.stdout.columns || 100 : Number.POSITIVE_INFINITY;
}

/** Engines answer in several lines (DuckDB adds `LINE 1:` and a caret); stderr gets one. */
function oneLine(message: string): string {
  return message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^\^+$/.test(line))
    .join(' ');
}
