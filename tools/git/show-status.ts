import { z } from 'zod';
import { defineTool } from '../core/types.js';
import { gitFailure, openRepo } from './repo.js';

const Input = z.object({});

const Paths = (what: string) => z.array(z.string()).describe(`${what}, relative to the repository root`);

const Output = z.object({
  root: z.string().describe('The repository root folder'),
  branch: z.string().optional().describe('Current branch; absent on a detached HEAD'),
  head: z.string().optional().describe('Commit HEAD points at; absent before the first commit'),
  upstream: z.string().optional().describe('The branch it tracks, e.g. origin/main'),
  ahead: z.number().describe('Commits on this branch not on its upstream'),
  behind: z.number().describe('Commits on the upstream not on this branch'),
  staged: Paths('Files whose changes are staged for the next commit'),
  modified: Paths('Tracked files changed (or deleted) but not staged'),
  untracked: Paths('Files git does not track and does not ignore'),
  conflicted: Paths('Files with merge conflicts'),
  clean: z.boolean().describe('True when nothing is staged, modified, untracked or conflicted'),
});

export const gitStatus = defineTool({
  name: 'git_status',
  title: 'Git status',
  description:
    'State of the workspace repository: branch, ahead/behind its upstream, staged, modified and untracked files, and whether it is clean.',
  toolset: 'git',
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
  async run(_input, ctx) {
    const { git, root } = await openRepo(ctx);
    try {
      const status = await git.status();
      const head = await git.revparse(['--verify', '--quiet', 'HEAD']).catch(() => '');
      const staged = status.files.filter((f) => f.index !== ' ' && f.index !== '?').map((f) => f.path);
      const modified = status.files
        .filter((f) => f.working_dir !== ' ' && f.working_dir !== '?')
        .map((f) => f.path);
      return {
        root,
        ...(status.detached || !status.current ? {} : { branch: status.current }),
        ...(head.trim() ? { head: head.trim() } : {}),
        ...(status.tracking ? { upstream: status.tracking } : {}),
        ahead: status.ahead,
        behind: status.behind,
        staged,
        modified,
        untracked: status.not_added,
        conflicted: status.conflicted,
        clean: status.isClean(),
      };
    } catch (error) {
      throw gitFailure(error, 'git status failed');
    }
  },
  toText(out) {
    const where = `${out.branch ? `On ${out.branch}` : 'Detached HEAD'}${out.head ? ` at ${out.head.slice(0, 12)}` : ' (no commits yet)'}`;
    const sync = out.upstream ? `, ${out.ahead} ahead / ${out.behind} behind ${out.upstream}` : '';
    if (out.clean) return `${where}${sync}: clean.`;
    const list = (label: string, paths: string[]) =>
      paths.length
        ? [`${label} (${paths.length}): ${paths.slice(0, 30).join(', ')}${paths.length > 30 ? ', …' : ''}`]
        : [];
    return [
      `${where}${sync}.`,
      ...list('staged', out.staged),
      ...list('modified', out.modified),
      ...list('untracked', out.untracked),
      ...list('conflicted', out.conflicted),
    ].join('\n');
  },
});
