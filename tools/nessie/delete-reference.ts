import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import { defineTool } from '../core/types.js';
import { movedError, nessieClient, refPath } from './client.js';
import {
  Hash,
  RefName,
  RefOut,
  RefType,
  describeRef,
  shortHash,
  toRefOut,
  type ApiReference,
} from './model.js';
import { Prepared } from './prepared.js';

const Input = z.object({
  name: RefName.describe('Branch or tag to delete'),
  type: RefType.optional().describe('Refuse unless the reference is of this type'),
  expected_hash: Hash.optional().describe(
    'Delete only if it still points here (default: the head read before asking)',
  ),
  dry_run: z.boolean().default(false).describe('Only say what would be deleted'),
});
type Input = z.infer<typeof Input>;

const Output = z.object({
  reference: RefOut.describe('The reference as it was when deleted (or would be)'),
  deleted: z.boolean().describe('False on a dry run'),
});

async function read(input: Input, ctx: ToolContext): Promise<ApiReference> {
  const nessie = await nessieClient(ctx);
  const ref = await nessie.getReference(input.name, ctx.signal);
  if (input.type && ref.type !== input.type.toUpperCase()) {
    throw new ToolError(
      'invalid_input',
      `\`${input.name}\` is a ${ref.type.toLowerCase()}, not a ${input.type}`,
    );
  }
  if (input.expected_hash && ref.hash !== input.expected_hash) {
    throw movedError({ type: ref.type, name: input.name }, input.expected_hash, ref.hash ?? '?');
  }
  return ref;
}

/** For the question: how far the branch's tree is from the default branch, i.e. what may be lost. */
async function distance(ref: ApiReference, input: Input, ctx: ToolContext): Promise<string> {
  const main = ctx.config.nessie?.default_branch ?? 'main';
  if (ref.type !== 'BRANCH' || input.name === main) return '';
  const nessie = await nessieClient(ctx);
  const path = `trees/${refPath(main)}/diff/${refPath(input.name, ref.hash ?? undefined)}`;
  const diff = await nessie
    .pages<unknown>(path, 'diffs', { limit: 100, signal: ctx.signal })
    .catch(() => undefined);
  if (!diff) return '';
  return `; its tree differs from \`${main}\` in ${diff.items.length}${diff.more ? '+' : ''} key(s)`;
}

/** The head read for the question; the delete is pinned at it. */
const current = new Prepared<Input, { ref: ApiReference; distance: string }>(async (input, ctx) => {
  const ref = await read(input, ctx);
  return { ref, distance: await distance(ref, input, ctx) };
});

export const nessieDeleteReference = defineTool({
  name: 'nessie_delete_reference',
  title: 'Delete Nessie branch or tag',
  description:
    'Delete a branch or tag, pinned at its current head: refused if it moved since it was read. Its commits are lost unless merged.',
  toolset: 'nessie',
  positional: ['name'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: true, idempotent: false, openWorld: true },
  confirmSummary(input, ctx) {
    return current.summary(
      input,
      ctx,
      ({ ref, distance }) =>
        `Delete ${describeRef({ type: ref.type, name: input.name })} at ${shortHash(ref.hash)}${distance}`,
      `Delete \`${input.name}\``,
    );
  },
  async run(input, ctx) {
    const { ref } = await current.take(input, ctx, async () => ({
      ref: await read(input, ctx),
      distance: '',
    }));
    const hash = ref.hash ?? '';
    if (input.dry_run) return { reference: toRefOut(ref), deleted: false };
    const nessie = await nessieClient(ctx);
    await nessie.request('DELETE', `trees/${refPath(input.name, hash)}`, {
      query: { type: ref.type },
      signal: ctx.signal,
      pin: { name: input.name, hash },
    });
    return { reference: toRefOut(ref), deleted: true };
  },
  toText(output) {
    const what = `${describeRef(output.reference)} at ${output.reference.hash}`;
    return output.deleted ? `Deleted ${what}.` : `Dry run: would delete ${what}.`;
  },
});
