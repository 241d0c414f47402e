import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool, type ToolContext } from '../core/types.js';

const Input = z.object({
  tag: z.string().min(1).describe("Version name, a new git tag, e.g. 'v1.2-cleaned'"),
  message: z.string().min(1).optional().describe('Tag and commit message (default: "data version TAG")'),
});

const Versioned = z.object({
  path: z.string().describe('Data path, relative to the repository root'),
  md5: z.string().describe('DVC hash recorded for it'),
  size: z.number().optional().describe('Bytes'),
});

const Output = z.object({
  tag: z.string().describe('The annotated git tag created'),
  commit: z.string().describe('The commit it points at'),
  committed: z
    .array(z.string())
    .describe('DVC pointer files committed by this call (empty when they were already committed)'),
  data: z.array(Versioned).describe('Every DVC-tracked path in this version'),
});

type VersionInput = z.infer<typeof Input>;
type VersionOutput = z.infer<typeof Output>;

/** Files of a DVC project that belong in git: pointers, pipelines, the shared config. */
function isDvcMetaFile(path: string): boolean {
  const name = path.split('/').pop() ?? '';
  return (
    name.endsWith('.dvc') ||
    name === '.gitignore' ||
    name === 'dvc.yaml' ||
    name === 'dvc.lock' ||
    name === '.dvcignore' ||
    path.endsWith('.dvc/config')
  );
}

export const dataVersion = defineTool({
  name: 'data_version',
  title: 'Tag a data version',
  description:
    'Commit the DVC pointer files (only those) and create an annotated git tag naming this data version. Refuses an existing tag, and data changed since its last `data add`.',
  toolset: 'data',
  positional: ['tag'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: false },
  run: versionData,
  toText(out) {
    const files = out.data.map(
      (d) => `${d.path} ${d.md5.slice(0, 8)}${d.size !== undefined ? ` ${d.size} B` : ''}`,
    );
    const committed = out.committed.length ? `committed ${out.committed.length} pointer file(s), ` : '';
    return [`Data version ${out.tag}: ${committed}tag at ${out.commit.slice(0, 12)}.`, ...files].join('\n');
  },
});

async function versionData(input: VersionInput, ctx: ToolContext): Promise<VersionOutput> {
  const [{ openRepo, assertRefName, tagExists, gitFailure }, { requireDvcRoot }, pending] = await Promise.all(
    [import('../git/repo.js'), import('./dvc.js'), import('./pending-changes.js')],
  );
  const repo = await openRepo(ctx, { withIdentity: true });
  requireDvcRoot(ctx);
  await assertRefName(repo.git, 'tag', input.tag);
  if (await tagExists(repo.git, input.tag)) {
    throw new ToolError('conflict', `Tag ${input.tag} already exists`, {
      hint: 'A version name is given once: choose a new tag; `datastack git list-tags` shows the used ones',
    });
  }
  const changed = await pending.uncommittedData(ctx);
  if (changed.length > 0) {
    const list = changed.map((c) => `${c.path} (${c.change})`).join(', ');
    const paths = [...new Set(changed.map((c) => c.path))].join(' ');
    throw new ToolError('conflict', `Data changed since it was last added to DVC: ${list}`, {
      hint: `Record the new contents first: \`datastack data add ${paths}\` (one path per call), then version again`,
    });
  }
  const message = input.message ?? `data version ${input.tag}`;
  try {
    const status = await repo.git.status(['--untracked-files=all']);
    const pointers = status.files.map((f) => f.path).filter(isDvcMetaFile);
    let committed: string[] = [];
    if (pointers.length) {
      const absolute = pointers.map((p) => `${repo.root}/${p}`);
      await repo.git.raw(['add', '-A', '--', ...absolute]);
      // Only the pointers: anything else the user staged stays staged for their own commit.
      await repo.git.commit(message, absolute, { '--no-verify': null, '--no-gpg-sign': null });
      committed = pointers;
    }
    const commit = (await repo.git.revparse(['--verify', '--quiet', 'HEAD']).catch(() => '')).trim();
    if (!commit) {
      throw new ToolError('conflict', 'The repository has no commit and no DVC pointer to commit', {
        hint: 'Version some data first: `datastack data add FILE`',
      });
    }
    await repo.git.raw(['tag', '--annotate', '--no-sign', '--message', message, input.tag, commit]);
    const outs = await pending.outsAtRevision(repo, commit);
    const data = [...outs.values()].map((o) => ({
      path: o.path,
      md5: o.md5,
      ...(o.size !== undefined ? { size: o.size } : {}),
    }));
    return { tag: input.tag, commit, committed, data };
  } catch (error) {
    throw gitFailure(error, `git could not make version ${input.tag}`);
  }
}
