import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool } from '../core/types.js';
import { assertRefName, gitFailure, openRepo, resolveCommit } from './repo.js';

const Input = z.object({
  name: z.string().min(1).describe("Branch to switch to, e.g. 'experiment/lr-sweep'"),
  create: z.boolean().default(false).describe('Create the branch first (refused when it exists)'),
  from: z
    .string()
    .optional()
    .describe('With create: the commit, branch or tag to start it at (default: HEAD)'),
});

const Output = z.object({
  branch: z.string().describe('The branch now checked out'),
  commit: z.string().describe('The commit it points at'),
  created: z.boolean().describe('True when the branch was created by this call'),
});

export const gitSwitchBranch = defineTool({
  name: 'git_switch_branch',
  title: 'Switch or create git branch',
  description:
    'Check out a branch, or create one (at HEAD or `from`) and check it out. Git refuses when local changes would be overwritten; nothing is lost.',
  toolset: 'git',
  action: 'switch',
  positional: ['name'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: false },
  async run(input, ctx) {
    const { git } = await openRepo(ctx);
    await assertRefName(git, 'branch', input.name);
    const exists = (await git.branchLocal()).all.includes(input.name);
    if (input.create && exists) {
      throw new ToolError('conflict', `Branch ${input.name} already exists`, {
        hint: `Switch to it without --create: \`datastack git switch ${input.name}\``,
      });
    }
    if (!input.create && !exists) {
      throw new ToolError('not_found', `There is no branch ${input.name}`, {
        hint: `Create it with \`datastack git switch ${input.name} --create\`; \`datastack git branches\` lists them`,
      });
    }
    const start = input.create ? await resolveCommit(git, input.from ?? 'HEAD') : undefined;
    try {
      // `switch` (not checkout) so a name that is also a file path is never read as one.
      await git.raw(start ? ['switch', '--create', input.name, start] : ['switch', input.name]);
      const commit = (await git.revparse(['HEAD'])).trim();
      return { branch: input.name, commit, created: input.create };
    } catch (error) {
      throw gitFailure(error, `git could not switch to ${input.name}`);
    }
  },
  toText(out) {
    return `${out.created ? 'Created and switched to' : 'Switched to'} ${out.branch} at ${out.commit.slice(0, 12)}.`;
  },
});
