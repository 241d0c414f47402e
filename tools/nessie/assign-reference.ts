import { z } from 'zod';
import { ToolError } from '../core/errors.js';
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
  name: RefName.describe('Branch or tag to move'),
  to: RefName.optional().describe("Reference whose head (or to_hash) it should point at, e.g. 'main'"),
  to_hash: Hash.optional().describe('Commit to point at (with `to`: a commit of `to`; alone: any commit)'),
  type: RefType.optional().describe('Refuse unless `name` is of this type'),
  expected_hash: Hash.optional().describe(
    'Move only if it still points here (default: the head read before asking)',
  ),
  dry_run: z.boolean().default(false).describe('Only say what would change'),
});
type Input = z.infer<typeof Input>;

const Output = z.object({
  reference: RefOut.describe('The reference after the move (or as it would be)'),
  previous_hash: z.string().describe('Where it pointed before'),
  assigned: z.boolean().describe('False on a dry run'),
});

interface Plan {
  ref: ApiReference;
  target: { type: string; name?: string; hash: string };
}

/** What the question showed; the move is pinned at it. */
const plan = new Prepared<Input, Plan>(async (input, ctx) => {
  if (!input.to && !input.to_hash) {
    throw new ToolError(
      'invalid_input',
      'Say where to move it: `to` (a reference), `to_hash` (a commit), or both',
    );
  }
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
  if (!input.to) return { ref, target: { type: 'DETACHED', hash: input.to_hash ?? '' } };
  const to = await nessie.getReference(input.to, ctx.signal);
  return { ref, target: { type: to.type, name: input.to, hash: input.to_hash ?? to.hash ?? '' } };
});

export const nessieAssignReference = defineTool({
  name: 'nessie_assign_reference',
  title: 'Reset Nessie branch or tag',
  description:
    'Point a branch or tag at another commit (reset), pinned at its current head. Commits only it had are dropped.',
  toolset: 'nessie',
  aliases: ['reset'],
  positional: ['name', 'to'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: true, idempotent: true, openWorld: true },
  confirmSummary(input, ctx) {
    return plan.summary(
      input,
      ctx,
      ({ ref, target }) => {
        const to = target.name ? ` (\`${target.name}\`)` : '';
        return `Move ${describeRef({ type: ref.type, name: input.name })} from ${shortHash(ref.hash)} to ${shortHash(target.hash)}${to}; commits only it had are dropped`;
      },
      `Move \`${input.name}\``,
    );
  },
  async run(input, ctx) {
    const { ref, target } = await plan.take(input, ctx);
    const previous = ref.hash ?? '';
    const after = { type: ref.type, name: input.name, hash: target.hash };
    if (input.dry_run) return { reference: toRefOut(after), previous_hash: previous, assigned: false };
    const nessie = await nessieClient(ctx);
    const done = await nessie.request<{ reference: ApiReference }>(
      'PUT',
      `trees/${refPath(input.name, previous)}`,
      {
        query: { type: ref.type },
        body: target,
        signal: ctx.signal,
        pin: { name: input.name, hash: previous },
        notFoundHint: 'Is that commit on the target reference? See nessie_log',
      },
    );
    return { reference: toRefOut(done.reference), previous_hash: previous, assigned: true };
  },
  toText(output) {
    const move = `${describeRef(output.reference)} from ${output.previous_hash} to ${output.reference.hash}`;
    return output.assigned ? `Moved ${move}.` : `Dry run: would move ${move}.`;
  },
});
