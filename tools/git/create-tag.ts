import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool } from '../core/types.js';
import { assertRefName, gitFailure, openRepo, resolveCommit, tagExists } from './repo.js';

const Input = z.object({
  name: z.string().min(1).describe("Tag name, e.g. 'v1.2-cleaned'"),
  message: z.string().min(1).optional().describe('Annotation message (default: the tag name)'),
  ref: z.string().min(1).default('HEAD').describe('Commit, branch or tag to tag (default: HEAD)'),
});

const Output = z.object({
  tag: z.string().describe('The new annotated tag'),
  commit: z.string().describe('The commit it points at'),
  message: z.string().describe('Its annotation message'),
});

export const gitTag = defineTool({
  name: 'git_tag',
  title: 'Create git tag',
  description:
    'Create an annotated tag at HEAD or a given commit. Refuses a tag name that exists (tags are not moved).',
  toolset: 'git',
  positional: ['name'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: false },
  async run(input, ctx) {
    const { git } = await openRepo(ctx, { withIdentity: true });
    await assertRefName(git, 'tag', input.name);
    if (await tagExists(git, input.name)) {
      throw new ToolError('conflict', `Tag ${input.name} already exists`, {
        hint: 'Tags name one version for good: choose a new name; `datastack git list-tags` shows the used ones',
      });
    }
    const commit = await resolveCommit(git, input.ref);
    const message = input.message ?? input.name;
    try {
      await git.raw(['tag', '--annotate', '--no-sign', '--message', message, input.name, commit]);
    } catch (error) {
      throw gitFailure(error, `git could not create tag ${input.name}`);
    }
    return { tag: input.name, commit, message };
  },
  toText(out) {
    return `Tagged ${out.commit.slice(0, 12)} as ${out.tag}.`;
  },
});
