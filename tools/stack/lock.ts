/**
 * A lock file between processes: two `stack up` runs, or two test workers calling
 * ensureServices, must not pip-install into one venv or start one service twice at once.
 */
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';
import { ToolError } from '../core/errors.js';
import { isAlive } from './processes.js';

export async function withFileLock<T>(
  path: string,
  what: string,
  work: () => Promise<T>,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<T> {
  mkdirSync(dirname(path), { recursive: true });
  const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
  for (;;) {
    if (tryAcquire(path)) break;
    if (options.signal?.aborted) throw new ToolError('aborted', 'Cancelled');
    if (Date.now() > deadline) {
      throw new ToolError('timeout', `Timed out waiting for another process to finish ${what}`, {
        hint: `If no other datastack is running, delete ${path}`,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  try {
    return await work();
  } finally {
    rmSync(path, { force: true });
  }
}

function tryAcquire(path: string): boolean {
  try {
    const fd = openSync(path, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // A holder that died (killed mid-install) leaves its file behind: take it over.
  let holder = Number.NaN;
  try {
    holder = Number(readFileSync(path, 'utf8'));
  } catch {
    return false;
  }
  if (Number.isInteger(holder) && holder > 0 && !isAlive(holder)) rmSync(path, { force: true });
  return false;
}
