import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool } from '../core/types.js';
import { gitFailure, openRepo, resolveCommit } from './repo.js';

const Input = z.object({
  from: z.string().min(1).default('HEAD').describe('Older side: commit, branch or tag (default: HEAD)'),
  to: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Newer side: commit, branch or tag (default: the working tree, staged or not; untracked files are not counted)',
    ),
  paths: z.array(z.string().min(1)).optional().describe('Only these workspace paths'),
});

const FileChange = z.object({
  path: z.string().describe('File path, relative to the repository root'),
  status: z.enum(['added', 'deleted', 'modified', 'other']).describe('What happened to the file'),
  added: z.number().describe('Lines added (0 for binary files)'),
  removed: z.number().describe('Lines removed (0 for binary files)'),
  binary: z.boolean().describe('True when git sees the file as binary (no line counts)'),
});

const Output = z.object({
  from: z.string().describe('The older commit'),
  to: z.string().describe("The newer commit, or 'working tree'"),
  files: z.array(FileChange).describe('Changed files'),
  added: z.number().describe('Lines added in all'),
  removed: z.number().describe('Lines removed in all'),
});

const STATUS: Record<string, 'added' | 'deleted' | 'modified'> = { A: 'added', D: 'deleted', M: 'modified' };

export const gitDiffSummary = defineTool({
  name: 'git_diff_summary',
  title: 'Git diff summary',
  description:
    'Files changed with +/- line counts between two commits/tags/branches, or between a commit (default HEAD) and the working tree.',
  toolset: 'git',
  action: 'diff',
  positional: ['from', 'to'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
  async run(input, ctx) {
    const { git } = await openRepo(ctx);
    const from = await resolveCommit(git, input.from);
    const to = input.to ? await resolveCommit(git, input.to) : undefined;
    const paths = (input.paths ?? []).map((p) => ctx.workspace.resolve(p));
    const range = to ? [from, to] : [from];
    try {
      // No rename detection: a rename shows as a delete plus an add, which keeps both lists simple.
      const numstat = await git.raw(['diff', '--no-renames', '--numstat', ...range, '--', ...paths]);
      const names = await git.raw(['diff', '--no-renames', '--name-status', ...range, '--', ...paths]);
      const status = new Map<string, string>();
      for (const line of names.split('\n').filter(Boolean)) {
        const [code = '', path = ''] = line.split('\t');
        status.set(path, code);
      }
      const files = numstat
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [plus = '0', minus = '0', path = ''] = line.split('\t');
          const binary = plus === '-';
          return {
            path,
            status: STATUS[(status.get(path) ?? '').charAt(0)] ?? ('other' as const),
            added: binary ? 0 : Number(plus),
            removed: binary ? 0 : Number(minus),
            binary,
          };
        });
      return {
        from,
        to: to ?? 'working tree',
        files,
        added: files.reduce((n, f) => n + f.added, 0),
        removed: files.reduce((n, f) => n + f.removed, 0),
      };
    } catch (error) {
      if (error instanceof ToolError) throw error;
      throw gitFailure(error, 'git diff failed');
    }
  },
  toText(out) {
    const head = `${out.from.slice(0, 12)}..${out.to === 'working tree' ? 'working tree' : out.to.slice(0, 12)}: ${out.files.length} file(s), +${out.added} -${out.removed}`;
    const lines = out.files
      .slice(0, 100)
      .map((f) => `${f.status.padEnd(8)} ${f.binary ? 'binary' : `+${f.added} -${f.removed}`} ${f.path}`);
    if (out.files.length > 100) lines.push(`… ${out.files.length - 100} more`);
    return [head, ...lines].join('\n');
  },
});
