/**
 * Large results go to files under `.datastack/results/` in the workspace; the tool returns the path
 * and a summary. Names carry a timestamp so results never overwrite each other.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface ResultSink {
  readonly dir: string;
  /** A fresh absolute path `<dir>/<stem>-<stamp>.<ext>`; the folder exists when this returns. */
  allocate(stem: string, ext: string): string;
}

export function createResultSink(workspaceRoot: string): ResultSink {
  const dir = join(workspaceRoot, '.datastack', 'results');
  let counter = 0;
  return {
    dir,
    allocate(stem: string, ext: string): string {
      mkdirSync(dir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
      const safeStem = stem.replace(/[^a-zA-Z0-9_-]+/g, '-').slice(0, 40) || 'result';
      counter += 1;
      return join(dir, `${safeStem}-${stamp}-${process.pid}-${counter}.${ext.replace(/^\./, '')}`);
    },
  };
}
