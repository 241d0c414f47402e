import { dirname, join } from 'node:path';
import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool, type ToolContext } from '../core/types.js';

const Input = z.object({
  url: z
    .string()
    .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, 'an S3 URL: s3://bucket/prefix')
    .describe("Where the data goes, e.g. 's3://warehouse/dvc' (the bucket must exist)"),
  name: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('storage')
    .describe("Remote name (default 'storage')"),
  endpoint: z
    .string()
    .url()
    .optional()
    .describe('S3 endpoint URL (default: s3.endpoint of the profile; none means AWS)'),
  default: z.boolean().default(true).describe('Make it the default remote of push, pull and status'),
});

const Output = z.object({
  name: z.string().describe('Remote name'),
  url: z.string().describe('Remote URL'),
  endpoint: z.string().optional().describe('S3 endpoint, written to the committed .dvc/config'),
  default: z.boolean().describe('True when it is the default remote'),
  credentials: z
    .enum(['.dvc/config.local', 'none'])
    .describe('Where the profile’s S3 keys were written (never in the committed config)'),
  staged: z.array(z.string()).describe('Files staged in git (.dvc/config)'),
});

type RemoteInput = z.infer<typeof Input>;

/** Run in DVC's own Python: the keys come on stdin, so they never show in a process list or log. */
const WRITE_LOCAL_KEYS = `
import json, sys
from dvc.repo import Repo
req = json.load(sys.stdin)
repo = Repo(req["root"])
with repo.config.edit("local") as conf:
    conf.setdefault("remote", {}).setdefault(req["name"], {}).update(req["values"])
`;

export const dataRemote = defineTool({
  name: 'data_remote',
  title: 'Set the DVC remote',
  description:
    'Point DVC at an S3 remote (dvc remote add) on the profile’s S3 endpoint; the profile’s keys go to .dvc/config.local, never to the committed .dvc/config. Replaces a remote of the same name.',
  toolset: 'data',
  positional: ['url'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: true, openWorld: false },
  run: configureRemote,
  toText(out) {
    return `DVC remote ${out.name}${out.default ? ' (default)' : ''}: ${out.url}${out.endpoint ? ` at ${out.endpoint}` : ''}; keys: ${out.credentials}.`;
  },
});

async function configureRemote(input: RemoteInput, ctx: ToolContext) {
  const [{ openRepo, gitFailure }, { dvcBinary, dvcError, runDvc }, { ensureDvcProject, repoPath }] =
    await Promise.all([import('../git/repo.js'), import('./dvc.js'), import('./track.js')]);
  const repo = await openRepo(ctx);
  const { root } = await ensureDvcProject(ctx, repo);
  const s3 = ctx.config.s3;
  const endpoint = input.endpoint ?? s3?.endpoint;
  const bin = await dvcBinary(ctx);
  try {
    await runDvc(
      ctx,
      ['remote', 'add', '--force', ...(input.default ? ['--default'] : []), input.name, input.url],
      { bin },
    );
    if (endpoint) await runDvc(ctx, ['remote', 'modify', input.name, 'endpointurl', endpoint], { bin });
    if (s3?.region) await runDvc(ctx, ['remote', 'modify', input.name, 'region', s3.region], { bin });
    const keys =
      s3?.access_key_id && s3.secret_access_key
        ? { access_key_id: s3.access_key_id, secret_access_key: s3.secret_access_key }
        : undefined;
    if (keys) {
      const python = join(dirname(bin), 'python');
      await runDvc(ctx, ['-c', WRITE_LOCAL_KEYS], {
        bin: python,
        input: JSON.stringify({ root, name: input.name, values: keys }),
      }).catch((error: unknown) => {
        // The message would be Python's traceback; it holds no keys (they were on stdin).
        throw new ToolError('internal', `Could not write the keys to .dvc/config.local`, { cause: error });
      });
    }
    const config = join(root, '.dvc', 'config');
    await repo.git.raw(['add', '--', config]).catch((error: unknown) => {
      throw gitFailure(error, 'git could not stage .dvc/config');
    });
    return {
      name: input.name,
      url: input.url,
      ...(endpoint ? { endpoint } : {}),
      default: input.default,
      credentials: keys ? ('.dvc/config.local' as const) : ('none' as const),
      staged: [repoPath(repo, config)],
    };
  } catch (error) {
    throw dvcError(error, `dvc remote ${input.name} could not be set`);
  }
}
