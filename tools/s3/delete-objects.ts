import { z } from 'zod';
import { fenceUntrusted } from '../core/fence.js';
import { ToolError } from '../core/errors.js';
import { defineTool, type ToolContext } from '../core/types.js';
import { bucketField, keyProblem } from './names.js';
import { formatBytes, plural, VersionIdField } from './schemas.js';
import { openStore, type ObjectStore } from './store.js';

/** Objects listed in the result and the confirmation; the rest are counted. */
const LISTED = 100;

const Input = z.object({
  bucket: bucketField(),
  key: z.string().optional().describe('One key to delete'),
  keys: z.array(z.string().describe('A key')).optional().describe('Several keys to delete'),
  prefix: z.string().optional().describe("Delete every object under this prefix ('' = the whole bucket)"),
  version_id: VersionIdField.describe('With key: delete this version for good (versioned buckets)'),
  dry_run: z.boolean().default(false).describe('List what would be deleted, delete nothing'),
});

const Output = z.object({
  bucket: z.string().describe('Bucket'),
  objects: z
    .array(z.object({ key: z.string().describe('Object key'), size: z.number().describe('Size in bytes') }))
    .describe(`Objects deleted, or that would be (the first ${LISTED})`),
  count: z.number().describe('How many objects'),
  bytes: z.number().describe('Their total size'),
  missing: z.array(z.string().describe('A key')).describe('Keys asked for that do not exist'),
  failed: z
    .array(z.object({ key: z.string().describe('Object key'), message: z.string().describe('Why') }))
    .describe('Deletions the store refused'),
  versioned: z
    .boolean()
    .describe('Bucket keeps versions: a delete adds a delete marker, older versions remain'),
  dry_run: z.boolean().describe('True when nothing was deleted'),
});

type DeleteInput = z.infer<typeof Input>;
interface Target {
  key: string;
  size: number;
  version_id?: string;
}

/** What the call would delete: listed under a prefix, or the given keys that exist. */
async function targets(
  input: DeleteInput,
  store: ObjectStore,
  ctx: ToolContext,
): Promise<{ found: Target[]; missing: string[] }> {
  const modes = [input.key !== undefined, input.keys !== undefined, input.prefix !== undefined].filter(
    Boolean,
  ).length;
  if (modes !== 1) {
    throw new ToolError('invalid_input', 'Give exactly one of key, keys or prefix', {
      hint: "To empty a bucket, give prefix ''",
    });
  }
  if (input.version_id && input.key === undefined)
    throw new ToolError('invalid_input', 'version_id goes with key');
  if (input.prefix !== undefined) {
    const found: Target[] = [];
    let token: string | undefined;
    do {
      const page = await store.list(input.bucket, {
        prefix: input.prefix,
        maxKeys: 1000,
        ...(token ? { token } : {}),
      });
      found.push(...page.objects.map((o) => ({ key: o.key, size: o.size })));
      token = page.next_token;
      ctx.progress({ done: found.length, message: 'listing keys' });
    } while (token && !ctx.signal.aborted);
    return { found, missing: [] };
  }
  const keys = [...new Set(input.key !== undefined ? [input.key] : (input.keys ?? []))];
  const bad = keys.find((k) => keyProblem(k));
  if (bad !== undefined) throw new ToolError('invalid_input', `Key "${bad}" ${keyProblem(bad)}`);
  const found: Target[] = [];
  const missing: string[] = [];
  for (let i = 0; i < keys.length; i += 16) {
    const batch = keys.slice(i, i + 16);
    const heads = await Promise.all(
      batch.map((key) =>
        store
          .head({ bucket: input.bucket, key, ...(input.version_id ? { version_id: input.version_id } : {}) })
          .catch((error: unknown) => {
            if (
              error instanceof ToolError &&
              error.code === 'not_found' &&
              !error.message.startsWith('Bucket')
            )
              return undefined;
            throw error;
          }),
      ),
    );
    batch.forEach((key, n) => {
      const head = heads[n];
      if (head)
        found.push({ key, size: head.size, ...(input.version_id ? { version_id: input.version_id } : {}) });
      else missing.push(key);
    });
  }
  return { found, missing };
}

async function summary(input: DeleteInput, ctx: ToolContext): Promise<string> {
  let found: Target[];
  try {
    found = (await targets(input, await openStore(ctx), ctx)).found;
  } catch {
    // The run reports the failure properly; the question only needs a fair sentence.
    return `Delete objects from ${input.bucket}`;
  }
  const bytes = found.reduce((sum, t) => sum + t.size, 0);
  const names = found
    .slice(0, 5)
    .map((t) => t.key)
    .join(', ');
  const rest = found.length > 5 ? `, … ${found.length - 5} more` : '';
  const versions = input.version_id ? ` (version ${input.version_id}, permanently)` : '';
  return `Delete ${plural(found.length, 'object')}${versions} (${formatBytes(bytes)}) from ${input.bucket}${found.length ? `: ${names}${rest}` : ''}`;
}

export const s3DeleteObjects = defineTool({
  name: 's3_delete_objects',
  title: 'Delete objects',
  description: 'Delete one key, a list of keys, or every object under a prefix. dry_run lists what would go.',
  toolset: 's3',
  aliases: ['rm'],
  positional: ['bucket', 'key'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: true, idempotent: true, openWorld: true },
  confirmSummary: summary,
  async run(input, ctx) {
    const store = await openStore(ctx);
    const { found, missing } = await targets(input, store, ctx);
    const versioned = (await store.getVersioning(input.bucket)) === 'enabled';
    let failed: Array<{ key: string; message: string }> = [];
    let gone = found;
    if (!input.dry_run && found.length > 0) {
      const result = await store.deleteObjects(input.bucket, found);
      failed = result.failed;
      const refused = new Set(failed.map((f) => f.key));
      gone = found.filter((t) => !refused.has(t.key));
    }
    return {
      bucket: input.bucket,
      objects: gone.slice(0, LISTED).map((t) => ({ key: t.key, size: t.size })),
      count: gone.length,
      bytes: gone.reduce((sum, t) => sum + t.size, 0),
      missing,
      failed,
      versioned: versioned && !input.version_id,
      dry_run: input.dry_run,
    };
  },
  toText(output) {
    const what = `${plural(output.count, 'object')} (${formatBytes(output.bytes)}) from ${output.bucket}`;
    const lines = [output.dry_run ? `Dry run: would delete ${what}; nothing deleted.` : `Deleted ${what}.`];
    if (output.versioned) lines.push('Versioned bucket: delete markers added, older versions remain.');
    if (output.missing.length) lines.push(`Not found: ${output.missing.length}.`);
    if (output.failed.length) lines.push(`Failed: ${output.failed.length} (${output.failed[0]?.message}).`);
    const keys = output.objects.slice(0, 20).map((o) => o.key);
    if (output.count > keys.length) keys.push(`… and ${output.count - keys.length} more`);
    const listed = [...keys, ...output.missing.slice(0, 10).map((k) => `${k} (not found)`)];
    return listed.length
      ? `${lines.join(' ')}\n${fenceUntrusted('object keys', listed.join('\n'))}`
      : lines.join(' ');
  },
});
