/**
 * Pieces shared by the transfers of both backends: temporary names for files being written,
 * byte counting, and progress reports thinned out so MCP clients are not flooded.
 */
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import type { ToolContext } from '../core/types.js';

/** Marks a file still being written; listings skip it, a failure removes it. */
export const PARTIAL_MARK = '.datastack-partial-';

/** A sibling temporary name for `path`, renamed onto it once the write is complete. */
export function partialName(path: string): string {
  return join(
    dirname(path),
    `${PARTIAL_MARK}${randomBytes(4).toString('hex')}-${basename(path)}`.slice(0, 250),
  );
}

/** A pass-through stream that reports the bytes seen so far. */
export function byteCounter(onBytes: (loaded: number) => void): Transform {
  let loaded = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      loaded += chunk.length;
      onBytes(loaded);
      done(null, chunk);
    },
  });
}

/** Reports of more than this many per second only cost CPU and notifications. */
const MIN_INTERVAL_MS = 200;

/** A byte-progress reporter for `total` bytes: at most a few reports a second, and always the last. */
export function byteProgress(ctx: ToolContext, total: number, now: () => number = Date.now) {
  let last = 0;
  let reported = -1;
  return (done: number, message?: string) => {
    const t = now();
    if (done !== total && t - last < MIN_INTERVAL_MS) return;
    if (done === reported) return;
    last = t;
    reported = done;
    ctx.progress({ done, total, ...(message ? { message } : {}) });
  };
}
