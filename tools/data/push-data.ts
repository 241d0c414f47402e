import { z } from 'zod';
import { defineTool } from '../core/types.js';

const Input = z.object({
  targets: z
    .array(z.string().min(1))
    .optional()
    .describe('Data paths or .dvc files to push (default: all tracked data)'),
  remote: z.string().min(1).optional().describe('Remote name (default: the default remote)'),
});

const Output = z.object({
  remote: z.string().describe('Remote pushed to'),
  url: z.string().describe('Its URL'),
  pushed: z.number().describe('Files uploaded (0 when the remote already had them all)'),
});

/** DVC's summary line: "3 files pushed", or "Everything is up to date." when nothing moved. */
export function countFiles(output: string, verb: string): number {
  const match = new RegExp(`(\\d+) files? ${verb}`).exec(output);
  return match ? Number(match[1]) : 0;
}

export const dataPush = defineTool({
  name: 'data_push',
  title: 'Push data to the DVC remote',
  description:
    'Upload the cached versions of tracked data to the DVC remote (S3), so others and `data pull` can get them.',
  toolset: 'data',
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const [{ requireDvcRoot, runDvc }, remotes] = await Promise.all([
      import('./dvc.js'),
      import('./remote.js'),
    ]);
    requireDvcRoot(ctx);
    const remote = await remotes.requireRemote(ctx, input.remote);
    await remotes.probeRemote(remote, ctx);
    const targets = (input.targets ?? []).map((t) => ctx.workspace.resolve(t));
    try {
      const { stdout, stderr } = await runDvc(ctx, ['push', '--remote', remote.name, ...targets]);
      return { remote: remote.name, url: remote.url, pushed: countFiles(`${stdout}\n${stderr}`, 'pushed') };
    } catch (error) {
      throw remotes.remoteError(error, remote, 'dvc push failed');
    }
  },
  toText(out) {
    return out.pushed
      ? `Pushed ${out.pushed} file(s) to ${out.remote} (${out.url}).`
      : `${out.remote} (${out.url}) already had everything.`;
  },
});
