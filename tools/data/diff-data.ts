import { existsSync, statSync } from 'node:fs';
import { z } from 'zod';
import { defineTool, type ToolContext } from '../core/types.js';

const Input = z.object({
  from: z.string().min(1).describe("Older data version: a git tag, branch or commit, e.g. 'v1.0-raw'"),
  to: z.string().min(1).default('HEAD').describe("Newer data version (default: HEAD), e.g. 'v1.2-cleaned'"),
  row_counts: z
    .boolean()
    .default(true)
    .describe('Count rows of CSV, Parquet and JSON versions found in the DVC cache'),
});

const Change = z.object({
  path: z.string().describe('Data path (a folder ends with /)'),
  change: z.enum(['added', 'deleted', 'modified', 'renamed']).describe('What happened between the versions'),
  md5_before: z.string().optional().describe('DVC hash in `from`'),
  md5_after: z.string().optional().describe('DVC hash in `to`'),
  size_before: z.number().optional().describe('Bytes in `from`'),
  size_after: z.number().optional().describe('Bytes in `to`'),
  rows_before: z.number().optional().describe('Rows in `from` (CSV, Parquet, JSON in the local cache)'),
  rows_after: z.number().optional().describe('Rows in `to`'),
});

const Output = z.object({
  from: z.string().describe('Older version as given'),
  to: z.string().describe('Newer version as given'),
  from_commit: z.string().describe('Commit of `from`'),
  to_commit: z.string().describe('Commit of `to`'),
  changes: z.array(Change).describe('Changed data paths'),
  not_in_cache: z
    .array(z.string())
    .describe(
      'Paths whose data is not in the local cache (sizes from .dvc files only; `data pull` fetches them)',
    ),
});

type DiffInput = z.infer<typeof Input>;
type DiffOutput = z.infer<typeof Output>;
type ChangeOut = z.infer<typeof Change>;

interface DvcDiffEntry {
  path: string;
  hash?: string | { old?: string; new?: string };
}

export const dataDiff = defineTool({
  name: 'data_diff',
  title: 'Compare data versions',
  description:
    'What changed in DVC-tracked data between two versions (git tags, branches, commits): files added, deleted, modified, with sizes and row counts (CSV, Parquet, JSON) before and after.',
  toolset: 'data',
  positional: ['from', 'to'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
  run: diffData,
  toText(out) {
    if (out.changes.length === 0) return `No data changed between ${out.from} and ${out.to}.`;
    const side = (size?: number, rows?: number) =>
      size === undefined && rows === undefined
        ? '–'
        : `${size ?? '?'} B${rows !== undefined ? `/${rows} rows` : ''}`;
    const lines = out.changes.map(
      (c) =>
        `${c.change.padEnd(8)} ${c.path}: ${side(c.size_before, c.rows_before)} → ${side(c.size_after, c.rows_after)}`,
    );
    return [`Data changes ${out.from} → ${out.to}:`, ...lines].join('\n');
  },
});

async function diffData(input: DiffInput, ctx: ToolContext): Promise<DiffOutput> {
  const [
    { openRepo, resolveCommit },
    { requireDvcRoot, runDvc, dvcError },
    { outsAtRevision },
    { cachePath },
    rows,
  ] = await Promise.all([
    import('../git/repo.js'),
    import('./dvc.js'),
    import('./pending-changes.js'),
    import('./dvc-file.js'),
    import('./row-counts.js'),
  ]);
  const repo = await openRepo(ctx);
  requireDvcRoot(ctx);
  const fromCommit = await resolveCommit(repo.git, input.from);
  const toCommit = await resolveCommit(repo.git, input.to);
  let parsed: Record<string, DvcDiffEntry[]>;
  let cacheDir: string;
  try {
    const { stdout } = await runDvc(ctx, ['diff', '--json', '--show-hash', fromCommit, toCommit]);
    parsed = JSON.parse(stdout.trim() || '{}') as Record<string, DvcDiffEntry[]>;
    cacheDir = (await runDvc(ctx, ['cache', 'dir'])).stdout.trim();
  } catch (error) {
    throw dvcError(error, `dvc diff ${input.from} ${input.to} failed`);
  }
  const [before, after] = await Promise.all([
    outsAtRevision(repo, fromCommit),
    outsAtRevision(repo, toCommit),
  ]);
  const missing = new Set<string>();

  const describe = async (path: string, md5: string | undefined, side: 'before' | 'after') => {
    if (!md5) return {};
    const object = cachePath(cacheDir, md5);
    const inCache = existsSync(object);
    if (!inCache) missing.add(path);
    const recorded = (side === 'before' ? before : after).get(path.replace(/\/$/, ''));
    const size = inCache && !md5.endsWith('.dir') ? statSync(object).size : recorded?.size;
    const count = input.row_counts && inCache ? await rows.countRows(ctx, path, object) : undefined;
    return {
      [`md5_${side}`]: md5,
      ...(size !== undefined ? { [`size_${side}`]: size } : {}),
      ...(count !== undefined ? { [`rows_${side}`]: count } : {}),
    };
  };

  const changes: ChangeOut[] = [];
  for (const change of ['added', 'deleted', 'modified', 'renamed'] as const) {
    for (const entry of parsed[change] ?? []) {
      const hash = entry.hash;
      const old = typeof hash === 'object' ? hash.old : change === 'deleted' ? hash : undefined;
      const now = typeof hash === 'object' ? hash.new : change === 'added' ? hash : undefined;
      const path = typeof entry.path === 'string' ? entry.path : JSON.stringify(entry.path);
      changes.push({
        path,
        change,
        ...(await describe(path, old, 'before')),
        ...(await describe(path, now, 'after')),
      });
    }
  }
  return {
    from: input.from,
    to: input.to,
    from_commit: fromCommit,
    to_commit: toCommit,
    changes,
    not_in_cache: [...missing],
  };
}
