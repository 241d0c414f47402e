/**
 * How chat shows tool activity: one line per call with its arguments (compact), a spinner with
 * the progress while calls run, then ✓ or ✗ with the duration. On a non-TTY the spinner is off
 * and only the lines are printed.
 */
import type { AgentEvent } from '../events.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CLEAR_LINE = '\r\x1b[2K';

interface Output {
  write(text: string): unknown;
}

export interface DisplayStyle {
  dim(text: string): string;
  green(text: string): string;
  red(text: string): string;
  cyan(text: string): string;
}

export const ANSI: DisplayStyle = {
  dim: (t) => `\x1b[2m${t}\x1b[22m`,
  green: (t) => `\x1b[32m${t}\x1b[39m`,
  red: (t) => `\x1b[31m${t}\x1b[39m`,
  cyan: (t) => `\x1b[36m${t}\x1b[39m`,
};

export const PLAIN: DisplayStyle = { dim: (t) => t, green: (t) => t, red: (t) => t, cyan: (t) => t };

export class ToolDisplay {
  private readonly running = new Map<string, { name: string; status: string }>();
  private timer: NodeJS.Timeout | undefined;
  private frame = 0;
  private paused = false;

  constructor(
    private readonly out: Output,
    private readonly spinner: boolean,
    private readonly style: DisplayStyle = spinner ? ANSI : PLAIN,
  ) {}

  handle(event: AgentEvent): void {
    if (event.type === 'tool_call') {
      this.running.set(event.id, { name: event.name, status: '' });
      this.line(
        `${this.style.cyan('⏺')} ${event.name}${this.style.dim(`(${formatArgs(event.input, 100)})`)}`,
      );
    } else if (event.type === 'tool_progress') {
      const call = this.running.get(event.id);
      if (call) call.status = formatProgress(event);
    } else if (event.type === 'tool_result') {
      this.running.delete(event.id);
      const took = this.style.dim(formatDuration(event.duration_ms));
      const detail = event.ok
        ? ''
        : `: ${event.error?.message ?? event.text}${event.error?.hint ? `. ${event.error.hint}` : ''}`;
      const mark = event.ok ? this.style.green('✓') : this.style.red('✗');
      this.line(`  ${mark} ${event.name} ${took}${event.ok ? '' : this.style.red(truncate(detail, 300))}`);
    }
    this.updateSpinner();
  }

  /** Hides the spinner while the user answers a question. */
  pause(): void {
    this.paused = true;
    this.clearSpinner();
  }

  resume(): void {
    this.paused = false;
    this.updateSpinner();
  }

  stop(): void {
    this.running.clear();
    this.updateSpinner();
  }

  private line(text: string): void {
    this.clearSpinner();
    this.out.write(`${text}\n`);
    this.drawSpinner();
  }

  private updateSpinner(): void {
    const active = this.spinner && !this.paused && this.running.size > 0;
    if (active && !this.timer) {
      this.timer = setInterval(() => {
        this.frame = (this.frame + 1) % FRAMES.length;
        this.drawSpinner();
      }, 80);
      this.timer.unref();
    } else if (!active && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
      this.clearSpinner();
    }
  }

  private drawSpinner(): void {
    if (!this.timer || this.paused) return;
    const calls = [...this.running.values()];
    const first = calls[0];
    if (!first) return;
    const label = calls.length === 1 ? first.name : `${calls.length} tools`;
    const status = calls.length === 1 && first.status ? ` ${first.status}` : '';
    this.out.write(
      `${CLEAR_LINE}${this.style.cyan(FRAMES[this.frame]!)} running ${label}…${this.style.dim(status)}`,
    );
  }

  private clearSpinner(): void {
    if (this.timer) this.out.write(CLEAR_LINE);
  }
}

/** `sql="select 1", limit=10`: compact, one line, cut at `max`. */
export function formatArgs(input: unknown, max: number): string {
  if (!input || typeof input !== 'object' || Array.isArray(input))
    return truncate(JSON.stringify(input) ?? '', max);
  const parts = Object.entries(input as Record<string, unknown>).map(
    ([key, value]) => `${key}=${JSON.stringify(value)}`,
  );
  return truncate(parts.join(', ').replace(/\s+/g, ' '), max);
}

function formatProgress(event: Extract<AgentEvent, { type: 'tool_progress' }>): string {
  const count = event.total ? `${event.done}/${event.total}` : `${event.done}`;
  return event.message ? `${event.message} (${count})` : count;
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
