import { existsSync, lstatSync, readdirSync, realpathSync, rmdirSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool, type ToolContext } from '../core/types.js';
import { formatBytes, formatCount } from './format.js';

const Input = z.object({
  older_than_days: z
    .number()
    .min(0)
    .optional()
    .describe('Only files last modified more than this many days ago (default: all)'),
  dry_run: z.boolean().default(false).describe('List what would be deleted, delete nothing'),
});

const Output = z.object({
  files: z
    .array(
      z.object({
        path: z.string().describe('Workspace path of the file'),
        bytes: z.number().describe('Size in bytes'),
        modified: z.string().describe('Last modified, ISO 8601'),
      }),
    )
    .describe('The files deleted (or, in a dry run, that would be)'),
  count: z.number().describe('How many files'),
  bytes: z.number().describe('Their total size in bytes'),
  dry_run: z.boolean().describe('True when nothing was deleted'),
});

type ClearInput = z.infer<typeof Input>;
type ClearOutput = z.infer<typeof Output>;

interface ResultFile {
  absolute: string;
  bytes: number;
  modified: Date;
}

const DAY_MS = 86_400_000;

/** Result files under `dir` (recursively, symlinks as files: never followed), oldest filter applied. */
export function findResultFiles(dir: string, olderThanDays?: number, now = Date.now()): ResultFile[] {
  const cutoff = olderThanDays === undefined ? Infinity : now - olderThanDays * DAY_MS;
  const found: ResultFile[] = [];
  const walk = (folder: string) => {
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      return;
    }
    for (const name of names.sort()) {
      const path = join(folder, name);
      const stats = lstatSync(path);
      if (stats.isDirectory()) walk(path);
      else if (stats.mtimeMs < cutoff)
        found.push({ absolute: path, bytes: stats.size, modified: stats.mtime });
    }
  };
  walk(dir);
  return found;
}

/** The sentence shown before deleting; exact counts when the context is at hand. */
export function clearSummary(input: ClearInput, ctx: ToolContext): string {
  const age = input.older_than_days === undefined ? '' : ` older than ${input.older_than_days} days`;
  const files = findResultFiles(ctx.sink.dir, input.older_than_days);
  const bytes = files.reduce((sum, f) => sum + f.bytes, 0);
  return `Delete ${formatCount(files.length)} result file${files.length === 1 ? '' : 's'} (${formatBytes(bytes)}) under ${ctx.workspace.display(ctx.sink.dir)}${age}`;
}

export const queryClearResults = defineTool({
  name: 'query_clear_results',
  title: 'Clear saved results',
  description:
    'Delete result files saved by query_sql save_as (.datastack/results), optionally only those older than N days. dry_run lists them.',
  toolset: 'query',
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: true, idempotent: true, openWorld: false },
  confirmSummary: clearSummary,
  run: clearResults,
  toText: clearText,
});

async function clearResults(input: ClearInput, ctx: ToolContext): Promise<ClearOutput> {
  const dir = ctx.sink.dir;
  assertInsideWorkspace(ctx, dir);
  const files = findResultFiles(dir, input.older_than_days);
  if (!input.dry_run) {
    for (const file of files) {
      if (ctx.signal.aborted) throw new ToolError('aborted', 'Cancelled');
      if (!isInside(dir, file.absolute)) continue;
      await unlink(file.absolute);
    }
    if (existsSync(dir)) removeEmptyFolders(dir);
  }
  return {
    files: files.map((f) => ({
      path: ctx.workspace.display(f.absolute),
      bytes: f.bytes,
      modified: f.modified.toISOString(),
    })),
    count: files.length,
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    dry_run: input.dry_run,
  };
}

/** A results folder that is (or sits under) a link out of the workspace is not ours to empty. */
function assertInsideWorkspace(ctx: ToolContext, dir: string): void {
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    return; // nothing saved yet
  }
  if (!isInside(realpathSync(ctx.workspace.root), real)) {
    throw new ToolError(
      'outside_workspace',
      `The results folder ${dir} leads outside the workspace (${real})`,
      {
        hint: 'Remove the link at .datastack/results; DataStack only deletes inside the workspace',
      },
    );
  }
}

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep);
}

function removeEmptyFolders(dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (!lstatSync(path).isDirectory()) continue;
    removeEmptyFolders(path);
    if (readdirSync(path).length === 0) rmdirSync(path);
  }
}

function clearText(output: ClearOutput): string {
  const what = `${formatCount(output.count)} file${output.count === 1 ? '' : 's'} (${formatBytes(output.bytes)})`;
  const head = output.dry_run ? `Dry run: would delete ${what}; nothing deleted.` : `Deleted ${what}.`;
  const shown = output.files.slice(0, 20).map((f) => `${f.path} ${formatBytes(f.bytes)} ${f.modified}`);
  if (output.files.length > shown.length)
    shown.push(`… and ${formatCount(output.files.length - shown.length)} more`);
  return [head, ...shown].join('\n');
}
