/**
 * What DVC-tracked data changed in the workspace since its last `dvc add` (`dvc status --json`:
 * per .dvc file, the outs that are modified, deleted or new), and every .dvc pointer of a git
 * revision with what it records.
 */
import type { ToolContext } from '../core/types.js';
import type { Repo } from '../git/repo.js';
import { dvcError, runDvc } from './dvc.js';
import { parseDvcFile, type DvcOut } from './dvc-file.js';

export interface PendingChange {
  /** Data path as DVC prints it (relative to the workspace root). */
  path: string;
  change: string;
}

export async function uncommittedData(ctx: ToolContext): Promise<PendingChange[]> {
  let stdout: string;
  try {
    ({ stdout } = await runDvc(ctx, ['status', '--json']));
  } catch (error) {
    throw dvcError(error, 'dvc status failed');
  }
  const parsed = JSON.parse(stdout.trim() || '{}') as Record<string, unknown>;
  const changes: PendingChange[] = [];
  for (const [stage, entries] of Object.entries(parsed)) {
    if (!Array.isArray(entries)) continue;
    for (const entry of entries as unknown[]) {
      if (typeof entry === 'string') changes.push({ path: stage, change: entry });
      else if (entry && typeof entry === 'object') {
        for (const group of Object.values(entry as Record<string, unknown>)) {
          if (group && typeof group === 'object') {
            for (const [path, change] of Object.entries(group as Record<string, string>))
              changes.push({ path, change });
          }
        }
      }
    }
  }
  return changes;
}

/** Every out recorded by the .dvc files of `rev` (a commit, tag or branch), by repository path. */
export async function outsAtRevision(repo: Repo, rev: string): Promise<Map<string, DvcOut>> {
  const listing = await repo.git.raw(['ls-tree', '-r', '--name-only', rev]);
  const outs = new Map<string, DvcOut>();
  for (const file of listing.split('\n').filter((f) => f.endsWith('.dvc'))) {
    const text = await repo.git.raw(['show', `${rev}:${file}`]);
    for (const out of (await parseDvcFile(text, file)).outs) outs.set(out.path, out);
  }
  return outs;
}
