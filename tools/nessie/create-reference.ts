import { z } from 'zod';
import { defineTool } from '../core/types.js';
import { nessieClient } from './client.js';
import { Hash, RefName, RefOut, RefType, describeRef, toRefOut, type ApiReference } from './model.js';

const Input = z.object({
  name: RefName.describe("Name of the new branch or tag, e.g. 'agent/clean-sales'"),
  type: RefType.default('branch').describe('Create a branch (default) or a tag'),
  from: RefName.optional().describe('Branch or tag to start from (default: the default branch)'),
  from_hash: Hash.optional().describe('Commit on `from` to start at (default: its current head, read now)'),
});

const Output = z.object({
  created: RefOut.describe('The new reference'),
  from: z.string().describe('The reference it was created from'),
});

export const nessieCreateReference = defineTool({
  name: 'nessie_create_reference',
  title: 'Create Nessie branch or tag',
  description:
    'Create a branch or tag from another reference, pinned at its current head or at a given commit hash.',
  toolset: 'nessie',
  positional: ['name'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: true },
  async run(input, ctx) {
    const nessie = await nessieClient(ctx);
    const fromName = input.from ?? ctx.config.nessie?.default_branch ?? 'main';
    const source = await nessie.getReference(fromName, ctx.signal);
    // The body is the source pinned at a hash: what was read is what the new reference points at.
    const body = { type: source.type, name: fromName, hash: input.from_hash ?? source.hash };
    const created = await nessie.request<{ reference: ApiReference }>('POST', 'trees', {
      query: { name: input.name, type: input.type.toUpperCase() },
      body,
      signal: ctx.signal,
      notFoundHint: `Is ${input.from_hash ?? 'that hash'} a commit of \`${fromName}\`? See nessie_log`,
    });
    return { created: toRefOut(created.reference), from: fromName };
  },
  toText(output) {
    return `Created ${describeRef(output.created)} from \`${output.from}\` at ${output.created.hash}.`;
  },
});
