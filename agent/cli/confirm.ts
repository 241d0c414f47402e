/**
 * The y/N gate before a destructive call. The question goes to stderr so stdout stays clean for
 * results; the default is No, so Enter or Ctrl-D never destroys anything.
 */
import { createInterface } from 'node:readline/promises';
import type { ConfirmGate } from '../../tools/core/types.js';
import type { CliIO } from './io.js';

/** Whether a person can answer: both the keyboard (stdin) and the prompt (stderr) are a terminal. */
export function canAsk(io: Pick<CliIO, 'stdin' | 'stderr'>): boolean {
  return Boolean(io.stdin.isTTY && io.stderr.isTTY);
}

export async function askYesNo(io: Pick<CliIO, 'stdin' | 'stderr'>, question: string): Promise<boolean> {
  const rl = createInterface({
    input: io.stdin,
    output: io.stderr as NodeJS.WritableStream,
    terminal: Boolean(io.stdin.isTTY),
  });
  // Ctrl-D closes the interface without an answer, and so does Ctrl-C: both are a No.
  const closed = new Promise<string>((resolve) => rl.once('close', () => resolve('')));
  rl.once('SIGINT', () => rl.close());
  try {
    const answer = await Promise.race([rl.question(`${question} [y/N] `), closed]);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

export interface TtyConfirmState {
  /** Set when a destructive call was declined because nobody could be asked. */
  refusedWithoutTty: boolean;
}

/**
 * The CLI's ConfirmGate: asks on a terminal; elsewhere declines and records why, so the error can
 * say "pass --yes" instead of "you declined".
 */
export function createCliConfirm(io: Pick<CliIO, 'stdin' | 'stderr'>, state: TtyConfirmState): ConfirmGate {
  return async (request) => {
    if (!canAsk(io)) {
      state.refusedWithoutTty = true;
      return false;
    }
    return askYesNo(io, `${request.summary}. Run ${request.tool}?`);
  };
}
