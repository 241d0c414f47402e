/**
 * What a destructive tool read to ask its question, handed on to `run`: the write is then pinned
 * at exactly what the user approved. invokeTool passes the same parsed input object to
 * `confirmSummary` and `run`, so that object is the key. Without a question (`--yes`, dry runs)
 * `run` reads afresh.
 */
import type { ToolContext } from '../core/types.js';

type Entry<T> = { value: T } | { error: unknown };

export class Prepared<I extends object, T> {
  private readonly entries = new WeakMap<I, Entry<T>>();

  constructor(private readonly prepare: (input: I, ctx: ToolContext) => Promise<T>) {}

  /**
   * The confirmation sentence. It never throws (the caller does not catch): a failure is kept
   * and thrown by `take` in `run`, and the question says the step cannot go ahead.
   */
  async summary(input: I, ctx: ToolContext, describe: (value: T) => string, what: string): Promise<string> {
    try {
      const value = await this.prepare(input, ctx);
      this.entries.set(input, { value });
      return describe(value);
    } catch (error) {
      this.entries.set(input, { error });
      return `${what}: this will fail (${error instanceof Error ? error.message : String(error)})`;
    }
  }

  /** What `summary` read for this input, or a fresh read (by `fresh` when given). */
  async take(input: I, ctx: ToolContext, fresh = this.prepare): Promise<T> {
    const entry = this.entries.get(input);
    this.entries.delete(input);
    if (!entry) return fresh(input, ctx);
    if ('error' in entry) throw entry.error;
    return entry.value;
  }
}
