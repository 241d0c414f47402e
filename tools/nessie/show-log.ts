import { z } from 'zod';
import { fenceUntrusted } from '../core/fence.js';
import { defineTool } from '../core/types.js';
import { nessieClient, refPath } from './client.js';
import { Hash, More, Paging, RefName } from './model.js';

const Input = z.object({
  ref: RefName.optional().describe('Branch or tag whose history to read (default: the default branch)'),
  hash: Hash.optional().describe('Start at this commit of `ref` instead of its head'),
  limit: z.number().int().min(1).max(200).default(20).describe('Most commits to return, newest first'),
  ...Paging,
});

const Commit = z.object({
  hash: z.string().describe('Commit hash'),
  message: z.string().describe('Commit message'),
  author: z.string().optional().describe('Author, when recorded'),
  time: z.string().optional().describe('Commit time, ISO-8601'),
  parents: z.array(z.string()).describe('Parent hashes; two for a merge commit'),
});

const Output = z.object({
  ref: z.string().describe('The reference read'),
  commits: z.array(Commit).describe('Commits, newest first'),
  ...More,
});

interface ApiLogEntry {
  commitMeta: {
    hash: string;
    message?: string;
    author?: string;
    authors?: string[];
    commitTime?: string;
    parentCommitHashes?: string[];
  };
  parentCommitHash?: string;
}

export const nessieLog = defineTool({
  name: 'nessie_log',
  title: 'Nessie commit log',
  description: 'Commit history of a branch or tag, newest first: hash, message, author, time. Paginated.',
  toolset: 'nessie',
  positional: ['ref'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const nessie = await nessieClient(ctx);
    const ref = input.ref ?? ctx.config.nessie?.default_branch ?? 'main';
    const page = await nessie.pages<ApiLogEntry>(`trees/${refPath(ref, input.hash)}/history`, 'logEntries', {
      limit: input.limit,
      pageToken: input.page_token,
      signal: ctx.signal,
    });
    const commits = page.items.map(({ commitMeta: meta, parentCommitHash }) => {
      const author = meta.author || meta.authors?.find((a) => a.length > 0);
      return {
        hash: meta.hash,
        message: meta.message ?? '',
        ...(author ? { author } : {}),
        ...(meta.commitTime ? { time: meta.commitTime } : {}),
        parents: meta.parentCommitHashes?.length
          ? meta.parentCommitHashes
          : parentCommitHash
            ? [parentCommitHash]
            : [],
      };
    });
    return { ref, commits, more: page.more, ...(page.token ? { next_page_token: page.token } : {}) };
  },
  toText(output) {
    const lines = output.commits.map((c) => {
      const merge = c.parents.length > 1 ? ' (merge)' : '';
      return `${c.hash} ${c.time?.slice(0, 19) ?? ''} ${c.author ?? '-'}${merge}: ${c.message.split('\n')[0]}`;
    });
    const head = `${output.commits.length} commit(s) on ${output.ref}, newest first`;
    const more = output.more ? `\nMore commits: call again with page_token "${output.next_page_token}".` : '';
    return `${head}\n${fenceUntrusted('commit log', lines.join('\n'))}${more}`;
  },
});
