/**
 * Progress on stderr: a bar when a tool knows its total, a spinner when it does not. Only on a
 * terminal: piped stderr (CI logs, scripts) gets nothing, since `\r` redraws make unreadable logs.
 * Chat reuses `startSpinner` for tool calls.
 */
import type { ProgressReporter, ProgressUpdate } from '../../tools/core/types.js';
import type { Writer } from './io.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const BAR_WIDTH = 20;
/** Redraws faster than this only burn CPU on a fast tool. */
const MIN_REDRAW_MS = 80;

export interface ProgressRenderer {
  report: ProgressReporter;
  /** Clears the line; call before printing anything else on the terminal. */
  stop(): void;
}

export interface Spinner {
  update(label: string): void;
  /** Clears the spinner and prints `finalLine` in its place, when given. */
  stop(finalLine?: string): void;
}

export function startSpinner(stream: Writer, label: string, now: () => number = Date.now): Spinner {
  if (!stream.isTTY) {
    // No animation off a terminal, but the final line (a tool's outcome in chat) still belongs in the log.
    return {
      update() {},
      stop(finalLine) {
        if (finalLine) stream.write(`${finalLine}\n`);
      },
    };
  }
  let text = label;
  let frame = 0;
  const started = now();
  const draw = () => {
    const seconds = Math.floor((now() - started) / 1000);
    stream.write(
      `\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${fit(stream, `${text}${seconds >= 2 ? ` ${seconds}s` : ''}`)}`,
    );
  };
  draw();
  const timer = setInterval(draw, 100);
  // A spinner must never keep the process alive on its own.
  timer.unref();
  return {
    update(next) {
      text = next;
    },
    stop(finalLine) {
      clearInterval(timer);
      stream.write('\r\x1b[2K');
      if (finalLine) stream.write(`${finalLine}\n`);
    },
  };
}

export function createProgressRenderer(stream: Writer, now: () => number = Date.now): ProgressRenderer {
  if (!stream.isTTY) return { report: () => {}, stop: () => {} };
  let lastDraw = 0;
  let drawn = false;
  let frame = 0;
  return {
    report(update: ProgressUpdate) {
      const t = now();
      const finished = update.total !== undefined && update.done >= update.total;
      if (!finished && t - lastDraw < MIN_REDRAW_MS) return;
      lastDraw = t;
      drawn = true;
      stream.write(`\r\x1b[2K${fit(stream, progressLine(update, FRAMES[frame++ % FRAMES.length] ?? '-'))}`);
    },
    stop() {
      if (drawn) stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}

/** `[██████──────] 42% 4,200/10,000 reading rows`, or a spinner frame and a count. */
export function progressLine(update: ProgressUpdate, spinnerFrame: string): string {
  const message = update.message ? ` ${update.message}` : '';
  if (update.total && update.total > 0) {
    const ratio = Math.min(1, Math.max(0, update.done / update.total));
    const filled = Math.round(ratio * BAR_WIDTH);
    const bar = `${'█'.repeat(filled)}${'─'.repeat(BAR_WIDTH - filled)}`;
    return `[${bar}] ${Math.floor(ratio * 100)}% ${count(update.done)}/${count(update.total)}${message}`;
  }
  return `${spinnerFrame} ${count(update.done)}${message}`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function fit(stream: Writer, text: string): string {
  const width = (stream.columns || 80) - 1;
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}
