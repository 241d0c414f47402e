/**
 * A child process with its output collected line by line, stopped when the call is aborted:
 * SIGTERM first (the Python helper cleans up staged files on it), SIGKILL if it lingers.
 */
import { spawn } from 'node:child_process';
import { ToolError } from '../core/errors.js';

export interface ChildResult {
  code: number | null;
  stdout: string;
  /** The last lines of stderr that were not handled by onStderrLine. */
  stderrTail: string[];
}

export interface ChildOptions {
  signal: AbortSignal;
  input?: string;
  /** Called per stderr line; return true when the line was consumed (progress), so it is not kept. */
  onStderrLine?: (line: string) => boolean;
  env?: NodeJS.ProcessEnv;
  killGraceMs?: number;
}

const TAIL_LINES = 30;

export function runChild(
  command: string,
  args: readonly string[],
  options: ChildOptions,
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    if (options.signal.aborted) {
      reject(new ToolError('aborted', 'Cancelled'));
      return;
    }
    const child = spawn(command, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.env ? { env: options.env } : {}),
    });
    let stdout = '';
    let partial = '';
    const tail: string[] = [];
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), options.killGraceMs ?? 10_000);
    };
    options.signal.addEventListener('abort', onAbort, { once: true });

    const takeLine = (line: string) => {
      if (line === '' || options.onStderrLine?.(line)) return;
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      lines.forEach(takeLine);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      options.signal.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.on('close', (code) => {
      options.signal.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      takeLine(partial);
      if (options.signal.aborted) reject(new ToolError('aborted', 'Cancelled'));
      else resolve({ code, stdout, stderrTail: tail });
    });
    // A child that exits before reading stdin must not crash us with EPIPE.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}
