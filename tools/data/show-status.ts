import { z } from 'zod';
import { defineTool } from '../core/types.js';

const Input = z.object({
  remote: z
    .boolean()
    .default(true)
    .describe('Also compare with the default remote, when one is set (needs it reachable)'),
});

const Change = z.object({
  path: z.string().describe('Data path'),
  change: z.string().describe('added, modified, deleted, renamed or unknown'),
});

const Output = z.object({
  not_added: z.array(Change).describe('Workspace data changed since its last `data add` (in no version yet)'),
  not_committed: z
    .array(Change)
    .describe('Added to DVC but the .dvc pointer is not committed in git yet (`data version`)'),
  not_in_cache: z.array(z.string()).describe('Recorded versions missing from the local cache (`data pull`)'),
  not_in_remote: z
    .array(z.string())
    .optional()
    .describe('Cached versions the remote lacks (`data push`); absent without a remote'),
  remote: z.string().optional().describe('The remote compared with'),
  clean: z.boolean().describe('True when all lists are empty'),
});

type Groups = Record<string, string[] | undefined>;

interface DataStatus {
  committed?: Groups;
  uncommitted?: Groups;
  not_in_cache?: string[];
  not_in_remote?: string[];
}

function changes(groups: Groups | undefined): Array<{ path: string; change: string }> {
  return Object.entries(groups ?? {}).flatMap(([change, paths]) =>
    (paths ?? []).map((path) => ({ path, change })),
  );
}

export const dataStatus = defineTool({
  name: 'data_status',
  title: 'Data status',
  description:
    'What changed in DVC-tracked data: changed since the last `data add`, added but not committed in git, missing from the cache, and not yet pushed to the remote.',
  toolset: 'data',
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const [{ requireDvcRoot, runDvc, dvcError }, remotes] = await Promise.all([
      import('./dvc.js'),
      import('./remote.js'),
    ]);
    requireDvcRoot(ctx);
    const remote = input.remote ? await remotes.findRemote(ctx) : undefined;
    if (remote) await remotes.probeRemote(remote, ctx);
    let status: DataStatus;
    try {
      const args = [
        'data',
        'status',
        '--json',
        ...(remote ? ['--not-in-remote', '--remote', remote.name] : []),
      ];
      status = JSON.parse((await runDvc(ctx, args)).stdout.trim() || '{}') as DataStatus;
    } catch (error) {
      throw remote
        ? remotes.remoteError(error, remote, 'dvc data status failed')
        : dvcError(error, 'dvc data status failed');
    }
    const out = {
      not_added: changes(status.uncommitted),
      not_committed: changes(status.committed),
      not_in_cache: status.not_in_cache ?? [],
      ...(remote ? { not_in_remote: status.not_in_remote ?? [], remote: remote.name } : {}),
    };
    const clean =
      out.not_added.length +
        out.not_committed.length +
        out.not_in_cache.length +
        (out.not_in_remote?.length ?? 0) ===
      0;
    return { ...out, clean };
  },
  toText(out) {
    if (out.clean) return `Data is clean${out.remote ? ` and all pushed to ${out.remote}` : ''}.`;
    const list = (label: string, items: string[]) => (items.length ? [`${label}: ${items.join(', ')}`] : []);
    return [
      ...list(
        'changed since data add',
        out.not_added.map((c) => `${c.path} (${c.change})`),
      ),
      ...list(
        'not committed in git',
        out.not_committed.map((c) => `${c.path} (${c.change})`),
      ),
      ...list('not in cache', out.not_in_cache),
      ...list(`not pushed to ${out.remote ?? 'the remote'}`, out.not_in_remote ?? []),
    ].join('\n');
  },
});
