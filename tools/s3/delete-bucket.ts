import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool, type ToolContext } from '../core/types.js';
import { bucketField } from './names.js';
import { plural } from './schemas.js';
import { openStore, type ObjectStore } from './store.js';

const Input = z.object({
  bucket: bucketField('Bucket to delete'),
  force: z.boolean().default(false).describe('Delete every object (and every version) in it first'),
  dry_run: z.boolean().default(false).describe('Say what would be deleted, delete nothing'),
});

const Output = z.object({
  bucket: z.string().describe('Bucket'),
  objects_deleted: z.number().describe('Objects and versions deleted first (force), or that would be'),
  deleted: z.boolean().describe('Whether the bucket is gone (false in a dry run)'),
  dry_run: z.boolean().describe('True when nothing was deleted'),
});

type DeleteBucketInput = z.infer<typeof Input>;

/** Every object, or on a versioned bucket every version and delete marker, in the bucket. */
async function contents(
  store: ObjectStore,
  bucket: string,
  ctx: ToolContext,
): Promise<Array<{ key: string; version_id?: string }>> {
  const found: Array<{ key: string; version_id?: string }> = [];
  const versioned = (await store.getVersioning(bucket)) !== 'off';
  if (versioned) {
    let markers: { keyMarker?: string; versionIdMarker?: string } = {};
    for (;;) {
      const page = await store.listVersions(bucket, { maxKeys: 1000, ...markers });
      found.push(...page.versions.map((v) => ({ key: v.key, version_id: v.version_id })));
      if (!page.next_key_marker || ctx.signal.aborted) return found;
      markers = {
        keyMarker: page.next_key_marker,
        ...(page.next_version_id_marker ? { versionIdMarker: page.next_version_id_marker } : {}),
      };
    }
  }
  let token: string | undefined;
  do {
    const page = await store.list(bucket, { maxKeys: 1000, ...(token ? { token } : {}) });
    found.push(...page.objects.map((o) => ({ key: o.key })));
    token = page.next_token;
  } while (token && !ctx.signal.aborted);
  return found;
}

async function summary(input: DeleteBucketInput, ctx: ToolContext): Promise<string> {
  if (!input.force) return `Delete the bucket ${input.bucket} (it must be empty)`;
  let items: Array<{ key: string }>;
  try {
    items = await contents(await openStore(ctx), input.bucket, ctx);
  } catch {
    // The run reports the failure properly; the question only needs a fair sentence.
    return `Delete the bucket ${input.bucket} and every object in it`;
  }
  return `Delete the bucket ${input.bucket} and the ${plural(items.length, 'object')} (versions included) in it`;
}

export const s3DeleteBucket = defineTool({
  name: 's3_delete_bucket',
  title: 'Delete bucket',
  description:
    'Delete a bucket. It must be empty unless force (which deletes every object and version first). dry_run counts what would go.',
  toolset: 's3',
  aliases: ['rb'],
  positional: ['bucket'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: true, idempotent: false, openWorld: true },
  confirmSummary: summary,
  async run(input, ctx) {
    const store = await openStore(ctx);
    const items = input.force || input.dry_run ? await contents(store, input.bucket, ctx) : [];
    if (input.dry_run) {
      if (!input.force && items.length > 0) {
        throw new ToolError(
          'conflict',
          `Bucket ${input.bucket} holds ${plural(items.length, 'object')}: deleting it would fail`,
          {
            hint: 'Pass force to delete its objects (and versions) first',
          },
        );
      }
      return { bucket: input.bucket, objects_deleted: items.length, deleted: false, dry_run: true };
    }
    if (items.length > 0) {
      const result = await store.deleteObjects(input.bucket, items);
      if (result.failed.length > 0) {
        throw new ToolError(
          'conflict',
          `Could not empty bucket ${input.bucket}: ${result.failed.length} objects failed (${result.failed[0]?.message})`,
        );
      }
    }
    await store.deleteBucket(input.bucket);
    return { bucket: input.bucket, objects_deleted: items.length, deleted: true, dry_run: false };
  },
  toText(output) {
    if (output.dry_run)
      return `Dry run: would delete bucket ${output.bucket} and ${plural(output.objects_deleted, 'object')} in it; nothing deleted.`;
    const emptied =
      output.objects_deleted > 0 ? ` after deleting ${plural(output.objects_deleted, 'object')}` : '';
    return `Deleted bucket ${output.bucket}${emptied}.`;
  },
});
