import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool } from '../core/types.js';
import { countFiles } from './push-data.js';

const Input = z.object({
  targets: z
    .array(z.string().min(1))
    .optional()
    .describe('Data paths or .dvc files to pull (default: all tracked data)'),
  remote: z.string().min(1).optional().describe('Remote name (default: the default remote)'),
});

const Output = z.object({
  remote: z.string().describe('Remote pulled from'),
  url: z.string().describe('Its URL'),
  fetched: z.number().describe('Files downloaded into the cache'),
  added: z.number().describe('Workspace files created'),
  modified: z.number().describe('Workspace files replaced by the version the .dvc files name'),
});

export const dataPull = defineTool({
  name: 'data_pull',
  title: 'Pull data from the DVC remote',
  description:
    'Download the data versions the .dvc files name from the DVC remote and put them in the workspace. Refuses when tracked data has local changes (see data_restore to discard them).',
  toolset: 'data',
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const [{ requireDvcRoot, runDvc }, remotes, { uncommittedData }] = await Promise.all([
      import('./dvc.js'),
      import('./remote.js'),
      import('./pending-changes.js'),
    ]);
    requireDvcRoot(ctx);
    const remote = await remotes.requireRemote(ctx, input.remote);
    // A pull would overwrite these (or DVC would stop half-way): say so before anything moves.
    const modified = (await uncommittedData(ctx)).filter((c) => c.change === 'modified');
    if (modified.length) {
      const paths = modified.map((c) => c.path).join(', ');
      throw new ToolError('conflict', `Tracked data has local changes a pull would overwrite: ${paths}`, {
        hint: `Keep them as a new version with \`datastack data add PATH\`, or discard them with \`datastack data restore --yes\``,
      });
    }
    await remotes.probeRemote(remote, ctx);
    const targets = (input.targets ?? []).map((t) => ctx.workspace.resolve(t));
    try {
      const { stdout, stderr } = await runDvc(ctx, ['pull', '--remote', remote.name, ...targets]);
      const text = `${stdout}\n${stderr}`;
      return {
        remote: remote.name,
        url: remote.url,
        fetched: countFiles(text, 'fetched'),
        added: countFiles(text, 'added'),
        modified: countFiles(text, 'modified'),
      };
    } catch (error) {
      throw remotes.remoteError(error, remote, 'dvc pull failed');
    }
  },
  toText(out) {
    return `Pulled from ${out.remote} (${out.url}): ${out.fetched} fetched, ${out.added} added, ${out.modified} updated in the workspace.`;
  },
});
