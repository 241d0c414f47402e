import { z } from 'zod';
import { defineTool, type ToolContext } from '../core/types.js';

const Input = z.object({
  targets: z
    .array(z.string().min(1))
    .optional()
    .describe('Data paths or .dvc files to restore (default: all tracked data)'),
  dry_run: z.boolean().default(false).describe('Only list the files that would be overwritten'),
});

const Output = z.object({
  overwritten: z
    .array(z.string())
    .describe('Workspace files whose local changes were (or, in a dry run, would be) discarded'),
  from: z.enum(['cache', 'remote']).describe('Where the recorded versions came from'),
  dry_run: z.boolean().describe('True when nothing was changed'),
});

async function localChanges(ctx: ToolContext): Promise<string[]> {
  const { uncommittedData } = await import('./pending-changes.js');
  return (await uncommittedData(ctx)).filter((c) => c.change !== 'new').map((c) => c.path);
}

export const dataRestore = defineTool({
  name: 'data_restore',
  title: 'Discard local data changes',
  description:
    'Put tracked data back to the versions its .dvc files name, overwriting local changes (dvc checkout --force; from the remote when the cache lacks them). dry_run lists what would be lost.',
  toolset: 'data',
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: true, idempotent: true, openWorld: true },
  async confirmSummary(_input, ctx) {
    const changed = await localChanges(ctx);
    return changed.length
      ? `Discard the local changes to ${changed.join(', ')} (they are in no version)`
      : 'Restore tracked data to its recorded versions (no local changes are lost)';
  },
  async run(input, ctx) {
    const [{ requireDvcRoot, runDvc, dvcError }, remotes] = await Promise.all([
      import('./dvc.js'),
      import('./remote.js'),
    ]);
    requireDvcRoot(ctx);
    const overwritten = await localChanges(ctx);
    const remote = await remotes.findRemote(ctx);
    const from = remote ? ('remote' as const) : ('cache' as const);
    if (input.dry_run) return { overwritten, from, dry_run: true };
    const targets = (input.targets ?? []).map((t) => ctx.workspace.resolve(t));
    if (remote) {
      await remotes.probeRemote(remote, ctx);
      await runDvc(ctx, ['pull', '--force', '--remote', remote.name, ...targets]).catch((error: unknown) => {
        throw remotes.remoteError(error, remote, 'dvc pull --force failed');
      });
    } else {
      await runDvc(ctx, ['checkout', '--force', ...targets]).catch((error: unknown) => {
        throw dvcError(error, 'dvc checkout --force failed');
      });
    }
    return { overwritten, from, dry_run: false };
  },
  toText(out) {
    const what = out.overwritten.length ? out.overwritten.join(', ') : 'no local changes';
    return out.dry_run
      ? `Would discard: ${what}.`
      : `Restored tracked data from the ${out.from}; discarded: ${what}.`;
  },
});
