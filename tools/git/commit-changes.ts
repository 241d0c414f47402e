import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool } from '../core/types.js';
import { gitFailure, openRepo } from './repo.js';

const Input = z.object({
  message: z.string().min(1).describe('Commit message'),
  paths: z
    .array(z.string().min(1))
    .optional()
    .describe('Workspace paths to stage and commit (only these, even if other files are staged)'),
  all: z
    .boolean()
    .default(false)
    .describe('Stage every change first, new files included (git add -A); ignored files stay out'),
});

const Output = z.object({
  commit: z.string().describe('The new commit'),
  branch: z.string().optional().describe('Branch it was made on; absent on a detached HEAD'),
  files: z.array(z.string()).describe('Files the commit changed, relative to the repository root'),
  insertions: z.number().describe('Lines added'),
  deletions: z.number().describe('Lines removed'),
  author: z.string().describe('Author as `Name <email>`'),
});

export const gitCommit = defineTool({
  name: 'git_commit',
  title: 'Git commit',
  description:
    'Commit staged changes, or the given paths, or everything (all). Refuses an empty commit. Uses DataStack as author when git has no identity.',
  toolset: 'git',
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: false },
  async run(input, ctx) {
    if (input.all && input.paths?.length) {
      throw new ToolError('invalid_input', 'Give paths or all, not both');
    }
    const { git } = await openRepo(ctx, { withIdentity: true });
    const paths = (input.paths ?? []).map((p) => ctx.workspace.resolve(p));
    try {
      if (input.all) await git.raw(['add', '-A']);
      else if (paths.length) await git.raw(['add', '-A', '--', ...paths]);
      const staged = (await git.raw(['diff', '--cached', '--name-only', '--', ...paths]))
        .split('\n')
        .filter(Boolean);
      if (staged.length === 0) {
        throw new ToolError(
          'invalid_input',
          'Nothing to commit: no staged changes' + (paths.length ? ' in those paths' : ''),
          {
            hint: 'Stage files with paths, or pass all (--all); `datastack git status` shows what changed',
          },
        );
      }
      const result = await git.commit(input.message, paths.length ? paths : undefined, {
        '--no-verify': null,
        '--no-gpg-sign': null,
      });
      const commit = (await git.revparse(['HEAD'])).trim();
      const author = await git.raw(['log', '-1', '--format=%an <%ae>']);
      return {
        commit,
        ...(result.branch ? { branch: result.branch } : {}),
        files: staged,
        insertions: result.summary.insertions,
        deletions: result.summary.deletions,
        author: author.trim(),
      };
    } catch (error) {
      throw gitFailure(error, 'git commit failed');
    }
  },
  toText(out) {
    return `Committed ${out.commit.slice(0, 12)}${out.branch ? ` on ${out.branch}` : ''}: ${out.files.length} file(s), +${out.insertions} -${out.deletions}, by ${out.author}.`;
  },
});
