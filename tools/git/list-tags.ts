import { z } from 'zod';
import { defineTool } from '../core/types.js';
import { gitFailure, openRepo } from './repo.js';

const Input = z.object({
  pattern: z.string().optional().describe("Glob on tag names, e.g. 'v1.*' (default: all)"),
  limit: z.number().int().min(1).max(1000).default(100).describe('Most tags to return, newest first'),
});

const Tag = z.object({
  name: z.string().describe('Tag name'),
  commit: z.string().describe('Commit the tag points at'),
  date: z.string().describe('When the tag (or, for a lightweight tag, its commit) was made, ISO 8601'),
  message: z.string().describe('First line of the annotation, or of the commit message'),
  annotated: z.boolean().describe('True for an annotated tag'),
});

const Output = z.object({
  tags: z.array(Tag).describe('Tags, newest first'),
  total: z.number().describe('Tags matching, before the limit'),
});

const SEP = '\x1f';

export const gitListTags = defineTool({
  name: 'git_list_tags',
  title: 'List git tags',
  description: 'Tags of the workspace repository, newest first, with the commit each points at.',
  toolset: 'git',
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
  async run(input, ctx) {
    const { git } = await openRepo(ctx);
    const format = [
      '%(refname:short)',
      '%(objecttype)',
      '%(objectname)',
      '%(*objectname)',
      '%(creatordate:iso-strict)',
      '%(contents:subject)',
    ].join(SEP);
    try {
      const out = await git.raw([
        'for-each-ref',
        '--sort=-creatordate',
        `--format=${format}`,
        input.pattern ? `refs/tags/${input.pattern}` : 'refs/tags',
      ]);
      const tags = out
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [name = '', type = '', object = '', peeled = '', date = '', message = ''] = line.split(SEP);
          // An annotated tag is its own object; the commit is the peeled one.
          return { name, commit: type === 'tag' ? peeled : object, date, message, annotated: type === 'tag' };
        });
      return { tags: tags.slice(0, input.limit), total: tags.length };
    } catch (error) {
      throw gitFailure(error, 'git could not list tags');
    }
  },
  toText(out) {
    if (out.total === 0) return 'No tags.';
    const lines = out.tags.map((t) => `${t.name} ${t.commit.slice(0, 12)} ${t.date} ${t.message}`);
    if (out.total > out.tags.length) lines.push(`(${out.tags.length} of ${out.total})`);
    return lines.join('\n');
  },
});
