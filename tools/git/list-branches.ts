import { z } from 'zod';
import { defineTool } from '../core/types.js';
import { gitFailure, openRepo } from './repo.js';

const Input = z.object({});

const Branch = z.object({
  name: z.string().describe('Branch name'),
  commit: z.string().describe('Commit the branch points at (abbreviated)'),
  current: z.boolean().describe('True for the checked-out branch'),
  subject: z.string().describe('First line of that commit’s message'),
});

const Output = z.object({
  current: z.string().optional().describe('The checked-out branch; absent on a detached HEAD'),
  branches: z.array(Branch).describe('Local branches, by name'),
});

export const gitBranches = defineTool({
  name: 'git_branches',
  title: 'List git branches',
  description: 'Local branches of the workspace repository, with their commits; marks the current one.',
  toolset: 'git',
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
  async run(_input, ctx) {
    const { git } = await openRepo(ctx);
    try {
      const summary = await git.branchLocal();
      const branches = Object.values(summary.branches).map((b) => ({
        name: b.name,
        commit: b.commit,
        current: b.current,
        subject: b.label,
      }));
      const current = summary.detached ? undefined : summary.current || undefined;
      return { ...(current ? { current } : {}), branches };
    } catch (error) {
      throw gitFailure(error, 'git branch failed');
    }
  },
  toText(out) {
    if (out.branches.length === 0) return 'No branches yet (no commit).';
    return out.branches.map((b) => `${b.current ? '*' : ' '} ${b.name} ${b.commit} ${b.subject}`).join('\n');
  },
});
